import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ThreatModelInput } from '@parapet/core';
import { describe, expect, it } from 'vitest';
import { ImportError, type ImportResult } from '../../ImportResult.js';
import { MAX_INPUT_BYTES } from '../../source.js';
import { checkModel } from '../../writeModel.js';
import { importTmt } from './importTmt.js';
import { MAX_ATTRIBUTE_CHARS, MAX_XML_DEPTH, MAX_XML_ELEMENTS } from './readXml.js';

const SAMPLES = fileURLToPath(new URL('../../../fixtures/samples/ms-tmt/', import.meta.url));
const SAMPLE_FILE = 'Sample_Threat_Model.tm7';
const SAMPLE = readFileSync(`${SAMPLES}${SAMPLE_FILE}`, 'utf8');
const TEMPLATE = readFileSync(`${SAMPLES}default.tb7`, 'utf8');

/** Stencil and line guids of the sample, as the tool wrote them. */
const GUID = {
  interactor: '41cb799f-434b-4b35-bd8e-8970bb985ec9',
  process1: '7d402f21-b92a-4eeb-9b9d-362903405551',
  process2: '627d2636-7f62-481c-a46f-7af41e24c937',
  store: 'f5e8c8a7-e181-4fb3-a183-3428f69f8bab',
  border: '2630a387-0a98-4028-9cdd-6f514b6a4b5d',
  storeToProcess: 'f367ac70-74ff-4ba1-abc4-0ac96e350448',
  httpsIn: '59332388-df08-4b98-b15a-14112782984b',
};

type Model = ThreatModelInput;

/** Imports text as the sample file. */
function load(text: string, file = SAMPLE_FILE): ImportResult {
  return importTmt(text, file);
}

