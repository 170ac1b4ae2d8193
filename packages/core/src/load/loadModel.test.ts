import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/Diagnostic.js';
import { loadModel, type ModelHost } from './loadModel.js';

function memoryHost(files: Record<string, string>): ModelHost {
  return {
    readFile: (path) => files[path],
    resolvePath: (from, reference) => {
      const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
      return `${dir}${reference}`;
    },
  };
}

function load(files: Record<string, string>, entry = 'threatmodel.yaml'): string[] {
  return loadModel(entry, memoryHost(files)).diagnostics.map(formatDiagnostic);
}

const TEN_MISTAKES = `parapet: 1
model:
  id: shop
  title: Shop
  owner: security-team
boundaries:
  - id: dmz
    name: DMZ
    trustLevel: 140
  - id: internal
    name: Internal
    parent: vpc
elements:
  - id: browser
    name: Browser
    kind: external
  - id: payment-api
    name: Payment API
    kind: proces
    boundary: dmz
  - id: db
    name: Orders database
    kind: datastore
    type: databse
    boundary: internal
  - id: db
    name: Second database
    kind: datastore
flows:
  - id: checkout
    from: browser
    to: paymnet-api
    protocol: https
  - id: loop
    from: db
    to: db
  - id: into-zone
    from: browser
    to: dmz
    port: "443"
  - id: save
    from: payment-api
    to: db
    data: [order]
`;

