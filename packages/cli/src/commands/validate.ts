import { loadModel, type Diagnostic, type LoadResult } from '@parapet/core';
import { EXIT } from '../errors.js';
import { createFileHost, type CliIo } from '../io.js';
import { countLabel, printDiagnostics } from '../printDiagnostics.js';
import { createStyle } from '../style.js';
import { toLoadOptions, type OutputFormat } from './options.js';

export interface ValidateOptions {
  readonly format: OutputFormat;
  readonly maxBytes?: number | undefined;
}

/** `parapet validate <file...>`: 0 when every file is valid, 1 when any has an error. */
export function runValidate(files: readonly string[], options: ValidateOptions, io: CliIo): number {
  const host = createFileHost(io.cwd);
  const style = createStyle(io);
  const results = files.map((file) => ({
    file,
    result: loadModel(file, host, toLoadOptions(options.maxBytes)),
  }));
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ files: results.map(({ file, result }) => summarize(file, result)) }, null, 2)}\n`);
  } else {
    for (const { file, result } of results) {
      io.stdout(printDiagnostics(result.diagnostics, style));
      const { errors, warnings } = count(result.diagnostics);
      const tally = warnings > 0 ? `, ${countLabel(warnings, 'warning')}` : '';
      if (errors > 0) io.stdout(`${style.red(style.bold(file))}: invalid, ${countLabel(errors, 'error')}${tally}\n`);
      else io.stdout(`${style.green(style.bold(file))}: valid (${describeSize(result)})${tally}\n`);
    }
  }
  return results.some(({ result }) => !result.model) ? EXIT.invalid : EXIT.ok;
}

function count(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { errors, warnings: diagnostics.length - errors };
}

function describeSize(result: LoadResult): string {
  const m = result.model;
  if (!m) return '';
  const parts = [
    countLabel(m.elements?.length ?? 0, 'element'),
    countLabel(m.flows?.length ?? 0, 'flow'),
    `${m.boundaries?.length ?? 0} ${m.boundaries?.length === 1 ? 'boundary' : 'boundaries'}`,
    countLabel(m.assets?.length ?? 0, 'asset'),
  ];
  if (result.files.length > 1) parts.push(countLabel(result.files.length, 'file'));
  return parts.join(', ');
}

function summarize(file: string, result: LoadResult): Record<string, unknown> {
  const { errors, warnings } = count(result.diagnostics);
  return { file, valid: result.model !== undefined, errors, warnings, diagnostics: result.diagnostics };
}
