import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../ImportResult.js';
import { checkModel } from '../writeModel.js';
import { readKubernetes, splitDocuments } from './kubernetes.js';
import { mapResources } from './mapModel.js';
import { getBuiltinMappings } from './mappingFile.js';
import type { DiscoveryInput } from './types.js';

const DIR = 'kubernetes/example-voting-app/';
const SAMPLES = new URL(`../../fixtures/samples/iac/${DIR}`, import.meta.url);
const MANIFESTS: DiscoveryInput[] = readdirSync(SAMPLES)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ file: `${DIR}${name}`, text: readFileSync(new URL(name, SAMPLES), 'utf8') }));

/** Manifests mapped by the built-in rules. */
function discoverManifests(inputs: readonly DiscoveryInput[]) {
  return mapResources(readKubernetes(inputs), getBuiltinMappings(), { format: 'kubernetes' });
}

/** The manifests with one file's text changed. */
function withFile(name: string, change: (text: string) => string): DiscoveryInput[] {
  return MANIFESTS.map((input) => (input.file === `${DIR}${name}` ? { ...input, text: change(input.text) } : input));
}

describe('readKubernetes on the example voting app', () => {
  const result = discoverManifests(MANIFESTS);
  const elements = result.model.elements ?? [];

  it('finds its five Deployments, redis and db as data stores, each at the start of its file', () => {
    expect(elements.map((e) => [e.id, e.kind, e.type, e.origin?.file, e.origin?.line, e.origin?.ref])).toEqual([
      ['db', 'datastore', 'database', `${DIR}db-deployment.yaml`, 1, 'Deployment/default/db'],
      ['redis', 'datastore', 'cache', `${DIR}redis-deployment.yaml`, 1, 'Deployment/default/redis'],
      ['result', 'process', 'service', `${DIR}result-deployment.yaml`, 1, 'Deployment/default/result'],
      ['vote', 'process', 'service', `${DIR}vote-deployment.yaml`, 1, 'Deployment/default/vote'],
      ['worker', 'process', 'service', `${DIR}worker-deployment.yaml`, 1, 'Deployment/default/worker'],
    ]);
    expect(elements.every((e) => e.origin?.inferred === true && e.origin.format === 'kubernetes')).toBe(true);
  });

  it('exposes vote and result to the internet through their NodePort Services; db and redis inside the cluster', () => {
    expect(Object.fromEntries(elements.map((e) => [e.id, e.exposure]))).toEqual({
      db: 'internal',
      redis: 'internal',
      result: 'internet',
      vote: 'internet',
      worker: undefined,
    });
  });

  it('places them in the default namespace, a boundary the manifests imply', () => {
    expect(result.model.boundaries).toEqual([
      {
        id: 'default',
        name: 'default',
        kind: 'namespace',
        origin: {
          format: 'kubernetes',
          file: `${DIR}db-deployment.yaml`,
          line: 1,
          ref: 'Namespace/default',
          inferred: true,
        },
      },
    ]);
    expect(elements.every((e) => e.boundary === 'default')).toBe(true);
  });

  it('finds no flows: these manifests name no Service in any environment variable (the app has its hosts in code)', () => {
    expect(result.model.flows).toBeUndefined();
    expect(result.unmapped.map((u) => u.what)).toEqual(['emptyDir volume db-data', 'emptyDir volume redis-data']);
  });

  it('gives a model without errors; its warnings are the elements without flows', () => {
    const diagnostics = checkModel(result.model);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(new Set(diagnostics.map((d) => d.code))).toEqual(new Set(['PARAPET_ELEMENT_WITHOUT_FLOWS']));
  });
});

// The same app configured the way Kubernetes apps usually find each other: environment variables, a
// ConfigMap and a Secret naming the Services.
const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: worker-config
data:
  DATABASE_URL: postgres://postgres@db.default.svc.cluster.local:5432/postgres
  LOG_LEVEL: info
---
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
stringData:
  password: hunter2-do-not-copy
`;
const WORKER_ENV = `
        env:
        - name: REDIS_HOST
          value: redis
        - name: DATABASE_URL
          valueFrom:
            configMapKeyRef:
              name: worker-config
              key: DATABASE_URL
        - name: DATABASE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db-credentials
              key: password
