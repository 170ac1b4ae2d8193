import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ModelHost } from '@parapet/core';

/** Everything the CLI touches outside itself, so that tests can run it in-process. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The real process's streams and environment. */
export function createProcessIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

/** Reads model files from disk; paths stay as the user wrote them (relative to `cwd`) for messages. */
export function createFileHost(cwd: string): ModelHost {
  return {
    readFile(path) {
      const full = resolve(cwd, path);
      if (!existsSync(full)) return undefined;
      if (statSync(full).isDirectory()) throw new Error('it is a directory');
      return readFileSync(full);
    },
    resolvePath(fromFile, reference) {
      return join(dirname(fromFile), reference);
    },
  };
}

/** Writes a file whole or not at all: to a temporary file beside it, then renamed over it. */
export function writeTextFile(cwd: string, path: string, text: string): void {
  const full = resolve(cwd, path);
  const temporary = `${full}.parapet-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, existsSync(full) ? { mode: statSync(full).mode & 0o777 } : {});
    renameSync(temporary, full);
  } finally {
    rmSync(temporary, { force: true });
  }
}
