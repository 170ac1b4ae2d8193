import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import { compareDiagnostics, formatPath } from '../diagnostics/Diagnostic.js';
import { DEFAULT_LIMITS, type ParseLimits } from '../parse/limits.js';
import { parseSource } from '../parse/parseSource.js';
import { ruleFileSchema } from '../schema/Rule.js';
import { fromZodIssues } from '../validate/fromZodIssues.js';
import type { RuleEntry } from './compileRules.js';

export interface RuleFileResult {
  readonly entries: readonly RuleEntry[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads a file of rules (`rules:` followed by a list), YAML or JSON. Problems come back as diagnostics with
 * the file, line and column; the rules are checked further when compiled.
 *
 * @example
 * const { entries, diagnostics } = parseRuleFile('rules/team.yaml', text);
 * analyze(model, { rules: entries });
 */
export function parseRuleFile(
  name: string,
  content: string | Uint8Array,
  limits: ParseLimits = DEFAULT_LIMITS,
  origin: string = name,
): RuleFileResult {
  const parsed = parseSource(name, content, limits);
  if (!parsed.ok) {
    return {
      entries: [],
      diagnostics: parsed.problems.map((p) => ({
        severity: 'error',
        code: p.code,
        message: p.message,
        path: '',
        location: { file: name, ...p.position },
      })),
    };
  }
  const { file } = parsed;
  const result = ruleFileSchema.safeParse(file.data);
  if (!result.success) {
    return {
      entries: [],
      diagnostics: fromZodIssues(result.error.issues, ruleFileSchema, file.data)
        .map((p): Diagnostic => ({
          severity: p.severity,
          code: p.code,
          message: p.message,
          path: formatPath(p.path),
          location: { file: name, ...file.locate(p.path, p.part) },
        }))
        .sort(compareDiagnostics),
    };
  }
  return {
    entries: result.data.rules.map((rule, i) => ({
      rule,
      origin,
      path: ['rules', i],
      locate: (path) => ({ file: name, ...file.locate(['rules', i, ...path]) }),
    })),
    diagnostics: [],
  };
}
