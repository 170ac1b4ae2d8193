import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, loadModel, threatModelSchema, type ThreatModel, type ThreatModelInput } from '@parapet/core';
import { describe, expect, it } from 'vitest';
import { ImportError, type ImportResult } from '../../ImportResult.js';
import { checkModel } from '../../writeModel.js';
import { exportThreatDragon } from './exportThreatDragon.js';
import { importThreatDragon } from './importThreatDragon.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const SAMPLES = join(ROOT, 'packages/interop/fixtures/samples/threat-dragon');
const DEMO = 'v2-threat-model.json';
const ALL_TYPES = 'test-reports-all-diagram-types.json';

type Json = Record<string, unknown>;

const readSample = (name: string): string => readFileSync(join(SAMPLES, name), 'utf8');
const importSample = (name: string): ImportResult => importThreatDragon(readSample(name), name);

/** The online shop example, loaded as Parapet loads it from disk. */
function loadShop(): ThreatModel {
  const entry = join(ROOT, 'examples/online-shop/threatmodel.yaml');
  const result = loadModel(entry, {
    readFile: (path) => readFileSync(path, 'utf8'),
    resolvePath: (from, reference) => resolve(dirname(from), reference),
  });
  if (result.model === undefined) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.model;
}

/** The errors Parapet reports when loading the model (warnings are allowed). */
const errorsOf = (model: ThreatModelInput): string[] =>
  checkModel(model)
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => `${diagnostic.path}: ${diagnostic.message}`);

/**
 * The errors Parapet reports loading the model from JSON: the same checks as checkModel without writing
 * canonical YAML first, fast enough to run thousands of times.
 */
const loadErrors = (model: ThreatModelInput): string[] => {
  const text = JSON.stringify(model);
  const result = loadModel('model.json', { readFile: () => text, resolvePath: (_from, reference) => reference });
  return result.diagnostics
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((d) => `${d.path}: ${d.message}`);
};

/** The model without `origin` (which says where each item was read from, so differs between two files). */
const withoutOrigins = (model: ThreatModelInput): unknown =>
  JSON.parse(JSON.stringify(model, (key, value: unknown) => (key === 'origin' ? undefined : value)));

const byName = <T extends { name: string }>(items: readonly T[] | undefined, name: string): T => {
  const found = items?.find((item) => item.name === name);
  if (found === undefined) throw new Error(`no item named ${name}`);
  return found;
};

/** Parses a Threat Dragon file written by the exporter. */
const parseTd = (
  text: string,
): { summary: Json; detail: { diagrams: ({ cells: Json[] } & Json)[] } & Json; version: string } =>
  JSON.parse(text) as never;

