import type { LoadOptions } from '@parapet/core';
import { UsageError } from '../errors.js';

export type OutputFormat = 'text' | 'json';

export function parseFormat(value: string): OutputFormat {
  if (value === 'text' || value === 'json') return value;
  throw new UsageError(`--format must be text or json, not "${value}"`);
}

export function parseByteSize(value: string): number {
  const match = /^(\d+)(k|m|g|kib|mib|gib)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`--max-bytes takes a size such as 64MiB or 1048576, not "${value}"`);
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Number(match[1]) * factor;
}

/** Load options for a `--max-bytes` value, when one was given. */
export function toLoadOptions(maxBytes: number | undefined): LoadOptions {
  return maxBytes === undefined ? {} : { limits: { maxBytes } };
}
