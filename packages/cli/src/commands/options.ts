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

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function parseDate(value: string): string {
  if (DATE.test(value)) return value;
  throw new UsageError(`--today takes a date written YYYY-MM-DD, not "${value}"`);
}

export const LEVEL_NAMES = ['very-low', 'low', 'medium', 'high', 'very-high'] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];

export function parseLevel(value: string): LevelName {
  const level = LEVEL_NAMES.find((l) => l === value);
  if (level) return level;
  throw new UsageError(`--fail-on takes one of ${LEVEL_NAMES.join(', ')}, not "${value}"`);
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
