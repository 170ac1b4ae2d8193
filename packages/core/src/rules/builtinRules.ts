// The built-in rule library. The rules are written as YAML in packages/core/rules/, in the same format as
// user rules; `npm run generate` embeds the files' text in ./data/builtin-rules.json so that core needs no
// file system, and a test fails when the embedded copy is stale.
import builtin from './data/builtin-rules.json' with { type: 'json' };
import type { RuleEntry } from './compileRules.js';
import { parseRuleFile } from './parseRuleFile.js';

let cached: readonly RuleEntry[] | undefined;

/** The built-in rules, parsed once. A problem in them is a bug in Parapet, so it throws. */
export function getBuiltinRuleEntries(): readonly RuleEntry[] {
  if (cached) return cached;
  const entries: RuleEntry[] = [];
  for (const file of builtin.files) {
    const result = parseRuleFile(`@parapet/core/${file.name}`, file.text, undefined, 'built-in');
    const [problem] = result.diagnostics;
    if (problem)
      throw new Error(
        `built-in rules are broken: ${problem.location.file}:${problem.location.line}: ${problem.message}`,
      );
    entries.push(...result.entries);
  }
  cached = entries;
  return cached;
}

/** The names of the built-in rule files and their text, as shipped. */
export function getBuiltinRuleFiles(): readonly { readonly name: string; readonly text: string }[] {
  return builtin.files;
}
