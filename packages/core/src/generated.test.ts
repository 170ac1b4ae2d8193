import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTROLS } from './catalog/controls.js';
import { TECHNOLOGIES } from './catalog/technologies.js';
import { describeModelFields, renderFieldReference } from './describeFields.js';
import { DIAGNOSTIC_CODES } from './diagnostics/Diagnostic.js';
import { formatModelText } from './format/formatModel.js';
import { getModelJsonSchema } from './jsonSchema.js';
import { loadModel } from './load/loadModel.js';
import { getBuiltinRuleEntries } from './rules/builtinRules.js';
import { compileRules } from './rules/compileRules.js';
import { renderFactsReference, renderRuleList } from './rules/describeRules.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('files generated from the schema', () => {
  it('schema/threatmodel.schema.json is up to date (run npm run generate)', () => {
    expect(read('schema/threatmodel.schema.json')).toBe(`${JSON.stringify(getModelJsonSchema(), null, 2)}\n`);
  });

  it('the field reference in docs/model-format.md is up to date (run npm run generate)', () => {
    const doc = read('docs/model-format.md');
    const start = doc.indexOf('-->', doc.indexOf('<!-- fields:start')) + 3;
    const end = doc.indexOf('<!-- fields:end -->');
    expect(doc.slice(start, end).trim()).toBe(renderFieldReference());
  });

  it('the facts reference and the rule list in docs/rules.md are up to date (run npm run generate)', () => {
    const doc = read('docs/rules.md');
    const between = (name: string): string =>
      doc.slice(doc.indexOf('-->', doc.indexOf(`<!-- ${name}:start`)) + 3, doc.indexOf(`<!-- ${name}:end -->`)).trim();
    expect(between('facts')).toBe(renderFactsReference());
    expect(between('rules')).toBe(renderRuleList(compileRules(getBuiltinRuleEntries()).rules));
  });

  it('docs/rule-coverage.md names only rules that exist', () => {
    const ids = new Set(getBuiltinRuleEntries().map((e) => e.rule.id));
    const named = [...read('docs/rule-coverage.md').matchAll(/`([a-z]+\.[a-z0-9.-]+)`/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThan(80);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('the field reference covers every section and nested field', () => {
    const paths = describeModelFields().map((f) => f.path);
    expect(paths).toContain('flows[].from');
    expect(paths).toContain('elements[].security.authentication');
    expect(paths).toContain('attackTrees[].root.children');
    expect(paths).toContain('views[].layout.<id>.x');
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('describes every field, for editors and the reference', () => {
    expect(
      describeModelFields()
        .filter((f) => f.description === '')
        .map((f) => f.path),
    ).toEqual([]);
  });

  it('docs/model-format.md lists every technology type and every control', () => {
    const doc = read('docs/model-format.md');
    const missing = [...Object.keys(TECHNOLOGIES), ...Object.keys(CONTROLS)].filter((id) => !doc.includes(`\`${id}\``));
    expect(missing).toEqual([]);
  });

  it('docs/model-format.md documents every diagnostic code', () => {
    const doc = read('docs/model-format.md');
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(doc).toContain(`\`${code}\``);
  });

  it('the JSON Schema accepts every example and rejects the mistakes editors should flag', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(getModelJsonSchema());
    const examples = readdirSync(join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' }).filter((p) =>
      p.endsWith('threatmodel.yaml'),
    );
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) {
      const valid = validate(parse(read(`examples/${example}`)));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
    const bad = {
      parapet: 1,
      model: { id: 'm', title: 'M' },
      elements: [{ id: 'a', name: 'A', kind: 'proces', controls: ['wfa'], naem: 'x' }],
    };
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''}`).sort()).toEqual([
      '/elements/0 must NOT have additional properties',
      '/elements/0/controls/0 must be equal to one of the allowed values',
      '/elements/0/controls/0 must match a schema in anyOf',
      '/elements/0/controls/0 must match pattern "^x-[a-z0-9][a-z0-9-]*$"',
      '/elements/0/kind must be equal to one of the allowed values',
    ]);
  });

  it('docs/reference-model.yaml sets every field, validates cleanly and is canonical', () => {
    const text = read('docs/reference-model.yaml');
    const result = loadModel('docs/reference-model.yaml', { readFile: () => text, resolvePath: (_, r) => r });
    expect(result.diagnostics).toEqual([]);
    const formatted = formatModelText(text, 'docs/reference-model.yaml');
    expect(formatted.ok && formatted.changed).toBe(false);

    const used = new Set<string>();
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) {
        for (const item of value) walk(item, `${path}[]`);
      } else if (value !== null && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          const field = path.endsWith('.layout') ? `${path}.<id>` : path === '' ? key : `${path}.${key}`;
          used.add(field.replace(/root(\.children\[\])+/g, 'root'));
          walk(item, field);
        }
      }
    };
    walk(parse(text), '');
    expect(
      describeModelFields()
        .filter((f) => !used.has(f.path))
        .map((f) => f.path),
    ).toEqual([]);
  });
});
