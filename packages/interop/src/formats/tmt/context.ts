import type { ThreatModelInput } from '@parapet/core';
import type { Unmapped } from '../../ImportResult.js';
import { IdAllocator } from '../../ids.js';
import type { LineOf } from './attributes.js';
import type { KnowledgeBase } from './knowledgeBase.js';

export type Element = NonNullable<ThreatModelInput['elements']>[number];
export type Flow = NonNullable<ThreatModelInput['flows']>[number];
export type Boundary = NonNullable<ThreatModelInput['boundaries']>[number];
export type Threat = NonNullable<ThreatModelInput['threats']>[number];
export type Decision = NonNullable<ThreatModelInput['decisions']>[number];
export type View = NonNullable<ThreatModelInput['views']>[number];
export type Origin = NonNullable<Element['origin']>;

/** The format name imported items carry in `origin.format`. */
export const FORMAT = 'ms-tmt';

/** Longest text Parapet keeps in a name, description, technology, owner and origin reference. */
export const LIMITS = { name: 500, text: 100_000, technology: 200, owner: 200, ref: 1_000, assumption: 10_000 };

/** State shared by the parts of one import: ids, what could not be mapped, and where things are. */
export class ImportContext {
  readonly ids = new IdAllocator();
  readonly unmapped: Unmapped[] = [];

  constructor(
    readonly file: string,
    readonly lineOf: LineOf,
    readonly knowledgeBase: KnowledgeBase,
  ) {}

  /** Records something the model does not hold, or holds only approximately. */
  note(at: string, line: number | undefined, what: string, reason: string): void {
    this.unmapped.push({ at, file: this.file, ...(line === undefined ? {} : { line }), what, reason });
  }

  /** Where an imported item came from: this file, its line, its id in the source. */
  origin(ref: string | undefined, line: number | undefined): Origin {
    return {
      format: FORMAT,
      ...(this.file === '' || this.file.length > LIMITS.ref ? {} : { file: this.file }),
      ...(line === undefined ? {} : { line }),
      ...(ref === undefined || ref === '' ? {} : { ref: ref.slice(0, LIMITS.ref) }),
    };
  }

  /** The text cut to `max` characters; a cut is recorded, since the rest is lost. */
  clamp(text: string, max: number, at: string, line: number | undefined, what: string): string {
    if (text.length <= max) return text;
    this.note(at, line, `${what} (${text.length} characters)`, `longer than Parapet's ${max} characters: cut`);
    return text.slice(0, max);
  }
}

/** A text shortened for messages (`what` of an unmapped entry), so that a huge value does not flood them. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
