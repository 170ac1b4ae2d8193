import type { SectionName, ThreatModelInput } from '@parapet/core';
import { IdAllocator, slug } from '../../ids.js';
import { ATTRIBUTE_PREFIX, decodeAttributes, type AttributeKind } from './otmAttributes.js';
import { asFields, describeValue, get, readId, type Fields, type OtmReader, type Path } from './otmReader.js';

export const OTM_FORMAT = 'otm';
export const NAME_MAX = 500;
export const TEXT_MAX = 100_000;
export const TAG_MAX = 100;
const ORIGIN_MAX = 1000;

export type Section<K extends SectionName> = NonNullable<ThreatModelInput[K]> extends readonly (infer T)[] ? T : never;
export type Origin = NonNullable<Section<'elements'>['origin']>;

/** An item of an OTM section that has an id: its fields, where it is, its id and its name. */
export interface OtmItem {
  readonly fields: Fields;
  readonly path: Path;
  readonly ref: string;
  /** The name; empty only for an unnamed item whose name is optional. */
  readonly name: string;
  /** True when an earlier item of the section has the same id (references resolve to the first). */
  readonly duplicate: boolean;
}

/** Ids made by other tools that say nothing to a reader: UUIDs, long hex strings, plain numbers. */
const OPAQUE_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f-]{16,}|\d+)$/i;

/** What the importer shares between sections: the reader (and its unmapped list), the ids, the file. */
export class OtmContext {
  readonly ids = new IdAllocator();

  constructor(readonly reader: OtmReader) {}

  get file(): string {
    return this.reader.source.file;
  }

  /** Where an item came from: the format, the file and its OTM id (each left out when over Parapet's limit). */
  origin(ref: string): Origin {
    return {
      format: OTM_FORMAT,
      ...(this.file.length <= ORIGIN_MAX && this.file !== '' ? { file: this.file } : {}),
      ...(ref.length <= ORIGIN_MAX ? { ref } : {}),
    };
  }

  /** The text a new id is made from: the OTM id when it is readable, else the name. */
  private idText(item: OtmItem): string {
    return OPAQUE_ID.test(item.ref) ? item.name : item.ref;
  }

  /**
   * A Parapet id for an OTM item: its OTM id when that is a valid, readable, unused Parapet id, else a slug of
   * the OTM id (when readable) or of the name (for UUIDs and other opaque ids).
   */
  idFor(item: OtmItem, fallback: string): string {
    if (!OPAQUE_ID.test(item.ref)) return this.ids.keepOrAllocate(item.ref, fallback);
    return this.ids.allocate(item.name, fallback);
  }

  /** A new id made of a base and a suffix: `threat-1-web-service`. */
  suffixedId(item: OtmItem, suffix: string, fallback: string): string {
    return this.ids.allocate(`${slug(this.idText(item)) || fallback}-${suffix}`, fallback);
  }

  /**
   * Reads the items of a section: mappings with an id. Other items are noted and skipped; a repeated id is
   * noted (the item is still read, but references go to the first). A missing name is the id, or empty when
   * `nameOptional` (for dataflows, whose Parapet flows need no name).
   */
  items(list: readonly unknown[], section: string, what: string, nameOptional = false): OtmItem[] {
    const seen = new Set<string>();
    const items: OtmItem[] = [];
    list.forEach((value, index) => {
      const path: Path = [section, index];
      const fields = asFields(value);
      if (fields === undefined) {
        this.reader.note(path, `${what} ${describeValue(value)}`, `expected a mapping; left out`);
        return;
      }
      const ref = readId(get(fields, 'id'));
      if (ref === undefined) {
        const name = describeValue(get(fields, 'name') ?? '(no name)');
        this.reader.note(path, `${what} ${name} without an id`, 'nothing can refer to it; left out');
        return;
      }
      let name = this.reader.text(fields, 'name', path, NAME_MAX);
      if (name === undefined && nameOptional) name = '';
      if (name === undefined) {
        this.reader.note([...path, 'name'], `${what} "${ref.slice(0, 80)}" without a name`, 'named after its id');
        name = ref.slice(0, NAME_MAX);
      }
      const duplicate = seen.has(ref);
      if (duplicate) {
        this.reader.note(
          [...path, 'id'],
          `${what} id ${describeValue(ref)} used again`,
          'imported as a separate item; references to the id go to the first one',
        );
      }
      seen.add(ref);
      items.push({ fields, path, ref, name, duplicate });
    });
    return items;
  }

  /**
   * The `parapet.` attributes of an item that Parapet carries (written by the OTM exporter), checked against
   * the schema; every other attribute, and every invalid one, is noted.
   */
  attributes(kind: AttributeKind, item: { fields: Fields; path: Path }, what: string): Record<string, unknown> {
    const attributes = this.reader.mapping(item.fields, 'attributes', item.path);
    if (attributes === undefined) return {};
    const decoded = decodeAttributes(kind, attributes);
    const at = [...item.path, 'attributes'];
    for (const rejected of decoded.rejected) {
      this.reader.note([...at, rejected.key], `${what} attribute ${rejected.key}`, `${rejected.reason}; left out`);
    }
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (key.startsWith(ATTRIBUTE_PREFIX) || value === null || value === undefined) continue;
      this.reader.note(
        [...at, key],
        `${what} attribute ${key}: ${describeValue(value)}`,
        'Parapet has no field for free-form attributes',
      );
    }
    return decoded.fields;
  }

  /** A description with an extra paragraph (a risk comment) appended, cut to Parapet's limit. */
  static appendText(description: string | undefined, paragraph: string): string {
    const text = description === undefined ? paragraph : `${description}\n\n${paragraph}`;
    return text.slice(0, TEXT_MAX);
  }
}
