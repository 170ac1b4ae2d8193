import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, loadModel, threatModelSchema, type ThreatModel, type ThreatModelInput } from '@parapet/core';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ImportError, type ImportResult } from '../../ImportResult.js';
import { checkModel } from '../../writeModel.js';
import { exportOtm } from './exportOtm.js';
import { importOtm } from './importOtm.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const SAMPLES = join(ROOT, 'packages/interop/fixtures/samples/otm');
const JSON_FILE = 'otm-EXAMPLE.json';
const YAML_FILE = 'otm-EXAMPLE.yaml';
const sample = (name: string): string => readFileSync(join(SAMPLES, name), 'utf8');
const sampleData = (): Record<string, unknown> => JSON.parse(sample(JSON_FILE)) as Record<string, unknown>;

/**
 * The YAML example with its one line that is not YAML 1.2 indented by one more space: the closing line of
 * the multi-line single-quoted `codeSnippet` sits at the key's indentation (PyYAML accepts that, the spec and
 * the \`yaml\` package do not).
 */
function fixedYaml(): string {
  const text = sample(YAML_FILE);
  const fixed = text.replace("\n        }'\n", "\n         }'\n");
  if (fixed === text) throw new Error('the YAML example changed: its misindented line is gone');
  return fixed;
}

const validateOtm = new Ajv({ allErrors: true }).compile(JSON.parse(sample('otm_schema.json')) as object);

/** The OTM text is valid against otm_schema.json (draft-07); the errors otherwise. */
function schemaErrors(text: string): string {
  return validateOtm(JSON.parse(text)) ? '' : JSON.stringify(validateOtm.errors);
}

/** The online shop example, loaded as Parapet loads it, with its analysis. */
function loadShop(): { model: ThreatModel; analysis: ReturnType<typeof analyze> } {
  const entry = join(ROOT, 'examples/online-shop/threatmodel.yaml');
  const result = loadModel(entry, {
    readFile: (path) => readFileSync(path, 'utf8'),
    resolvePath: (from, reference) => resolve(dirname(from), reference),
  });
  if (result.model === undefined) throw new Error('the online shop example does not load');
  const analysis = analyze(result.model, {
    ...(result.enrichment === undefined ? {} : { enrichment: result.enrichment }),
  });
  return { model: result.model, analysis };
}

/** A model with defaults applied, as Parapet reads it. */
const parsed = (model: ThreatModelInput): ThreatModel => threatModelSchema.parse(model);

/** The model with every origin's file replaced, to compare imports of different files. */
function withFile(model: ThreatModelInput, file: string): ThreatModelInput {
  return JSON.parse(JSON.stringify(model).replace(/"file":"[^"]*"/g, `"file":"${file}"`)) as ThreatModelInput;
}

/** The errors `checkModel` finds. */
const errorsOf = (model: ThreatModelInput): string[] =>
  checkModel(model)
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => `${diagnostic.path}: ${diagnostic.message}`);

/** The errors loading the model finds (as `checkModel`, without writing canonical YAML first: faster). */
const loadErrorsOf = (model: ThreatModelInput): string[] =>
  loadModel('model.json', { readFile: () => JSON.stringify(model), resolvePath: (_from, reference) => reference })
    .diagnostics.filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => `${diagnostic.path}: ${diagnostic.message}`);

/** Imports an OTM document given as data (written as JSON). */
const importData = (data: unknown, file = 'hostile.otm.json'): ImportResult => importOtm(JSON.stringify(data), file);

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const index = lines.findIndex((line, number) => number >= from && line.includes(needle));
  if (index < 0) throw new Error(`no line holds ${needle}`);
  return index + 1;
}

