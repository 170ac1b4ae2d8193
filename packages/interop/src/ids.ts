import { ID_PATTERN } from '@parapet/core';

/**
 * Makes Parapet ids (letters, digits, `.`, `_`, `-`; at most 100) from other tools' names and ids, unique
 * within one model: `Web Application` becomes `web-application`, a second one `web-application-2`.
 */
export class IdAllocator {
  readonly #taken = new Set<string>();
  /** Per base, the next suffix to try: many items with one name cost one step each, not a count from 2. */
  readonly #next = new Map<string, number>();

  /** Marks an id as used (for ids kept as they are). */
  reserve(id: string): void {
    this.#taken.add(id);
  }

  has(id: string): boolean {
    return this.#taken.has(id);
  }

  /**
   * A new id made from the text (its letters and digits, lower-cased, joined by `-`), or from the fallback
   * when the text has none; suffixed `-2`, `-3`... when already taken.
   */
  allocate(text: string | undefined, fallback: string): string {
    const base = slug(text ?? '') || slug(fallback) || 'item';
    let id = base;
    let n = this.#next.get(base) ?? 2;
    while (this.#taken.has(id)) {
      const suffix = `-${n++}`;
      id = `${base.slice(0, 100 - suffix.length)}${suffix}`;
    }
    this.#next.set(base, n);
    this.#taken.add(id);
    return id;
  }

  /** Keeps the id as it is when it is a valid, unused Parapet id; otherwise allocates one from it. */
  keepOrAllocate(id: string | undefined, fallback: string): string {
    if (id !== undefined && ID_PATTERN.test(id) && !this.#taken.has(id)) {
      this.#taken.add(id);
      return id;
    }
    return this.allocate(id, fallback);
  }
}

/** Lower-cased letters and digits of a text, runs of anything else turned into one `-`, at most 100 long. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
}
