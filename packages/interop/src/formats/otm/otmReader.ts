import type { PathSegment } from '@parapet/core';
import type { Unmapped } from '../../ImportResult.js';
import { pathText, type StructuredSource } from '../../source.js';

export type Path = readonly PathSegment[];
export type Fields = Readonly<Record<string, unknown>>;

/** Longest text quoted in an unmapped entry's `what`. */
const QUOTE_LENGTH = 80;

/** A value in a few words, for messages: short texts quoted, long ones cut, lists and mappings by size. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > QUOTE_LENGTH ? `${JSON.stringify(value.slice(0, QUOTE_LENGTH))}...` : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && value !== null) return `a mapping with ${Object.keys(value).length} keys`;
  return String(value);
}

/** The value as a plain mapping (not a list, not null), or undefined. */
export function asFields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

/** A key's own value in a mapping (never an inherited one such as `__proto__` or `constructor`). */
export function get(fields: Fields, key: string): unknown {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

/**
 * Reads fields of an untrusted OTM document with their paths and records everything that does not fit in
 * `unmapped`, with the source line of the path. Every reader returns undefined (or an empty list) for a
 * missing or null value, and also for a value of the wrong type, after noting it.
 */
export class OtmReader {
  readonly unmapped: Unmapped[] = [];

  constructor(readonly source: StructuredSource) {}

  /** Records something of the source that the model does not hold as it is. */
  note(path: Path, what: string, reason: string): void {
    this.unmapped.push({
      at: pathText(path) || '(document)',
      file: this.source.file,
      line: this.source.line(path),
      what,
      reason,
    });
  }

  /** The line of a path in the source. */
  line(path: Path): number {
    return this.source.line(path);
  }

  /** A text field (numbers and booleans written unquoted in YAML count as text), cut to `max` characters. */
  text(fields: Fields, key: string, path: Path, max: number): string | undefined {
    const value = get(fields, key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') {
      this.note([...path, key], `${key} ${describeValue(value)}`, 'expected text; left out');
      return undefined;
    }
    if (value.length > max) {
      this.note([...path, key], `${key} of ${value.length} characters`, `cut to the ${max} characters Parapet allows`);
      return value.slice(0, max);
    }
    return value.trim() === '' ? undefined : value;
  }

  /** A number field (numeric text accepted). */
  number(fields: Fields, key: string, path: Path): number | undefined {
    const value = get(fields, key);
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      this.note([...path, key], `${key} ${describeValue(value)}`, 'expected a number; left out');
      return undefined;
    }
    return number;
  }

  /** A mapping field. */
  mapping(fields: Fields, key: string, path: Path): Fields | undefined {
    const value = get(fields, key);
    if (value === undefined || value === null) return undefined;
    const mapping = asFields(value);
    if (mapping === undefined)
      this.note([...path, key], `${key} ${describeValue(value)}`, 'expected a mapping; left out');
    return mapping;
  }

  /** A list field; empty when missing, null or of another type (noted). */
  list(fields: Fields, key: string, path: Path): readonly unknown[] {
    const value = get(fields, key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.note([...path, key], `${key} ${describeValue(value)}`, 'expected a list; left out');
      return [];
    }
    return value;
  }

  /** A list of texts (each at most `max` long); other items are noted and skipped. Nulls are skipped. */
  texts(fields: Fields, key: string, path: Path, max: number): string[] {
    const texts: string[] = [];
    this.list(fields, key, path).forEach((item, index) => {
      if (item === null) return;
      const text = typeof item === 'number' ? String(item) : item;
      if (typeof text === 'string' && text.trim() !== '' && text.length <= max) texts.push(text);
      else
        this.note(
          [...path, key, index],
          `${key} item ${describeValue(item)}`,
          `expected text of 1 to ${max} characters; left out`,
        );
    });
    return texts;
  }

  /** Notes every key of a mapping that the importer does not read (null values say nothing and are skipped). */
  unknownKeys(fields: Fields, known: readonly string[], path: Path, what: string): void {
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      if (known.includes(key) || value === null || value === undefined) continue;
      this.note(
        [...path, key],
        `${what} field ${key}: ${describeValue(value)}`,
        'Parapet has no field for it; left out',
      );
    }
  }
}

/** An OTM id: non-empty text, or an integer written unquoted in YAML. */
export function readId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return undefined;
}