`;

describe('readKubernetes on the voting app configured through the environment', () => {
  const inputs = [
    ...withFile('worker-deployment.yaml', (text) => text.trimEnd() + WORKER_ENV),
    { file: 'config.yaml', text: CONFIG },
  ];
  const result = discoverManifests(inputs);

  it('finds flows to the Services the environment and the ConfigMap name, through to their Deployments', () => {
    expect(result.model.flows?.map((f) => [f.from, f.to, f.protocol, f.port, f.origin?.line])).toEqual([
      ['worker', 'redis', undefined, 6379, 21],
      ['worker', 'db', 'postgres', 5432, 23],
    ]);
    expect(result.model.flows?.[0]?.description).toBe(
      "Inferred from environment variable REDIS_HOST names Service redis as a host (the Service's only port, 6379)",
    );
    expect(result.model.flows?.[1]?.description).toBe(
      'Inferred from environment variable DATABASE_URL from ConfigMap worker-config key DATABASE_URL names Service db in a URL, port 5432',
    );
  });

  it('makes the Secret a credential the worker stores, without its value', () => {
    expect(result.model.assets).toEqual([
      {
        id: 'db-credentials',
        name: 'db-credentials',
        kind: 'credential',
        classification: 'confidential',
        origin: {
          format: 'kubernetes',
          file: 'config.yaml',
          line: 9,
          ref: 'Secret/default/db-credentials',
          inferred: true,
        },
      },
    ]);
    expect(result.model.elements?.find((e) => e.id === 'worker')?.stores).toEqual(['db-credentials']);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    const secret = readKubernetes(inputs).find((r) => r.type === 'Secret');
    expect(secret?.attributes).toEqual({ namespace: 'default', secretType: 'Opaque', keys: ['password'] });
  });

  it('ignores the ConfigMap as configuration, saying why', () => {
    const configMap = result.unmapped.find((u) => u.at === 'ConfigMap/default/worker-config');
    expect(configMap).toMatchObject({ file: 'config.yaml', line: 1, what: 'kubernetes ConfigMap "worker-config"' });
    expect(configMap?.reason).toMatch(
      /^ignored by the mapping rule at @parapet\/interop\/mappings\/kubernetes\.yaml:\d+: configuration data/,
    );
  });

  it('gives a model without errors', () => {
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('readKubernetes on one multi-document file', () => {
  const text = MANIFESTS.map((input) => `# ${input.file}\n---\n${input.text.trimEnd()}\n`).join('');
  const result = discoverManifests([{ file: 'all.yaml', text }]);

  it('reads every document, each element at the line its document starts', () => {
    const lines = text.split('\n');
    for (const element of result.model.elements ?? []) {
      expect(lines[(element.origin?.line ?? 0) - 1]).toBe('apiVersion: apps/v1');
      expect(lines[(element.origin?.line ?? 0) + 4]).toBe(`  name: ${element.id}`);
    }
    expect(result.model.elements?.map((e) => [e.id, e.exposure])).toEqual(
      discoverManifests(MANIFESTS).model.elements?.map((e) => [e.id, e.exposure]),
    );
  });

  it('splits at markers only once a document has content, dropping documents of comments alone', () => {
    expect(splitDocuments('%YAML 1.2\n---\na: 1\n...\n# end\n---\n---\nb: 2\n--- c: 3\n')).toEqual([
      { text: '%YAML 1.2\n---\na: 1\n...', lineOffset: 0 },
      { text: '---\nb: 2', lineOffset: 6 },
      { text: '--- c: 3\n', lineOffset: 8 },
    ]);
    expect(splitDocuments('# only a comment\n---\n')).toEqual([]);
  });
});

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: orders-db
  namespace: shop
spec:
  template:
    metadata:
      labels: { app: orders-db }
    spec:
      containers:
      - name: mysql
        image: mysql:8
      volumes:
      - name: data
        persistentVolumeClaim: { claimName: orders-data }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: orders-data
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  namespace: shop
spec:
  template:
    metadata:
      labels: { app: web, tier: front }
    spec:
      hostNetwork: true
      containers:
      - name: web
        image: ghcr.io/acme/shop-web:2.1
        env:
        - { name: ORDERS_DB, value: "orders-db.shop:3306" }
        - { name: PAYMENTS, value: "https://payments.example.com/api" }
        securityContext: { privileged: true }
        envFrom:
        - secretRef: { name: web-keys }
---
apiVersion: v1
kind: Service
metadata:
  name: orders-db
  namespace: shop
spec:
  selector: { app: orders-db }
  ports: [{ port: 3306, appProtocol: mysql }]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: { name: web, port: { number: 80 } }
---
apiVersion: v1
kind: Service
metadata:
  name: nobody
  namespace: shop
spec:
  selector: { app: nothing-here }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-only-from-web
  namespace: shop
spec:
  podSelector: { matchLabels: { app: orders-db } }
  policyTypes: [Ingress]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: thing
