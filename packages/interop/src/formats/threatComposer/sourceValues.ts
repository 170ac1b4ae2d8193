/** Reading values of an untrusted parsed file without trusting their types. */

/** Whether a value is a plain mapping (not null, not a list). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mapping's own value at a key (never one inherited, such as `constructor` or `__proto__`). */
export function ownField(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** What a value is, in words, for messages: "a number", "a list", "an object". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** A short quotation of a text for `Unmapped.what`: at most 80 characters. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}"`;
}

/** The keys of a mapping not in `known`, listed for a message (the first ten, then how many more). */
export function unknownKeys(record: Readonly<Record<string, unknown>>, known: ReadonlySet<string>): string | undefined {
  const unknown: string[] = [];
  let count = 0;
  for (const key of Object.keys(record)) {
    if (known.has(key)) continue;
    count++;
    if (unknown.length < 10) unknown.push(quote(key));
  }
  if (count === 0) return undefined;
  return count > unknown.length ? `${unknown.join(', ')} and ${count - unknown.length} more` : unknown.join(', ');
}
