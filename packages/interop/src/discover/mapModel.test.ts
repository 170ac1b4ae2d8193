import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../writeModel.js';
import { readCompose } from './compose.js';
import { fillTemplate, globMatches, mapResources } from './mapModel.js';
import { getBuiltinMappings, parseMappingFile } from './mappingFile.js';
import type { Relation, SourceResource } from './types.js';

const FILE = 'docker-compose/example-voting-app.docker-compose.yml';
const VOTING_APP = readCompose({
  file: FILE,
  text: readFileSync(new URL(`../../fixtures/samples/iac/${FILE}`, import.meta.url), 'utf8'),
});

describe('mapResources with a user mapping file', () => {
  const userMapping = parseMappingFile(
    [
      'source: docker-compose',
      'rules:',
      '  # Our redis is the vote queue, not a cache.',
      '  - type: service',
      '    when: { imageName: redis }',
      "    element: { kind: datastore, type: queue, name: 'Vote queue ({name})', technology: 'Redis {attributes.image}' }",
      '  - type: service',
      '    when: { profiles: seed }',
      '    ignore: the seed job only runs in development',
    ].join('\n'),
    'team/mappings.yaml',
  );
  const result = mapResources(VOTING_APP, [userMapping, ...getBuiltinMappings()]);
  const elements = result.model.elements ?? [];

  it('tries the user rules before the built-in ones', () => {
    expect(elements.find((e) => e.origin?.ref === 'services.redis')).toMatchObject({
      id: 'vote-queue-redis',
      name: 'Vote queue (redis)',
      kind: 'datastore',
      type: 'queue',
      technology: 'Redis redis:alpine',
    });
    expect(elements.find((e) => e.origin?.ref === 'services.db')?.type).toBe('database');
  });

  it('leaves an ignored resource out, with the rule that ignored it, and the relations it had', () => {
    expect(elements.map((e) => e.id)).not.toContain('seed');
    const seed = result.unmapped.find((u) => u.at === 'services.seed');
    expect(seed).toMatchObject({
      file: FILE,
      line: 81,
      what: 'docker-compose service "seed"',
      reason: 'ignored by the mapping rule at team/mappings.yaml:7: the seed job only runs in development',
    });
    expect(result.unmapped.filter((u) => u.at.startsWith('services.seed ->')).map((u) => u.what)).toEqual([
      'member-of relation: networks: front-tier',
      'flow relation: depends_on: vote (service_healthy)',
    ]);
    expect(result.model.flows?.map((f) => `${f.from} -> ${f.to}`)).toEqual([
      'vote -> vote-queue-redis',
      'result -> db',
      'worker -> vote-queue-redis',
      'worker -> db',
      'db -> db-data',
    ]);
  });

  it('gives the same model for the same input', () => {
    expect(mapResources(VOTING_APP, [userMapping, ...getBuiltinMappings()])).toEqual(result);
  });
});

/** A resource of a Terraform-like source for the engine's own rules. */
function resource(address: string, type: string, relations: Relation[] = [], extra: Partial<SourceResource> = {}) {
  return {
    source: 'terraform',
    type,
    name: address.split('.')[1] ?? address,
    address,
    file: 'main.tf',
    line: 1,
    attributes: {},
    relations,
    ...extra,
  } satisfies SourceResource;
}

const ENGINE_RULES = parseMappingFile(
  [
    'source: terraform',
    'rules:',
    '  - { type: vpc, boundary: { kind: vpc } }',
    '  - { type: subnet, boundary: { kind: subnet } }',
    '  - { type: group, boundary: { kind: network } }',
    '  - { type: lb, element: { kind: process, type: load-balancer } }',
    '  - { type: vault, element: { kind: datastore, type: vault } }',
    '  - { type: secret, asset: { kind: credential } }',
    '  - { type: app, element: { kind: process } }',
    '  - { type: db, element: { kind: datastore, type: database } }',
    '  - { type: front, passThrough: true }',
    '  - { type: log, ignore: logs are out of scope }',
  ].join('\n'),
  'engine.yaml',
);

