import { getModelJsonSchema } from './jsonSchema.js';

/** One field of the model format, as the reference documentation and the properties panel list it. */
export interface FieldDescription {
  /** e.g. `elements[].security.authentication` */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

type JsonSchema = Record<string, unknown>;

/**
 * Every field of the model format, in canonical order, derived from the JSON Schema (so from the zod
 * schema). Recursive structures (attack tree nodes) are listed once.
 *
 * @example
 * describeModelFields().find((f) => f.path === 'flows[].from')?.required // true
 */
export function describeModelFields(): FieldDescription[] {
  const root = getModelJsonSchema();
  const defs = (root['$defs'] ?? {}) as Record<string, JsonSchema>;
  const out: FieldDescription[] = [];
  const visitedRefs = new Set<string>();
  const resolve = (schema: JsonSchema): JsonSchema => {
    const ref = schema['$ref'];
    if (typeof ref === 'string') return defs[ref.replace('#/$defs/', '')] ?? {};
    return schema;
  };
  const walk = (schema: JsonSchema, prefix: string): void => {
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      if (visitedRefs.has(ref)) return;
      visitedRefs.add(ref);
    }
    const resolved = resolve(schema);
    const properties = (resolved['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((resolved['required'] ?? []) as string[]);
    for (const [key, property] of Object.entries(properties)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const target = resolve(property);
      const items = target['items'] as JsonSchema | undefined;
      const isList = target['type'] === 'array';
      out.push({
        path,
        type: describeType(target, defs),
        required: required.has(key),
        description: text(property['description']) || text(target['description']),
      });
      if (isList && items) {
        const item = resolve(items);
        if (item['type'] === 'object' || item['properties']) walk(items, `${path}[]`);
      } else if (target['type'] === 'object' && target['properties']) {
        walk(property, path);
      } else if (
        target['type'] === 'object' &&
        target['additionalProperties'] &&
        typeof target['additionalProperties'] === 'object'
      ) {
        walk(target['additionalProperties'] as JsonSchema, `${path}.<id>`);
      }
    }
  };
  walk(root, '');
  return out;
}

function describeType(schema: JsonSchema, defs: Record<string, JsonSchema>): string {
  if (typeof schema['$ref'] === 'string')
    return describeType(defs[String(schema['$ref']).replace('#/$defs/', '')] ?? {}, defs);
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as unknown[];
    return values.length > 10 ? `one of ${values.length} values` : values.map((v) => JSON.stringify(v)).join(' \\| ');
  }
  if (schema['const'] !== undefined) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['anyOf'])) {
    return (schema['anyOf'] as JsonSchema[])
      .map((s) =>
        s['enum'] ? 'catalog id' : s['pattern'] ? `pattern \`${text(s['pattern'])}\`` : describeType(s, defs),
      )
      .join(' or ');
  }
  const type = schema['type'];
  if (type === 'array') {
    const items = (schema['items'] ?? {}) as JsonSchema;
    return `list of ${describeType(items, defs)}`;
  }
  if (type === 'object') return schema['properties'] ? 'mapping' : 'mapping of id to value';
  if (type === 'integer') return rangeOf('integer', schema);
  if (type === 'number') return rangeOf('number', schema);
  if (type === 'string') return schema['pattern'] ? `string (\`${text(schema['pattern'])}\`)` : 'string';
  return text(type) || 'any';
}

function rangeOf(name: string, schema: JsonSchema): string {
  const min = text(schema['minimum'] ?? schema['exclusiveMinimum']);
  const max = text(schema['maximum'] ?? schema['exclusiveMaximum']);
  if (min && max) return `${name} ${min}..${max}`;
  if (min) return `${name} ≥ ${min}`;
  return name;
}

/** The field reference as a Markdown table, as committed in docs/model-format.md. */
export function renderFieldReference(): string {
  const rows = describeModelFields().map(
    (f) =>
      `| \`${f.path}\` | ${f.type.replace(/\|/g, '\\|').replace(/\\\\\|/g, '\\|')} | ${f.required ? 'yes' : ''} | ${f.description.replace(/\|/g, '\\|')} |`,
  );
  return ['| Field | Type | Required | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
