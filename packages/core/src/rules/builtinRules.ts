// The built-in rule library. The rules are written as YAML in packages/core/rules/, in the same format as
// user rules; every build (scripts/embed-rules.js) embeds them as data in ./data/builtin-rules.json, with the
// line each rule starts on, so that core reads no files and parses no YAML at run time. They are validated
// here by the same schema as user rules, and a test compares the embedded data with the files.
import builtin from './data/builtin-rules.json' with { type: 'json' };
import { ruleFileSchema } from '../schema/Rule.js';
import type { RuleEntry } from './compileRules.js';

let cached: readonly RuleEntry[] | undefined;

/** The built-in rules, validated once. A problem in them is a bug in Parapet, so it throws. */
export function getBuiltinRuleEntries(): readonly RuleEntry[] {
  if (cached) return cached;
  const entries: RuleEntry[] = [];
  for (const file of builtin.files) {
    const result = ruleFileSchema.safeParse({ rules: file.rules });
    if (!result.success) {
      throw new Error(`built-in rules in ${file.name} are broken: ${result.error.issues[0]?.message ?? ''}`);
    }
    const name = `@parapet/core/${file.name}`;
    result.data.rules.forEach((rule, i) => {
      const line = file.lines[i] ?? 1;
      entries.push({ rule, origin: 'built-in', path: ['rules', i], locate: () => ({ file: name, line, column: 3 }) });
    });
  }
  cached = entries;
  return cached;
}

/** The built-in rule files as embedded: file name, rules, and the line each rule starts on. */
export function getBuiltinRuleFiles(): readonly {
  readonly name: string;
  readonly lines: readonly number[];
  readonly rules: readonly unknown[];
}[] {
  return builtin.files;
}