/** The error importOtm throws for a text. */
function importErrorOf(text: string, file = 'bad.otm'): ImportError {
  try {
    importOtm(text, file);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('importOtm accepted the text');
}

describe('importOtm on the OTM 0.2.0 example', () => {
  const result = importOtm(sample(JSON_FILE), JSON_FILE);
  const { model } = result;

  it('makes the project the model info', () => {
    expect(result.format).toBe('otm');
    expect(model.model).toEqual({
      id: 'test-project',
      title: 'Test project',
      description: 'This is a test project for the OTM development',
      owners: [{ name: 'John Doe', email: 'john.doe@example.com' }],
    });
  });

  it('makes trust zones boundaries, named after the zone when the OTM id is a UUID, with trust rating as trust level', () => {
    expect(model.boundaries?.map((b) => [b.id, b.name, b.kind, b.trustLevel, b.origin?.ref])).toEqual([
      ['internet', 'Internet', 'internet', 20, 'f0ba7722-39b6-4c81-8290-a30a248bb8d9'],
      ['private', 'Private', 'network', 100, '2ab4effa-40b7-4cd2-ba81-8247d29a6f2d'],
    ]);
  });

  it('makes components elements in their trust zone, kind and type from the component type and tags', () => {
    expect(model.elements?.map((e) => [e.id, e.kind, e.type, e.boundary])).toEqual([
      ['web-client', 'external', 'browser', 'internet'],
      ['web-service', 'process', 'web-app', 'private'],
      ['customer-database', 'datastore', 'database', 'private'],
      ['class-customerdatabase', 'process', undefined, 'private'],
    ]);
    const webService = model.elements?.find((e) => e.id === 'web-service');
    expect(webService?.stores).toEqual(['public-info']);
    expect(webService?.tags).toEqual(['tomcat']);
  });

  it('makes dataflows flows with their assets, direction and tags', () => {
    expect(model.flows).toEqual([
      {
        id: 'webclient-to-webservice',
        from: 'web-client',
        to: 'web-service',
        name: 'Dataflow between webclient and webservice.',
        bidirectional: true,
        origin: { format: 'otm', file: JSON_FILE, ref: 'webclient-to-webservice' },
      },
      {
        id: 'cc-store-in-db',
        from: 'web-service',
        to: 'customer-database',
        name: 'Dataflow between webservice and mongo.',
        data: ['cc-data'],
        bidirectional: true,
        tags: ['tag1-df', 'tag2-df'],
        origin: { format: 'otm', file: JSON_FILE, ref: 'cc-store-in-db' },
      },
    ]);
  });

  it('makes assets with needs from the 0-100 risk, the risk comment appended to the description', () => {
    expect(model.assets?.map((a) => [a.id, a.needs])).toEqual([
      ['cc-data', { confidentiality: 'critical', integrity: 'critical', availability: 'critical' }],
      ['public-info', { confidentiality: 'low', integrity: 'critical', availability: 'medium' }],
    ]);
    expect(model.assets?.[1]?.description).toContain('Public information has no confidentiality at all');
  });

  it('makes a threat referenced from a component and a dataflow one threat per target, with a decision each', () => {
    expect(model.threats?.map((t) => [t.id, t.target, t.category, t.likelihood, t.impact, t.mitigations])).toEqual([
      [
        'threat-1-web-service',
        'web-service',
        'spoofing',
        'medium',
        'very-high',
        ['this-is-the-name-of-mitigation-1-implemented'],
      ],
      [
        'threat-1-cc-store-in-db',
        'cc-store-in-db',
        'spoofing',
        'medium',
        'very-high',
        ['this-is-the-name-of-mitigation-1-planned'],
      ],
    ]);
    const threat = model.threats?.[0];
    expect(threat?.title).toBe('Threat 1');
    expect(threat?.references).toEqual({ cwe: ['CWE-79', 'CWE-787'] });
    expect(threat?.tags).toEqual(['sql', 'cwe-123']);
    expect(threat?.description).toContain('Likelihood: It is reasonable to think this might happen');
    expect(model.decisions).toEqual([
      { threat: 'threat-1-web-service', status: 'open' },
      { threat: 'threat-1-cc-store-in-db', status: 'open' },
    ]);
  });

  it('gives a mitigation the status of its instances: one mitigation per state when they differ', () => {
    expect(model.mitigations?.map((m) => [m.id, m.title, m.status, m.appliesTo, m.origin?.ref])).toEqual([
      [
        'this-is-the-name-of-mitigation-1-implemented',
        'This is the name of mitigation 1',
        'implemented',
        ['web-service'],
        'fd6136f4-e2ff-11eb-ba80-0242ac130004',
      ],
      [
        'this-is-the-name-of-mitigation-1-planned',
        'This is the name of mitigation 1',
        'planned',
        ['cc-store-in-db'],
        'fd6136f4-e2ff-11eb-ba80-0242ac130004',
      ],
      ['mitigation-2', 'Mitigation 2', undefined, undefined, '3b837730-e300-11eb-ba80-0242ac130004'],
    ]);
  });

  it('makes the diagram representation a view with the positions and sizes of what it draws', () => {
    expect(model.views).toEqual([
      {
        id: 'architecture-diagram',
        name: 'Architecture Diagram',
        include: ['internet', 'private', 'web-client', 'web-service', 'customer-database'],
        layout: {
          internet: { x: 600, y: 100, width: 100, height: 100 },
          private: { x: 0, y: 0, width: 100, height: 100 },
          'web-client': { x: 100, y: 100, width: 50, height: 50 },
          'web-service': { x: 100, y: 100, width: 50, height: 50 },
          'customer-database': { x: 200, y: 100, width: 50, height: 50 },
        },
      },
    ]);
  });

  it('gives every item an origin with the format, the file and its OTM id', () => {
    const items = [
      ...(model.boundaries ?? []),
      ...(model.elements ?? []),
      ...(model.flows ?? []),
      ...(model.assets ?? []),
    ];
    for (const item of [...items, ...(model.threats ?? []), ...(model.mitigations ?? [])]) {
      expect(item.origin?.format).toBe('otm');
      expect(item.origin?.file).toBe(JSON_FILE);
      expect(item.origin?.ref).toMatch(/\S/);
    }
  });

  it('lists what it leaves out or reads approximately, at its path and line', () => {
    const text = sample(JSON_FILE);
    const at = (path: string) => result.unmapped.find((entry) => entry.at === path);
    expect(at('trustZones[1].type')).toMatchObject({
      line: lineOf(text, '"type": "private"'),
      reason: 'read as boundary kind network',
    });
    expect(at('project.attributes.cmdbId')?.line).toBe(lineOf(text, '"cmdbId"'));
    expect(at('threats[0].categories[1]')?.what).toBe('threat category "Tampering"');
    expect(at('mitigations[0].riskReduction')?.what).toBe('mitigation risk reduction 50');
    expect(at('components[1].assets.processed')?.what).toBe('processed assets "cc-data", "public-info"');
    expect(at('components[1].type')?.reason).toBe('read as technology type web-app (process), from the type');
    expect(at('representations[1]')?.what).toBe(
      'representation "Application Code" of type "code" at "https://github.com/my-project"',
    );
    expect(at('components[3].representations[0]')?.what).toBe(
      'code reference "src/main/otm-file/OTMClass.java:324" of class-customerdatabase',
    );
    expect(at('representations[0].size')?.line).toBe(lineOf(text, '"size"'));
    expect(at('threats[0]')?.reason).toContain('one threat per target');
    expect(at('mitigations[0]')?.reason).toContain('one mitigation per status');
    expect(at('mitigations[1]')?.reason).toContain('status left at proposed');
    for (const entry of result.unmapped) {
      expect(entry.file).toBe(JSON_FILE);
      expect(entry.line).toBeGreaterThan(0);
    }
  });

  it('gives a model without errors; its warnings are the unconnected code class and the zone-crossing flow without protocol facts', () => {
    const diagnostics = checkModel(model);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.map((d) => d.path).sort()).toEqual(['elements[3]', 'flows[0]']);
  });

  it('refuses the YAML example as shipped, at the line YAML 1.2 rejects (a quoted scalar closed under its indentation)', () => {
    const error = importErrorOf(sample(YAML_FILE), YAML_FILE);
    expect(error.message).toBe(
      "Missing closing 'quote: every further line of a quoted text must be indented more than its key; check the lines below, and the one with the closing quote",
    );
    expect(error.line).toBe(lineOf(sample(YAML_FILE), 'System.out.println'));
  });

  it('reads the YAML example, its one misindented line fixed, into the same model, with the same unmapped entries', () => {
    const yaml = importOtm(fixedYaml(), YAML_FILE);
    expect(withFile(yaml.model, JSON_FILE)).toEqual(model);
    expect(yaml.unmapped.map((entry) => [entry.at, entry.what])).toEqual(
      result.unmapped.map((entry) => [entry.at, entry.what]),
    );
    expect(yaml.unmapped.find((entry) => entry.at === 'trustZones[1].type')?.line).toBe(
      lineOf(fixedYaml(), 'type: private'),
    );
  });
});

