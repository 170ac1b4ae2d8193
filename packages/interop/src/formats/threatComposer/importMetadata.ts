import type { ImportContext, Path } from './ImportContext.js';
import { describeValue, isRecord, ownField, quote } from './sourceValues.js';
import { CATEGORY_OF_LETTER, PARAPET_ID_KEY, PARAPET_TITLE_KEY } from './threatComposerFormat.js';

/** The metadata entries of a threat, mitigation or assumption this importer uses. */
export interface MetadataValues {
  /** `Comments` values, in order. */
  readonly comments: string[];
  /** Valid STRIDE letters, in order, without repeats. */
  readonly stride: string[];
  readonly stridePath?: Path;
  readonly priority?: { readonly value: string; readonly path: Path };
  /** The Parapet id an earlier export wrote (`custom:parapetId`). */
  readonly parapetId?: string;
  /** The Parapet threat title an earlier export wrote (`custom:parapetTitle`). */
  readonly parapetTitle?: string;
}

export type EntityKind = 'threat' | 'mitigation' | 'assumption';

/** Metadata keys naming where a threat or mitigation came from in a Threat Composer pack. */
const PACK_KEYS = new Set([
  'source',
  'threatPackId',
  'threatPackThreatId',
  'threatPackMitigationCandidateId',
  'mitigationPackId',
  'mitigationPackMitigationId',
]);

interface MutableMetadata {
  comments: string[];
  stride: string[];
  stridePath?: Path;
  priority?: { value: string; path: Path };
  parapetId?: string;
  parapetTitle?: string;
}

/**
 * Reads an item's `metadata` list (key/value pairs): Comments, STRIDE and Priority (threats), and the
 * Parapet id and title of an earlier export. Pack references, other custom keys and anything malformed are
 * reported, never thrown.
 */
export function readMetadata(
  context: ImportContext,
  item: Readonly<Record<string, unknown>>,
  path: Path,
  kind: EntityKind,
): MetadataValues {
  const values: MutableMetadata = { comments: [], stride: [] };
  const listPath = [...path, 'metadata'];
  context.list(ownField(item, 'metadata'), listPath, 'metadata').forEach((entry, index) => {
    const entryPath = [...listPath, index];
    if (!isRecord(entry)) {
      context.note(entryPath, `metadata entry that is ${describeValue(entry)}`, 'not a key and value: ignored');
      return;
    }
    const key = ownField(entry, 'key');
    if (typeof key !== 'string') {
      context.note(entryPath, `metadata entry whose key is ${describeValue(key)}`, 'no text key: ignored');
      return;
    }
    readEntry(context, values, key, ownField(entry, 'value'), entryPath, kind);
  });
  return values;
}

/** Reads one metadata entry into `values`, or reports it. */
function readEntry(
  context: ImportContext,
  values: MutableMetadata,
  key: string,
  value: unknown,
  path: Path,
  kind: EntityKind,
): void {
  const valuePath = [...path, 'value'];
  if (key === 'Comments') {
    const text = context.text(value, valuePath, 'Comments');
    if (text !== undefined) values.comments.push(text);
  } else if (key === 'STRIDE' && kind === 'threat') {
    values.stridePath = valuePath;
    readStride(context, values, value, valuePath);
  } else if (key === 'Priority' && kind === 'threat') {
    const text = context.text(value, valuePath, 'Priority');
    if (text !== undefined) values.priority = { value: text, path: valuePath };
  } else if (key === PARAPET_ID_KEY) {
    const text = context.text(value, valuePath, PARAPET_ID_KEY);
    if (text !== undefined) values.parapetId = text;
  } else if (key === PARAPET_TITLE_KEY && kind === 'threat') {
    const text = context.text(value, valuePath, PARAPET_TITLE_KEY);
    if (text !== undefined) values.parapetTitle = text;
  } else if (PACK_KEYS.has(key)) {
    context.note(
      path,
      `${key} ${describeEntryValue(value)}`,
      `the ${kind}'s place in a Threat Composer pack: Parapet has no field for it`,
    );
  } else if (key.startsWith('custom:')) {
    context.note(
      path,
      `custom metadata ${quote(key)} = ${describeEntryValue(value)}`,
      `Parapet ${kind}s have no custom fields`,
    );
  } else {
    context.note(
      path,
      `metadata ${quote(key)} = ${describeEntryValue(value)}`,
      `not a metadata key Threat Composer defines for a ${kind}: ignored`,
    );
  }
}

/** Adds the valid STRIDE letters of a `STRIDE` value (a list; a single letter is accepted too). */
function readStride(context: ImportContext, values: MutableMetadata, value: unknown, path: Path): void {
  const letters = typeof value === 'string' ? [value] : context.list(value, path, 'STRIDE');
  letters.forEach((letter, index) => {
    if (typeof letter === 'string' && CATEGORY_OF_LETTER.has(letter.trim().toUpperCase())) {
      const upper = letter.trim().toUpperCase();
      if (!values.stride.includes(upper)) values.stride.push(upper);
    } else {
      const what =
        typeof letter === 'string'
          ? `STRIDE letter ${quote(letter)}`
          : `STRIDE letter that is ${describeValue(letter)}`;
      context.note(typeof value === 'string' ? path : [...path, index], what, 'not one of S, T, R, I, D, E: ignored');
    }
  });
}

/** A metadata value for a message: quoted text, or texts joined. */
function describeEntryValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return quote(value.join(', '));
  return describeValue(value);
}
