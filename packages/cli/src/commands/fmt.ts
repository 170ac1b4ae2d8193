import { formatModelText } from '@parapet/core';
import { EXIT } from '../errors.js';
import { createFileHost, writeTextFile, type CliIo } from '../io.js';
import { createStyle } from '../style.js';

export interface FmtOptions {
  readonly check: boolean;
  readonly stdout: boolean;
}

/** `parapet fmt <file...>`: rewrite in canonical form; `--check` exits 1 when a file is not canonical. */
export function runFmt(files: readonly string[], options: FmtOptions, io: CliIo): number {
  const style = createStyle(io);
  const host = createFileHost(io.cwd);
  let exit: number = EXIT.ok;
  for (const file of files) {
    let content: Uint8Array | string | undefined;
    try {
      content = host.readFile(file);
    } catch (error) {
      io.stderr(`${style.red('✖')} ${file}: cannot read: ${error instanceof Error ? error.message : String(error)}\n`);
      exit = EXIT.invalid;
      continue;
    }
    if (content === undefined) {
      io.stderr(`${style.red('✖')} ${file}: no such file\n`);
      exit = EXIT.invalid;
      continue;
    }
    let text: string;
    try {
      text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      // Rewriting would replace the bytes that are not UTF-8: refuse rather than lose them.
      io.stderr(`${style.red('✖')} ${file}:1:1: file is not UTF-8 text\n`);
      exit = EXIT.invalid;
      continue;
    }
    const result = formatModelText(text, file);
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
