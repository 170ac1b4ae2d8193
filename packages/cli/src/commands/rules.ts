import { compileRules, getBuiltinRuleEntries, type CompiledRule } from '@parapet/core';
import { EXIT } from '../errors.js';
import type { CliIo } from '../io.js';
import { readRuleFiles } from '../loadAnalysis.js';
import { printDiagnostics } from '../printDiagnostics.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { createStyle } from '../style.js';
import type { OutputFormat } from './options.js';

export interface RulesOptions {
  readonly format: OutputFormat;
  readonly rules?: readonly string[] | undefined;
}

/** `parapet rules`: lists the rules that run (built-in, then those of --rules files), checking the files. */
export function runRules(filter: string | undefined, options: RulesOptions, io: CliIo): number {
  const style = createStyle(io);
  const files = readRuleFiles(options.rules ?? [], io.cwd);
  const compiled = compileRules([...getBuiltinRuleEntries(), ...files.entries]);
  const diagnostics = [...files.diagnostics, ...compiled.diagnostics];
  const matches = (r: CompiledRule): boolean =>
    filter === undefined || r.id.includes(filter) || r.category === filter || r.subject === filter;
  const rules = compiled.rules.filter(matches);
  if (options.format === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          rules: rules.map((r) => ({
            id: r.id,
            title: r.title,
            category: r.category,
            subject: r.subject,
            kinds: r.kinds ?? null,
            types: r.types ?? null,
            when: r.clauses.map((c) => ({ if: c.expression, because: c.because })),
            unless: r.unless,
            likelihood: r.likelihood,
            impact: r.impact,
            references: r.references,
            mitigations: r.mitigations,
            origin: r.origin,
          })),
          diagnostics,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const width = Math.min(40, Math.max(...rules.map((r) => r.id.length), 4));
    for (const r of rules) {
      io.stdout(
        `${r.id.padEnd(width)}  ${style.dim(`${r.category.padEnd(22)} ${r.subject.padEnd(8)}`)} ${sanitizeForTerminal(r.title)}\n`,
      );
    }
    io.stdout(`${rules.length} of ${compiled.rules.length} rules\n`);
    if (diagnostics.length > 0) io.stdout(printDiagnostics(diagnostics, style));
  }
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.invalid : EXIT.ok;
}
