import { getIndexOf, type ModelIndex } from './ModelIndex.js';

/**
 * A read-only map from the ids of one model section to values held by position. It answers like a `Map`
 * without hashing every id a second time: lookups go through the model's index, built once.
 */
/** A read-only map by id whose values can also be read by the item's position in its model section. */
export interface PositionalMap<T> extends ReadonlyMap<string, T> {
  /** The value of the item at `position` in its section, without looking its id up. */
  at(position: number): T | undefined;
}

export class SectionMap<T> implements PositionalMap<T> {
  readonly #items: readonly { readonly id: string }[];
  readonly #values: readonly (T | undefined)[];
  readonly #size: number;
  readonly #index: ModelIndex;
  readonly #section: string;

  /** `values[i]` belongs to `items[i]`; an undefined value means the item has no entry. */
  constructor(
    index: ModelIndex,
    section: string,
    items: readonly { readonly id: string }[],
    values: readonly (T | undefined)[],
  ) {
    this.#index = index;
    this.#section = section;
    this.#items = items;
    this.#values = values;
    let size = 0;
    for (const value of values) if (value !== undefined) size++;
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  get(id: string): T | undefined {
    const i = getIndexOf(this.#index, id, this.#section);
    return i === undefined ? undefined : this.#values[i];
  }

  at(position: number): T | undefined {
    return this.#values[position];
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  forEach(callback: (value: T, key: string, map: ReadonlyMap<string, T>) => void): void {
    for (const [key, value] of this) callback(value, key, this);
  }

  *entries(): MapIterator<[string, T]> {
    for (let i = 0; i < this.#values.length; i++) {
      const item = this.#items[i];
      const value = this.#values[i];
      if (item && value !== undefined) yield [item.id, value];
    }
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<T> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }
}
