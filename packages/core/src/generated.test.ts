import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeModelFields, renderFieldReference } from './describeFields.js';
import { DIAGNOSTIC_CODES } from './diagnostics/Diagnostic.js';
import { getModelJsonSchema } from './jsonSchema.js';

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

  it('docs/model-format.md documents every diagnostic code', () => {
    const doc = read('docs/model-format.md');
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(doc).toContain(`\`${code}\``);
  });
});