describe('exportOtm', () => {
  const imported = importOtm(sample(JSON_FILE), JSON_FILE);
  const exported = exportOtm(parsed(imported.model));
  const document = JSON.parse(exported.text) as {
    trustZones: { id: string }[];
    components: { id: string; threats?: { threat: string; state: string; mitigations?: unknown[] }[] }[];
    dataflows: { id: string; threats?: { threat: string; state: string; mitigations?: unknown[] }[] }[];
    threats: { id: string }[];
    mitigations: { id: string }[];
  };

  it('writes the example as OTM that validates against otm_schema.json, keeping the OTM ids', () => {
    expect(schemaErrors(exported.text)).toBe('');
    expect(exported.text.endsWith('}\n')).toBe(true);
    expect(document.trustZones.map((zone) => zone.id)).toEqual([
      'f0ba7722-39b6-4c81-8290-a30a248bb8d9',
      '2ab4effa-40b7-4cd2-ba81-8247d29a6f2d',
    ]);
    expect(document.threats.map((threat) => threat.id)).toEqual(['22724267-be7e-44c0-8b1f-d7d33e9a34ec']);
    expect(document.mitigations.map((mitigation) => mitigation.id)).toEqual([
      'fd6136f4-e2ff-11eb-ba80-0242ac130004',
      '3b837730-e300-11eb-ba80-0242ac130004',
    ]);
    expect(document.components.find((c) => c.id === 'web-service')?.threats).toEqual([
      {
        threat: '22724267-be7e-44c0-8b1f-d7d33e9a34ec',
        state: 'exposed',
        mitigations: [{ mitigation: 'fd6136f4-e2ff-11eb-ba80-0242ac130004', state: 'implemented' }],
      },
    ]);
    expect(document.dataflows.find((f) => f.id === 'cc-store-in-db')?.threats?.[0]?.mitigations).toEqual([
      { mitigation: 'fd6136f4-e2ff-11eb-ba80-0242ac130004', state: 'required' },
    ]);
  });

  it('writes the same text for the same model, and a model of only its info as a valid OTM document', () => {
    const { model } = loadShop();
    expect(exportOtm(model).text).toBe(exportOtm(model).text);
    const bare = exportOtm({ parapet: 1, model: model.model });
    expect(schemaErrors(bare.text)).toBe('');
    expect(Object.keys(JSON.parse(bare.text) as object)).toEqual(['otmVersion', 'project']);
    expect(importOtm(bare.text, 'bare.otm.json').model.model).toEqual(model.model);
  });

  it('round trip: the OTM example (JSON and YAML) -> Parapet -> OTM -> Parapet gives the same model', () => {
    for (const [file, text] of [
      [JSON_FILE, sample(JSON_FILE)],
      [YAML_FILE, fixedYaml()],
    ] as const) {
      const first = importOtm(text, file);
      const again = importOtm(exportOtm(parsed(first.model)).text, file);
      expect(parsed(again.model)).toEqual(parsed(first.model));
    }
  });

  it('writes the online shop as schema-valid OTM and lists what OTM cannot hold', () => {
    const { model } = loadShop();
    const shop = exportOtm(model);
    expect(schemaErrors(shop.text)).toBe('');
    const at = (path: string) => shop.unmapped.find((entry) => entry.at === path);
    expect(at('actors[0]')?.what).toBe('threat actor card-skimmer-group');
    expect(at('sessions[0]')?.what).toBe('session s-checkout-review');
    expect(at('attackTrees[0]')?.what).toBe('attack tree at-steal-card-data');
    expect(at('assumptions[0]')?.what).toBe('assumption a-psp-pci-scope');
    expect(at('decisions[0]')?.what).toBe('decision on t-checkout-skimming: justification, owner, decided');
    expect(at('decisions[2]')?.reason).toContain('generated threats are exported only with an analysis');
    expect(at('threats[0]')?.what).toBe('threat t-voucher-sqli: assets, actors');
    expect(at('mitigations[1].reduces')?.what).toBe(
      'reduces flow.cleartext@session-store, flow.tampering-in-transit@session-store',
    );
    expect(at('mitigations[4].status')?.reason).toContain('IriusRisk does not define');
  });

  it('round trip: the online shop -> OTM -> Parapet keeps elements, flows, boundaries, assets, threats, decisions, mitigations', () => {
    const { model } = loadShop();
    const back = importOtm(exportOtm(model).text, 'online-shop.otm.json');
    const again = parsed(back.model);
    expect(errorsOf(back.model)).toEqual([]);
    const strip = <T extends { origin?: unknown }>(items: readonly T[] | undefined) =>
      (items ?? []).map(({ origin: _origin, ...rest }) => rest);
    expect(strip(again.boundaries)).toEqual(strip(model.boundaries));
    expect(strip(again.elements)).toEqual(strip(model.elements));
    expect(strip(again.flows)).toEqual(strip(model.flows));
    expect(strip(again.assets)).toEqual(strip(model.assets));
    const threatOf = ({
      assets: _assets,
      actors: _actors,
      origin: _origin,
      ...rest
    }: NonNullable<ThreatModel['threats']>[number]) => rest;
    expect(again.threats?.map(threatOf)).toEqual(model.threats?.map(threatOf));
    const manual = new Set(model.threats?.map((t) => t.id));
    const statusOf = (decisions: ThreatModel['decisions']) =>
      Object.fromEntries((decisions ?? []).filter((d) => manual.has(d.threat)).map((d) => [d.threat, d.status]));
    expect(statusOf(again.decisions)).toEqual({ ...{ 't-voucher-sqli': 'open' }, ...statusOf(model.decisions) });
    expect(statusOf(again.decisions)).toMatchObject({
      't-checkout-skimming': 'mitigated',
      't-backoffice-takeover': 'open',
      't-volumetric-ddos': 'transferred',
    });
    expect(again.mitigations?.map((m) => [m.id, m.status, m.title])).toEqual(
      model.mitigations?.map((m) => [m.id, m.status, m.title]),
    );
    expect(again.views?.map((v) => [v.id, v.kind, v.include?.slice().sort()])).toEqual(
      model.views?.map((v) => [v.id, v.kind, v.include?.slice().sort()]),
    );
    expect(again.model).toEqual(model.model);
  });

  it('puts elements outside every boundary in a marked trust zone, which the importer leaves out', () => {
    const { model } = loadShop();
    const text = exportOtm(model).text;
    const zones = (JSON.parse(text) as { trustZones: { id: string; risk: unknown; attributes?: unknown }[] })
      .trustZones;
    expect(zones.at(-1)).toMatchObject({
      id: 'outside',
      risk: { trustRating: 0 },
      attributes: { 'parapet.outside': 'true' },
    });
    const imported = importOtm(text, 'online-shop.otm.json');
    const back = imported.model;
    expect(imported.unmapped.find((entry) => entry.at === `trustZones[${zones.length - 1}]`)?.what).toBe(
      'trust zone "Outside every trust boundary" marked parapet.outside',
    );
    expect(back.boundaries?.map((b) => b.id)).not.toContain('outside');
    expect(back.elements?.find((e) => e.id === 'customer')?.boundary).toBeUndefined();
  });

  it('carries Parapet fields OTM has no place for as parapet. attributes', () => {
    const { model } = loadShop();
    const document = JSON.parse(exportOtm(model).text) as {
      dataflows: { id: string; attributes?: Record<string, string> }[];
      components: { id: string; attributes?: Record<string, string> }[];
    };
    expect(document.dataflows.find((f) => f.id === 'session-store')?.attributes).toEqual({
      'parapet.protocol': 'redis',
      'parapet.port': '6379',
      'parapet.authentication': 'none',
      'parapet.encryption': 'none',
    });
    const threats = (JSON.parse(exportOtm(model).text) as { threats: { id: string; description?: string }[] }).threats;
    expect(threats.find((t) => t.id === 't-volumetric-ddos')?.description).toBe(
      "A botnet operator paid by an extortion group floods the shop's public host names with hundreds of Gbit/s of " +
        'traffic during a sale weekend. Impact: the shop is unreachable and orders are lost until the attack stops',
    );
    expect(document.components.find((c) => c.id === 'promotions-svc')?.attributes).toMatchObject({
      'parapet.technology': 'PHP 7.4, Apache 2.4',
      'parapet.security.inputValidation': 'false',
      'parapet.controls': '[]',
    });
  });

  it('with an analysis, exports the generated threats on their components and dataflows with their status', () => {
    const { model, analysis } = loadShop();
    const shop = exportOtm(model, { analysis });
    expect(schemaErrors(shop.text)).toBe('');
    const document = JSON.parse(shop.text) as {
      threats: { id: string; categories: string[] }[];
      dataflows: { id: string; threats?: { threat: string; state: string }[] }[];
    };
    const placeable = analysis.threats.filter((t) => t.target.section === 'elements' || t.target.section === 'flows');
    expect(document.threats.map((t) => t.id)).toEqual(placeable.map((t) => t.id));
    const consume = document.dataflows.find((f) => f.id === 'consume-orders');
    expect(consume?.threats).toContainEqual({ threat: 'flow.cleartext@consume-orders', state: 'accepted' });
    const elsewhere = analysis.threats.filter((t) => t.target.section !== 'elements' && t.target.section !== 'flows');
    for (const threat of elsewhere) {
      expect(shop.unmapped.find((entry) => entry.at === `analysis: ${threat.id}`)?.reason).toContain(
        'components and dataflows only',
      );
    }
    const back = importOtm(shop.text, 'shop-analysis.otm.json');
    expect(errorsOf(back.model)).toEqual([]);
    expect(back.model.threats).toHaveLength(placeable.length);
  });
});