`;

describe('readKubernetes on namespaces, StatefulSets, Ingresses and policies', () => {
  const result = discoverManifests([{ file: 'cluster.yaml', text: CLUSTER }]);
  const element = (id: string) => result.model.elements?.find((e) => e.id === id);

  it('places workloads and claims in their declared namespace', () => {
    expect(result.model.boundaries?.map((b) => [b.id, b.kind])).toEqual([['shop', 'namespace']]);
    expect(result.model.elements?.map((e) => [e.id, e.kind, e.type, e.boundary])).toEqual([
      ['orders-db', 'datastore', 'database', 'shop'],
      ['orders-data', 'datastore', 'file-store', undefined],
      ['shop-web', 'process', 'service', 'shop'],
    ]);
  });

  it('exposes a workload behind an Ingress to the internet', () => {
    expect(element('shop-web')?.exposure).toBe('internet');
    expect(element('orders-db')?.exposure).toBe('internal');
  });

  it('finds flows by name.namespace with the Service’s app protocol, and to volume claims', () => {
    expect(result.model.flows?.map((f) => [f.from, f.to, f.protocol, f.port])).toEqual([
      ['orders-db', 'orders-data', 'file', undefined],
      ['shop-web', 'orders-db', 'mysql', 3306],
    ]);
  });

  it('notes the policy, the host network, the privileged container, the missing Secret and unknown kinds', () => {
    const notes = result.unmapped.map((u) => `${u.line} ${u.what}`);
    expect(notes).toEqual(
      expect.arrayContaining([
        '39 hostNetwork: true',
        '46 privileged container',
        '48 uses-secret relation: envFrom Secret web-keys',
        '83 kubernetes Service "nobody"',
        '91 NetworkPolicy db-only-from-web (Ingress) on orders-db',
        '91 kubernetes NetworkPolicy "db-only-from-web"',
        '100 kubernetes ServiceAccount "web"',
        '106 kubernetes Widget "thing"',
      ]),
    );
    const widget = result.unmapped.find((u) => u.what === 'kubernetes Widget "thing"');
    expect(widget?.reason).toMatch(/^no mapping rule matches type "Widget"/);
    const secret = result.unmapped.find((u) => u.what === 'uses-secret relation: envFrom Secret web-keys');
    expect(secret?.reason).toBe('Secret/shop/web-keys is not among the resources read');
  });

  it('gives a model without errors', () => {
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('readKubernetes on hostile and broken input', () => {
  it('reports a syntax error in a later document at its line in the file', () => {
    const text = `${MANIFESTS[0]?.text ?? ''}---\napiVersion: v1\nkind: Service\nmetadata: [unclosed\n`;
    try {
      readKubernetes([{ file: 'broken.yaml', text }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      expect((error as ImportError).file).toBe('broken.yaml');
      expect((error as ImportError).line).toBeGreaterThanOrEqual(37);
    }
  });

  it('bounds alias bombs in any document', () => {
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'x: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'y: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'data: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ].join('\n');
    expect(() => readKubernetes([{ file: 'bomb.yaml', text: `a: 1\n---\n${bomb}\n` }])).toThrow(ImportError);
  });

  it('keeps documents that are not objects, or of the wrong shape, as resources no rule maps', () => {
    const text = [
      '- just\n- a list',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: odd}\nspec: {template: {spec: {containers: 5, volumes: [1, {secret: 2}]}}}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: [1], ports: "80"}',
      'kind: 7',
    ].join('\n---\n');
    const resources = readKubernetes([{ file: 'odd.yaml', text }]);
    expect(resources.map((r) => [r.type, r.address, r.line])).toEqual([
      ['(not a Kubernetes object)', '(not a Kubernetes object)/odd.yaml:1', 1],
      ['Deployment', 'Deployment/default/odd', 4],
      ['Service', 'Service/default/s', 9],
      ['(not a Kubernetes object)', '(not a Kubernetes object)/odd.yaml:14', 14],
      ['Namespace', 'Namespace/default', 4],
    ]);
    const result = mapResources(resources, getBuiltinMappings());
    expect(result.model.elements?.map((e) => e.id)).toEqual(['odd']);
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('reads a kubectl List in JSON', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'cache', namespace: 'team' },
          spec: { template: { spec: { containers: [{ image: 'memcached:1.6' }] } } },
        },
      ],
    };
    const result = discoverManifests([{ file: 'list.json', text: JSON.stringify(list, null, 2) }]);
    expect(result.model.elements).toMatchObject([
      { id: 'cache', type: 'cache', boundary: 'team', origin: { line: 12 } },
    ]);
  });

  it('reads 2,000 Deployments and Services in a few seconds', () => {
    const documents: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      documents.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app${i}}\nspec: {template: {metadata: {labels: {app: app${i}}}, spec: {containers: [{image: app, env: [{name: NEXT, value: "http://app${(i + 1) % 1_000}"}]}]}}}`,
        `apiVersion: v1\nkind: Service\nmetadata: {name: app${i}}\nspec: {selector: {app: app${i}}, ports: [{port: 80}]}`,
      );
    }
    const started = performance.now();
    const result = discoverManifests([{ file: 'many.yaml', text: documents.join('\n---\n') }]);
    expect(result.model.flows?.length).toBe(1_000);
    expect(result.model.flows?.[0]).toMatchObject({ from: 'app0', to: 'app1', protocol: 'http', port: 80 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