describe('mapResources relations', () => {
  const relation = (kind: Relation['kind'], to: string, extra: Partial<Relation> = {}): Relation => ({
    kind,
    to,
    evidence: `${kind} ${to}`,
    ...extra,
  });
  const resources: SourceResource[] = [
    resource('vpc.main', 'vpc'),
    resource('subnet.private', 'subnet', [relation('member-of', 'vpc.main')]),
    resource('group.a', 'group'),
    resource('group.b', 'group', [relation('member-of', 'group.a')]),
    resource('group.c', 'group', [relation('member-of', 'group.b')]),
    resource('lb.web', 'lb', [], { exposure: 'internet' }),
    resource('vault.keys', 'vault'),
    resource('secret.db', 'secret'),
    resource('app.api', 'app', [
      relation('member-of', 'vpc.main'),
      relation('member-of', 'subnet.private'),
      relation('exposed-by', 'lb.web', { port: 8080, protocol: 'http' }),
      relation('flow', 'db.orders'),
      relation('flow', 'db.orders', { port: 5432, protocol: 'postgres' }),
      relation('flow', 'db.orders', { port: 5433, protocol: 'carrier-pigeon' }),
      relation('flow', 'front.internal'),
      relation('flow', 'log.audit'),
      relation('flow', 'nowhere.at-all'),
      relation('uses-secret', 'secret.db'),
      relation('uses-secret', 'vault.keys', { port: 8200 }),
    ]),
    resource('app.admin', 'app', [relation('member-of', 'subnet.private'), relation('member-of', 'group.c')]),
    resource('db.orders', 'db', [relation('member-of', 'subnet.private'), relation('exposed-by', 'front.internal')]),
    resource('front.internal', 'front', [], { exposure: 'internal' }),
    resource('log.audit', 'log'),
    resource('group.x', 'group', [relation('member-of', 'group.y')]),
    resource('group.y', 'group', [relation('member-of', 'group.x')]),
  ];
  const result = mapResources(resources, [ENGINE_RULES]);
  const element = (id: string) => result.model.elements?.find((e) => e.id === id);
  const boundary = (id: string) => result.model.boundaries?.find((b) => b.id === id);

  it('nests boundaries and places an element in the innermost of those it is in', () => {
    expect(boundary('private')?.parent).toBe('main');
    expect(boundary('c')?.parent).toBe('b');
    expect(element('api')?.boundary).toBe('private');
    expect(result.unmapped.some((u) => u.at === 'app.api' && u.what.startsWith('membership'))).toBe(false);
  });

  it('keeps the first of boundaries that do not nest, noting the others', () => {
    expect(element('admin')?.boundary).toBe('private');
    expect(result.unmapped.find((u) => u.at === 'app.admin')).toMatchObject({
      what: 'membership of app "admin" in c',
      reason:
        'Parapet places an item in one boundary and these do not nest with private: kept private (the first given)',
    });
  });

  it('breaks a cycle of boundaries, noting it', () => {
    expect([boundary('x')?.parent, boundary('y')?.parent].filter((parent) => parent !== undefined)).toHaveLength(1);
    expect(result.unmapped.some((u) => u.reason.includes('cycle'))).toBe(true);
  });

  it('makes one flow per port, joining relations without a port to the first', () => {
    const toDatabase = result.model.flows?.filter((f) => f.from === 'api' && f.to === 'orders');
    expect(toDatabase?.map((f) => [f.port, f.protocol, f.origin?.ref])).toEqual([
      [5432, 'postgres', 'app.api -> db.orders:5432'],
      [5433, undefined, 'app.api -> db.orders:5433'],
    ]);
    expect(toDatabase?.[0]?.description).toBe('Inferred from flow db.orders; flow front.internal');
    expect(result.unmapped.find((u) => u.what === 'flow relation: flow db.orders')?.reason).toBe(
      'protocol "carrier-pigeon" is not one of Parapet\'s; the flow states none from it',
    );
  });

  it('sends a flow to a pass-through resource on to what it exposes, which takes its exposure', () => {
    expect(element('orders')?.exposure).toBe('internal');
  });

  it('makes an exposing element a flow to what it exposes, which takes its exposure', () => {
    expect(element('api')?.exposure).toBe('internet');
    expect(result.model.flows?.find((f) => f.from === 'web')).toMatchObject({
      to: 'api',
      port: 8080,
      protocol: 'http',
    });
  });

  it('stores a secret asset in the element, and reads a secret held in a vault element by a flow', () => {
    expect(element('api')?.stores).toEqual(['db']);
    expect(result.model.flows?.find((f) => f.to === 'keys')).toMatchObject({ from: 'api', port: 8200 });
  });

  it('notes relations to ignored and unknown resources, with their evidence', () => {
    const notes = result.unmapped.filter((u) => u.at.startsWith('app.api ->')).map((u) => [u.what, u.reason]);
    expect(notes).toEqual(
      expect.arrayContaining([
        ['flow relation: flow log.audit', 'log.audit is not an element of the model (ignored by a mapping rule)'],
        ['flow relation: flow nowhere.at-all', 'nowhere.at-all is not among the resources read'],
      ]),
    );
    expect(result.unmapped.find((u) => u.at === 'log.audit')?.reason).toBe(
      'ignored by the mapping rule at engine.yaml:12: logs are out of scope',
    );
  });

  it('gives a model without errors', () => {
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('templates and globs', () => {
  const labelled = resource('app.x', 'app', [], {
    attributes: { image: 'nginx:1', labels: { 'app.kubernetes.io/name': 'shop' }, ports: [80, 443] },
  });

  it('fills placeholders, with keys that hold dots, and leaves a field out when one has no value', () => {
    expect(fillTemplate('{name} ({attributes.labels.app.kubernetes.io/name})', labelled)).toBe('x (shop)');
    expect(fillTemplate('ports {attributes.ports}', labelled)).toBe('ports 80, 443');
    expect(fillTemplate('{attributes.build}', labelled)).toBeUndefined();
  });

  it('matches globs with stars, in time bounded by the lengths', () => {
    expect(globMatches('aws_lb*', 'aws_lb_listener')).toBe(true);
    expect(globMatches('AWS::RDS::*', 'AWS::RDS::DBInstance')).toBe(true);
    expect(globMatches('*mssql/server', 'mcr.microsoft.com/mssql/server')).toBe(true);
    expect(globMatches('redis', 'redis-exporter')).toBe(false);
    expect(globMatches('*a*a*a*a*b', 'a'.repeat(20_000))).toBe(false);
  });
});
