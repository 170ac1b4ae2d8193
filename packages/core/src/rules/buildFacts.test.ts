import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createModelIndex } from '../enrich/ModelIndex.js';
import { enrichModel } from '../enrich/enrichModel.js';
import { loadModel } from '../load/loadModel.js';
import type { ThreatModel } from '../schema/ThreatModel.js';
import { buildFacts, type Facts } from './buildFacts.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

function loadExample(name: string): ThreatModel {
  const entry = join(ROOT, 'examples', name, 'threatmodel.yaml');
  const loaded = loadModel(entry, {
    readFile: (path) => readFileSync(path, 'utf8'),
    resolvePath: (from, reference) => join(dirname(from), reference),
  });
  if (!loaded.model) throw new Error(`${name} does not load`);
  return loaded.model;
}

/** The flow summaries of each element worked out the plain way: every in-scope flow in or out, lists sorted. */
function expectedSummaries(model: ThreatModel): unknown[] {
  const elements = model.elements ?? [];
  const byId = new Map(elements.map((e) => [e.id, e]));
  const sorted = (values: (string | undefined)[]): string[] =>
    [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  return elements.map((element) => {
    const summary = (inbound: boolean) => {
      const ends = (model.flows ?? []).flatMap((flow) => {
        if (flow.outOfScope || !byId.has(flow.from) || !byId.has(flow.to)) return [];
        const both = [
          { to: flow.to, from: flow.from },
          ...(flow.bidirectional ? [{ to: flow.from, from: flow.to }] : []),
        ];
        return both
          .filter((end) => (inbound ? end.to : end.from) === element.id)
          .map((end) => ({ flow, peer: byId.get(inbound ? end.from : end.to) }));
      });
      return {
        count: ends.length,
        protocols: sorted(ends.map((e) => e.flow.protocol)),
        peerKinds: sorted(ends.map((e) => e.peer?.kind)),
        peerTypes: sorted(ends.map((e) => e.peer?.type)),
      };
    };
    return { id: element.id, inbound: summary(true), outbound: summary(false) };
  });
}

const summariesOf = (facts: readonly Facts[]): unknown[] =>
  facts.map((f) => {
    const pick = (set: Facts) => ({
      count: set['count'],
      protocols: set['protocols'],
      peerKinds: set['peerKinds'],
      peerTypes: set['peerTypes'],
    });
    return { id: f['id'], inbound: pick(f['inbound'] as Facts), outbound: pick(f['outbound'] as Facts) };
  });

describe('buildFacts: the flow summaries of elements', () => {
  for (const example of ['online-shop', 'mobile-banking', 'cicd-pipeline']) {
    it(`count the flows in and out of each element of ${example}, with their protocols and peers, sorted`, () => {
      const model = loadExample(example);
      const index = createModelIndex(model);
      const facts = buildFacts(model, enrichModel(model, index), index);
      expect(summariesOf(facts.elements)).toEqual(expectedSummaries(model));
      expect(facts.elements.some((e) => ((e['inbound'] as Facts)['protocols'] as string[]).length > 1)).toBe(true);
    });
  }

  it('keep values outside the schema (a model that skipped validation) in order among the others', () => {
    const model = {
      parapet: 1,
      model: { id: 'm', title: 'm' },
      elements: [
        { id: 'a', name: 'a', kind: 'process', type: 'zz-custom' },
        { id: 'b', name: 'b', kind: 'process', type: 'service' },
        { id: 'c', name: 'c', kind: 'datastore', type: 'aa-custom' },
      ],
      flows: [
        { id: 'f1', from: 'a', to: 'b', protocol: 'https' },
        { id: 'f2', from: 'c', to: 'b', protocol: 'carrier-pigeon' },
        { id: 'f3', from: 'b', to: 'b', protocol: 'amqp' },
      ],
    } as unknown as ThreatModel;
    const index = createModelIndex(model);
    const b = buildFacts(model, enrichModel(model, index), index).elements[1] as Facts;
    expect(b['inbound']).toMatchObject({
      count: 3,
      protocols: ['amqp', 'carrier-pigeon', 'https'],
      peerKinds: ['datastore', 'process'],
      peerTypes: ['aa-custom', 'service', 'zz-custom'],
    });
    // A second model starts afresh: nothing kept aside for the first one shows in its lists.
    const again = buildFacts(model, enrichModel(model, index), index).elements[1] as Facts;
    expect((again['inbound'] as Facts)['protocols']).toEqual(['amqp', 'carrier-pigeon', 'https']);
  });
});

describe('buildFacts: flow signatures', () => {
  it('number flows alike in their own stated facts the same, and any difference apart', () => {
    const base = { from: 'a', to: 'b', protocol: 'https', port: 443, authentication: 'oauth2', encryption: 'tls' };
    const flows = [
      { id: 'f0', ...base },
      { id: 'f1', ...base }, // same as f0
      { id: 'f2', ...base, controls: ['rate-limiting'] },
      { id: 'f3', ...base, controls: ['rate-limiting'] }, // same as f2
      { id: 'f4', ...base, controls: ['rate-limiting', 'waf'] },
      { id: 'f5', ...base, controls: ['waf', 'rate-limiting'] }, // order differs from f4
      { id: 'f6', ...base, tags: ['rate-limiting'] }, // the same word as a tag, not a control
      { id: 'f7', ...base, tags: ['["a","b"]'] }, // a tag that reads like a list
      { id: 'f8', ...base, tags: ['a', 'b'] },
      { id: 'f9', ...base, port: 8443 },
      { id: 'f10', ...base, bidirectional: true },
    ];
    const model = {
      parapet: 1,
      model: { id: 'm', title: 'm' },
      elements: [
        { id: 'a', name: 'a', kind: 'process' },
        { id: 'b', name: 'b', kind: 'process' },
      ],
      flows,
    } as unknown as ThreatModel;
    const index = createModelIndex(model);
    const sigs = buildFacts(model, enrichModel(model, index), index).flows.map((f) => f['$sig']);
    const same = [
      [0, 1],
      [2, 3],
    ];
    for (const [x, y] of same) expect(sigs[x as number], `f${x} and f${y}`).toBe(sigs[y as number]);
    const distinct = [0, 2, 4, 5, 6, 7, 8, 9, 10].map((i) => sigs[i]);
    expect(new Set(distinct).size).toBe(distinct.length);
  });
});
