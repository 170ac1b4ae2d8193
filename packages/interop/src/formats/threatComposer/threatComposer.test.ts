import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, loadModel, type ThreatModel, type ThreatModelInput } from '@parapet/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ImportError, type ImportResult } from '../../ImportResult.js';
import { checkModel, writeModelYaml } from '../../writeModel.js';
import { exportThreatComposer } from './exportThreatComposer.js';
import { importThreatComposer } from './importThreatComposer.js';
import { stableUuid, UUID_PATTERN } from './stableUuid.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const SAMPLE_PATH = 'packages/interop/fixtures/samples/threat-composer/ThreatComposer.tc.json';
const SAMPLE_TEXT = readFileSync(join(ROOT, SAMPLE_PATH), 'utf8');
const SCHEMA = JSON.parse(
  readFileSync(join(ROOT, 'packages/interop/fixtures/samples/threat-composer/threat-composer-v1.schema.json'), 'utf8'),
) as object;
const validateTc = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(SCHEMA);

/** The sample as plain JSON, to compute expectations from the file itself. */
interface SampleThreat {
  id: string;
  numericId: number;
  threatSource: string;
  prerequisites?: string;
  threatAction: string;
  threatImpact?: string;
  impactedGoal?: string[];
  impactedAssets?: string[];
  tags?: string[];
  metadata: { key: string; value: string | string[] }[];
  statement: string;
  status: string;
}
interface SampleContent {
  id: string;
  content: string;
  status?: string;
  tags?: string[];
  metadata: { key: string; value: string }[];
}
interface Sample {
  applicationInfo: { name: string; description: string };
  architecture: { description: string };
  dataflow: { description: string };
  threats: SampleThreat[];
  mitigations: SampleContent[];
  assumptions: SampleContent[];
  mitigationLinks: { mitigationId: string; linkedId: string }[];
  assumptionLinks: { type: string; assumptionId: string; linkedId: string }[];
}
const SAMPLE = JSON.parse(SAMPLE_TEXT) as Sample;

/** Items of a model section by their Threat Composer id (origin.ref). */
function byRef<T extends { origin?: { ref?: string | undefined } | undefined }>(
  items: readonly T[] | undefined,
): Map<string, T> {
  return new Map((items ?? []).map((item) => [item.origin?.ref ?? '', item]));
}

/** A model written as Parapet YAML and loaded back as Parapet does, with defaults applied. */
function load(model: ThreatModelInput): ThreatModel {
  const text = writeModelYaml(model);
  const result = loadModel('threatmodel.yaml', { readFile: () => text, resolvePath: (_from, reference) => reference });
  if (!result.model) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.model;
}

/** The errors Parapet finds in a model (warnings are allowed). */
function errorsOf(model: ThreatModelInput): string[] {
  return checkModel(model)
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => `${diagnostic.path}: ${diagnostic.message}`);
}

/** Imports a Threat Composer document given as an object. */
function importObject(value: unknown): ImportResult {
  return importThreatComposer(JSON.stringify(value, null, 2), 'hostile.tc.json');
}

/** Whether any unmapped entry's `at` equals the path and its text matches. */
function reported(
  result: { unmapped: readonly { at: string; what: string; reason: string }[] },
  at: string,
  text: RegExp,
): boolean {
  return result.unmapped.some((entry) => entry.at === at && text.test(`${entry.what} ${entry.reason}`));
}

const STRIDE: Record<string, string> = {
  S: 'spoofing',
  T: 'tampering',
  R: 'repudiation',
  I: 'information-disclosure',
  D: 'denial-of-service',
  E: 'elevation-of-privilege',
};

