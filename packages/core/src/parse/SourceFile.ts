import type { PathSegment, Position } from '../diagnostics/Diagnostic.js';

export type SourceFormat = 'yaml' | 'json';

/** A parsed model file: its data, and a way back from a path to a line and column in its text. */
export interface SourceFile {
  readonly name: string;
  readonly format: SourceFormat;
  readonly text: string;
  readonly data: unknown;
  /**
   * Where the node at `path` starts: its key for `part: 'key'` (when it is a mapping entry), else its value.
   * A path that does not exist resolves to its nearest existing ancestor.
   */
  locate(path: readonly PathSegment[], part?: 'key' | 'value'): Position;
}

/** Turns character offsets into lines and columns (both from 1). */
export function createOffsetToPosition(text: string): (offset: number) => Position {
  let lineStarts: number[] | undefined;
  return (offset) => {
    if (lineStarts === undefined) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
}
