// The built-in rule library. The rules are written as YAML in packages/core/rules/, in the same format as
// user rules; every build (scripts/embed-rules.js) embeds them as data in ./data/builtin-rules.json, with the
// line each rule starts on and the syntax trees of its clauses, so that core reads no files and parses neither
// YAML nor expressions at run time. Tests check the embedded rules against the schema, the files and the
// type checker; a problem in them is a bug in Parapet, not in a user's model.
import builtin from './data/builtin-rules.json' with { type: 'json' };
import type { Rule } from '../schema/Rule.js';
import type { RuleEntry } from './compileRules.js';

let cached: readonly RuleEntry[] | undefined;

/** Turns an embedded syntax tree back into the parser's shape: `{"$int": "2"}` is the integer 2n. */
function reviveTree(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(reviveTree);
  if (node === null || typeof node !== 'object') return node;
  if ('$int' in node) return BigInt(String(node.$int));
  const { op, args } = node as { op: unknown; args: unknown };
  return { op, args: reviveTree(args) };
}

/** The built-in rules, with their clauses' syntax trees (compiling them skips parsing and type-checking). */
export function getBuiltinRuleEntries(): readonly RuleEntry[] {
  if (cached) return cached;
  const entries: RuleEntry[] = [];
  for (const file of builtin.files) {
    const name = `@parapet/core/${file.name}`;
    file.rules.forEach((rule, i) => {
      const line = file.lines[i] ?? 1;
      const trees = file.trees[i]?.map((tree) => (tree === null ? undefined : reviveTree(tree)));
      entries.push({
        rule: rule as Rule,
        origin: 'built-in',
        path: ['rules', i],
        locate: () => ({ file: name, line, column: 3 }),
        ...(trees ? { trees } : {}),
      });
    });
  }
  cached = entries;
  return cached;
}

/** The built-in rule files as embedded: file name, rules, the line each rule starts on, the clauses' trees. */
export function getBuiltinRuleFiles(): readonly {
  readonly name: string;
  readonly lines: readonly number[];
  readonly rules: readonly unknown[];
  readonly trees: readonly (readonly unknown[])[];
}[] {
  return builtin.files;
}