describe('importThreatComposer on Threat Composer’s own threat model', () => {
  const result = importThreatComposer(SAMPLE_TEXT, SAMPLE_PATH);
  const { model } = result;
  const threats = byRef(model.threats);

  it('imports 20 threats, 18 mitigations and 5 assumptions, each with its Threat Composer id as origin.ref', () => {
    expect(model.threats).toHaveLength(20);
    expect(model.mitigations).toHaveLength(18);
    expect(model.assumptions).toHaveLength(5);
    const refs = [...(model.threats ?? []), ...(model.mitigations ?? []), ...(model.assumptions ?? [])].map(
      (item) => item.origin,
    );
    expect(
      refs.every(
        (origin) => origin?.format === 'threat-composer' && origin.file === SAMPLE_PATH && (origin.line ?? 0) > 0,
      ),
    ).toBe(true);
    expect(new Set(model.threats?.map((threat) => threat.origin?.ref))).toEqual(
      new Set(SAMPLE.threats.map((threat) => threat.id)),
    );
    expect(new Set(model.mitigations?.map((item) => item.origin?.ref))).toEqual(
      new Set(SAMPLE.mitigations.map((item) => item.id)),
    );
    expect(new Set(model.assumptions?.map((item) => item.origin?.ref))).toEqual(
      new Set(SAMPLE.assumptions.map((item) => item.id)),
    );
  });

  it('makes the application one process element that every threat targets, and says so', () => {
    expect(model.elements).toEqual([
      {
        id: 'threat-composer',
        name: 'Threat composer',
        kind: 'process',
        origin: { format: 'threat-composer', file: SAMPLE_PATH, line: 4, ref: 'applicationInfo' },
      },
    ]);
    expect(model.threats?.every((threat) => threat.target === 'threat-composer')).toBe(true);
    expect(reported(result, 'applicationInfo.name', /one process element, "threat-composer", stands for it/)).toBe(
      true,
    );
  });

  it('keeps the application name as the title and the three descriptions in the model description', () => {
    expect(model.model.id).toBe('threat-composer');
    expect(model.model.title).toBe('Threat composer');
    const description = model.model.description ?? '';
    expect(description.startsWith(SAMPLE.applicationInfo.description)).toBe(true);
    expect(description).toContain(`\n\n## Architecture\n\n${SAMPLE.architecture.description}`);
    expect(description.endsWith(`\n\n## Data flow\n\n${SAMPLE.dataflow.description}`)).toBe(true);
    expect(reported(result, 'architecture.image', /embedded image\/png \(115938 characters\).*not imported/)).toBe(
      true,
    );
    expect(reported(result, 'dataflow.image', /embedded image\/png \(68662 characters\)/)).toBe(true);
  });

  it('maps each threat’s statement fields, first STRIDE letter, priority and status', () => {
    for (const source of SAMPLE.threats) {
      const threat = threats.get(source.id);
      const stride = source.metadata.find((entry) => entry.key === 'STRIDE')?.value as string[];
      const priority = source.metadata.find((entry) => entry.key === 'Priority')?.value as string;
      expect(threat?.category).toBe(STRIDE[stride[0] ?? '']);
      expect(threat?.impact).toBe(priority.toLowerCase());
      expect(threat?.statement?.action).toBe(source.threatAction);
      expect(threat?.statement?.source.endsWith(` ${source.threatSource}`)).toBe(true);
      expect(threat?.statement?.prerequisites).toBe(source.prerequisites || undefined);
      if (source.threatImpact) expect(threat?.statement?.impact).toBe(source.threatImpact);
    }
    // Every threat of the sample is resolved, so every one has a "mitigated" decision.
    expect(model.decisions).toHaveLength(20);
    expect(model.decisions?.every((decision) => decision.status === 'mitigated')).toBe(true);
  });

  it('writes the first threat as Parapet expects it', () => {
    const threat = threats.get('f29b9a9f-94d9-4d6e-be3e-5fffb874d2a6');
    expect(threat).toMatchObject({
      id: 't-read-the-contents-of-local-browser',
      title: 'A threat actor can read the contents of local browser storage',
      category: 'information-disclosure',
      statement: {
        source: 'A threat actor',
        prerequisites:
          'that is able to trick a user into installing a malicous userscript extension (e.g. tampermonkey, browser extension)',
        action: 'read the contents of local browser storage',
        impact: 'the exfiltration of the contents of browser storage to an endpoint controlled by the actor',
      },
      assets: ['application-metadata', 'threats', 'mitigations', 'assumptions'],
      impact: 'medium',
      tags: ['Social engineering', 'goal:confidentiality'],
    });
    expect(threats.get('6fb7ef9a-175d-49f1-b85b-652b668581d4')?.statement?.source).toBe('An external threat actor');
  });

  it('keeps the first of several STRIDE letters and reports the others', () => {
    const several = SAMPLE.threats.filter((threat) =>
      threat.metadata.some((entry) => entry.key === 'STRIDE' && entry.value.length > 1),
    );
    expect(several.map((threat) => threats.get(threat.id)?.category)).toEqual(['information-disclosure', 'tampering']);
    expect(
      reported(
        result,
        'threats[8].metadata[1].value',
        /STRIDE categories I, T.*information-disclosure, from the first letter/,
      ),
    ).toBe(true);
    expect(reported(result, 'threats[19].metadata[1].value', /STRIDE categories T, I/)).toBe(true);
  });

  it('lets the impacted goals and assets stand in for a missing threat impact, and reports it', () => {
    const source = SAMPLE.threats[7];
    const threat = threats.get(source?.id ?? '');
    expect(source?.threatImpact).toBe('');
    expect(threat?.statement?.impact).toBe('reduced integrity of threat composer');
    expect(reported(result, 'threats[7].threatImpact', /no threat impact.*stand in/)).toBe(true);
  });

  it('creates one asset per distinct impacted asset name and links threats to them', () => {
    const names = new Set(SAMPLE.threats.flatMap((threat) => threat.impactedAssets ?? []));
    expect(new Set(model.assets?.map((asset) => asset.name))).toEqual(names);
    expect(model.assets).toHaveLength(7);
    const assetIds = new Map(model.assets?.map((asset) => [asset.id, asset.name]));
    for (const source of SAMPLE.threats) {
      expect(threats.get(source.id)?.assets?.map((id) => assetIds.get(id))).toEqual(
        source.impactedAssets?.length ? source.impactedAssets : undefined,
      );
    }
  });

  it('maps mitigation links both ways and reports the four that name nothing', () => {
    const mitigationsByRef = byRef(model.mitigations);
    const threatIds = new Set(SAMPLE.threats.map((threat) => threat.id));
    const valid = SAMPLE.mitigationLinks.filter((link) => threatIds.has(link.linkedId));
    expect(valid).toHaveLength(32);
    for (const link of valid) {
      const mitigation = mitigationsByRef.get(link.mitigationId);
      const threat = threats.get(link.linkedId);
      expect(threat?.mitigations).toContain(mitigation?.id);
      expect(mitigation?.reduces).toContain(threat?.id);
    }
    const linkCount = (model.threats ?? []).reduce((sum, threat) => sum + (threat.mitigations?.length ?? 0), 0);
    expect(linkCount).toBe(32);
    const dangling = result.unmapped.filter((entry) => entry.at.startsWith('mitigationLinks'));
    expect(dangling.map((entry) => entry.at)).toEqual([
      'mitigationLinks[12]',
      'mitigationLinks[13]',
      'mitigationLinks[23]',
      'mitigationLinks[25]',
    ]);
    expect(dangling.every((entry) => /names nothing in the file/.test(entry.reason))).toBe(true);
  });

  it('keeps mitigations’ content, Comments and status, and assumptions’ content and Comments', () => {
    const mitigations = byRef(model.mitigations);
    for (const source of SAMPLE.mitigations) {
      const mitigation = mitigations.get(source.id);
      expect(mitigation?.title).toBe(source.content);
      expect(mitigation?.status).toBe('implemented');
      expect(mitigation?.description).toBe(source.metadata.find((entry) => entry.key === 'Comments')?.value);
      expect(mitigation?.tags).toEqual(source.tags?.length ? source.tags : undefined);
    }
    const assumptions = byRef(model.assumptions);
    for (const source of SAMPLE.assumptions) {
      expect(assumptions.get(source.id)?.text).toBe(source.content);
      expect(assumptions.get(source.id)?.notes).toBe(source.metadata.find((entry) => entry.key === 'Comments')?.value);
    }
  });

  it('turns assumption links to threats into the threats’ target and assets in about, and reports every link', () => {
    const assumption = byRef(model.assumptions).get('b7d98386-906f-40ca-a631-194bc3ac709d');
    // Linked to one threat, "trick our users into interacting with an illegitimate endpoint".
    expect(assumption?.about).toEqual([
      'threat-composer',
      'threats',
      'mitigations',
      'assumptions',
      'application-metadata',
    ]);
    const linkNotes = result.unmapped.filter((entry) => entry.at.startsWith('assumptionLinks'));
    expect(linkNotes).toHaveLength(SAMPLE.assumptionLinks.length);
    expect(linkNotes.filter((entry) => /added to the assumption's about/.test(entry.reason))).toHaveLength(11);
    expect(linkNotes.filter((entry) => /names no assumption in the file/.test(entry.reason))).toHaveLength(10);
  });

  it('reports display numbers, impacted goals kept as tags, and nothing is thrown away silently', () => {
    expect(
      reported(result, 'threats[0]', /threat number 22, display order 22.*"t-read-the-contents-of-local-browser"/),
    ).toBe(true);
    expect(reported(result, 'threats[0].impactedGoal', /goal:confidentiality/)).toBe(true);
    expect(reported(result, 'mitigations[17]', /mitigation number 1/)).toBe(true);
    expect(result.unmapped.every((entry) => entry.file === SAMPLE_PATH && (entry.line ?? 0) > 0)).toBe(true);
  });

  it('gives a valid model whose only warnings come from the missing diagram', () => {
    expect(errorsOf(model)).toEqual([]);
    const warnings = checkModel(model).map((diagnostic) => diagnostic.code);
    expect(new Set(warnings)).toEqual(new Set(['PARAPET_ELEMENT_WITHOUT_FLOWS', 'PARAPET_ASSET_UNUSED']));
    expect(warnings.filter((code) => code === 'PARAPET_ASSET_UNUSED')).toHaveLength(7);
  });
});

describe('exportThreatComposer', () => {
  const imported = importThreatComposer(SAMPLE_TEXT, SAMPLE_PATH);
  const exported = exportThreatComposer(load(imported.model));
  const document = JSON.parse(exported.text) as Sample;

  it('writes a file that validates against Threat Composer’s schema', () => {
    expect(validateTc(document), JSON.stringify(validateTc.errors)).toBe(true);
    expect(exported.format).toBe('threat-composer');
    expect(exported.text.endsWith('}\n')).toBe(true);
  });

  it('keeps the Threat Composer ids, links, statements and texts of an imported file', () => {
    expect(document.threats.map((threat) => threat.id)).toEqual(SAMPLE.threats.map((threat) => threat.id));
    expect(document.mitigations.map((item) => item.id)).toEqual(SAMPLE.mitigations.map((item) => item.id));
    expect(document.assumptions.map((item) => item.id)).toEqual(SAMPLE.assumptions.map((item) => item.id));
    const threatIds = new Set(SAMPLE.threats.map((threat) => threat.id));
    const key = (link: { mitigationId: string; linkedId: string }): string => `${link.mitigationId} ${link.linkedId}`;
    expect(new Set(document.mitigationLinks.map(key))).toEqual(
      new Set(SAMPLE.mitigationLinks.filter((link) => threatIds.has(link.linkedId)).map(key)),
    );
    const original = new Map(
      SAMPLE.threats.map((threat) => [threat.id, threat as SampleThreat & { statement: string }]),
    );
    for (const threat of document.threats) {
      const source = original.get(threat.id);
      expect(threat.statement.toLowerCase().replace(/\ban\b/g, 'a')).toBe(
        source?.statement.toLowerCase().replace(/\ban\b/g, 'a'),
      );
      expect(threat.threatSource).toBe(source?.threatSource);
      expect(threat.threatImpact).toBe(source?.threatImpact || undefined);
      expect(threat.impactedGoal).toEqual(source?.impactedGoal?.length ? source.impactedGoal : undefined);
      expect(threat.status).toBe(source?.status);
      const byKey = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key);
      expect(threat.metadata.filter((entry) => entry.key !== 'custom:parapetId').sort(byKey)).toEqual(
        source?.metadata
          .map((entry) => (entry.key === 'STRIDE' ? { key: 'STRIDE', value: [entry.value[0]] } : entry))
          .sort(byKey),
      );
    }
    expect(document.applicationInfo).toEqual(SAMPLE.applicationInfo);
    expect(document.architecture).toEqual({ description: SAMPLE.architecture.description });
    expect(document.dataflow).toEqual({ description: SAMPLE.dataflow.description });
  });

  it('reads back as the same threats, decisions, mitigations and assumptions (sample → Parapet → Threat Composer → Parapet)', () => {
    const again = importThreatComposer(exported.text, 'again.tc.json').model;
    // Links are a set: their order in the lists carries no meaning.
    const strip = <T extends { origin?: unknown; mitigations?: string[] | undefined; reduces?: string[] | undefined }>(
      items: readonly T[] | undefined,
    ): Omit<T, 'origin'>[] =>
      (items ?? []).map(({ origin: _origin, ...rest }) => ({
        ...rest,
        ...(rest.mitigations ? { mitigations: [...rest.mitigations].sort() } : {}),
        ...(rest.reduces ? { reduces: [...rest.reduces].sort() } : {}),
      }));
    expect(strip(again.threats)).toEqual(strip(imported.model.threats));
    expect(again.decisions).toEqual(imported.model.decisions);
    expect(strip(again.mitigations)).toEqual(strip(imported.model.mitigations));
    expect(strip(again.assets)).toEqual(strip(imported.model.assets));
    expect(again.assumptions?.map(({ id, text, notes }) => ({ id, text, notes }))).toEqual(
      imported.model.assumptions?.map(({ id, text, notes }) => ({ id, text, notes })),
    );
    expect(again.model).toEqual(imported.model.model);
  });

  it('reports what the Threat Composer file cannot hold: the assumptions’ about lists', () => {
    expect(exported.unmapped.map((entry) => entry.at)).toEqual([
      'model.id',
      'assumptions[0]',
      'assumptions[1]',
      'assumptions[2]',
      'assumptions[3]',
      'assumptions[4]',
    ]);
    expect(document.assumptionLinks).toEqual([]);
  });

  it('keeps an image URL, a will-not-action mitigation and a threat without statement through a round trip', () => {
    const source = {
      schema: 1,
      applicationInfo: { name: 'Portal' },
      architecture: { description: 'Two tiers.', image: 'https://example.com/architecture.png' },
      threats: [
        {
          id: '11111111-1111-4111-8111-111111111111',
          numericId: 1,
          statement: 'Someone breaks in',
          status: 'threatResolvedNotUseful',
        },
      ],
      mitigations: [
        {
          id: '22222222-2222-4222-8222-222222222222',
          numericId: 1,
          content: 'Ignore it',
          status: 'mitigationResolvedWillNotAction',
        },
      ],
    };
    const first = importObject(source);
    expect(first.model.model.description).toBe(
      '## Architecture\n\nTwo tiers.\n\n![Architecture diagram](https://example.com/architecture.png)',
    );
    expect(first.model.threats?.[0]).toMatchObject({ title: 'Someone breaks in', category: 'tampering' });
    expect(first.model.threats?.[0]?.statement).toBeUndefined();
    expect(first.model.decisions).toEqual([{ threat: first.model.threats?.[0]?.id, status: 'false-positive' }]);
    const written = JSON.parse(exportThreatComposer(load(first.model)).text) as typeof source & {
      threats: { statement: string; status: string }[];
    };
    expect(validateTc(written)).toBe(true);
    expect(written.architecture).toEqual(source.architecture);
    expect(written.threats[0]).toMatchObject({
      id: source.threats[0]?.id,
      statement: 'Someone breaks in',
      status: 'threatResolvedNotUseful',
    });
    expect(written.mitigations[0]).toMatchObject({
      id: source.mitigations[0]?.id,
      content: 'Ignore it',
      status: 'mitigationResolvedWillNotAction',
    });
    expect(written.mitigations[0]).not.toHaveProperty('tags');
  });

  it('is deterministic, with UUID-shaped ids derived from Parapet ids', () => {
    const shop = loadOnlineShop();
    const first = exportThreatComposer(shop.model, { analysis: shop.analysis });
    const second = exportThreatComposer(shop.model, { analysis: shop.analysis });
    expect(second.text).toBe(first.text);
    const file = JSON.parse(first.text) as Sample;
    const ids = [...file.threats, ...file.mitigations, ...file.assumptions].map((item) => item.id);
    expect(ids.every((id) => UUID_PATTERN.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(file.threats[0]?.id).toBe(stableUuid('threat:t-voucher-sqli'));
    expect(stableUuid('threat:t-voucher-sqli')).not.toBe(stableUuid('threat:t-voucher-sqlj'));
  });
});

/** examples/online-shop/threatmodel.yaml, loaded as the CLI would, with its analysis. */
function loadOnlineShop(): { model: ThreatModel; analysis: ReturnType<typeof analyze> } {
  const entry = join(ROOT, 'examples/online-shop/threatmodel.yaml');
  const loaded = loadModel(entry, {
    readFile: (path) => readFileSync(path, 'utf8'),
    resolvePath: (from, reference) => resolve(dirname(from), reference),
  });
  if (!loaded.model) throw new Error('the online shop example does not load');
  const analysis = analyze(loaded.model, {
    ...(loaded.enrichment ? { enrichment: loaded.enrichment } : {}),
    ...(loaded.index ? { index: loaded.index } : {}),
  });
  return { model: loaded.model, analysis };
}

describe('exportThreatComposer on examples/online-shop', () => {
  const shop = loadOnlineShop();
  const exported = exportThreatComposer(shop.model, { analysis: shop.analysis });
  const document = JSON.parse(exported.text) as Sample;
  const generated = shop.analysis.threats.filter((threat) => threat.ruleId !== null);

  it('writes a schema-valid file with the manual threats, the generated ones, mitigations and assumptions', () => {
    expect(validateTc(document), JSON.stringify(validateTc.errors)).toBe(true);
    expect(document.applicationInfo.name).toBe('Northwind Outfitters online shop');
    expect(document.threats).toHaveLength(4 + generated.length);
    expect(document.mitigations.map((item) => item.content)).toEqual(shop.model.mitigations?.map((item) => item.title));
    expect(document.assumptions.map((item) => item.content)).toEqual(shop.model.assumptions?.map((item) => item.text));
    expect(document.architecture.description).toContain(
      '- **Promotions service (legacy)** (process, service, PHP 7.4, Apache 2.4) in Namespace shop',
    );
    expect(document.dataflow.description).toContain('### Data flows');
  });

  it('writes a statement threat in the grammar fields and a generated one with its reasons in Comments', () => {
    const sqli = document.threats[0];
    expect(sqli).toMatchObject({
      threatSource: 'anonymous shopper',
      prerequisites: 'who can submit a voucher code at checkout',
      impactedAssets: ['Voucher codes', 'Product catalogue and prices'],
      status: 'threatIdentified',
    });
    expect(
      sqli?.statement.startsWith('An anonymous shopper who can submit a voucher code at checkout can injects SQL'),
    ).toBe(true);
    expect(sqli?.metadata).toContainEqual({ key: 'STRIDE', value: ['T'] });
    expect(sqli?.metadata).toContainEqual({ key: 'Priority', value: 'High' });
    const sqlInjection = generated.find((threat) => threat.id === 'web.sql-injection@promotions-svc');
    const written = document.threats.find((threat) =>
      threat.metadata.some(
        (entry) => entry.key === 'custom:parapetId' && entry.value === 'web.sql-injection@promotions-svc',
      ),
    );
    expect(written?.statement).toBe(sqlInjection?.title);
    const comments = String(written?.metadata.find((entry) => entry.key === 'Comments')?.value);
    expect(comments).toContain('Why:\n- Promotions service (legacy) runs application code');
    expect(comments).toContain('Clears when (any one):\n- put the control "parameterized-queries" in place');
  });

  it('links mitigations to the threats they reduce, including generated threats through the analysis', () => {
    const idOf = new Map(
      document.threats.map((threat) => [
        threat.metadata.find((entry) => entry.key === 'custom:parapetId')?.value,
        threat.id,
      ]),
    );
    const mitigationIdOf = new Map(
      document.mitigations.map((item) => [
        item.metadata.find((entry) => entry.key === 'custom:parapetId')?.value,
        item.id,
      ]),
    );
    const links = new Set(document.mitigationLinks.map((link) => `${link.mitigationId} ${link.linkedId}`));
    expect(links.has(`${mitigationIdOf.get('m-promotions-rewrite')} ${idOf.get('t-voucher-sqli')}`)).toBe(true);
    expect(
      links.has(`${mitigationIdOf.get('m-promotions-rewrite')} ${idOf.get('web.sql-injection@promotions-svc')}`),
    ).toBe(true);
    expect(links.has(`${mitigationIdOf.get('m-backoffice-sso-mfa')} ${idOf.get('idp.no-mfa@backoffice')}`)).toBe(true);
  });

  it('reports what Threat Composer cannot hold', () => {
    expect(
      reported(exported, 'threats[0]', /target "promotions-svc", likelihood high, actors voucher-abuser, references/),
    ).toBe(true);
    expect(reported(exported, 'threats[1]', /status transferred.*written as threatResolved/)).toBe(true);
    expect(reported(exported, 'mitigations[4].status', /verified.*mitigationResolved/)).toBe(true);
    expect(reported(exported, 'assumptions[1].excludes[0]', /privacy\.observable-notifications@deliver-email/)).toBe(
      true,
    );
    expect(reported(exported, 'decisions[2]', /justification, owner, ticket, decided, expires/)).toBe(true);
    expect(reported(exported, 'attackTrees', /1 attackTrees/)).toBe(true);
    expect(reported(exported, 'elements', /26 elements.*security properties/)).toBe(true);
  });

  it('reads back with its manual threats, statements, decisions, mitigations and assumptions (online shop → Threat Composer → Parapet)', () => {
    const again = importThreatComposer(exported.text, 'online-shop.tc.json');
    expect(errorsOf(again.model)).toEqual([]);
    const threats = new Map(again.model.threats?.map((threat) => [threat.id, threat]));
    for (const threat of shop.model.threats ?? []) {
      const back = threats.get(threat.id);
      expect(back?.title).toBe(threat.title);
      expect(back?.category).toBe(threat.category);
      expect(back?.statement).toEqual(threat.statement);
      expect(back?.description).toBe(threat.description);
      expect(new Set(back?.mitigations)).toEqual(new Set(threat.mitigations));
    }
    const decisions = new Map(again.model.decisions?.map((decision) => [decision.threat, decision.status]));
    expect(decisions.get('t-checkout-skimming')).toBe('mitigated');
    expect(decisions.get('t-backoffice-takeover')).toBe('open');
    expect(decisions.get('t-voucher-sqli')).toBe('open');
    // Threat Composer has no "transferred": it went out as resolved and comes back as mitigated.
    expect(decisions.get('t-volumetric-ddos')).toBe('mitigated');
    expect(
      again.model.mitigations?.map(({ id, title, description, status }) => ({ id, title, description, status })),
    ).toEqual(
      shop.model.mitigations?.map(({ id, title, description, status }) => ({
        id,
        title,
        description,
        status: status === 'verified' ? 'implemented' : status,
      })),
    );
    expect(again.model.assumptions?.map(({ id, text, notes }) => ({ id, text, notes }))).toEqual(
      shop.model.assumptions?.map(({ id, text, notes }) => ({ id, text, notes })),
    );
    // Generated threats come back as threats written by hand, with readable ids, and say so.
    expect(again.model.threats).toHaveLength(4 + generated.length);
    expect(
      reported(again, 'threats[4]', /a threat a Parapet rule generated: imported as a threat written by hand/),
    ).toBe(true);
  });

  it('without the analysis writes the manual threats only and reports reductions of generated threats', () => {
    const manualOnly = exportThreatComposer(shop.model);
    const file = JSON.parse(manualOnly.text) as Sample;
    expect(validateTc(file)).toBe(true);
    expect(file.threats).toHaveLength(4);
    expect(reported(manualOnly, 'mitigations[0].reduces[1]', /"idp.no-mfa@backoffice".*export with the analysis/)).toBe(
      true,
    );
  });
});

describe('importThreatComposer on corrupt and hostile input', () => {
  it('refuses text that is not JSON, with the line and column', () => {
    const error = catchError(() =>
      importThreatComposer('{\n  "schema": 1,\n  "threats": [ oops ]\n}', 'broken.tc.json'),
    );
    expect(error).toBeInstanceOf(ImportError);
    expect(error?.file).toBe('broken.tc.json');
    expect(error?.line).toBe(3);
  });

  it('refuses JSON whose top level is not an object, or has nothing of Threat Composer', () => {
    expect(catchError(() => importThreatComposer('[1, 2, 3]', 'list.json'))?.message).toMatch(
      /top level is a list, not an object/,
    );
    expect(catchError(() => importThreatComposer('"text"', 'text.json'))?.message).toMatch(/top level is text/);
    expect(catchError(() => importThreatComposer('{"summary": {}, "detail": {}}', 'dragon.json'))?.message).toMatch(
      /none of "schema", "applicationInfo", "threats", "mitigations", "assumptions"/,
    );
    expect(catchError(() => importThreatComposer('', 'empty.json'))).toBeInstanceOf(ImportError);
  });

  it('refuses nesting deeper than the limit instead of recursing', () => {
    const deep = `{"schema": 1, "threats": [${'['.repeat(5000)}${']'.repeat(5000)}]}`;
    expect(catchError(() => importThreatComposer(deep, 'deep.tc.json'))).toBeInstanceOf(ImportError);
  });

  it('imports a file whose fields all have the wrong type, reporting each, with a valid model', () => {
    const result = importObject({
      schema: 'one',
      applicationInfo: { name: 42, description: ['no'] },
      architecture: 'diagram',
      dataflow: { description: 7, image: 'ftp://example.com/x.png' },
      threats: [
        5,
        null,
        {
          id: 17,
          numericId: 'x',
          metadata: 'Priority',
          tags: 'XSS',
          threatSource: ['threat actor'],
          threatAction: { text: 'spoof' },
          impactedGoal: 'integrity',
          impactedAssets: { a: 1 },
          statement: 3,
          status: 'threatMaybe',
        },
        {
          id: 'a2',
          metadata: [
            7,
            { key: 3, value: 'x' },
            { key: 'STRIDE', value: ['X', 4] },
            { key: 'Priority', value: 'Urgent' },
            { key: 'Comments', value: { text: 'x' } },
          ],
          threatSource: 'threat actor',
          threatAction: 'replay a request',
          impactedGoal: ['integrity', 5],
          tags: [1, '', 'ok'],
          status: 'toString',
        },
      ],
      mitigations: { not: 'a list' },
      assumptions: [{ id: 'b1', content: 99, metadata: [{ key: 'Comments', value: 'why' }] }],
      mitigationLinks: [{ mitigationId: 1, linkedId: 'a2' }, 'link', { mitigationId: 'nothing', linkedId: 'a2' }],
      assumptionLinks: [
        { type: 'Threat', assumptionId: 'b1', linkedId: 'a2' },
        { type: 7, assumptionId: 'b1', linkedId: 'b1' },
      ],
      brainstorm: { threatSources: [{ id: 'x', content: 'insider', createdAt: '2024-01-01T00:00:00Z' }] },
      extra: true,
    });
    expect(errorsOf(result.model)).toEqual([]);
    expect(result.model.threats).toHaveLength(2);
    const [broken, replay] = result.model.threats ?? [];
    expect(broken).toMatchObject({
      id: 'threat',
      title: 'Threat threat',
      category: 'tampering',
      target: 'application',
    });
    expect(result.model.model).toEqual({ id: 'hostile', title: 'Threat Composer model' });
    expect(broken?.origin?.ref).toBeUndefined();
    expect(replay).toMatchObject({
      title: 'A threat actor can replay a request',
      category: 'tampering',
      statement: { source: 'A threat actor', action: 'replay a request', impact: 'reduced integrity' },
      tags: ['ok', 'goal:integrity'],
    });
    expect(result.model.decisions).toBeUndefined();
    expect(result.model.assumptions?.[0]).toMatchObject({
      text: 'assumption b1',
      notes: 'why',
      about: ['application'],
    });
    const expected: [string, RegExp][] = [
      ['schema', /schema version text/],
      ['applicationInfo.name', /not text/],
      ['architecture', /not an object/],
      ['dataflow.description', /not text/],
      ['dataflow.image', /neither an image URL nor an embedded image/],
      ['threats[0]', /threat that is a number.*skipped/],
      ['threats[1]', /threat that is null/],
      ['threats[2].id', /id that is a number/],
      ['threats[2].metadata', /not a list/],
      ['threats[2].tags', /not a list/],
      ['threats[2].threatSource', /not text/],
      ['threats[2].impactedAssets', /not a list/],
      ['threats[2].status', /"threatMaybe".*no decision/],
      ['threats[2]', /no STRIDE category.*tampering by default/],
      ['threats[3].metadata[0]', /metadata entry that is a number/],
      ['threats[3].metadata[1]', /key is a number/],
      ['threats[3].metadata[2].value[0]', /"X".*not one of S, T, R, I, D, E/],
      ['threats[3].metadata[3].value', /Priority "Urgent".*not High, Medium or Low/],
      ['threats[3].metadata[4].value', /Comments that is an object/],
      ['threats[3].impactedGoal[1]', /not text/],
      ['threats[3].tags[0]', /not text/],
      ['threats[3].status', /"toString"/],
      ['threats[3].threatImpact', /stand in for it \("reduced integrity"\)/],
      ['mitigations', /not a list/],
      ['assumptions[0].content', /without content/],
      ['mitigationLinks[0]', /mitigationId is a number/],
      ['mitigationLinks[1]', /link that is text/],
      ['mitigationLinks[2]', /"nothing" names no mitigation/],
      ['assumptionLinks[0]', /to threat.*about/],
      ['assumptionLinks[1]', /do not link to assumptions/],
      ['brainstorm.threatSources', /brainstorm 1 threatSources/],
      ['(document)', /top-level fields "extra"/],
    ];
    for (const [at, text] of expected) expect(reported(result, at, text), `${at} ${text}`).toBe(true);
  });

  it('cuts huge strings to Parapet’s limits and reports the cut', () => {
    const huge = 'x'.repeat(300_000);
    const result = importObject({
      schema: 1,
      applicationInfo: { name: `App ${huge}`, description: huge },
      threats: [
        {
          id: 'a',
          numericId: 1,
          threatSource: 'actor',
          threatAction: `do ${huge}`,
          threatImpact: 'harm',
          tags: [huge],
        },
      ],
      mitigations: [{ id: 'm', numericId: 1, content: huge }],
      assumptions: [{ id: 's', numericId: 1, content: huge }],
    });
    expect(errorsOf(result.model)).toEqual([]);
    expect(result.model.model.title.length).toBeLessThanOrEqual(500);
    expect(result.model.threats?.[0]?.title.length).toBeLessThanOrEqual(500);
    expect(result.model.threats?.[0]?.tags?.[0]?.length).toBeLessThanOrEqual(100);
    expect(result.model.mitigations?.[0]?.title.length).toBeLessThanOrEqual(500);
    expect(result.model.assumptions?.[0]?.text.length).toBeLessThanOrEqual(10_000);
    expect(reported(result, 'threats[0]', /threat title .*longer than Parapet allows \(500\): cut/)).toBe(true);
    expect(reported(result, 'assumptions[0].content', /longer than Parapet allows \(10000\)/)).toBe(true);
  });

  it('handles repeated ids, links to themselves and keys such as __proto__ without confusion', () => {
    const text = `{
      "schema": 1,
      "threats": [
        {"id": "same", "numericId": 1, "threatSource": "actor", "threatAction": "act", "threatImpact": "harm"},
        {"id": "same", "numericId": 2, "threatSource": "actor", "threatAction": "act", "threatImpact": "harm"}
      ],
      "mitigations": [{"id": "m", "numericId": 1, "content": "Fix", "status": "constructor", "__proto__": {"content": "x"}}],
      "mitigationLinks": [{"mitigationId": "m", "linkedId": "m"}, {"mitigationId": "m", "linkedId": "same"}, {"mitigationId": "m", "linkedId": "same"}]
    }`;
    const result = importThreatComposer(text, 'loops.tc.json');
    expect(errorsOf(result.model)).toEqual([]);
    const [first, second] = result.model.threats ?? [];
    expect([first?.id, second?.id]).toEqual(['t-act', 't-act-2']);
    expect(first?.mitigations).toEqual(['m-fix']);
    expect(second?.mitigations).toBeUndefined();
    expect(result.model.mitigations?.[0]).toMatchObject({ title: 'Fix', reduces: ['t-act'] });
    expect(result.model.mitigations?.[0]?.status).toBeUndefined();
    expect(reported(result, 'threats[1].id', /"same" used again/)).toBe(true);
    expect(reported(result, 'mitigationLinks[0]', /link from mitigation "m-fix" to mitigation "m-fix"/)).toBe(true);
    expect(reported(result, 'mitigations[0].status', /"constructor".*left as proposed/)).toBe(true);
    expect(reported(result, 'mitigations[0]', /fields "__proto__"/)).toBe(true);
  });

  it('keeps Parapet ids an earlier export wrote, and marks will-not-action mitigations', () => {
    const result = importObject({
      schema: 1,
      threats: [
        {
          id: 'x',
          numericId: 1,
          threatSource: 'actor',
          threatAction: 'act',
          threatImpact: 'harm',
          metadata: [
            { key: 'custom:parapetId', value: 'web.xss@storefront' },
            { key: 'custom:team', value: ['blue', 'red'] },
          ],
        },
        {
          id: 'y',
          numericId: 2,
          threatSource: 'actor',
          threatAction: 'act',
          threatImpact: 'harm',
          metadata: [{ key: 'custom:parapetId', value: 't-kept' }],
        },
      ],
      mitigations: [
        {
          id: 'm',
          numericId: 1,
          content: 'Do nothing',
          status: 'mitigationResolvedWillNotAction',
          metadata: [{ key: 'source', value: 'mitigationPack' }],
        },
      ],
    });
    expect(result.model.threats?.map((threat) => threat.id)).toEqual(['t-act', 't-kept']);
    expect(result.model.mitigations?.[0]).toMatchObject({ status: 'proposed', tags: ['will-not-action'] });
    expect(reported(result, 'threats[0]', /web.xss@storefront.*imported as a threat written by hand, "t-act"/)).toBe(
      true,
    );
    expect(reported(result, 'threats[0].metadata[1]', /custom metadata "custom:team" = "blue, red"/)).toBe(true);
    expect(reported(result, 'mitigations[0].metadata[0]', /source "mitigationPack".*pack/)).toBe(true);
    expect(reported(result, 'mitigations[0].status', /will-not-action/)).toBe(true);
  });

  it('imports a file with a schema version only as an empty model of the application', () => {
    const result = importThreatComposer('{"schema": 1}', 'nothing.tc.json');
    expect(result.model).toEqual({
      parapet: 1,
      model: { id: 'nothing', title: 'Threat Composer model' },
      elements: [
        {
          id: 'application',
          name: 'Application',
          kind: 'process',
          origin: { format: 'threat-composer', file: 'nothing.tc.json', line: 1, ref: 'applicationInfo' },
        },
      ],
    });
    expect(errorsOf(result.model)).toEqual([]);
  });
});

/** The ImportError a call throws, or undefined; anything else thrown fails the test. */
function catchError(call: () => unknown): ImportError | undefined {
  try {
    call();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  return undefined;
}
