import type { PathSegment, Threat } from '@parapet/core';
import type { Unmapped } from '../../ImportResult.js';
import { IdAllocator } from '../../ids.js';
import { pathText, type StructuredSource } from '../../source.js';
import { describeValue, isRecord, ownField, quote, unknownKeys } from './sourceValues.js';
import { clip, FORMAT } from './threatComposerFormat.js';

export type Path = readonly PathSegment[];
export type Origin = NonNullable<Threat['origin']>;

/** Longest tag Parapet accepts. */
const TAG_MAX = 100;

/**
 * What every part of one import shares: the source with its lines, the id allocator of the model, and the
 * list of what did not land in the model. Its readers take values of any type and report the wrong ones.
 */
export class ImportContext {
  readonly unmapped: Unmapped[] = [];
  readonly ids = new IdAllocator();

  constructor(readonly source: StructuredSource) {}

  get file(): string {
    return this.source.file;
  }

  /** The 1-based line of a path in the source. */
  line(path: Path): number {
    return this.source.line(path);
  }

  /** Records something that does not land in the model, or lands only approximately. */
  note(path: Path, what: string, reason: string): void {
    this.unmapped.push({ at: pathText(path) || '(document)', file: this.file, line: this.line(path), what, reason });
  }

  /** The `origin` of an item imported from `path`, with its Threat Composer id when it has one. */
  origin(path: Path, ref: string | undefined): Origin {
    return { format: FORMAT, file: this.file, line: this.line(path), ...(ref === undefined ? {} : { ref }) };
  }

  /** A text field, trimmed; undefined when absent or blank, and when not text (reported). */
  text(value: unknown, path: Path, what: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.note(path, `${what} that is ${describeValue(value)}`, 'not text: ignored');
      return undefined;
    }
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /** A mapping field; undefined when absent, and when not a mapping (reported). */
  record(value: unknown, path: Path, what: string): Readonly<Record<string, unknown>> | undefined {
    if (value === undefined || value === null) return undefined;
    if (isRecord(value)) return value;
    this.note(path, `${what} that is ${describeValue(value)}`, 'not an object: ignored');
    return undefined;
  }

  /** A list field; empty when absent, and when not a list (reported). */
  list(value: unknown, path: Path, what: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.note(path, `${what} that is ${describeValue(value)}`, 'not a list: ignored');
    return [];
  }

  /** A list of texts, trimmed, without blanks; items that are not text are reported. */
  textList(value: unknown, path: Path, what: string): string[] {
    const texts: string[] = [];
    this.list(value, path, what).forEach((item, index) => {
      const text = this.text(item, [...path, index], what);
      if (text !== undefined) texts.push(text);
    });
    return texts;
  }

  /** An item's `tags`, each within Parapet's length limit (longer ones are cut, and reported). */
  tags(item: Readonly<Record<string, unknown>>, path: Path): string[] {
    const tagsPath = [...path, 'tags'];
    return this.textList(ownField(item, 'tags'), tagsPath, 'tag').map((tag, index) => {
      if (tag.length <= TAG_MAX) return tag;
      this.note([...tagsPath, index], `tag ${quote(tag)}`, `longer than ${TAG_MAX} characters: cut`);
      return clip(tag, TAG_MAX);
    });
  }

  /** A text cut to `max` characters, reporting the cut. */
  fit(text: string, max: number, path: Path, what: string): string {
    if (text.length <= max) return text;
    this.note(path, `${what} ${quote(text)} (${text.length} characters)`, `longer than Parapet allows (${max}): cut`);
    return clip(text, max);
  }

  /** Reports the keys of an item that this importer does not read. */
  noteUnknownKeys(item: Readonly<Record<string, unknown>>, path: Path, known: ReadonlySet<string>, what: string): void {
    const keys = unknownKeys(item, known);
    if (keys !== undefined)
      this.note(path, `${what} fields ${keys}`, 'not part of the Threat Composer format: ignored');
  }
}
