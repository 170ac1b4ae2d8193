import { formatModelText } from '@parapet/core';
import { EXIT } from '../errors.js';
import { readTextFile, writeTextFile, type CliIo } from '../io.js';
import { createStyle } from '../style.js';

export interface FmtOptions {
  readonly check: boolean;
  readonly stdout: boolean;
}

/** `parapet fmt <file...>`: rewrite in canonical form; `--check` exits 1 when a file is not canonical. */
export function runFmt(files: readonly string[], options: FmtOptions, io: CliIo): number {
  const style = createStyle(io);
  let exit: number = EXIT.ok;
  for (const file of files) {
    const content = readTextFile(io.cwd, file);
    if (content === undefined) {
      io.stderr(`${style.red('✖')} ${file}: no such file\n`);
      exit = EXIT.invalid;
      continue;
    }
    const result = formatModelText(content.toString('utf8'), file);
    if (!result.ok) {
      for (const p of result.problems)
        io.stderr(`${style.red('✖')} ${file}:${p.position.line}:${p.position.column}: ${p.message}\n`);
      exit = EXIT.invalid;
      continue;
    }
    if (options.stdout) {
      io.stdout(result.text);
    } else if (options.check) {
      if (result.changed) {
        io.stdout(`${file}: not in canonical form (run parapet fmt ${file})\n`);
        exit = EXIT.invalid;
      }
    } else if (result.changed) {
      writeTextFile(io.cwd, file, result.text);
      io.stdout(`${file}: formatted\n`);
    }
  }
  return exit;
}
