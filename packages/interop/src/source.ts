import { DEFAULT_LIMITS, parseSource, type PathSegment, type SourceFile } from '@parapet/core';
import { ImportError } from './ImportResult.js';

/** Inputs over this size are refused (other tools' files are far smaller). */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

/** A parsed JSON or YAML input, and the line of any path in it. */
export interface StructuredSource {
  readonly file: string;
  readonly data: unknown;
  /** The 1-based line where the value at `path` is written (its nearest existing ancestor's when absent). */
  line(path: readonly PathSegment[]): number;
}

/**
 * Parses JSON or YAML text (`format`, or guessed from the file name, JSON when it starts with `{` or `[`),
 * bounded in size and nesting. Throws ImportError with the line and column of the first problem.
 */
export function readStructured(text: string, file: string, format?: 'json' | 'yaml'): StructuredSource {
  if (text.length > MAX_INPUT_BYTES) {
    throw new ImportError(`the file is over the import limit of ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, file);
  }
  const kind = format ?? (/\.json$/i.test(file) || /^\s*[[{]/.test(text) ? 'json' : 'yaml');
  // parseSource picks the syntax from the name.
  const parsed = parseSource(kind === 'json' ? 'input.json' : 'input.yaml', text, {
    ...DEFAULT_LIMITS,
    maxBytes: MAX_INPUT_BYTES,
  });
  if (!parsed.ok) {
    const problem = parsed.problems[0];
    throw new ImportError(
      problem?.message ?? `not valid ${kind.toUpperCase()}`,
      file,
      problem?.position.line,
      problem?.position.column,
    );
  }
  const source: SourceFile = parsed.file;
  return { file, data: source.data, line: (path) => source.locate(path).line };
}

/** Formats a path as `a.b[2].c` for messages and `Unmapped.at`. */
export function pathText(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}