/** The ImportError an import throws (failing the test when it throws nothing or something else). */
function refusal(text: string, file = 'hostile.tm7'): ImportError {
  try {
    importTmt(text, file);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the import did not fail');
}

/** The element of the model made from the stencil with that guid. */
function elementOf(model: Model, guid: string) {
  const element = model.elements?.find((item) => item.origin?.ref === guid);
  if (element === undefined) throw new Error(`no element from ${guid}`);
  return element;
}

/** The flow of the model made from the line with that guid. */
function flowOf(model: Model, guid: string) {
  const flow = model.flows?.find((item) => item.origin?.ref === guid);
  if (flow === undefined) throw new Error(`no flow from ${guid}`);
  return flow;
}

/** The `<a:KeyValueOfguidanyType>` entry (stencil or line) keyed by the guid, edited. */
function editEntry(text: string, guid: string, edit: (entry: string) => string): string {
  const key = text.indexOf(`<a:Key>${guid}</a:Key>`);
  const start = text.lastIndexOf('<a:KeyValueOfguidanyType>', key);
  const end = text.indexOf('</a:KeyValueOfguidanyType>', key);
  if (key === -1 || start === -1 || end === -1) throw new Error(`no entry ${guid}`);
  return text.slice(0, start) + edit(text.slice(start, end)) + text.slice(end);
}

/** The n-th (0-based) stored threat instance, edited. */
function editInstance(text: string, index: number, edit: (entry: string) => string): string {
  const open = '<a:KeyValueOfstringThreatpc_P0_PhOB>';
  let start = text.indexOf(open);
  for (let n = 0; n < index; n++) start = text.indexOf(open, start + 1);
  const end = text.indexOf('</a:KeyValueOfstringThreatpc_P0_PhOB>', start);
  return text.slice(0, start) + edit(text.slice(start, end)) + text.slice(end);
}

/** Sets a display attribute's value in an entry: a list's selected index, or a string or boolean value. */
function setAttribute(entry: string, displayName: string, value: string | number): string {
  const at = entry.indexOf(`<b:DisplayName>${displayName}</b:DisplayName>`);
  if (at === -1) throw new Error(`no attribute ${displayName}`);
  const end = entry.indexOf('</a:anyType>', at);
  let attribute = entry.slice(at, end);
  attribute =
    typeof value === 'number'
      ? attribute.replace(/<b:SelectedIndex>\d+<\/b:SelectedIndex>/, `<b:SelectedIndex>${value}</b:SelectedIndex>`)
      : attribute.replace(/<b:Value ([^>]*?)\/>|<b:Value ([^>]*)>[^<]*<\/b:Value>/, (_whole, empty, full) => {
          const attributes = String(empty ?? full);
          return `<b:Value ${attributes}>${value}</b:Value>`;
        });
  return entry.slice(0, at) + attribute + entry.slice(end);
}

/** A line boundary drawn from (x, 0) down to (x, 400), made from the sample's HTTPS line. */
function lineBoundary(x: number, name: string, guid: string): string {
  const start = SAMPLE.lastIndexOf('<a:KeyValueOfguidanyType>', SAMPLE.indexOf(`<a:Key>${GUID.httpsIn}</a:Key>`));
  const end = SAMPLE.indexOf('</a:KeyValueOfguidanyType>', start) + '</a:KeyValueOfguidanyType>'.length;
  return SAMPLE.slice(start, end)
    .replaceAll(GUID.httpsIn, guid)
    .replace('z:Id="i11" i:type="Connector"', 'z:Id="i90" i:type="LineBoundary"')
    .replace('>GE.DF<', '>GE.TB.L<')
    .replace('>SE.DF.TMCore.HTTPS<', '>SE.TB.L.TMCore.Internet<')
    .replace(/>HTTPS</g, `>${name}<`)
    .replace(/(<(Source|Target)Guid [^>]*>)[^<]*</g, '$100000000-0000-0000-0000-000000000000<')
    .replace(/(<SourceX [^>]*>)[^<]*</, `$1${x}<`)
    .replace(/(<SourceY [^>]*>)[^<]*</, '$10<')
    .replace(/(<HandleX [^>]*>)[^<]*</, `$1${x}<`)
    .replace(/(<HandleY [^>]*>)[^<]*</, '$1200<')
    .replace(/(<TargetX [^>]*>)[^<]*</, `$1${x}<`)
    .replace(/(<TargetY [^>]*>)[^<]*</, '$1400<');
}

describe('importTmt on the sample model', () => {
  const result = load(SAMPLE);
  const { model } = result;

  it('gives a model Parapet loads without errors or warnings', () => {
    expect(result.format).toBe('ms-tmt');
    expect(checkModel(model)).toEqual([]);
    expect(model.model).toEqual({ id: 'sample-threat-model', title: 'Sample Threat Model' });
  });

  it('maps the four stencils to elements with their kinds, technologies and security answers', () => {
    expect(model.elements?.map(({ name, kind }) => [name, kind])).toEqual([
      ['Generic External Interactor', 'external'],
      ['OS Process', 'process'],
      ['OS Process', 'process'],
      ['Generic Data Store', 'datastore'],
    ]);
    expect(elementOf(model, GUID.process1)).toMatchObject({
      id: 'os-process',
      technology: 'OS Process',
      security: { authentication: 'none', authorization: 'none' },
    });
    expect(elementOf(model, GUID.process2).id).toBe('os-process-2');
    // The generic data store's Store Type is "SQL Relational Database"; Encrypted and Backup are No.
    expect(elementOf(model, GUID.store)).toMatchObject({
      type: 'database',
      technology: 'SQL Relational Database',
      security: { encryptionAtRest: false, backups: false },
    });
    expect(elementOf(model, GUID.interactor).type).toBeUndefined();
  });

  it('maps the six lines to flows between the right elements, HTTPS ones as encrypted https', () => {
    const names = new Map(model.elements?.map(({ id, name }) => [id, name]));
    expect(model.flows?.map((flow) => `${names.get(flow.from)} -> ${names.get(flow.to)}: ${flow.name}`)).toEqual([
      'Generic Data Store -> OS Process: Generic Data Flow',
      'OS Process -> Generic Data Store: Generic Data Flow',
      'OS Process -> OS Process: Generic Data Flow',
      'OS Process -> OS Process: Generic Data Flow',
      'Generic External Interactor -> OS Process: HTTPS',
      'OS Process -> Generic External Interactor: HTTPS',
    ]);
    expect(flowOf(model, GUID.httpsIn)).toMatchObject({ protocol: 'https', encryption: 'tls', authentication: 'none' });
    expect(flowOf(model, GUID.storeToProcess)).toMatchObject({ encryption: 'none', authentication: 'none' });
    expect(flowOf(model, GUID.storeToProcess).protocol).toBeUndefined();
  });

  it('finds the border boundary members by geometry: the two processes, not the interactor or the store', () => {
    expect(model.boundaries).toEqual([
      expect.objectContaining({
        id: 'generic-trust-border-boundary',
        name: 'Generic Trust Border Boundary',
        kind: 'other',
      }),
    ]);
    const inside = model.elements?.filter((element) => element.boundary === 'generic-trust-border-boundary');
    expect(inside?.map((element) => element.origin?.ref)).toEqual([GUID.process1, GUID.process2]);
  });

  it('imports the 29 stored threats with STRIDE categories, placeholders filled, on the flow each names', () => {
    const threats = model.threats ?? [];
    expect(threats).toHaveLength(29);
    const counts: Record<string, number> = {};
    for (const threat of threats) counts[threat.category] = (counts[threat.category] ?? 0) + 1;
    expect(counts).toEqual({
      spoofing: 6,
      tampering: 1,
      repudiation: 4,
      'information-disclosure': 2,
      'denial-of-service': 9,
      'elevation-of-privilege': 7,
    });
    const https = flowOf(model, GUID.httpsIn).id;
    expect(threats.filter((threat) => threat.target === https).map((threat) => threat.title)).toContain(
      'Spoofing the Generic External Interactor External Entity',
    );
    expect(threats.find((threat) => threat.origin?.ref === 'D4' && threat.target === https)?.title).toBe(
      'Data Flow HTTPS Is Potentially Interrupted',
    );
    const first = threats[0];
    expect(first).toMatchObject({
      title: 'Spoofing the OS Process Process',
      category: 'spoofing',
      target: flowOf(model, GUID.storeToProcess).id,
      impact: 'high',
      origin: { format: 'ms-tmt', file: SAMPLE_FILE, ref: 'S2' },
    });
    expect(first?.description).toMatch(/^OS Process may be spoofed by an attacker/);
  });

  it('turns the 29 AutoGenerated states into open decisions, one per threat', () => {
    expect(model.decisions).toHaveLength(29);
    expect(new Set(model.decisions?.map((decision) => decision.status))).toEqual(new Set(['open']));
    expect(model.decisions?.map((decision) => decision.threat)).toEqual(model.threats?.map((threat) => threat.id));
  });

  it('fills the titles from the knowledge base templates when the instances do not store them', () => {
    const withoutTitles = SAMPLE.replace(
      /<a:KeyValueOfstringstring><a:Key>Title<\/a:Key><a:Value>[^<]*<\/a:Value><\/a:KeyValueOfstringstring>/g,
      '',
    );
    expect(withoutTitles.length).toBeLessThan(SAMPLE.length);
    const titles = load(withoutTitles).model.threats?.map((threat) => threat.title);
    expect(titles).toEqual(model.threats?.map((threat) => threat.title));
    expect(titles).toContain('Potential Excessive Resource Consumption for OS Process or Generic Data Store');
  });

  it('keeps the diagram as a view with the stencils and the box where the tool drew them', () => {
    expect(model.views).toEqual([
      {
        id: 'diagram-1',
        name: 'Diagram 1',
        layout: {
          'generic-external-interactor': { x: 675, y: 157, width: 100, height: 100 },
          'os-process': { x: 263, y: 119, width: 100, height: 100 },
          'os-process-2': { x: 454, y: 124, width: 100, height: 100 },
          'generic-data-store': { x: 11, y: 131, width: 100, height: 100 },
          'generic-trust-border-boundary': { x: 182, y: 25, width: 429, height: 313 },
        },
      },
    ]);
  });

  it('gives every imported item its origin', () => {
    const items = [...(model.elements ?? []), ...(model.flows ?? []), ...(model.boundaries ?? [])];
    for (const item of [...items, ...(model.threats ?? [])]) {
      expect(item.origin).toMatchObject({ format: 'ms-tmt', file: SAMPLE_FILE, line: 1 });
      expect(item.origin?.ref).toBeTruthy();
    }
    expect(model.boundaries?.[0]?.origin?.ref).toBe(GUID.border);
  });

  it('lists what it leaves out, with the XML path', () => {
    const whats = result.unmapped.map((entry) => entry.what);
    expect(whats).toContain('attribute "Contains Cookies": "Yes" of "HTTPS"');
    expect(whats).toContain('attribute "Stores Credentials": "No" of "Generic Data Store"');
    expect(whats).toContain('"Authenticates Itself: No" of "Generic External Interactor"');
    expect(whats).toContain('threat priorities (High: 29)');
    expect(whats.some((what) => what.startsWith('knowledge base "SDL TM Knowledge Base (Core) 4.1.0.9"'))).toBe(true);
    const cookies = result.unmapped.find((entry) => entry.what === 'attribute "Contains Cookies": "Yes" of "HTTPS"');
    expect(cookies?.at).toBe(
      '/ThreatModel/DrawingSurfaceList/DrawingSurfaceModel[1]/Lines/KeyValueOfguidanyType[5]/Value/Properties/anyType[15]',
    );
    for (const entry of result.unmapped) {
      expect(entry.at).toMatch(/^\/ThreatModel\//);
      expect(entry.file).toBe(SAMPLE_FILE);
    }
  });

  it('is deterministic', () => {
    expect(load(SAMPLE)).toEqual(result);
  });
});

describe('importTmt on edited copies of the sample', () => {
  it('maps threat states to decisions with their justification', () => {
    let text = editInstance(SAMPLE, 0, (entry) =>
      entry
        .replace('<b:State>AutoGenerated</b:State>', '<b:State>NotApplicable</b:State>')
        .replace(
          '<b:StateInformation i:nil="true"/>',
          '<b:StateInformation>The store only holds public data &amp; is read-only.</b:StateInformation>',
        ),
    );
    text = editInstance(text, 1, (entry) =>
      entry
        .replace('<b:State>AutoGenerated</b:State>', '<b:State>Mitigated</b:State>')
        .replace('<b:ChangedBy i:nil="true"/>', '<b:ChangedBy>Alice</b:ChangedBy>')
        .replace(
          '<b:ModifiedAt>0001-01-01T00:00:00</b:ModifiedAt>',
          '<b:ModifiedAt>2024-03-05T10:00:00</b:ModifiedAt>',
        ),
    );
    text = editInstance(text, 2, (entry) =>
      entry.replace('<b:State>AutoGenerated</b:State>', '<b:State>NeedsInvestigation</b:State>'),
    );
    text = editInstance(text, 3, (entry) =>
      entry.replace('<b:State>AutoGenerated</b:State>', '<b:State>Dunno</b:State>'),
    );
    const result = load(text);
    const [first, second, third, fourth, fifth] = result.model.decisions ?? [];
    expect(first).toMatchObject({
      status: 'false-positive',
      justification: 'The store only holds public data & is read-only.',
    });
    expect(second).toMatchObject({ status: 'mitigated', owner: 'Alice', decided: '2024-03-05' });
    expect(third?.status).toBe('open');
    expect(fourth?.status).toBe('open');
    expect(fifth).toEqual({ threat: result.model.threats?.[4]?.id, status: 'open' });
    const whats = result.unmapped.map((entry) => entry.what);
    expect(whats).toContain('state of threat "Potential Data Repudiation by OS Process"');
    expect(whats).toContain('state "Dunno" of threat "Weak Access Control for a Resource"');
    expect(checkModel(result.model).filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('maps element answers: out of scope with its reason, input sanitizing, an interactor that is a human', () => {
    let text = editEntry(SAMPLE, GUID.process1, (entry) =>
      setAttribute(
        setAttribute(setAttribute(entry, 'Out Of Scope', 'true'), 'Reason For Out Of Scope', 'Owned by the OS team'),
        'Sanitizes Input',
        1,
      ),
    );
    text = editEntry(text, GUID.interactor, (entry) => setAttribute(entry, 'Type', 2));
    text = editEntry(text, GUID.process2, (entry) =>
      setAttribute(entry, 'Implements or Uses an Authentication Mechanism', 1),
    );
    const { model } = load(text);
    expect(elementOf(model, GUID.process1)).toMatchObject({
      outOfScope: { reason: 'Owned by the OS team' },
      security: { inputValidation: true },
    });
    expect(elementOf(model, GUID.process2).security?.authentication).toBe('other');
    expect(elementOf(model, GUID.interactor).type).toBe('user');
  });

  it('applies an interactor that authenticates itself to the flows it starts', () => {
    let text = editEntry(SAMPLE, GUID.interactor, (entry) => setAttribute(entry, 'Authenticates Itself', 2));
    text = editEntry(text, GUID.httpsIn, (entry) => setAttribute(entry, 'Source Authenticated', 0));
    expect(flowOf(load(text).model, GUID.httpsIn).authentication).toBe('other');
  });

  it('records a flow with an unconnected end, and threats on it move to their target element', () => {
    const text = editEntry(SAMPLE, GUID.storeToProcess, (entry) =>
      entry.replace(`>${GUID.store}</SourceGuid>`, '>00000000-0000-0000-0000-000000000000</SourceGuid>'),
    );
    const result = load(text);
    expect(result.model.flows).toHaveLength(5);
    expect(result.unmapped).toContainEqual(
      expect.objectContaining({
        what: 'data flow "Generic Data Flow"',
        reason: expect.stringContaining('its source is not connected') as string,
      }),
    );
    const process = elementOf(result.model, GUID.process1).id;
    expect(result.model.threats?.[0]).toMatchObject({ title: 'Spoofing the OS Process Process', target: process });
    expect(checkModel(result.model).filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('converts a line boundary into a zone by the flows that cross it, and records the conversion', () => {
    const guid = 'aaaaaaaa-0000-4000-8000-000000000001';
    const text = SAMPLE.replace('</Lines>', `${lineBoundary(620, 'Internet Boundary', guid)}</Lines>`);
    const result = load(text);
    const { model } = result;
    expect(model.flows).toHaveLength(6);
    const zone = model.boundaries?.find((boundary) => boundary.origin?.ref === guid);
    expect(zone).toMatchObject({ kind: 'network', name: 'Zone of OS Process behind Internet Boundary' });
    // The box around both processes now sits in the zone; the data store is in the zone directly.
    expect(model.boundaries?.find((boundary) => boundary.id === 'generic-trust-border-boundary')?.parent).toBe(
      zone?.id,
    );
    expect(elementOf(model, GUID.store).boundary).toBe(zone?.id);
    expect(elementOf(model, GUID.interactor).boundary).toBeUndefined();
    expect(result.unmapped).toContainEqual(
      expect.objectContaining({
        what: 'line boundary "Internet Boundary"',
        reason: expect.stringContaining(
          'converted to the zone(s) "Zone of OS Process behind Internet Boundary"',
        ) as string,
      }),
    );
    expect(checkModel(model).filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('records a line boundary no flow crosses', () => {
    const text = SAMPLE.replace(
      '</Lines>',
      `${lineBoundary(5000, 'Far Line', 'aaaaaaaa-0000-4000-8000-000000000002')}</Lines>`,
    );
    const result = load(text);
    expect(result.model.boundaries).toHaveLength(1);
    expect(result.unmapped).toContainEqual(
      expect.objectContaining({
        what: 'line boundary "Far Line"',
        reason: expect.stringContaining('no zone made') as string,
      }),
    );
  });

  it('records a threat whose category is not STRIDE, without importing it', () => {
    const text = editInstance(SAMPLE, 0, (entry) =>
      entry.replace(
        '<a:Key>UserThreatCategory</a:Key><a:Value>Spoofing</a:Value>',
        '<a:Key>UserThreatCategory</a:Key><a:Value>Abuse</a:Value>',
      ),
    );
    const result = load(text);
    expect(result.model.threats).toHaveLength(28);
    expect(result.unmapped).toContainEqual(
      expect.objectContaining({ what: 'threat "Spoofing the OS Process Process" of category "Abuse"' }),
    );
  });

  it('survives wrong values at any field: positions that are not numbers, a selected index out of range', () => {
    let text = editEntry(SAMPLE, GUID.process1, (entry) =>
      setAttribute(entry.replace(/(<Left [^>]*>)\d+</, '$1left<'), 'Sanitizes Input', 99),
    );
    text = editInstance(text, 0, (entry) => entry.replace('<b:TypeId>S2</b:TypeId>', '<b:TypeId><x>1</x></b:TypeId>'));
    const result = load(text);
    const process = elementOf(result.model, GUID.process1);
    expect(process.boundary).toBeUndefined();
    expect(result.model.views?.[0]?.layout?.[process.id]).toBeUndefined();
    const whats = result.unmapped.map((entry) => entry.what);
    expect(whats).toContain('position of "OS Process"');
    expect(result.unmapped).toContainEqual(
      expect.objectContaining({
        what: 'attribute "Sanitizes Input" of "OS Process"',
        reason: 'selected index 99 names none of its options',
      }),
    );
    expect(checkModel(result.model).filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('cuts a huge name to what Parapet keeps, and records the cut', () => {
    const name = 'N'.repeat(2_000_000);
    const text = editEntry(SAMPLE, GUID.process1, (entry) =>
      entry.replace(
        '<b:Value i:type="c:string" xmlns:c="http://www.w3.org/2001/XMLSchema">OS Process</b:Value>',
        `<b:Value i:type="c:string" xmlns:c="http://www.w3.org/2001/XMLSchema">${name}</b:Value>`,
      ),
    );
    const result = load(text);
    expect(elementOf(result.model, GUID.process1).name).toHaveLength(500);
    expect(
      result.unmapped.some(
        (entry) => entry.what.startsWith('name "NNN') && entry.what.endsWith('(2000000 characters)'),
      ),
    ).toBe(true);
  });
});

describe('importTmt on models with more in them', () => {
  it('maps each diagram to a view showing its own elements and boundaries', () => {
    const start = SAMPLE.indexOf('<DrawingSurfaceModel ');
    const end = SAMPLE.indexOf('</DrawingSurfaceModel>') + '</DrawingSurfaceModel>'.length;
    // A second diagram: the first one with every guid changed and another name.
    const copy = SAMPLE.slice(start, end)
      .replace(
        /([0-9a-f]{8})-([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g,
        (_whole, head: string, rest: string) =>
          head.startsWith('0000') ? `${head}-${rest}` : `ffff${head.slice(4)}-${rest}`,
      )
      .replaceAll('>Diagram 1<', '>Diagram 2<');
    const result = load(SAMPLE.slice(0, end) + copy + SAMPLE.slice(end));
    const { model } = result;
    expect(model.elements).toHaveLength(8);
    expect(model.flows).toHaveLength(12);
    expect(model.threats).toHaveLength(29);
    expect(model.views?.map((view) => [view.id, view.name, view.include?.length])).toEqual([
      ['diagram-1', 'Diagram 1', 5],
      ['diagram-2', 'Diagram 2', 5],
    ]);
    const second = model.views?.[1];
    expect(second?.include).toEqual([
      'generic-external-interactor-2',
      'os-process-3',
      'os-process-4',
      'generic-data-store-2',
      'generic-trust-border-boundary-2',
    ]);
    expect(Object.keys(second?.layout ?? {})).toEqual(second?.include);
    expect(elementOf(model, `ffff${GUID.process1.slice(4)}`).boundary).toBe('generic-trust-border-boundary-2');
    expect(checkModel(model)).toEqual([]);
  });

  it('reads the model information: name, description, owners, assumptions; records the rest', () => {
    const text = SAMPLE.replace(
      '<MetaInformation><Assumptions/><Contributors/><ExternalDependencies/><HighLevelSystemDescription/><Owner/><Reviewer/><ThreatModelName/></MetaInformation><Notes/>',
      [
        '<MetaInformation><Assumptions>The OS is patched.&#13;\nAdmins are trusted.</Assumptions>',
        '<Contributors>Bob, Carol</Contributors><ExternalDependencies>Windows 11</ExternalDependencies>',
        '<HighLevelSystemDescription>A file sync &lt;service&gt;.</HighLevelSystemDescription>',
        '<Owner>Alice</Owner><Reviewer>Dave</Reviewer><ThreatModelName>File Sync</ThreatModelName></MetaInformation>',
        '<Notes><Note><Id>1</Id><Message>Check the store.</Message></Note></Notes>',
      ].join(''),
    );
    const result = load(text);
    expect(result.model.model).toEqual({
      id: 'file-sync',
      title: 'File Sync',
      description: 'A file sync <service>.',
      owners: [
        { name: 'Alice', role: 'owner' },
        { name: 'Dave', role: 'reviewer' },
        { name: 'Bob', role: 'contributor' },
        { name: 'Carol', role: 'contributor' },
      ],
    });
    expect(result.model.assumptions?.map((assumption) => assumption.text)).toEqual([
      'The OS is patched.',
      'Admins are trusted.',
    ]);
    const whats = result.unmapped.map((entry) => entry.what);
    expect(whats).toContain('external dependencies "Windows 11"');
    expect(whats).toContain('note "Check the store."');
    expect(checkModel(result.model).filter((problem) => problem.severity === 'error')).toEqual([]);
  });
});

describe('importTmt refuses what is not a model', () => {
  it('refuses the default template (.tb7): a template has no diagram', () => {
    const error = refusal(TEMPLATE, 'default.tb7');
    expect(error.message).toMatch(/Threat Modeling Tool template/);
    expect(error.file).toBe('default.tb7');
    expect(error.line).toBe(2);
  });

  it('refuses another root element, naming it', () => {
    const error = refusal('<?xml version="1.0"?>\n<Project><Name>x</Name></Project>');
    expect(error.message).toBe(
      'not a Threat Modeling Tool model: the root element is <Project>, expected <ThreatModel>',
    );
  });

  it('refuses text that is not XML, or empty', () => {
    expect(refusal('{"not": "xml"}').message).toMatch(/not well-formed XML/);
    expect(refusal('   ').message).toBe('the file is empty');
  });

  it('refuses malformed XML with the line and column of the problem', () => {
    const error = refusal('<ThreatModel>\n  <DrawingSurfaceList>\n  </Lines>\n</ThreatModel>');
    expect(error.message).toMatch(/not well-formed XML: Expected closing tag 'DrawingSurfaceList'/);
    expect([error.line, error.column]).toEqual([3, 3]);
  });

  it('refuses a cut-off copy of the sample', () => {
    const error = refusal(SAMPLE.slice(0, 100_000));
    expect(error.message).toMatch(/not well-formed XML/);
    expect(error.line).toBe(1);
  });

  it('refuses DOCTYPE and entity declarations (billion laughs) before parsing, naming the line', () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      '  <!ENTITY lol "lol">',
      '  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
      '  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">',
      ']>',
      '<ThreatModel>&lol3;</ThreatModel>',
    ].join('\n');
    const error = refusal(laughs);
    expect(error.message).toMatch(/declares <!DOCTYPE>: DTDs and entities are refused/);
    expect([error.line, error.column]).toEqual([2, 1]);
    expect(refusal('<ThreatModel>\n<!ENTITY x "y"></ThreatModel>').line).toBe(2);
  });

  it('refuses an attribute value over the limit, with its position', () => {
    const error = refusal(`<ThreatModel>\n<Notes z:Id="${'A'.repeat(MAX_ATTRIBUTE_CHARS + 1)}"/></ThreatModel>`);
    expect(error.message).toBe(`an attribute value is longer than ${MAX_ATTRIBUTE_CHARS} characters`);
    expect([error.line, error.column]).toEqual([2, 13]);
  });

  it('refuses nesting deeper than the limit, with its position, however deep it goes', () => {
    const depth = 100_000;
    const error = refusal(`<ThreatModel>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</ThreatModel>`);
    expect(error.message).toBe(`elements are nested more than ${MAX_XML_DEPTH} deep`);
    expect(error.column).toBe(1 + 13 + (MAX_XML_DEPTH - 1) * 3);
  });

  it('refuses more elements than the limit before parsing them', () => {
    const error = refusal(`<ThreatModel><Notes>\n${'<Note/>'.repeat(MAX_XML_ELEMENTS)}</Notes></ThreatModel>`);
    expect(error.message).toBe(`the file has more than ${MAX_XML_ELEMENTS} XML elements`);
    expect(error.line).toBe(2);
  });

  it('refuses input over the size limit before reading it', () => {
    const error = refusal(' '.repeat(MAX_INPUT_BYTES + 1));
    expect(error.message).toMatch(/over the import limit/);
  });

  it('refuses element names that would pollute prototypes', () => {
    expect(refusal('<ThreatModel><__proto__><x>1</x></__proto__></ThreatModel>').message).toMatch(
      /could not read the XML/,
    );
  });

  it('imports a bare model with nothing in it as an empty model', () => {
    const result = load(
      '<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model"/>',
      'empty.tm7',
    );
    expect(result.model).toEqual({ parapet: 1, model: { id: 'empty', title: 'empty' } });
    expect(checkModel(result.model).filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('never throws anything but ImportError on damaged copies of the sample', () => {
    const cuts = [
      ['<DrawingSurfaceList>', '<DrawingSurfaceList>text'],
      ['<b:DisplayName>Name</b:DisplayName>', '<b:DisplayName><x/></b:DisplayName>'],
      ['<a:Key>Title</a:Key>', '<a:Key/>'],
      ['<a:ThreatTypes>', '<a:ThreatTypes><a:ThreatType>1</a:ThreatType>'],
      ['<a:ParentId>GE.P</a:ParentId>', '<a:ParentId>SE.P.TMCore.OSProcess</a:ParentId>'],
      ['>GE.P</GenericTypeId>', '>unknown</GenericTypeId>'],
    ] as const;
    const cycle = SAMPLE.replaceAll(cuts[4][0], cuts[4][1]).replaceAll(cuts[5][0], cuts[5][1]);
    const cyclic = load(cycle);
    expect(cyclic.model.elements).toHaveLength(2);
    expect(cyclic.unmapped.filter((entry) => entry.what === 'diagram item "OS Process"')).toHaveLength(2);
    for (const [from, to] of cuts) {
      const result = load(SAMPLE.replaceAll(from, to));
      expect(checkModel(result.model).filter((problem) => problem.severity === 'error')).toEqual([]);
    }
  });
});
