import type { XmlNode } from './readXml.js';

/**
 * Safe readers over fast-xml-parser's object form, for untrusted documents: any field may be missing, a
 * string where an element was expected, or repeated where it should be single. None of them throws.
 */

/** The value as an element, or undefined when it is text, a list or nothing. */
export function asNode(value: unknown): XmlNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

/** The raw value of a child by local name (own properties only), single or repeated. */
function rawChild(node: XmlNode | undefined, name: string): unknown {
  return node !== undefined && Object.hasOwn(node, name) ? node[name] : undefined;
}

/** All children of that name, in document order (a single child becomes a list of one). */
export function children(node: XmlNode | undefined, name: string): unknown[] {
  const value = rawChild(node, name);
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

/** The first child of that name, as it is (text or element). */
export function child(node: XmlNode | undefined, name: string): unknown {
  return children(node, name)[0];
}

/** The first child of that name, when it is an element. */
export function childNode(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return asNode(child(node, name));
}

/** An attribute by local name (`i:type` is `type`). */
export function attribute(node: unknown, name: string): string | undefined {
  const element = asNode(node);
  const value = element === undefined ? undefined : rawChild(element, `@_${name}`);
  return typeof value === 'string' ? value : undefined;
}

/** True when the element is marked `i:nil="true"`. */
export function isNil(value: unknown): boolean {
  return attribute(value, 'nil') === 'true';
}

/**
 * The text of a value (a leaf's string, or an element's `#text`), with XML's predefined and numeric character
 * references decoded; undefined when it has none or is nil. Entity processing is off in the parser, so this
 * decodes only what XML itself defines.
 */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return decodeReferences(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const element = asNode(value);
  if (element === undefined || isNil(element)) return undefined;
  const text = rawChild(element, '#text');
  if (typeof text === 'string') return decodeReferences(text);
  if (typeof text === 'number' || typeof text === 'boolean') return String(text);
  return undefined;
}

/** The trimmed, non-empty text of the first child of that name. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const text = textOf(child(node, name))?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** A child's text as a finite number, or undefined. */
export function childNumber(node: XmlNode | undefined, name: string): number | undefined {
  const text = childText(node, name);
  if (text === undefined || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and `&#...;` references; anything else stays as written. */
export function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED[name] ?? whole;
    const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}
