import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './limits.js';
import { parseSource, type ParseResult } from './parseSource.js';

function problems(result: ParseResult): string[] {
  return result.ok ? [] : result.problems.map((p) => `${p.position.line}:${p.position.column} ${p.code} ${p.message}`);
}

describe('parseSource', () => {
  it('reads YAML and maps paths back to lines and columns', () => {
    const result = parseSource('m.yaml', 'parapet: 1\nflows:\n  - id: f1\n    to: paymnet-api\n', DEFAULT_LIMITS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.data).toEqual({ parapet: 1, flows: [{ id: 'f1', to: 'paymnet-api' }] });
    expect(result.file.locate(['flows', 0, 'to'])).toEqual({ line: 4, column: 9 });
    expect(result.file.locate(['flows', 0, 'to'], 'key')).toEqual({ line: 4, column: 5 });
    expect(result.file.locate(['flows', 0, 'missing'])).toEqual({ line: 3, column: 5 });
    expect(result.file.locate(['flows', 7, 'to'])).toEqual({ line: 3, column: 3 });
  });

  it('reads JSON and maps paths back to lines and columns', () => {
    const text = '{\n  "parapet": 1,\n  "flows": [\n    { "id": "f1", "to": "x" }\n  ]\n}\n';
    const result = parseSource('m.json', text, DEFAULT_LIMITS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.format).toBe('json');
    expect(result.file.locate(['flows', 0, 'to'])).toEqual({ line: 4, column: 25 });
    expect(result.file.locate(['flows', 0, 'to'], 'key')).toEqual({ line: 4, column: 19 });
    expect(result.file.locate(['flows', 0, 'nope'])).toEqual({ line: 4, column: 5 });
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problems(parseSource('m.yaml', 'parapet: 1\nmodel: [a, b\n', DEFAULT_LIMITS))).toMatchInlineSnapshot(`
      [
        "3:1 PARAPET_SYNTAX Flow sequence in block collection must be sufficiently indented and end with a ]",
      ]
    `);
  });

  it('says what usually leaves a quoted text unclosed: a further line indented too little', () => {
    const text = "parapet: 1\nmodel:\n  description: 'first line\n  second line'\n";
    expect(problems(parseSource('m.yaml', text, DEFAULT_LIMITS))[0]).toBe(
      "3:27 PARAPET_SYNTAX Missing closing 'quote: every further line of a quoted text must be indented more than its key; check the lines below, and the one with the closing quote",
    );
  });

  it('reports JSON syntax errors with their position', () => {
    expect(problems(parseSource('m.json', '{\n  "parapet": 1,\n  "model": }\n', DEFAULT_LIMITS)))
      .toMatchInlineSnapshot(`
      [
        "3:12 PARAPET_SYNTAX invalid JSON: value expected",
      ]
    `);
  });

  it('refuses duplicate keys in YAML and in JSON', () => {
    expect(problems(parseSource('m.yaml', 'parapet: 1\nmodel: {}\nparapet: 1\n', DEFAULT_LIMITS)))
      .toMatchInlineSnapshot(`
      [
        "3:1 PARAPET_DUPLICATE_KEY duplicate key: a mapping has this key twice",
      ]
    `);
    expect(problems(parseSource('m.json', '{"a": {"b": 1, "b": 2}}', DEFAULT_LIMITS))).toMatchInlineSnapshot(`
      [
        "1:16 PARAPET_DUPLICATE_KEY duplicate key "b": an object has this key twice",
      ]
    `);
  });

  it('finds a duplicate key anywhere: nested, in a list, in a flow mapping, among many keys', () => {
    const many = Array.from({ length: 30_000 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const cases: [string, string][] = [
      ['parapet: 1\nelements:\n  - id: a\n    name: A\n    id: b\n', '5:5'],
      ['parapet: 1\nmodel: { id: m, title: T, id: n }\n', '2:27'],
      [`parapet: 1\nx:\n${many}\n  k17: again\n`, '30003:3'],
      ['parapet: 1\n1: a\n"1": b\n', ''],
    ];
    for (const [text, position] of cases) {
      const found = problems(parseSource('m.yaml', text, DEFAULT_LIMITS));
      if (position === '') expect(found).toEqual([]);
      else expect(found).toEqual([`${position} PARAPET_DUPLICATE_KEY duplicate key: a mapping has this key twice`]);
    }
  });

  it('refuses empty, whitespace-only and comment-only files', () => {
    expect(problems(parseSource('m.yaml', '', DEFAULT_LIMITS))[0]).toContain('PARAPET_FILE_EMPTY');
    expect(problems(parseSource('m.yaml', ' \n\t\n', DEFAULT_LIMITS))[0]).toContain('PARAPET_FILE_EMPTY');
    expect(problems(parseSource('m.yaml', '# nothing\n', DEFAULT_LIMITS))[0]).toContain('PARAPET_FILE_EMPTY');
    expect(problems(parseSource('m.json', 'null', DEFAULT_LIMITS))[0]).toContain('PARAPET_FILE_EMPTY');
  });

  it('refuses binary content', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(problems(parseSource('m.yaml', png, DEFAULT_LIMITS))).toEqual([
      '1:1 PARAPET_FILE_BINARY file is not UTF-8 text',
    ]);
    const nul = new TextEncoder().encode('parapet: 1\nmodel:\0\n');
    expect(problems(parseSource('m.yaml', nul, DEFAULT_LIMITS))).toEqual([
      '2:7 PARAPET_FILE_BINARY file is binary (it holds a NUL character), not a YAML or JSON model',
    ]);
  });

  it('refuses a 100 MB file without parsing it', () => {
    const huge = new Uint8Array(100 * 1024 * 1024).fill(0x61);
    expect(problems(parseSource('m.yaml', huge, DEFAULT_LIMITS))).toEqual([
      '1:1 PARAPET_FILE_TOO_LARGE file is 100.0 MiB, over the limit of 64.0 MiB',
    ]);
  });

  it('refuses 10,000-deep nesting in every form', () => {
    const deep = 10_000;
    expect(problems(parseSource('m.yaml', `${'['.repeat(deep)}${']'.repeat(deep)}`, DEFAULT_LIMITS))).toEqual([
      '1:65 PARAPET_TOO_DEEP nesting is deeper than the limit of 64 levels',
    ]);
    expect(problems(parseSource('m.yaml', `${'{a: '.repeat(deep)}1${'}'.repeat(deep)}`, DEFAULT_LIMITS))).toEqual([
      '1:257 PARAPET_TOO_DEEP nesting is deeper than the limit of 64 levels',
    ]);
    expect(problems(parseSource('m.yaml', `${'- '.repeat(deep)}x\n`, DEFAULT_LIMITS))).toEqual([
      '1:513 PARAPET_TOO_DEEP indentation is deeper than the limit of 512 columns',
    ]);
    const indented = Array.from({ length: deep }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(problems(parseSource('m.yaml', indented, DEFAULT_LIMITS))).toEqual([
      '514:513 PARAPET_TOO_DEEP indentation is deeper than the limit of 512 columns',
    ]);
    expect(problems(parseSource('m.json', `${'['.repeat(deep)}${']'.repeat(deep)}`, DEFAULT_LIMITS))).toEqual([
      '1:65 PARAPET_TOO_DEEP nesting is deeper than the limit of 64 levels',
    ]);
    expect(problems(parseSource('m.json', `${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}`, DEFAULT_LIMITS))).toEqual([
      '1:321 PARAPET_TOO_DEEP nesting is deeper than the limit of 64 levels',
    ]);
  });

  it('does not count brackets inside JSON strings or YAML comments', () => {
    expect(parseSource('m.json', JSON.stringify({ a: '['.repeat(1000) }), DEFAULT_LIMITS).ok).toBe(true);
    expect(parseSource('m.yaml', `a: 1 # ${'['.repeat(1000)}\n`, DEFAULT_LIMITS).ok).toBe(true);
    expect(parseSource('m.yaml', `a: ["${'{'.repeat(1000)}"]\n`, DEFAULT_LIMITS).ok).toBe(true);
  });

  it('stops a YAML alias bomb', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(
        `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`,
      );
    }
    expect(problems(parseSource('m.yaml', lines.join('\n'), DEFAULT_LIMITS))).toEqual([
      '1:1 PARAPET_ALIAS_LIMIT aliases expand past the limit of 100 (a YAML "billion laughs" structure)',
    ]);
  });

  it('never executes tags and never throws on random text or bytes', () => {
    const tagged = parseSource(
      'm.yaml',
      'a: !!js/function "function () { throw 1 }"\nb: !include /etc/passwd\n',
      DEFAULT_LIMITS,
    );
    expect(tagged.ok && tagged.file.data).toEqual({ a: 'function () { throw 1 }', b: '/etc/passwd' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        parseSource('m.yaml', bytes, DEFAULT_LIMITS);
        parseSource('m.json', bytes, DEFAULT_LIMITS);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('[', ']', '{', '}', '-', ' ', '\n', ':', 'a', '"', "'", '#', '&', '*', '!', '|'),
        }),
        (text) => {
          parseSource('m.yaml', text, DEFAULT_LIMITS);
        },
      ),
      { numRuns: 500 },
    );
  });
});
