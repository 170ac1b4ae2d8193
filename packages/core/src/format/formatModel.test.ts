import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatModelText, writeModelText } from './formatModel.js';

function fmt(text: string, name = 'threatmodel.yaml'): string {
  const result = formatModelText(text, name);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.text;
}

describe('formatModelText', () => {
  it('orders keys as the format defines them, keeps comments, normalises layout', () => {
    const input = `# Shop threat model
elements:
  # the front door
  - name: "Web shop"   # shown on diagrams
    kind: process
    controls:
      - waf
      - rate-limiting
    id: web
    description: |
      Serves the shop.
      Two lines.
model: {title: 'Shop', id: shop}
parapet: 1
flows: [{to: web, from: user, id: f1}]
`;
    expect(fmt(input)).toMatchInlineSnapshot(`
      "# Shop threat model

      parapet: 1

      model:
        id: shop
        title: Shop

      elements:
        # the front door
        - id: web
          name: Web shop # shown on diagrams
          description: |
            Serves the shop.
            Two lines.
          kind: process
          controls: [waf, rate-limiting]

      flows:
        - id: f1
          from: user
          to: web
      "
    `);
  });

  it('is idempotent and does not change a canonical file', () => {
    const once = fmt('model: {id: m, title: M}\nparapet: 1\nassets: [{name: A, id: a}]\n');
    const result = formatModelText(once, 'threatmodel.yaml');
    expect(result.ok && result.text).toBe(once);
    expect(result.ok && result.changed).toBe(false);
  });

  it('keeps quotes where a plain scalar would change meaning', () => {
    const out = fmt(
      `parapet: 1\nmodel: {id: m, title: "true"}\nelements: [{id: "1", name: 'a: b', kind: process, technology: "null"}]\n`,
    );
    expect(parse(out)).toEqual({
      parapet: 1,
      model: { id: 'm', title: 'true' },
      elements: [{ id: '1', name: 'a: b', kind: 'process', technology: 'null' }],
    });
  });

  it('writes empty lists and mappings inline', () => {
    expect(fmt('parapet: 1\ninclude:\n  []\nmodel: {id: m, title: M, scope: {}}\n')).toBe(
      'parapet: 1\n\nmodel:\n  id: m\n  title: M\n  scope: {}\n\ninclude: []\n',
    );
  });

  it('writes JSON models as canonical JSON', () => {
    expect(fmt('{"model": {"title": "M", "id": "m"}, "parapet": 1}', 'm.json')).toMatchInlineSnapshot(`
      "{
        "parapet": 1,
        "model": {
          "id": "m",
          "title": "M"
        }
      }
      "
    `);
  });

  it('refuses what it cannot parse, with the position', () => {
    const result = formatModelText('parapet: 1\nmodel: [\n', 'm.yaml');
    expect(result.ok).toBe(false);
  });

  it('keeps the data and reaches a fixed point on any model-shaped input', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom('yes', 'null', '~', '- x', 'a: b', '#c', "it's", '"q"', '0x1F', '1e3', ' lead', 'multi\nline\n'),
      fc.string({ minLength: 70, maxLength: 300 }),
      fc
        .array(
          fc.constantFrom(
            'word',
            'a: b',
            '#',
            "it's",
            ' ',
            '',
            'x-y',
            '"q"',
            '\n',
            '\n\n',
            '- z',
            'longerwordthatgoeson',
          ),
          {
            minLength: 10,
            maxLength: 60,
          },
        )
        .map((words) => words.join(' ')),
    );
    const item = fc.dictionary(
      fc.constantFrom('id', 'name', 'kind', 'tags', 'zeta', 'description', 'controls'),
      fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
      { maxKeys: 5 },
    );
    const model = fc.record({
      parapet: fc.constant(1),
      model: fc.record({ id: fc.constant('m'), title: scalar }),
      elements: fc.array(item, { maxLength: 3 }),
      flows: fc.array(item, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(model, fc.boolean(), (m, flowStyle) => {
        const text = stringify(m, { collectionStyle: flowStyle ? 'flow' : 'block' });
        const once = fmt(text);
        expect(parse(once)).toEqual(parse(text));
        expect(fmt(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('writeModelText', () => {
  it('writes a model object as formatModelText would format it, in YAML and JSON', () => {
    const files = [
      'examples/online-shop/threatmodel.yaml',
      'examples/mobile-banking/threatmodel.yaml',
      'docs/reference-model.yaml',
    ];
    for (const file of files) {
      const model: unknown = parse(readFileSync(new URL(`../../../../${file}`, import.meta.url), 'utf8'));
      // Without comments (an object has none), both ways must give the same text.
      expect(writeModelText(model, 'threatmodel.yaml')).toBe(fmt(stringify(model)));
      expect(writeModelText(model, 'threatmodel.json')).toBe(fmt(JSON.stringify(model), 'threatmodel.json'));
    }
  });

  it('gives formatModelText a text it leaves as it is, on any model-shaped object', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom('yes', '~', 'a: b', 'multi\nline\n'),
      fc.string({ minLength: 100, maxLength: 200 }),
    );
    const item = fc.dictionary(
      fc.constantFrom('id', 'name', 'kind', 'tags', 'zeta', 'description'),
      fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
      { maxKeys: 5 },
    );
    const model = fc.record({
      parapet: fc.constant(1),
      model: fc.record({ id: fc.constant('m'), title: scalar }),
      elements: fc.array(item, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(model, (m) => {
        const text = writeModelText(m, 'threatmodel.yaml');
        expect(parse(text)).toEqual(m);
        expect(fmt(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
