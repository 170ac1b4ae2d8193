import type { ParseLimits } from './limits.js';

/** Where the text first goes past a nesting limit, and which limit. */
export interface DepthViolation {
  readonly offset: number;
  readonly message: string;
}

/** What one pass over JSON text found: the first nesting violation, and how many object keys it holds. */
export interface JsonScan {
  readonly violation?: DepthViolation;
  /** Strings followed by a colon: with duplicates, more than the parsed objects hold. */
  readonly keyCount: number;
}

/**
 * Checks the nesting of JSON text before it is parsed and counts its object keys, in one pass and constant
 * memory. The count lets the caller detect duplicate keys (which `JSON.parse` drops silently) cheaply.
 *
 * @example
 * scanJson('[[[]]]', { ...DEFAULT_LIMITS, maxDepth: 2 }).violation // { offset: 2, message: ... }
 */
export function scanJson(text: string, limits: ParseLimits): JsonScan {
  let depth = 0;
  let keyCount = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    // Structure lies between strings: walk it by character, then jump over the next string natively.
    const quote = text.indexOf('"', i);
    const end = quote === -1 ? length : quote;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 91 /* [ */ || c === 123 /* { */) {
        if (++depth > limits.maxDepth) return { violation: tooDeep(i, limits), keyCount };
      } else if (c === 93 /* ] */ || c === 125 /* } */) {
        depth--;
      }
    }
    if (quote === -1) break;
    let close = quote;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close === -1) return { keyCount };
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 92 /* \ */) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    i = close + 1;
    let next = text.charCodeAt(i);
    while (next === 32 || next === 10 || next === 13 || next === 9) next = text.charCodeAt(++i);
    if (next === 58 /* : */) keyCount++;
  }
  return { keyCount };
}

/**
 * Checks the nesting of YAML text before it is parsed: flow collections (`[`, `{`) by counting, block
 * collections by indentation (compact `- - -` counts as indentation). It over-counts brackets inside plain
 * scalars, which only matters past the limit.
 */
export function scanYamlDepth(text: string, limits: ParseLimits): DepthViolation | undefined {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 9) {
        indent++;
      } else if ((c === 45 /* - */ || c === 63 /* ? */ || c === 58) /* : */ && isBlank(text.charCodeAt(i + 1))) {
        indent++;
      } else {
        lineStart = false;
      }
      if (indent > limits.maxIndent) {
        return { offset: i, message: `indentation is deeper than the limit of ${limits.maxIndent} columns` };
      }
      if (lineStart) continue;
    }
    if (c === 35 /* # */ && (i === 0 || isBlank(text.charCodeAt(i - 1)))) {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end - 1;
    } else if (depth > 0 && (c === 34 || c === 39) /* " ' */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (c === 34 && d === 92) i++;
        else if (d === c) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > limits.maxDepth) return tooDeep(i, limits);
    } else if ((c === 93 || c === 125) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
}

function tooDeep(offset: number, limits: ParseLimits): DepthViolation {
  return { offset, message: `nesting is deeper than the limit of ${limits.maxDepth} levels` };
}
