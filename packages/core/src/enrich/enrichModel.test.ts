import { describe, expect, it } from 'vitest';
import { loadModel } from '../load/loadModel.js';
import { toEnrichmentJson } from './enrichModel.js';

const MODEL = `parapet: 1
model: { id: m, title: M }
boundaries:
  - { id: internet, name: Internet, kind: internet }
  - { id: cloud, name: Cloud account, kind: cloud-account, trustLevel: 60 }
  - { id: dmz, name: DMZ, kind: dmz, parent: cloud, trustLevel: 40 }
  - { id: private, name: Private subnet, kind: subnet, parent: cloud }
  - { id: vault-zone, name: Vault, kind: execution, parent: private, trustLevel: 90 }
elements:
  - { id: user, name: User, kind: external, boundary: internet }
  - { id: web, name: Web, kind: process, boundary: dmz }
  - { id: api, name: API, kind: process, boundary: private }
  - { id: db, name: DB, kind: datastore, boundary: private, stores: [orders] }
  - { id: vault, name: Vault, kind: datastore, boundary: vault-zone, stores: [keys] }
  - { id: batch, name: Batch, kind: process, boundary: private }
  - { id: partner, name: Partner, kind: external }
flows:
  - { id: browse, from: user, to: web, data: [orders], authentication: none, encryption: tls }
  - { id: call, from: web, to: api, data: [orders], authentication: jwt, encryption: tls }
  - { id: store, from: api, to: db, data: [orders, pii] }
  - { id: secrets, from: api, to: vault, data: [keys], authentication: iam, encryption: tls }
  - { id: report, from: batch, to: partner, bidirectional: true, authentication: api-key, encryption: tls }
assets:
  - { id: orders, name: Orders }
  - { id: pii, name: Personal data, kind: personal-data }
  - { id: keys, name: Keys, kind: key }
`;

describe('enrichModel', () => {
  const result = loadModel('m.yaml', { readFile: () => MODEL, resolvePath: (_, r) => r });
  const e = toEnrichmentJson(result.enrichment!) as unknown as {
    crossings: unknown;
    boundaryTrust: unknown;
    zones: Record<string, unknown>;
    exposure: Record<string, { reachable: boolean; hops: number | null; via: string | null }>;
    assets: unknown;
    elementAssets: Record<string, unknown>;
  };

  it('loads the fixture without problems', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('derives the boundaries each flow crosses and the change in trust', () => {
    expect(e.crossings).toMatchInlineSnapshot(`
      {
        "browse": {
          "entries": [
            "cloud",
            "dmz",
          ],
          "exits": [
            "internet",
          ],
          "fromTrust": 0,
          "toTrust": 40,
          "trustChange": 40,
        },
        "call": {
          "entries": [
            "private",
          ],
          "exits": [
            "dmz",
          ],
          "fromTrust": 40,
          "toTrust": 60,
          "trustChange": 20,
        },
        "report": {
          "entries": [],
          "exits": [
            "private",
            "cloud",
          ],
          "fromTrust": 60,
          "toTrust": 0,
          "trustChange": -60,
        },
        "secrets": {
          "entries": [
            "vault-zone",
          ],
          "exits": [],
          "fromTrust": 60,
          "toTrust": 90,
          "trustChange": 30,
        },
        "store": {
          "entries": [],
          "exits": [],
          "fromTrust": 60,
          "toTrust": 60,
          "trustChange": 0,
        },
      }
    `);
  });

  it('inherits trust from the parent boundary and defaults by kind', () => {
    expect(e.boundaryTrust).toEqual({ internet: 0, cloud: 60, dmz: 40, private: 60, 'vault-zone': 90 });
    expect(e.zones['vault']).toEqual({
      boundary: 'vault-zone',
      boundaries: ['vault-zone', 'private', 'cloud'],
      trustLevel: 90,
    });
    expect(e.zones['partner']).toEqual({ boundary: null, boundaries: [], trustLevel: 0 });
  });

  it('finds what can be reached from the least-trusted zone, following flow direction', () => {
    const reach = Object.fromEntries(
      Object.entries(e.exposure).map(([id, x]) => [id, x.reachable ? `${x.hops} via ${x.via ?? '-'}` : 'unreachable']),
    );
    expect(reach).toEqual({
      user: '0 via -',
      partner: '0 via -',
      web: '1 via browse',
      api: '2 via call',
      db: '3 via store',
      vault: '3 via secrets',
      // reachable only because the partner link is bidirectional
      batch: '1 via report',
    });
  });

  it('locates every asset: stored, processed, carried', () => {
    expect(e.assets).toEqual({
      orders: { storedIn: ['db'], processedBy: ['user', 'web', 'api'], carriedBy: ['browse', 'call', 'store'] },
      pii: { storedIn: ['db'], processedBy: ['api'], carriedBy: ['store'] },
      keys: { storedIn: ['vault'], processedBy: ['api'], carriedBy: ['secrets'] },
    });
    expect(e.elementAssets['api']).toEqual({ stores: [], processes: ['orders', 'pii', 'keys'] });
    expect(e.elementAssets['db']).toEqual({ stores: ['orders', 'pii'], processes: [] });
  });
});