describe('loadModel', () => {
  it('reports ten different mistakes at once, each with its line and column', () => {
    expect(load({ 'threatmodel.yaml': TEN_MISTAKES })).toMatchInlineSnapshot(`
      [
        "threatmodel.yaml:5:3 model.owner: unknown key "owner" (did you mean "owners"?)",
        "threatmodel.yaml:9:17 boundaries[0].trustLevel: must be at most 100",
        "threatmodel.yaml:12:13 boundaries[1].parent: unknown boundary "vpc"",
        "threatmodel.yaml:19:11 elements[1].kind: "proces" is not one of process, datastore, external (did you mean "process"?)",
        "threatmodel.yaml:24:11 elements[2].type: "databse" is not one of the 54 values the format allows (did you mean "database"?)",
        "threatmodel.yaml:26:9 elements[3].id: duplicate id "db": elements[2] already has it",
        "threatmodel.yaml:32:9 flows[0].to: unknown element "paymnet-api" (did you mean "payment-api"?)",
        "threatmodel.yaml:36:9 flows[1].to: flow goes from "db" to itself; model the element's inner parts as separate elements",
        "threatmodel.yaml:39:9 flows[2].to: "dmz" is a boundary, not an element: flows connect elements; the boundaries a flow crosses are derived",
        "threatmodel.yaml:40:11 flows[2].port: expected a number, got the string "443"",
        "threatmodel.yaml:44:12 flows[3].data[0]: unknown asset "order"",
      ]
    `);
  });

  it('reports the same mistakes in a JSON model with JSON positions', () => {
    const json = JSON.stringify(
      {
        parapet: 1,
        model: { id: 'shop', title: 'Shop' },
        elements: [{ id: 'a', name: 'A', kind: 'external', colour: 'red' }],
        flows: [{ id: 'f', from: 'a', to: 'b' }],
      },
      null,
      2,
    );
    expect(load({ 'm.json': json }, 'm.json')).toMatchInlineSnapshot(`
      [
        "m.json:12:7 elements[0].colour: unknown key "colour"",
        "m.json:19:13 flows[0].to: unknown element "b" (did you mean "a"?)",
      ]
    `);
  });

  it('finds boundary nesting cycles', () => {
    const model = `parapet: 1
model: { id: m, title: M }
boundaries:
  - { id: a, name: A, parent: c }
  - { id: b, name: B, parent: a }
  - { id: c, name: C, parent: b }
  - { id: d, name: D, parent: d }
`;
    expect(load({ 'threatmodel.yaml': model })).toMatchInlineSnapshot(`
      [
        "threatmodel.yaml:4:31 boundaries[0].parent: boundaries contain each other: a → c → b → a",
        "threatmodel.yaml:7:31 boundaries[3].parent: boundaries contain each other: d → d",
      ]
    `);
  });

  it('checks the format version first', () => {
    expect(load({ 'threatmodel.yaml': 'model: { id: m, title: M }\n' })).toEqual([
      'threatmodel.yaml:1:1: missing "parapet: 1": a model file states its format version first',
    ]);
    expect(load({ 'threatmodel.yaml': 'parapet: 2\nmodel: { id: m, title: M }\n' })).toEqual([
      'threatmodel.yaml:1:10 parapet: unsupported format version 2: this Parapet reads version 1',
    ]);
    expect(load({ 'threatmodel.yaml': '- just\n- a list\n' })).toEqual([
      'threatmodel.yaml:1:1: a model is a mapping that starts with "parapet: 1"',
    ]);
    expect(load({})).toEqual(['threatmodel.yaml:1:1: no such file: threatmodel.yaml']);
  });

  it('merges included files and points errors into the file that has them', () => {
    const files = {
      'threatmodel.yaml': `parapet: 1
model: { id: m, title: M }
include: [shared/actors.yaml, payments.yaml]
elements:
  - { id: web, name: Web, kind: process }
flows:
  - { id: f1, from: web, to: pay, data: [card] }
`,
      'shared/actors.yaml': `actors:
  - id: fraudster
    name: Fraudster
    kind: external
    startsIn: [internt]
    wants: [card]
`,
      'payments.yaml': `parapet: 1
elements:
  - id: pay
    name: Payments
    kind: process
    stores: [card]
assets:
  - { id: card, name: Card data, kind: data, classification: restricted }
`,
    };
    expect(load(files)).toMatchInlineSnapshot(`
      [
        "shared/actors.yaml:5:16 actors[0].startsIn[0]: unknown boundary or element "internt"",
      ]
    `);
    files['shared/actors.yaml'] = files['shared/actors.yaml'].replace('[internt]', '[web]');
    const result = loadModel('threatmodel.yaml', memoryHost(files));
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.name)).toEqual(['threatmodel.yaml', 'shared/actors.yaml', 'payments.yaml']);
    expect(result.model?.elements?.map((e) => e.id)).toEqual(['web', 'pay']);
    expect(result.enrichment?.assets.get('card')).toEqual({
      storedIn: ['pay'],
      processedBy: ['web', 'pay'],
      carriedBy: ['f1'],
    });
  });

  it('reports include problems where the include is written', () => {
    const files = {
      'threatmodel.yaml': 'parapet: 1\nmodel: { id: m, title: M }\ninclude: [a.yaml, missing.yaml, bad.yaml]\n',
      'a.yaml': 'include: [threatmodel.yaml]\nassets: []\n',
      'bad.yaml': 'model: { id: x, title: X }\nelementz: []\n',
    };
    expect(load(files)).toMatchInlineSnapshot(`
      [
        "a.yaml:1:11 include[0]: include cycle: threatmodel.yaml → a.yaml → threatmodel.yaml",
        "bad.yaml:1:1 model: only the root file has a "model" section; an included file holds sections such as elements or actors",
        "bad.yaml:2:1 elementz: unknown key "elementz" (did you mean "elements"?)",
        "threatmodel.yaml:3:19 include[1]: no such file: missing.yaml",
      ]
    `);
  });

  it('passes syntax errors of an included file through with its name', () => {
    const files = {
      'threatmodel.yaml': 'parapet: 1\nmodel: { id: m, title: M }\ninclude: [a.yaml]\n',
      'a.yaml': 'elements:\n  - id: x\n    id: y\n',
    };
    expect(load(files)).toEqual(['a.yaml:3:5: duplicate key: a mapping has this key twice']);
  });

  it('warns about elements without flows, unused assets and unprotected crossings', () => {
    const model = `parapet: 1
model: { id: m, title: M }
boundaries:
  - { id: internet, name: Internet, kind: internet }
  - { id: dc, name: Data centre, trustLevel: 80 }
elements:
  - { id: user, name: User, kind: external, boundary: internet }
  - { id: app, name: App, kind: process, boundary: dc }
  - { id: lonely, name: Lonely, kind: process, boundary: dc }
  - { id: legacy, name: Legacy, kind: process, boundary: dc, outOfScope: { reason: decommissioned in Q3 } }
flows:
  - { id: login, from: user, to: app, protocol: https, encryption: tls }
  - { id: stated, from: user, to: app, authentication: none, encryption: none }
assets:
  - { id: orphan, name: Orphan }
`;
    const result = loadModel('threatmodel.yaml', memoryHost({ 'threatmodel.yaml': model }));
    expect(result.model).toBeDefined();
    expect(result.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "threatmodel.yaml:9:5 elements[2]: warning: element "lonely" takes part in no flow: add its flows or mark it outOfScope",
        "threatmodel.yaml:12:5 flows[0]: warning: flow "login" crosses "internet", "dc" but states no authentication (write "none" if there is none)",
        "threatmodel.yaml:15:5 assets[0]: warning: asset "orphan" is neither stored (elements[].stores) nor carried (flows[].data)",
      ]
    `);
  });

  it('refuses a model with more items than the limit', () => {
    const model = `parapet: 1\nmodel: { id: m, title: M }\nassets:\n${'  - { id: a, name: A }\n'.repeat(11)}`;
    const result = loadModel('t.yaml', memoryHost({ 't.yaml': model }), { limits: { maxItems: 10 } });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      't.yaml:1:1: the model has 11 items, over the limit of 10',
    ]);
  });
});
