import type { XmlNode } from './readXml.js';
import { asNode, attribute, child, childNode, childText, children, isNil, textOf } from './xmlNodes.js';

/** One display attribute of a stencil or line: what the tool's property grid shows. */
export interface DisplayAttribute {
  /** The label shown, e.g. `Sanitizes Input`. */
  readonly displayName: string;
  /** The attribute's kind without namespace, e.g. `ListDisplayAttribute`. */
  readonly kind: string;
  /** The chosen option of a list, or the text or boolean written; undefined when nothing is. */
  readonly value?: string;
  /** Set when the attribute holds something that cannot be read as a value (an index out of range). */
  readonly problem?: string;
  /** XPath of the attribute in the source. */
  readonly at: string;
  readonly line?: number;
}

/** Values that state nothing: the tool's placeholder for "no choice made". */
const NOT_STATED = new Set(['', 'Not Selected']);

/** Attribute kinds that carry no value (section headers of the property grid). */
const HEADER_KIND = 'HeaderDisplayAttribute';

/**
 * The display attributes of an item, to be taken one by one by the mapping; whatever is left with a value
 * goes to `unmapped`. Lookups are by the label, ignoring case.
 */
export class AttributeSet {
  readonly #byName = new Map<string, DisplayAttribute>();
  readonly #taken = new Set<DisplayAttribute>();
  readonly #all: readonly DisplayAttribute[];

  constructor(attributes: readonly DisplayAttribute[]) {
    this.#all = attributes;
    for (const item of attributes) {
      const key = item.displayName.toLowerCase();
      if (!this.#byName.has(key)) this.#byName.set(key, item);
    }
  }

  /** The attribute with that label, marked as mapped. */
  take(displayName: string): DisplayAttribute | undefined {
    const item = this.#byName.get(displayName.toLowerCase());
    if (item !== undefined) this.#taken.add(item);
    return item;
  }

  /** The stated value of the attribute with that label (a placeholder such as "Not Selected" is no value). */
  value(displayName: string): string | undefined {
    const value = this.#byName.get(displayName.toLowerCase())?.value;
    return value === undefined || NOT_STATED.has(value) ? undefined : value;
  }

  /**
   * The stated value of the attribute turned into a field by `map`; the attribute counts as mapped only when
   * `map` gives something, so that a value it cannot read ends up in `unmapped`.
   */
  use<T>(displayName: string, map: (value: string) => T | undefined): T | undefined {
    const value = this.value(displayName);
    const result = value === undefined ? undefined : map(value);
    if (result !== undefined) this.take(displayName);
    return result;
  }

  /** Attributes not taken that state something, or that could not be read. */
  rest(): DisplayAttribute[] {
    return this.#all.filter(
      (item) =>
        !this.#taken.has(item) &&
        item.kind !== HEADER_KIND &&
        (item.problem !== undefined || (item.value !== undefined && !NOT_STATED.has(item.value))),
    );
  }
}

/** How a located node is turned into a line number. */
export type LineOf = (node: unknown) => number | undefined;

/** Reads the `Properties` of a stencil, line or drawing surface into display attributes. */
export function readAttributes(item: XmlNode | undefined, at: string, lineOf: LineOf): AttributeSet {
  const properties = childNode(item, 'Properties');
  const list = children(properties, 'anyType').map((value, index) =>
    readAttribute(value, `${at}/Properties/anyType[${index + 1}]`, lineOf(value) ?? lineOf(item)),
  );
  return new AttributeSet(list.filter((entry): entry is DisplayAttribute => entry !== undefined));
}

/** One `anyType` entry: a list attribute's selected option, or a string or boolean attribute's value. */
function readAttribute(value: unknown, at: string, line: number | undefined): DisplayAttribute | undefined {
  const node = asNode(value);
  const displayName = childText(node, 'DisplayName');
  if (displayName === undefined) return undefined;
  const kind = (attribute(node, 'type') ?? '').replace(/^.*:/, '');
  const base = { displayName, kind, at, ...(line === undefined ? {} : { line }) };
  const raw = child(node, 'Value');
  if (raw === undefined || isNil(raw)) return base;
  const options = children(asNode(raw), 'string');
  if (options.length === 0 || !kind.includes('List')) {
    const text = textOf(raw)?.trim();
    return text === undefined ? base : { ...base, value: text };
  }
  const indexText = childText(node, 'SelectedIndex') ?? '0';
  const index = /^\d{1,9}$/.test(indexText) ? Number(indexText) : -1;
  const chosen = index >= 0 ? textOf(options[index])?.trim() : undefined;
  if (chosen === undefined) return { ...base, problem: `selected index ${indexText} names none of its options` };
  return { ...base, value: chosen };
}

/** A Yes/No (or true/false) answer as a boolean; undefined for anything else ("Not Applicable"). */
export function yesNo(value: string | undefined): boolean | undefined {
  const lower = value?.toLowerCase();
  if (lower === 'yes' || lower === 'true') return true;
  if (lower === 'no' || lower === 'false') return false;
  return undefined;
}