describe('importOtm on nested components', () => {
  /** The example with a cluster holding a pod, which holds a container, and a plain service holding a library. */
  function nestedExample(): Record<string, unknown> {
    const data = sampleData();
    const components = data.components as Record<string, unknown>[];
    const inPrivate = { trustZone: '2ab4effa-40b7-4cd2-ba81-8247d29a6f2d' };
    components.push(
      { id: 'shop-cluster', name: 'Shop cluster', type: 'kubernetes-cluster', parent: inPrivate },
      { id: 'orders-pod', name: 'Orders pod', type: 'kubernetes-pod', parent: { component: 'shop-cluster' } },
      { id: 'orders-api', name: 'Orders API', type: 'rest-api', parent: { component: 'orders-pod' } },
      { id: 'json-library', name: 'JSON library', type: 'code-library', parent: { component: 'web-service' } },
    );
    (data.dataflows as unknown[]).push({
      id: 'orders',
      name: 'orders',
      source: 'web-service',
      destination: 'orders-api',
    });
    return data;
  }

  it('makes a container component holding components a boundary, and places a component inside a plain component in its boundary', () => {
    const result = importData(nestedExample());
    const boundaries = result.model.boundaries ?? [];
    expect(boundaries.map((b) => [b.id, b.kind, b.parent])).toEqual([
      ['internet', 'internet', undefined],
      ['private', 'network', undefined],
      ['shop-cluster', 'cluster', 'private'],
      ['orders-pod', 'container', 'shop-cluster'],
    ]);
    const elements = result.model.elements ?? [];
    expect(elements.find((e) => e.id === 'orders-api')).toMatchObject({
      kind: 'process',
      type: 'api',
      boundary: 'orders-pod',
    });
    expect(elements.find((e) => e.id === 'json-library')?.boundary).toBe('private');
    expect(result.unmapped.find((entry) => entry.at === 'components[7].parent')?.reason).toBe(
      'Parapet elements do not nest: placed in the boundary that holds web-service',
    );
    expect(result.unmapped.find((entry) => entry.at === 'components[4].type')?.reason).toContain(
      'made a boundary of kind cluster',
    );
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('keeps a container component that a dataflow reaches an element, since flows join elements', () => {
    const data = nestedExample();
    (data.dataflows as unknown[]).push({
      id: 'to-pod',
      name: 'to pod',
      source: 'web-service',
      destination: 'orders-pod',
    });
    const result = importData(data);
    expect(result.model.boundaries?.map((b) => b.id)).toEqual(['internet', 'private', 'shop-cluster']);
    expect(result.model.elements?.find((e) => e.id === 'orders-pod')).toMatchObject({
      kind: 'process',
      boundary: 'shop-cluster',
    });
    expect(result.model.elements?.find((e) => e.id === 'orders-api')?.boundary).toBe('shop-cluster');
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('breaks cycles of trust zone parents and of component parents, noting them', () => {
    const data = sampleData();
    const zones = data.trustZones as Record<string, unknown>[];
    Object.assign(zones[0] ?? {}, { parent: { trustZone: '2ab4effa-40b7-4cd2-ba81-8247d29a6f2d' } });
    Object.assign(zones[1] ?? {}, { parent: { trustZone: 'f0ba7722-39b6-4c81-8290-a30a248bb8d9' } });
    const components = data.components as Record<string, unknown>[];
    Object.assign(components[2] ?? {}, { parent: { component: 'class-customerdatabase' } });
    Object.assign(components[3] ?? {}, { parent: { component: 'customer-database' } });
    const result = importData(data);
    expect(result.model.boundaries?.map((b) => b.parent)).toEqual(['private', undefined]);
    expect(
      result.unmapped.some((entry) => entry.reason === 'its parent link is left out so that the boundaries nest'),
    ).toBe(true);
    expect(result.model.elements?.find((e) => e.id === 'customer-database')?.boundary).toBeUndefined();
    expect(result.unmapped.some((entry) => entry.what.includes('in a cycle of parents'))).toBe(true);
    expect(errorsOf(result.model)).toEqual([]);
  });
});

describe('importOtm on hostile and corrupt input', () => {
  it('refuses text that is neither JSON nor YAML, with the line', () => {
    const error = importErrorOf('{\n  "otmVersion": "0.2.0",\n  "project": {,\n}}', 'broken.json');
    expect(error.file).toBe('broken.json');
    expect(error.line).toBe(3);
    expect(error.describe()).toMatch(/^broken\.json:3:\d+: invalid JSON/);
    const yaml = importErrorOf('otmVersion: 0.2.0\nproject:\n  name: x\n   id: y\n', 'broken.yaml');
    expect(yaml.message).toBe('Nested mappings are not allowed in compact mappings');
    expect(yaml.line).toBe(3);
  });

  it('refuses binary content', () => {
    expect(importErrorOf('otmVersion: 0.2.0\u0000\u0001').message).toMatch(/\S/);
  });

  it('refuses JSON of the wrong shape: a list, a scalar, no otmVersion, no project', () => {
    expect(importErrorOf('[1, 2, 3]').message).toContain('not an Open Threat Model document');
    expect(importErrorOf('"just text"').message).toContain('not an Open Threat Model document');
    expect(importErrorOf('{"project": {"name": "x", "id": "x"}}').message).toContain('otmVersion is missing');
    expect(importErrorOf('{"otmVersion": "0.2.0", "project": 7}').message).toContain(
      'project is missing or not a mapping',
    );
  });

  it('refuses a section that is not a list, naming it and its line', () => {
    const text = '{\n  "otmVersion": "0.2.0",\n  "project": {"name": "x", "id": "x"},\n  "components": 5\n}';
    const error = importErrorOf(text, 'components.json');
    expect(error.message).toBe('components must be a list, not 5');
    expect(error.line).toBe(4);
  });

  it('never throws on a value of the wrong type anywhere in the example, and the model stays valid', () => {
    const original = sampleData();
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]): void => {
      if (path.length > 0) paths.push(path);
      if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
      else if (typeof value === 'object' && value !== null)
        for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], [...path, key]);
    };
    walk(original, []);
    const replacements: unknown[] = [42, 'text', null, [], {}, true, [{ id: 7 }], { x: 'y' }, -1e308];
    let imports = 0;
    for (const [number, path] of paths.entries()) {
      if (path.length === 1 && (path[0] === 'otmVersion' || path[0] === 'project')) continue;
      // Three replacements per path, in turn, so that every path meets every kind of value across its neighbours.
      for (const replacement of [0, 3, 6].map((offset) => replacements[(number + offset) % replacements.length])) {
        const data = structuredClone(original);
        let parent: unknown = data;
        for (const segment of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[segment];
        (parent as Record<string | number, unknown>)[path[path.length - 1] ?? ''] = replacement;
        let result: ImportResult;
        try {
          result = importData(data);
        } catch (error) {
          // Only a top-level section of the wrong type makes the document unreadable.
          expect(error).toBeInstanceOf(ImportError);
          expect(path).toHaveLength(1);
          continue;
        }
        imports++;
        if (imports % 4 === 0) expect(loadErrorsOf(result.model)).toEqual([]);
        else expect(() => threatModelSchema.parse(result.model)).not.toThrow();
      }
    }
    expect(imports).toBeGreaterThan(600);
  });

  it('notes a component whose data is a number, a dataflow to an unknown component and an unknown threat', () => {
    const data = sampleData();
    const components = data.components as Record<string, unknown>[];
    Object.assign(components[1] ?? {}, { assets: 12, tags: 'tomcat', representations: { x: 1 } });
    (data.dataflows as Record<string, unknown>[]).push(
      { id: 'ghost', name: 'to nowhere', source: 'web-service', destination: 'no-such-component' },
      { id: 'loop', name: 'to itself', source: 'web-service', destination: 'web-service' },
    );
    Object.assign(components[2] ?? {}, { threats: [{ threat: 'no-such-threat', state: 'exposed' }, 17] });
    const result = importData(data);
    const at = (path: string) => result.unmapped.find((entry) => entry.at === path);
    expect(at('components[1].assets')?.reason).toBe('expected a mapping; left out');
    expect(at('components[1].tags')?.reason).toBe('expected a list; left out');
    expect(at('dataflows[2].destination')?.what).toBe('dataflow destination "no-such-component"');
    expect(at('dataflows[3]')?.reason).toContain('starts and ends at the same component');
    expect(at('components[2].threats[0]')?.reason).toBe('no threat in threats has this id; left out');
    expect(at('components[2].threats[1]')?.what).toBe('threat instance 17');
    expect(result.model.flows?.map((f) => f.id)).toEqual(['webclient-to-webservice', 'cc-store-in-db']);
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('cuts huge texts to Parapet limits and notes it', () => {
    const data = sampleData();
    const components = data.components as Record<string, unknown>[];
    Object.assign(components[0] ?? {}, { name: 'N'.repeat(1_000_000), description: 'D'.repeat(300_000) });
    const result = importData(data);
    const element = result.model.elements?.[0];
    expect(element?.name).toHaveLength(500);
    expect(element?.description).toHaveLength(100_000);
    expect(result.unmapped.find((entry) => entry.at === 'components[0].name')?.what).toBe('name of 1000000 characters');
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('refuses nesting deeper than the limit, with the line', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    const text = `{"otmVersion": "0.2.0",\n"project": {"name": "x", "id": "x", "attributes": {"deep": ${deep}}}}`;
    expect(importErrorOf(text, 'deep.json').line).toBe(2);
  });

  it('refuses a YAML alias bomb and never runs YAML tags', () => {
    const bomb = ['otmVersion: 0.2.0', 'project: {name: x, id: x}', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      bomb.push(
        `${name}: &${name} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`,
      );
    }
    expect(importErrorOf(bomb.join('\n'), 'bomb.yaml')).toBeInstanceOf(ImportError);
    const tagged = importOtm(
      'otmVersion: 0.2.0\nproject:\n  name: !!js/function "function () { return 1 }"\n  id: x\n',
      'tags.yaml',
    );
    expect(tagged.model.model.title).toBe('function () { return 1 }');
  });

  it('reads long chains and many items in linear time, without deep recursion', () => {
    const components = Array.from({ length: 20_000 }, (_, index) => ({
      id: `c${index}`,
      name: `Component ${index}`,
      type: 'service',
      parent: index === 0 ? { trustZone: 'zone' } : { component: `c${index - 1}` },
    }));
    const dataflows = Array.from({ length: 19_999 }, (_, index) => ({
      id: `f${index}`,
      name: `flow ${index}`,
      source: `c${index}`,
      destination: `c${index + 1}`,
    }));
    const data = {
      otmVersion: '0.2.0',
      project: { name: 'Big', id: 'big' },
      trustZones: [{ id: 'zone', name: 'Zone', type: 'private', risk: { trustRating: 60 } }],
      components,
      dataflows,
    };
    const started = performance.now();
    const result = importData(data);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(result.model.elements).toHaveLength(20_000);
    expect(result.model.flows).toHaveLength(19_999);
    expect(result.model.elements?.[19_999]?.boundary).toBe('zone');
  });

  it('makes readable, unique ids for many items of one name in linear time', () => {
    const count = 20_000;
    const components = Array.from({ length: count }, (_, index) => ({
      id: String(100_000 + index),
      name: 'Lambda',
      type: 'aws-lambda-function',
      parent: { trustZone: 'zone' },
    }));
    const repeated = Array.from({ length: count }, () => ({ id: 'same', name: 'Same', riskReduction: 5 }));
    const data = {
      otmVersion: '0.2.0',
      project: { name: 'Many', id: 'many' },
      trustZones: [{ id: 'zone', name: 'Zone', type: 'private', risk: { trustRating: 60 } }],
      components,
      mitigations: repeated,
    };
    const result = importData(data);
    const ids = result.model.elements?.map((element) => element.id) ?? [];
    expect(ids.slice(0, 3)).toEqual(['lambda', 'lambda-2', 'lambda-3']);
    expect(ids.at(-1)).toBe(`lambda-${count}`);
    expect(result.model.elements?.[0]?.type).toBe('function');
    expect(new Set(result.model.mitigations?.map((mitigation) => mitigation.id)).size).toBe(count);
  });

  it('keeps prototype keys as plain data and makes ids of hostile ids', () => {
    const text = `{"otmVersion": "0.2.0", "project": {"name": "x", "id": "../../etc/passwd",
      "attributes": {"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}},
      "trustZones": [{"id": "__proto__", "name": "<script>alert(1)</script>", "risk": {"trustRating": 5}}],
      "components": [{"id": "constructor", "name": "C", "type": "service", "parent": {"trustZone": "__proto__"}}]}`;
    const result = importOtm(text, 'proto.json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.model.model.id).toBe('etc-passwd');
    expect(result.model.boundaries?.[0]?.id).toBe('proto');
    expect(result.model.elements?.[0]).toMatchObject({ id: 'constructor', boundary: 'proto' });
    expect(result.unmapped.some((entry) => entry.at === 'project.attributes.__proto__')).toBe(true);
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('does not take names of object properties (constructor, __proto__) for states, categories or types', () => {
    const text = [
      'otmVersion: 0.2.0',
      'project: {name: x, id: x}',
      'trustZones: [{id: z, name: constructor, type: constructor, risk: {trustRating: 10}}]',
      'components:',
      '  - {id: a, name: A, type: constructor, parent: {trustZone: z}, threats: [{threat: t, state: constructor, mitigations: [{mitigation: m, state: constructor}]}]}',
      '  - {id: b, name: B, type: __proto__, parent: {trustZone: z}, __proto__: {polluted: yes}}',
      'dataflows: [{id: f, name: F, source: a, destination: b}]',
      'threats: [{id: t, name: T, categories: [constructor, toString], risk: {likelihood: 50, impact: 50}}]',
      'mitigations: [{id: m, name: M, riskReduction: 10}]',
    ].join('\n');
    const result = importOtm(text, 'prototype.yaml');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.model.boundaries?.[0]?.kind).toBe('other');
    expect(result.model.elements?.map((e) => [e.kind, e.type])).toEqual([
      ['process', undefined],
      ['process', undefined],
    ]);
    expect(result.model.threats?.[0]).toMatchObject({ category: 'tampering', mitigations: ['m'] });
    expect(result.model.decisions).toBeUndefined();
    expect(result.model.mitigations?.[0]?.status).toBe('proposed');
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('checks parapet. attributes against the schema and leaves invalid ones out', () => {
    const data = sampleData();
    const flows = data.dataflows as Record<string, unknown>[];
    Object.assign(flows[0] ?? {}, {
      attributes: {
        'parapet.protocol': 'carrier-pigeon',
        'parapet.port': '99999',
        'parapet.encryption': 'tls',
        'parapet.controls': '[[[[',
        'parapet.secret': 'x',
        'parapet.authentication': 7,
      },
    });
    const result = importData(data);
    expect(result.model.flows?.[0]).toMatchObject({ encryption: 'tls' });
    expect(result.model.flows?.[0]).not.toHaveProperty('protocol');
    expect(result.model.flows?.[0]).not.toHaveProperty('port');
    const reasons = Object.fromEntries(
      result.unmapped
        .filter((entry) => entry.at.startsWith('dataflows[0].attributes.'))
        .map((entry) => [entry.at, entry.reason]),
    );
    expect(reasons).toEqual({
      'dataflows[0].attributes.parapet.protocol': 'the value is not a valid protocol for Parapet; left out',
      'dataflows[0].attributes.parapet.port': 'the value is not a valid port for Parapet; left out',
      'dataflows[0].attributes.parapet.controls': 'the value is not a valid controls for Parapet; left out',
      'dataflows[0].attributes.parapet.secret':
        'Parapet carries no field "parapet.secret" on this kind of item; left out',
      'dataflows[0].attributes.parapet.authentication': 'the value is not text; left out',
    });
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('reads unknown states, odd categories and numbers out of range with a note', () => {
    const data = sampleData();
    const threat = (data.threats as Record<string, unknown>[])[0] ?? {};
    Object.assign(threat, {
      categories: ['Access control', 'Data protection'],
      cwes: ['cwe_89', 'not-a-cwe'],
      risk: { likelihood: 250, impact: -3 },
    });
    const components = data.components as Record<string, unknown>[];
    Object.assign(components[1] ?? {}, {
      threats: [
        {
          threat: '22724267-be7e-44c0-8b1f-d7d33e9a34ec',
          state: 'pondering',
          mitigations: [{ mitigation: 'fd6136f4-e2ff-11eb-ba80-0242ac130004', state: 'rejected' }],
        },
      ],
    });
    const zones = data.trustZones as Record<string, unknown>[];
    Object.assign(zones[0] ?? {}, { risk: { trustRating: 140.6 } });
    const result = importData(data);
    const web = result.model.threats?.find((t) => t.target === 'web-service');
    expect(web).toMatchObject({
      category: 'elevation-of-privilege',
      likelihood: 'very-high',
      impact: 'very-low',
      references: { cwe: ['CWE-89'] },
    });
    expect(web).not.toHaveProperty('mitigations');
    expect(result.model.decisions?.map((d) => d.threat)).toEqual([
      result.model.threats?.find((t) => t.target === 'cc-store-in-db')?.id,
    ]);
    expect(result.model.boundaries?.[0]?.trustLevel).toBe(100);
    const reasons = result.unmapped.map((entry) => `${entry.at}: ${entry.reason}`);
    expect(reasons).toContain(
      'threats[0].categories[0]: not a STRIDE or LINDDUN category; read as the closest, elevation-of-privilege',
    );
    expect(reasons).toContain('threats[0].cwes[1]: not a CWE id; left out');
    expect(
      reasons.some((reason) => reason.startsWith('components[1].threats[0].state: not a state Parapet knows')),
    ).toBe(true);
    expect(
      reasons.some((reason) =>
        reason.startsWith('components[1].threats[0].mitigations[0].state: the mitigation does not address this threat'),
      ),
    ).toBe(true);
    expect(reasons).toContain('trustZones[0].risk.trustRating: read as trust level 100 (a whole number from 0 to 100)');
    expect(errorsOf(result.model)).toEqual([]);
  });
});