describe('importThreatDragon: the Threat Dragon demo model', () => {
  const result = importSample(DEMO);
  const model = result.model;

  it('reads the summary and the people into the model info', () => {
    expect(model.model).toMatchObject({
      id: 'demo-threat-model',
      title: 'Demo Threat Model',
      description: 'A sample model of a web application, with a queue-decoupled background process.',
    });
    expect(model.model.owners?.map((owner) => `${owner.name} (${owner.role ?? ''})`)).toEqual([
      'Mike Goodwin (owner)',
      'Tom Brown (contributor)',
      'Albert Moneypenny (contributor)',
      'Jane Smith (reviewer)',
    ]);
  });

  it('reads actors, processes and stores as elements, with ids from their names and cell ids as origin', () => {
    expect(model.elements?.map((element) => [element.id, element.name, element.kind])).toEqual([
      ['worker-config', 'Worker Config', 'datastore'],
      ['database', 'Database', 'datastore'],
      ['web-application-config', 'Web Application Config', 'datastore'],
      ['message-queue', 'Message Queue', 'datastore'],
      ['background-worker-process', 'Background Worker Process', 'process'],
      ['web-application', 'Web Application', 'process'],
      ['browser', 'Browser', 'external'],
    ]);
    expect(byName(model.elements, 'Browser').origin).toEqual({
      format: 'threat-dragon',
      file: DEMO,
      line: 847,
      ref: 'b394f9f7-07ca-42bc-b616-ad77c6fbfcce',
    });
  });

  it('maps the element flags to the closest Parapet fields and says so', () => {
    const database = byName(model.elements, 'Database');
    expect(database.type).toBe('log-store'); // isALog: true in the demo
    const credentialStores = model.elements?.filter((element) => element.stores?.includes('credentials'));
    expect(credentialStores?.map((element) => element.name)).toEqual(['Worker Config', 'Web Application Config']);
    expect(model.assets).toEqual([expect.objectContaining({ id: 'credentials', kind: 'credential' })]);
    expect(byName(model.elements, 'Message Queue').type).toBe('queue');
    const guessed = result.unmapped.find((entry) => entry.what === 'type of "Message Queue"');
    expect(guessed?.reason).toContain('guessed from the name');
  });

  it('reads the 9 flows between cells, and leaves out the edge that starts at a free point', () => {
    const names = new Map(model.elements?.map((element) => [element.id, element.name]));
    expect(model.flows?.map((flow) => `${flow.name ?? ''}: ${names.get(flow.from)} -> ${names.get(flow.to)}`)).toEqual([
      'Put Message: Web Application -> Message Queue',
      'Message: Message Queue -> Background Worker Process',
      'Worker Query Results: Database -> Background Worker Process',
      'Web Response: Web Application -> Browser',
      'Read web app config: Web Application Config -> Web Application',
      'Read worker config: Worker Config -> Background Worker Process',
      'Queries: Web Application -> Database',
      'Web App Query Results: Database -> Web Application',
      'Worker Queries: Background Worker Process -> Database',
    ]);
    const freePoint = result.unmapped.find((entry) => entry.what === 'source of flow "Web Request"');
    expect(freePoint).toMatchObject({ at: 'detail.diagrams[0].cells[19].source', line: 1972 });
    expect(freePoint?.reason).toContain('free point');
  });

  it('maps flow properties: protocol HTTP/S to https, isEncrypted to tls, isPublicNetwork to a tag', () => {
    const response = byName(model.flows as { name: string }[], 'Web Response') as NonNullable<
      ThreatModelInput['flows']
    >[number];
    expect(response).toMatchObject({ protocol: 'https', encryption: 'tls', tags: ['td:public-network'] });
    const queries = byName(model.flows as { name: string }[], 'Queries') as NonNullable<
      ThreatModelInput['flows']
    >[number];
    expect(queries.encryption).toBe('tls');
    expect(queries.protocol).toBeUndefined();
    expect(result.unmapped.some((entry) => entry.at === 'detail.diagrams[0].cells[13].data.isEncrypted')).toBe(true);
  });

  it('keeps out-of-scope marks with the Threat Dragon reason, or a stated one when it gives none', () => {
    expect(byName(model.elements, 'Web Application Config').outOfScope).toEqual({
      reason: 'marked out of scope in Threat Dragon',
    });
    const outOfScope = model.flows?.filter((flow) => flow.outOfScope !== undefined);
    expect(outOfScope?.map((flow) => [flow.name, flow.outOfScope?.reason])).toEqual([
      ['Read web app config', 'This data flow represents a read from the file system'],
      ['Read worker config', 'This data flow represents a read from the file system'],
    ]);
  });

  it('turns the three trust boundary lines into zones by the flows that cross them', () => {
    const members = (zone: string): string[] | undefined =>
      model.elements?.filter((element) => element.boundary === zone).map((element) => element.name);
    expect(model.boundaries?.map((boundary) => [boundary.name, boundary.kind])).toEqual([
      ['Zone of Worker Config', 'network'],
      ['Zone of Database', 'network'],
      ['Zone of Web Application Config', 'network'],
      ['Zone of Message Queue', 'network'],
    ]);
    expect(members('zone-of-worker-config')).toEqual(['Worker Config', 'Background Worker Process']);
    expect(members('zone-of-database')).toEqual(['Database']);
    expect(members('zone-of-web-application-config')).toEqual(['Web Application Config', 'Web Application']);
    expect(members('zone-of-message-queue')).toEqual(['Message Queue']);
    expect(byName(model.elements, 'Browser').boundary).toBeUndefined();
    const lines = result.unmapped.filter((entry) => entry.what.startsWith('trust boundary line'));
    expect(lines).toHaveLength(3);
    expect(lines.every((entry) => entry.reason.startsWith('Parapet boundaries are zones: converted to'))).toBe(true);
    // The zones get boxes on the view, drawn around their members.
    expect(model.views?.[0]?.layout?.['zone-of-database']).toEqual({ x: 270, y: 370, width: 200, height: 150 });
  });

  it('reads 13 of the 14 threats, with decisions, impacts and mitigations', () => {
    expect(model.threats).toHaveLength(13);
    const lost = result.unmapped.filter((entry) => entry.what === 'threat "Data flow should use HTTP/S"');
    expect(lost).toEqual([expect.objectContaining({ reason: 'on flow "Web Request", which is not imported' })]);
    const statuses = model.decisions?.map((decision) => decision.status);
    expect(statuses?.filter((status) => status === 'mitigated')).toHaveLength(3);
    expect(statuses?.filter((status) => status === 'open')).toHaveLength(10);
    const fake = model.threats?.find((threat) => threat.title === 'Fake messages could be placed on the queue');
    expect(fake).toMatchObject({ category: 'spoofing', target: 'message-queue', impact: 'high' });
    const decision = model.decisions?.find((candidate) => candidate.threat === fake?.id);
    expect(decision?.status).toBe('mitigated');
    expect(decision?.justification).toContain('Threat Dragon');
    const mitigation = model.mitigations?.find((candidate) => candidate.id === fake?.mitigations?.[0]);
    expect(mitigation).toMatchObject({
      title: 'Restrict access to the queue to the IP addresses of the Web Server and Background Worker.',
      status: 'implemented',
      appliesTo: ['message-queue'],
    });
    expect(mitigation?.description).toContain('Implement authentication on the queue endpoint.');
    const open = model.mitigations?.find(
      (candidate) => candidate.title === 'Enforce an encrypted connection at the DB server',
    );
    expect(open?.status).toBe('proposed');
    const severity = result.unmapped.find(
      (entry) => entry.at === 'detail.diagrams[0].cells[3].data.threats[0].severity',
    );
    expect(severity).toMatchObject({
      what: 'threat severity "Low"',
      reason: 'read as impact low; likelihood left unstated',
    });
  });

  it('lists the text block, the tool version and the drawing details in unmapped', () => {
    expect(result.unmapped.find((entry) => entry.what.startsWith('text block'))).toMatchObject({
      at: 'detail.diagrams[0].cells[20]',
      what: 'text block "A Demo Threat Model showing an example web application, with a queue-decoupled background process"',
    });
    expect(result.unmapped.some((entry) => entry.what === 'Threat Dragon version "2.3.0"')).toBe(true);
  });

  it('gives a model Parapet loads without errors (warnings only: crossing flows that state no authentication)', () => {
    const diagnostics = checkModel(model);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((warning) => /states no authentication/.test(warning.message))).toBe(true);
  });

  it('keeps the diagram as a view with positions and sizes', () => {
    expect(model.views).toHaveLength(1);
    const view = model.views?.[0];
    expect(view?.name).toBe('Main Request Data Flow');
    expect(view?.include).toHaveLength(11);
    expect(view?.layout?.['worker-config']).toEqual({ x: 685, y: 420, width: 160, height: 80 });
  });
});

