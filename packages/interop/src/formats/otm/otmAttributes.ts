import { threatModelSchema } from '@parapet/core';

/**
 * Parapet properties that OTM has no field for travel in the OTM `attributes` map (free-form, string
 * values) under `parapet.`-prefixed keys: `parapet.protocol: https`, `parapet.security.inputValidation: "true"`,
 * `parapet.controls: '["waf"]'`. Text values are written as they are, anything else as JSON. The importer
 * reads them back only when the value passes the Parapet schema of that field; other keys stay unmapped.
 */

export const ATTRIBUTE_PREFIX = 'parapet.';

/** The attribute (value `true`) that marks the trust zone the exporter writes for elements outside every boundary. */
export const OUTSIDE_ATTRIBUTE = `${ATTRIBUTE_PREFIX}outside`;

/** A zod schema, as far as the codec uses it. */
interface Parser {
  safeParse(value: unknown): { readonly success: boolean; readonly data?: unknown };
}

/** One Parapet field carried in attributes: its path in the item and the schema its value must pass. */
export interface AttributeField {
  readonly path: readonly string[];
  readonly schema: Parser;
}

const shapes = threatModelSchema.shape;
const modelShape = shapes.model.shape;
const boundaryShape = shapes.boundaries.unwrap().element.shape;
const elementShape = shapes.elements.unwrap().element.shape;
const securityShape = elementShape.security.unwrap().shape;
const flowShape = shapes.flows.unwrap().element.shape;
const assetShape = shapes.assets.unwrap().element.shape;
const threatShape = shapes.threats.unwrap().element.shape;
const referencesShape = threatShape.references.unwrap().shape;
const mitigationShape = shapes.mitigations.unwrap().element.shape;
const viewShape = shapes.views.unwrap().element.shape;

/** Fields of an object schema by name, each at the top of the item. */
function top(shape: Readonly<Record<string, Parser>>, names: readonly string[]): AttributeField[] {
  return names.map((name) => ({ path: [name], schema: shape[name] as Parser }));
}

/** Every field of a nested object schema, under `parent`. */
function nested(parent: string, shape: Readonly<Record<string, Parser>>): AttributeField[] {
  return Object.keys(shape).map((name) => ({ path: [parent, name], schema: shape[name] as Parser }));
}

/** The fields each kind of item carries in attributes. */
export const ATTRIBUTE_FIELDS = {
  model: top(modelShape, ['version', 'updated', 'owners', 'scope', 'businessContext', 'riskAppetite', 'settings']),
  boundary: top(boundaryShape, ['tags']),
  element: [
    ...top(elementShape, ['kind', 'technology', 'exposure', 'owner', 'controls', 'outOfScope']),
    ...nested('security', securityShape),
  ],
  flow: top(flowShape, ['protocol', 'port', 'authentication', 'authorization', 'encryption', 'controls', 'outOfScope']),
  asset: top(assetShape, ['kind', 'classification', 'personal', 'quantity', 'value', 'regulations', 'owner', 'tags']),
  threat: [
    ...top(threatShape, ['statement']),
    ...nested('references', referencesShape).filter((f) => f.path[1] !== 'cwe'),
  ],
  mitigation: [
    ...top(mitigationShape, ['cost', 'owner', 'ticket', 'due', 'tags']),
    ...nested('references', referencesShape),
  ],
  view: top(viewShape, ['kind']),
} as const satisfies Record<string, readonly AttributeField[]>;

export type AttributeKind = keyof typeof ATTRIBUTE_FIELDS;

/** The value at a path of an item, or undefined. */
function getPath(item: unknown, path: readonly string[]): unknown {
  let value = item;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Sets a value at a path of a plain object, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let object = target;
  path.slice(0, -1).forEach((key) => {
    const next = object[key];
    if (typeof next === 'object' && next !== null) object = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      object[key] = created;
      object = created;
    }
  });
  const last = path[path.length - 1];
  if (last !== undefined) object[last] = value;
}

/** The attribute key of a field: `parapet.security.inputValidation`. */
function keyOf(field: AttributeField): string {
  return `${ATTRIBUTE_PREFIX}${field.path.join('.')}`;
}

/** Whether a value is the one the field's schema gives when the field is left out (asset `kind: data`...). */
function isDefault(field: AttributeField, value: unknown): boolean {
  const absent = field.schema.safeParse(undefined);
  return absent.success && absent.data !== undefined && JSON.stringify(absent.data) === JSON.stringify(value);
}

/**
 * The item's fields of this kind as attribute strings (text as it is, anything else as JSON), leaving out
 * values equal to the schema default and the fields named in `except`.
 */
export function encodeAttributes(
  kind: AttributeKind,
  item: unknown,
  except: readonly string[] = [],
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const field of ATTRIBUTE_FIELDS[kind]) {
    if (except.includes(field.path.join('.'))) continue;
    const value = getPath(item, field.path);
    if (value === undefined || isDefault(field, value)) continue;
    attributes[keyOf(field)] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return attributes;
}

/** An attribute that was not read back, and why. */
export interface RejectedAttribute {
  readonly key: string;
  readonly reason: string;
}

/** What `decodeAttributes` read: the fields to merge into the item, and the keys it could not use. */
export interface DecodedAttributes {
  readonly fields: Record<string, unknown>;
  readonly rejected: readonly RejectedAttribute[];
}

/** A text attribute value as the field's schema accepts it: the text itself, else the JSON it holds. */
function decodeValue(field: AttributeField, text: string): { ok: true; value: unknown } | { ok: false } {
  const asText = field.schema.safeParse(text);
  if (asText.success) return { ok: true, value: asText.data };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const asJson = field.schema.safeParse(parsed);
  return asJson.success ? { ok: true, value: asJson.data } : { ok: false };
}

/**
 * Reads the `parapet.` attributes of one item: each known key whose value passes the field's schema becomes
 * a field; unknown `parapet.` keys and invalid values are rejected with the reason. Other keys are ignored
 * here (the caller lists them as unmapped).
 */
export function decodeAttributes(
  kind: AttributeKind,
  attributes: Readonly<Record<string, unknown>>,
): DecodedAttributes {
  const fields: Record<string, unknown> = {};
  const rejected: RejectedAttribute[] = [];
  const known = new Map<string, AttributeField>(ATTRIBUTE_FIELDS[kind].map((field) => [keyOf(field), field]));
  for (const key of Object.keys(attributes)) {
    if (!key.startsWith(ATTRIBUTE_PREFIX)) continue;
    const field = known.get(key);
    const value = attributes[key];
    if (field === undefined) rejected.push({ key, reason: `Parapet carries no field "${key}" on this kind of item` });
    else if (typeof value !== 'string') rejected.push({ key, reason: 'the value is not text' });
    else {
      const decoded = decodeValue(field, value);
      if (decoded.ok) setPath(fields, field.path, decoded.value);
      else rejected.push({ key, reason: `the value is not a valid ${field.path.join('.')} for Parapet` });
    }
  }
  return { fields, rejected };
}
