import { formatDiagnostic, type Diagnostic } from '@parapet/core';
import { sanitizeForTerminal } from './sanitize.js';
import type { Style } from './style.js';

/** One line per diagnostic, `file:line:column path: message`, with severity coloured on a terminal. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], style: Style): string {
  return diagnostics
    .map((d) => {
      // Line 0: checked without its text (a large written model): the path says where.
      const line = sanitizeForTerminal(
        d.location.line === 0
          ? `${d.location.file} ${d.path}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`
          : formatDiagnostic(d),
      );
      return d.severity === 'error' ? `${style.red('✖')} ${line}` : `${style.yellow('⚠')} ${line}`;
    })
    .map((line) => `${line}\n`)
    .join('');
}

export function countLabel(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