describe('importThreatDragon: one diagram of each type', () => {
  const result = importSample(ALL_TYPES);
  const model = result.model;

  it('reads each diagram as a view and notes the methods Parapet has no rule pack for', () => {
    expect(model.views?.map((view) => view.name)).toEqual([
      '03 - test STRIDE diagram',
      '01 - wide CIA diagram',
      '02 - narrow LINDDUN diagram',
      'New DIE diagram',
      'New PLOT4ai diagram',
      'New generic diagram',
      'diagram #7',
    ]);
    const types = result.unmapped.filter((entry) => entry.what.startsWith('diagram type'));
    expect(types.map((entry) => entry.what)).toEqual([
      'diagram type "CIA"',
      'diagram type "LINDDUN"',
      'diagram type "DIE"',
      'diagram type "PLOT4ai"',
      'diagram type "Generic"',
    ]);
    expect(types[1]?.reason).toContain('settings.rulePacks');
  });

  it('reads the 8 threats: STRIDE types as they are, the DIE type as the closest STRIDE category', () => {
    expect(model.threats?.map((threat) => [threat.title, threat.category])).toEqual([
      ['Out of scope threat', 'spoofing'],
      ['In scope threat', 'spoofing'],
      ['Out of scope threat mitigated', 'spoofing'],
      ['In scope threat mitigated', 'spoofing'],
      ['New DIE threat', 'denial-of-service'],
      ['New generic threat', 'spoofing'],
      ['New generic threat', 'spoofing'],
      ['New generic threat', 'spoofing'],
    ]);
    const die = result.unmapped.find((entry) => entry.what === 'threat type "Distributed"');
    expect(die?.reason).toContain('imported as denial-of-service');
    expect(result.unmapped.filter((entry) => entry.what === 'threat method "Generic"')).toHaveLength(3);
    expect(result.unmapped.filter((entry) => entry.what.startsWith('threat number'))).toHaveLength(8);
  });

  it("leaves out Threat Dragon's placeholder texts instead of making mitigations of them", () => {
    expect(model.mitigations).toBeUndefined();
    expect(model.threats?.every((threat) => threat.description === undefined)).toBe(true);
    expect(result.unmapped.filter((entry) => entry.what === 'threat mitigation')).toHaveLength(8);
  });

  it('keeps threats on out-of-scope elements, and the out-of-scope marks', () => {
    const target = model.elements?.find((element) => element.id === model.threats?.[0]?.target);
    expect(target?.name).toBe('Out of scope with unmitigated threat');
    expect(target?.outOfScope?.reason).toBe('marked out of scope in Threat Dragon');
    expect(model.elements?.filter((element) => element.outOfScope !== undefined)).toHaveLength(3);
  });

  it('reads boxes as boundaries (empty here), the misspelled curve as a line, text blocks as unmapped', () => {
    expect(model.boundaries?.map((boundary) => boundary.name)).toEqual(['Trust Boundary', 'Trust Boundary']);
    expect(model.elements?.some((element) => element.boundary !== undefined)).toBe(false);
    const misspelled = result.unmapped.find((entry) => entry.at === 'detail.diagrams[1].cells[5]');
    expect(misspelled?.what).toBe('trust boundary line "17a5ae3c-6ba4-4f90-adf2-f34dfb02ea2d"');
    expect(misspelled?.reason).toContain('not converted');
    expect(result.unmapped.filter((entry) => entry.what === 'text block "Arbitrary Text"')).toHaveLength(2);
  });

  it('leaves out the edges drawn between free points, noting each end', () => {
    expect(model.flows).toHaveLength(4);
    const free = result.unmapped.filter((entry) => entry.reason.includes('free point'));
    expect(free).toHaveLength(10);
  });

  it('gives a model Parapet loads without errors', () => {
    expect(errorsOf(model)).toEqual([]);
  });
});

describe('importThreatDragon: odd values', () => {
  /** The demo with some values changed as other tools and older versions write them. */
  function oddDemo(): ImportResult {
    const file = JSON.parse(readSample(DEMO)) as { detail: { diagrams: { cells: Json[] }[] } };
    const cells = file.detail.diagrams[0]?.cells ?? [];
    const queue = cells[3]?.data as { threats: Json[] };
    Object.assign(queue.threats[0] ?? {}, { severity: 'TBA', status: 'Accepted', type: 'Confidentiality' });
    Object.assign(queue.threats[1] ?? {}, { severity: 'TBD', status: 'NotApplicable', type: 'Linkability' });
    Object.assign(queue.threats[2] ?? {}, { severity: 'Critical', status: 'N/A', type: 'made-up type', score: '9.1' });
    Object.assign(cells[7]?.data as Json, { protocol: 'carrier pigeon', isEncrypted: 'yes' });
    Object.assign(cells[8]?.data as Json, { protocol: 'wss', isBidirectional: true });
    Object.assign(cells[5]?.data as Json, { handlesCardPayment: true, privilegeLevel: 'root', customFlag: 1 });
    return importThreatDragon(JSON.stringify(file), 'odd.json');
  }
  const result = oddDemo();
  const queueThreats = result.model.threats?.filter((threat) => threat.target === 'message-queue') ?? [];
  const decisionOf = (id: string | undefined): string | undefined =>
    result.model.decisions?.find((decision) => decision.threat === id)?.status;

  it('notes a severity Threat Dragon does not define and leaves the impact unstated', () => {
    expect(queueThreats[0]?.impact).toBeUndefined();
    expect(result.unmapped.find((entry) => entry.what === 'threat severity "TBA"')?.reason).toBe(
      'not a Threat Dragon severity; impact left unstated',
    );
    expect(queueThreats[1]?.impact).toBeUndefined();
    expect(queueThreats[2]?.impact).toBe('very-high');
  });

  it('reads N/A statuses as false positives and an unknown status as open, with a note', () => {
    expect(decisionOf(queueThreats[0]?.id)).toBe('open');
    expect(result.unmapped.find((entry) => entry.what === 'threat status "Accepted"')).toBeDefined();
    expect(decisionOf(queueThreats[1]?.id)).toBe('false-positive');
    expect(decisionOf(queueThreats[2]?.id)).toBe('false-positive');
  });

  it('maps CIA, LINDDUN and unknown threat types', () => {
    expect(queueThreats.map((threat) => threat.category)).toEqual(['information-disclosure', 'linking', 'tampering']);
    expect(result.unmapped.find((entry) => entry.what === 'threat type "made-up type"')?.reason).toContain(
      'not a known type',
    );
    expect(result.unmapped.some((entry) => entry.what === 'threat score "9.1"')).toBe(true);
  });

  it('notes an unknown protocol and a flag that is not a boolean; reads wss as websocket', () => {
    const flows = result.model.flows ?? [];
    expect(flows[0]?.protocol).toBeUndefined();
    expect(flows[0]?.encryption).toBeUndefined();
    expect(result.unmapped.some((entry) => entry.what === 'protocol "carrier pigeon"')).toBe(true);
    expect(result.unmapped.some((entry) => entry.what === 'isEncrypted "yes"')).toBe(true);
    expect(flows[1]).toMatchObject({ protocol: 'websocket', bidirectional: true });
  });

  it('keeps process flags no Parapet field holds as tags, and notes unknown properties', () => {
    const worker = result.model.elements?.find((element) => element.id === 'web-application');
    expect(worker?.tags).toEqual(['td:handles-card-payment', 'td:privilege-level:root']);
    expect(result.unmapped.some((entry) => entry.what === 'property "customFlag"')).toBe(true);
    expect(errorsOf(result.model)).toEqual([]);
  });
});

describe('importThreatDragon: geometry of boxes and lines', () => {
  const node = (shape: string, id: string, name: string, x: number, y: number): Json => ({
    shape,
    id,
    zIndex: 1,
    position: { x, y },
    size: { width: 100, height: 60 },
    data: { name },
  });
  const box = (id: string, name: string, x: number, y: number, width: number, height: number): Json => ({
    shape: 'trust-boundary-box',
    id,
    zIndex: -1,
    position: { x, y },
    size: { width, height },
    data: { name },
  });
  const flow = (id: string, source: string, target: string): Json => ({
    shape: 'flow',
    id,
    zIndex: 10,
    source: { cell: source },
    target: { cell: target },
    data: { name: id },
  });
  const file = (cells: Json[]): string =>
    JSON.stringify({ summary: { title: 'Boxes' }, detail: { diagrams: [{ title: 'Main', cells }] } });

  it('nests boxes in boxes and puts elements in their innermost box by their centre', () => {
    const result = importThreatDragon(
      file([
        box('b-cloud', 'Cloud', 0, 0, 1000, 800),
        box('b-private', 'Private network', 500, 100, 400, 600),
        node('actor', 'c-user', 'User', -300, 100),
        node('process', 'c-app', 'App', 100, 100),
        node('store', 'c-db', 'Database', 600, 300),
        flow('f-use', 'c-user', 'c-app'),
        flow('f-save', 'c-app', 'c-db'),
      ]),
      'boxes.json',
    );
    const boundaryOf = Object.fromEntries(result.model.elements?.map((e) => [e.name, e.boundary ?? null]) ?? []);
    // Readable cell ids (as Parapet writes them) are kept as ids.
    expect(boundaryOf).toEqual({ User: null, App: 'b-cloud', Database: 'b-private' });
    expect(result.model.boundaries?.find((boundary) => boundary.id === 'b-private')?.parent).toBe('b-cloud');
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('makes a zone inside the box that holds all its members, named after its line', () => {
    const line = {
      shape: 'trust-boundary-curve',
      id: 'l-db',
      zIndex: 10,
      source: { x: 450, y: 0 },
      target: { x: 450, y: 800 },
      data: { name: 'Database tier' },
    };
    const result = importThreatDragon(
      file([
        box('b-cloud', 'Cloud', 0, 0, 1000, 800),
        node('actor', 'c-user', 'User', -300, 100),
        node('process', 'c-app', 'App', 100, 100),
        node('store', 'c-db', 'Database', 600, 300),
        line,
        flow('f-use', 'c-user', 'c-app'),
        flow('f-save', 'c-app', 'c-db'),
      ]),
      'zone.json',
    );
    const zone = result.model.boundaries?.find((boundary) => boundary.name === 'Database tier');
    expect(zone).toMatchObject({ id: 'database-tier', kind: 'network', parent: 'b-cloud' });
    expect(result.model.elements?.map((element) => [element.name, element.boundary ?? null])).toEqual([
      ['User', null],
      ['App', 'b-cloud'],
      ['Database', 'database-tier'],
    ]);
    expect(result.unmapped.find((entry) => entry.at === 'detail.diagrams[0].cells[4]')?.reason).toBe(
      'Parapet boundaries are zones: converted to the zone(s) "Database tier" (Database)',
    );
  });

  it('reads a flow to a boundary, to itself, to an unknown cell or to another flow as unmapped', () => {
    const result = importThreatDragon(
      file([
        box('b-cloud', 'Cloud', 0, 0, 1000, 800),
        node('process', 'c-app', 'App', 100, 100),
        node('store', 'c-db', 'Database', 600, 300),
        flow('f-box', 'c-app', 'b-cloud'),
        flow('f-self', 'c-app', 'c-app'),
        flow('f-ghost', 'c-app', 'nowhere'),
        flow('f-ok', 'c-app', 'c-db'),
        flow('f-edge', 'c-app', 'f-ok'),
      ]),
      'edges.json',
    );
    expect(result.model.flows?.map((candidate) => candidate.name)).toEqual(['f-ok']);
    const reasons = result.unmapped
      .filter((entry) => /flow "f-(box|self|ghost|edge)"/.test(entry.what))
      .map((e) => e.reason);
    expect(reasons).toEqual([
      'is a trust boundary, not an element: the edge is not a flow; left out',
      'goes from an element to itself, which Parapet does not allow; left out',
      'names cell "nowhere", not on this diagram, not an element: the edge is not a flow; left out',
      'is a flow, not an element: the edge is not a flow; left out',
    ]);
  });
});

describe('importThreatDragon: corrupt and hostile input', () => {
  /** Imports and returns the ImportError it throws (failing on anything else). */
  function importError(text: string): ImportError {
    try {
      importThreatDragon(text, 'bad.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      return error as ImportError;
    }
    throw new Error('expected an ImportError');
  }

  it('refuses text that is not JSON, with the line and column', () => {
    const error = importError('{\n  "summary": {\n    "title": "x",,\n  }\n}');
    expect(error.file).toBe('bad.json');
    expect(error.line).toBe(3);
    expect(error.column).toBeGreaterThan(0);
    expect(importError('').message.length).toBeGreaterThan(0);
    expect(importError('<xml/>').line).toBe(1);
  });

  it('refuses JSON of the wrong shape, naming where', () => {
    expect(importError('[1, 2, 3]').message).toBe('not a Threat Dragon model: the top level is not a JSON object');
    expect(importError('{"title": "x"}').message).toBe(
      'not a Threat Dragon v2 model: it has neither "summary" nor "detail"',
    );
    const diagrams = importError('{"summary": {}, "detail": {"diagrams": 7}}');
    expect(diagrams.message).toBe('detail.diagrams: not a Threat Dragon v2 model: not a list');
    expect(diagrams.line).toBe(1);
    expect(importError('{"summary": {}, "detail": "text"}').message).toBe(
      'detail: not a Threat Dragon v2 model: "detail" is not an object',
    );
  });

  it('refuses a Threat Dragon v1 model, saying how to upgrade it', () => {
    const v1 = { summary: { title: 'Old' }, detail: { diagrams: [{ diagramJson: { cells: [] }, title: 'd' }] } };
    expect(importError(JSON.stringify(v1)).message).toContain('Threat Dragon v1 model');
  });

  it('refuses nesting deeper than the reading limit without a stack overflow', () => {
    const deep = `{"summary": {"title": "x"}, "detail": {"diagrams": [{"cells": [${'['.repeat(5000)}${']'.repeat(5000)}]}]}}`;
    expect(importError(deep).message).toMatch(/nest/i);
  });

  it('reads cells of the wrong type at every level as unmapped, never crashing', () => {
    const text = JSON.stringify({
      summary: { title: 42, owner: ['x'], description: {} },
      detail: {
        contributors: 'everyone',
        reviewer: 7,
        diagrams: [
          null,
          'a diagram',
          { title: 'Broken', cells: 'none' },
          {
            title: 'Odd cells',
            cells: [
              null,
              3,
              'cell',
              { shape: 'actor', id: 'a1', position: { x: 'left', y: 0 }, data: 12 },
              { shape: 'process', id: ['p'], position: { x: 0, y: 0 }, size: { width: -5, height: 'tall' }, data: [] },
              { shape: 'store', position: { x: 300, y: 0 }, data: { name: '', threats: 'many', outOfScope: 'yes' } },
              { shape: 'flow', source: 'nowhere', target: { x: 1 } },
              {
                shape: 'actor',
                id: 'a2',
                position: { x: 600, y: 0 },
                data: { threats: [null, 5, { title: 7, status: {} }] },
              },
              { shape: 'hexagon', id: 'h' },
              { data: { type: 'tm.Process', name: 'Typed only' }, position: { x: 900, y: 0 } },
              { shape: 'trust-boundary-curve', source: { x: 'a' }, target: null, vertices: 'bent' },
              { shape: 'trust-boundary-box', id: 'b', position: null, data: { name: 'Nowhere box' } },
            ],
          },
        ],
      },
    });
    const result = importThreatDragon(text, 'odd-cells.json');
    expect(result.model.model.title).toBe('Threat Dragon model');
    expect(result.model.elements?.map((element) => [element.name, element.kind])).toEqual([
      ['Actor', 'external'],
      ['Process', 'process'],
      ['Store', 'datastore'],
      ['Actor', 'external'],
      ['Typed only', 'process'],
    ]);
    expect(result.model.threats?.map((threat) => threat.title)).toEqual(['Threat to Actor']);
    const at = (path: string): string[] =>
      result.unmapped.filter((entry) => entry.at === path).map((entry) => entry.reason);
    expect(at('detail.diagrams[0]')).toEqual(['not an object; left out']);
    expect(at('detail.diagrams[2].cells')).toEqual(['not a list; left out']);
    expect(at('detail.diagrams[3].cells[0]')).toEqual(['not an object; left out']);
    expect(at('detail.diagrams[3].cells[3].data')).toEqual(['not an object; ignored']);
    expect(at('detail.diagrams[3].cells[5].data.threats')).toEqual(['not a list; left out']);
    expect(at('detail.diagrams[3].cells[8]')).toEqual(['not a Threat Dragon shape; left out']);
    expect(at('detail.diagrams[3].cells[7].data.threats[0]')).toEqual(['not an object; left out']);
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('cuts over-long names and text to what Parapet allows, and keeps keys such as __proto__ inert', () => {
    const name = 'N'.repeat(20_000);
    const text = `{"summary": {"title": "Long"}, "detail": {"diagrams": [{"cells": [
      {"shape": "process", "id": "p1", "position": {"x": 0, "y": 0}, "data": {"name": "${name}", "__proto__": {"polluted": true}, "description": "${'d'.repeat(150_000)}"}}
    ]}]}}`;
    const result = importThreatDragon(text, 'long.json');
    const element = result.model.elements?.[0];
    expect(element?.name).toHaveLength(500);
    expect(element?.description).toHaveLength(100_000);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(result.unmapped.some((entry) => entry.what === 'property "__proto__"')).toBe(true);
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('reads the same cell id twice on one diagram as two items, and keeps both', () => {
    const text = JSON.stringify({
      summary: { title: 'Twice' },
      detail: {
        diagrams: [
          {
            cells: [
              { shape: 'process', id: 'same', position: { x: 0, y: 0 }, data: { name: 'First' } },
              { shape: 'process', id: 'same', position: { x: 300, y: 0 }, data: { name: 'Second' } },
              { shape: 'flow', id: 'same', source: { cell: 'same' }, target: { cell: 'same' } },
            ],
          },
        ],
      },
    });
    const result = importThreatDragon(text, 'twice.json');
    expect(result.model.elements?.map((element) => [element.id, element.name])).toEqual([
      ['same', 'First'],
      ['second', 'Second'],
    ]);
    expect(result.unmapped.filter((entry) => entry.what === 'cell id "same"')).toHaveLength(1);
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('keeps boundaries free of loops when two diagrams nest the same boxes the other way round', () => {
    const boxes = (outer: string, inner: string): Json[] => [
      {
        shape: 'trust-boundary-box',
        id: outer,
        zIndex: -2,
        position: { x: 0, y: 0 },
        size: { width: 800, height: 800 },

        data: { name: outer },
      },
      {
        shape: 'trust-boundary-box',
        id: inner,
        zIndex: -1,
        position: { x: 100, y: 100 },
        size: { width: 300, height: 300 },

        data: { name: inner },
      },
      { shape: 'process', id: `app-${outer}`, zIndex: 1, position: { x: 150, y: 150 }, data: { name: `App ${outer}` } },
    ];
    const text = JSON.stringify({
      summary: { title: 'Loop' },
      detail: { diagrams: [{ cells: boxes('zone-a', 'zone-b') }, { cells: boxes('zone-b', 'zone-a') }] },
    });
    const result = importThreatDragon(text, 'loop.json');
    expect(result.model.boundaries?.map((boundary) => [boundary.id, boundary.parent ?? null])).toEqual([
      ['zone-a', null],
      ['zone-b', 'zone-a'],
    ]);
    expect(result.unmapped.find((entry) => entry.what === '"zone-a" drawn inside "zone-b"')?.reason).toContain(
      'the other way round',
    );
    expect(errorsOf(result.model)).toEqual([]);
  });

  it('keeps ids that are names of object properties (constructor, toString) as plain ids, both ways', () => {
    const text = JSON.stringify({
      summary: { title: 'Prototype names' },
      detail: {
        diagrams: [
          {
            cells: [
              { shape: 'process', id: 'constructor', zIndex: 1, position: { x: 0, y: 0 }, data: { name: 'A' } },
              { shape: 'store', id: 'toString', zIndex: 2, position: { x: 300, y: 0 }, data: { name: 'B' } },
              {
                shape: 'flow',
                id: 'hasOwnProperty',
                zIndex: 10,
                source: { cell: 'constructor' },
                target: { cell: 'toString' },
              },
            ],
          },
        ],
      },
    });
    const first = importThreatDragon(text, 'names.json');
    const second = importThreatDragon(exportThreatDragon(threatModelSchema.parse(first.model)).text, 'again.json');
    expect(second.model.elements?.map((element) => element.id)).toEqual(['constructor', 'toString']);
    expect(second.model.flows?.map((flow) => [flow.id, flow.from, flow.to])).toEqual([
      ['hasOwnProperty', 'constructor', 'toString'],
    ]);
    expect(withoutOrigins(second.model)).toEqual(withoutOrigins(first.model));
  });

  it('survives any field of the demo replaced by a value of another type', () => {
    const original = JSON.parse(readSample(DEMO)) as Json;
    const replacements: unknown[] = [null, 7, 'text'];
    let imported = 0;
    let refused = 0;
    for (const path of fieldPaths(original)) {
      for (const replacement of replacements) {
        const copy = structuredClone(original);
        setAt(copy, path, replacement);
        try {
          const result = importThreatDragon(JSON.stringify(copy), 'mutated.json');
          expect(loadErrors(result.model), `${path.join('.')} = ${JSON.stringify(replacement)}`).toEqual([]);
          imported += 1;
        } catch (error) {
          expect(error, `${path.join('.')} = ${JSON.stringify(replacement)}`).toBeInstanceOf(ImportError);
          refused += 1;
        }
      }
    }
    expect(imported).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(0);
  }, 120_000);

  it('stays fast on a large diagram and refuses one with too many boxes to place', () => {
    const cells: Json[] = [];
    for (let i = 0; i < 3000; i++) {
      cells.push({
        shape: 'process',
        id: `p${i}`,
        position: { x: (i % 60) * 150, y: Math.floor(i / 60) * 150 },
        data: { name: `P ${i}` },
      });
    }
    for (let i = 0; i + 1 < 3000; i++)
      cells.push({ shape: 'flow', id: `f${i}`, source: { cell: `p${i}` }, target: { cell: `p${i + 1}` } });
    for (let i = 0; i < 50; i++) {
      cells.push({
        shape: 'trust-boundary-box',
        id: `b${i}`,
        position: { x: i * 150 - 10, y: -10 },
        size: { width: 140, height: 8000 },
      });
    }
    cells.push({ shape: 'trust-boundary-curve', id: 'l', source: { x: 4470, y: -100 }, target: { x: 4470, y: 9000 } });
    const started = performance.now();
    const result = importThreatDragon(
      JSON.stringify({ summary: { title: 'Big' }, detail: { diagrams: [{ cells }] } }),
      'big.json',
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.model.elements).toHaveLength(3000);
    expect(result.model.flows).toHaveLength(2999);
    expect(result.model.elements?.[0]?.boundary).toBe('b0');
    // The line cuts each row of the chain in two; the right halves hold no external entity, so become zones.
    expect(result.model.boundaries?.filter((boundary) => boundary.name.startsWith('Zone of'))).toHaveLength(50);

    const boxes = Array.from({ length: 8000 }, (_, i) => ({
      shape: 'trust-boundary-box',
      id: `b${i}`,
      position: { x: i, y: i },
    }));
    const nodes = Array.from({ length: 8000 }, (_, i) => ({ shape: 'store', id: `s${i}`, position: { x: i, y: i } }));
    const crowded = JSON.stringify({
      summary: { title: 'Crowded' },
      detail: { diagrams: [{ cells: [...boxes, ...nodes] }] },
    });
    const refusedAt = performance.now();
    expect(() => importThreatDragon(crowded, 'crowded.json')).toThrow(/more than Parapet places by geometry/);
    expect(performance.now() - refusedAt).toBeLessThan(5000);
  });
});

describe('exportThreatDragon', () => {
  const shop = loadShop();
  const exported = exportThreatDragon(shop);
  const file = parseTd(exported.text);
  const sampleCells = [DEMO, ALL_TYPES].flatMap((name) =>
    parseTd(readSample(name)).detail.diagrams.flatMap((d) => d.cells),
  );

  it('writes the structure of Threat Dragon v2 files: summary, detail, diagrams, version', () => {
    const sample = parseTd(readSample(DEMO));
    expect(Object.keys(file).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(file.summary).sort()).toEqual(Object.keys(sample.summary).sort());
    expect(Object.keys(file.detail).sort()).toEqual(Object.keys(sample.detail).sort());
    expect(file.summary).toMatchObject({ title: 'Northwind Outfitters online shop', owner: 'Ines Moreau' });
    expect(file.detail['contributors']).toEqual([{ name: 'Tomasz Nowak' }]);
    expect(file.detail.diagrams.map((diagram) => diagram['title'])).toEqual(['Context', 'Production data flows']);
    for (const diagram of file.detail.diagrams) {
      for (const key of ['diagramType', 'id', 'thumbnail', 'title', 'version', 'cells'])
        expect(diagram).toHaveProperty(key);
    }
    expect(file.version.length).toBeLessThanOrEqual(10);
    expect(exported.text.endsWith('}\n')).toBe(true);
  });

  it('writes every data property Threat Dragon writes for each shape, and cells as its drawing library does', () => {
    const keysByShape = new Map<string, Set<string>>();
    for (const cell of sampleCells) {
      const keys = keysByShape.get(cell['shape'] as string) ?? new Set<string>();
      for (const key of Object.keys(cell['data'] as Json)) keys.add(key);
      keysByShape.set(cell['shape'] as string, keys);
    }
    const cells = file.detail.diagrams.flatMap((diagram) => diagram.cells);
    for (const shape of ['actor', 'process', 'store', 'flow', 'trust-boundary-box']) {
      const written = cells.filter((cell) => cell['shape'] === shape);
      expect(written.length, shape).toBeGreaterThan(0);
      for (const cell of written) {
        const data = Object.keys(cell['data'] as Json);
        for (const key of keysByShape.get(shape) ?? []) expect(data, `${shape} ${String(cell['id'])}`).toContain(key);
        expect((cell['id'] as string).length).toBeGreaterThanOrEqual(2);
        expect(Number.isInteger(cell['zIndex'])).toBe(true);
        if (shape === 'flow') {
          expect(typeof (cell['source'] as Json)['cell']).toBe('string');
          expect(typeof (cell['target'] as Json)['cell']).toBe('string');
          expect(Object.keys(cell['source'] as Json)).toEqual(['cell']);
        } else {
          const size = cell['size'] as { width: number; height: number };
          expect(size.width).toBeGreaterThanOrEqual(10);
          expect(size.height).toBeGreaterThanOrEqual(10);
        }
      }
    }
    const threatKeys = new Set(
      sampleCells
        .flatMap((cell) => ((cell['data'] as Json)['threats'] as Json[] | undefined) ?? [])
        .flatMap(Object.keys),
    );
    const threats = cells.flatMap((cell) => ((cell['data'] as Json)['threats'] as Json[] | undefined) ?? []);
    expect(threats.map((threat) => threat['id'])).toEqual([
      't-volumetric-ddos',
      't-checkout-skimming',
      't-backoffice-takeover',
      't-voucher-sqli',
    ]);
    for (const threat of threats) expect(Object.keys(threat).sort()).toEqual([...threatKeys].sort());
    expect(threats.map((threat) => threat['number'])).toEqual([1, 2, 3, 4]);
  });

  it('draws boundaries that the context view leaves out around its elements, and notes it', () => {
    const context = file.detail.diagrams[0]?.cells ?? [];
    const boxes = context.filter((cell) => cell['shape'] === 'trust-boundary-box').map((cell) => cell['id']);
    expect(boxes).toContain('ns-shop');
    expect(exported.unmapped.find((entry) => entry.at === 'views[0].include')?.reason).toContain('membership is drawn');
  });

  it('lists in unmapped what Threat Dragon cannot hold', () => {
    const what = (at: string): string | undefined => exported.unmapped.find((entry) => entry.at === at)?.what;
    expect(what('boundaries[0]')).toBe('boundary "cloudflare-edge": kind third-party, trust level 40');
    expect(what('flows[0]')).toBe('flow "browse-shop": port; authentication; data; controls');
    expect(what('actors')).toBe('4 actors');
    expect(what('decisions[2]')).toBe('decision on "flow.cleartext@consume-orders"');
    expect(exported.unmapped.find((entry) => entry.at === 'decisions[2]')?.reason).toBe(
      'export with the analysis to write generated threats',
    );
  });

  it('writes a decision Threat Dragon has no status for into the mitigation text', () => {
    const cdn = file.detail.diagrams.flatMap((diagram) => diagram.cells).find((cell) => cell['id'] === 'cdn');
    const threat = ((cdn?.['data'] as Json)['threats'] as Json[])[0];
    expect(threat?.['status']).toBe('Mitigated');
    expect(threat?.['mitigation']).toBe(
      "[Parapet decision: transferred] Volumetric attacks are absorbed by Cloudflare under the Enterprise plan's 100% uptime SLA.",
    );
  });
});

describe('round trips', () => {
  it('online shop -> Threat Dragon -> Parapet keeps elements, flows, boundaries, scope marks, threats and decisions', () => {
    const shop = structuredClone(loadShop());
    // The example marks nothing out of scope; mark an element and a flow so that the marks are tested too.
    const monitoring = shop.elements?.find((element) => element.id === 'monitoring');
    const query = shop.flows?.find((flow) => flow.id === 'monitoring-query');
    if (monitoring === undefined || query === undefined) throw new Error('the example changed');
    monitoring.outOfScope = { reason: 'Covered by the platform team model' };
    query.outOfScope = { reason: 'Covered by the platform team model' };

    const back = importThreatDragon(exportThreatDragon(shop).text, 'shop.json').model;
    expect(errorsOf(back)).toEqual([]);
    const elements = (model: { elements?: readonly Json[] | undefined }): unknown =>
      model.elements?.map((e) => [e['id'], e['name'], e['kind'], e['boundary'] ?? null, e['outOfScope'] ?? null]);
    expect(new Set(elements(back) as unknown[])).toEqual(new Set(elements(shop as never) as unknown[]));
    const flows = (list: readonly Json[] | undefined): unknown =>
      list?.map((f) => [f['id'], f['from'], f['to'], f['name'] ?? null, f['outOfScope'] ?? null]);
    expect(new Set(flows(back.flows as Json[]) as unknown[])).toEqual(
      new Set(flows(shop.flows as Json[]) as unknown[]),
    );
    const boundaries = (list: readonly Json[] | undefined): unknown =>
      list?.map((b) => [b['id'], b['name'], b['parent'] ?? null]);
    expect(new Set(boundaries(back.boundaries as Json[]) as unknown[])).toEqual(
      new Set(boundaries(shop.boundaries as Json[]) as unknown[]),
    );
    const threats = (list: readonly Json[] | undefined): unknown =>
      list?.map((t) => [t['id'], t['title'], t['category'], t['target'], t['impact']]);
    const sorted = (list: unknown): unknown => (list as string[][]).map((entry) => JSON.stringify(entry)).sort();
    expect(sorted(threats(back.threats as Json[]))).toEqual(sorted(threats(shop.threats as Json[])));
    // A threat without a decision is open in Parapet; Threat Dragon's "Open" comes back as an open decision.
    const status = (model: { decisions?: readonly Json[] | undefined }, threat: string): unknown =>
      model.decisions?.find((decision) => decision['threat'] === threat)?.['status'] ?? 'open';
    for (const threat of shop.threats ?? [])
      expect(status(back, threat.id), threat.id).toBe(status(shop as never, threat.id));
    expect(status(back, 't-volumetric-ddos')).toBe('transferred');
  });

  it('online shop with its analysis: generated threats go out with their statuses and come back as decisions only', () => {
    const shop = loadShop();
    const analysis = analyze(shop);
    const exported = exportThreatDragon(shop, { analysis });
    const cells = parseTd(exported.text).detail.diagrams.flatMap((diagram) => diagram.cells);
    const written = cells.flatMap((cell) => ((cell['data'] as Json)['threats'] as Json[] | undefined) ?? []);
    const generated = analysis.threats.filter((threat) => threat.ruleId !== null && threat.target.section !== 'assets');
    expect(written.length).toBeGreaterThan(4);
    const accepted = written.find((threat) => threat['id'] === 'flow.cleartext@consume-orders');
    expect(accepted?.['status']).toBe('Open');
    expect(accepted?.['mitigation']).toContain('[Parapet decision: accepted]');
    expect(generated.length).toBeGreaterThan(0);

    const back = importThreatDragon(exported.text, 'shop.json').model;
    expect(back.threats?.map((threat) => threat.id).sort()).toEqual(shop.threats?.map((threat) => threat.id).sort());
    const decision = back.decisions?.find((candidate) => candidate.threat === 'flow.cleartext@consume-orders');
    expect(decision?.status).toBe('accepted');
    expect(decision?.justification).toContain('The plain AMQP listener is reachable only');
    expect(errorsOf(back)).toEqual([]);
  });

  for (const name of [DEMO, ALL_TYPES]) {
    it(`${name} -> Parapet -> Threat Dragon -> Parapet gives the same model the second time`, () => {
      const first = importSample(name);
      const second = importThreatDragon(exportThreatDragon(threatModelSchema.parse(first.model)).text, 'again.json');
      expect(withoutOrigins(second.model)).toEqual(withoutOrigins(first.model));
    });
  }

  it("keeps a view's positions when the boxes drawn around them say the model's memberships", () => {
    const model = threatModelSchema.parse({
      parapet: 1,
      model: { id: 'laid-out', title: 'Laid out' },
      boundaries: [{ id: 'dmz', name: 'DMZ' }],
      elements: [
        { id: 'user', name: 'User', kind: 'external', type: 'user' },
        { id: 'web', name: 'Web', kind: 'process', boundary: 'dmz' },
        { id: 'api', name: 'API', kind: 'process', boundary: 'dmz' },
      ],
      flows: [
        { id: 'visit', from: 'user', to: 'web' },
        { id: 'call', from: 'web', to: 'api' },
      ],
      views: [
        {
          id: 'main',
          name: 'Main',
          layout: { user: { x: 0, y: 0 }, web: { x: 400, y: 0 }, api: { x: 600, y: 0 } },
        },
        {
          id: 'crowded',
          name: 'Crowded',
          // The user sits between two DMZ members: a box around them would take the user in.
          layout: { web: { x: 0, y: 0 }, user: { x: 400, y: 0 }, api: { x: 800, y: 0 } },
        },
      ],
    });
    const exported = exportThreatDragon(model);
    const diagrams = parseTd(exported.text).detail.diagrams;
    const position = (diagram: number, id: string): unknown =>
      diagrams[diagram]?.cells.find((cell) => cell['id'] === id)?.['position'];
    expect(position(0, 'web')).toEqual({ x: 400, y: 0 });
    expect(position(0, 'user')).toEqual({ x: 0, y: 0 });
    expect(position(1, 'user')).not.toEqual({ x: 400, y: 0 });
    expect(exported.unmapped.find((entry) => entry.at === 'views[1].layout')?.reason).toContain('laid out as a grid');
    const back = importThreatDragon(exported.text, 'laid-out.json').model;
    expect(back.elements?.map((element) => [element.id, element.boundary ?? null])).toEqual([
      ['user', null],
      ['web', 'dmz'],
      ['api', 'dmz'],
    ]);
    expect(back.views?.[0]?.layout?.['web']).toEqual({ x: 400, y: 0, width: 100, height: 100 });
  });
});

/** Paths to every value in the demo's cells' `data` and their threats, and to the cells and diagram fields. */
function fieldPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const skip = new Set(['ports', 'attrs', 'labels', 'markup']);
  if (Array.isArray(value)) return [path, ...value.flatMap((item, index) => fieldPaths(item, [...path, index]))];
  if (typeof value === 'object' && value !== null) {
    return [
      path,
      ...Object.entries(value).flatMap(([key, item]) => (skip.has(key) ? [] : fieldPaths(item, [...path, key]))),
    ];
  }
  return [path];
}

function setAt(target: Json, path: readonly (string | number)[], replacement: unknown): void {
  if (path.length === 0) return;
  let current: unknown = target;
  for (const segment of path.slice(0, -1)) current = (current as Record<string | number, unknown>)[segment];
  (current as Record<string | number, unknown>)[path[path.length - 1] as string | number] = replacement;
}
