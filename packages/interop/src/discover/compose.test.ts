import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../ImportResult.js';
import { checkModel } from '../writeModel.js';
import { findHostReferences, parseImage, readCompose } from './compose.js';
import { mapResources } from './mapModel.js';
import { getBuiltinMappings } from './mappingFile.js';
import type { DiscoveryInput } from './types.js';

const FILE = 'docker-compose/example-voting-app.docker-compose.yml';
const VOTING_APP: DiscoveryInput = {
  file: FILE,
  text: readFileSync(new URL(`../../fixtures/samples/iac/${FILE}`, import.meta.url), 'utf8'),
};

/** The voting app mapped by the built-in rules. */
function discoverCompose(input: DiscoveryInput) {
  return mapResources(readCompose(input), getBuiltinMappings(), { format: 'docker-compose' });
}

/** The line of the first line of a text holding a piece. */
function lineOf(text: string, piece: string): number {
  const index = text.indexOf(piece);
  if (index === -1) throw new Error(`"${piece}" is not in the text`);
  return text.slice(0, index).split('\n').length;
}

describe('readCompose on the example voting app', () => {
  const result = discoverCompose(VOTING_APP);
  const elements = result.model.elements ?? [];
  const flows = result.model.flows ?? [];
  const element = (id: string) => elements.find((e) => e.id === id);

  it('finds its five services (and the seed job), redis and db as data stores, each at the line of its name', () => {
    expect(elements.map((e) => e.id)).toEqual(['vote', 'result', 'worker', 'redis', 'db', 'seed', 'db-data']);
    for (const id of ['vote', 'result', 'worker', 'redis', 'db', 'seed']) {
      expect(element(id)?.origin).toEqual({
        format: 'docker-compose',
        file: FILE,
        line: lineOf(VOTING_APP.text, `\n  ${id}:\n`) + 1,
        ref: `services.${id}`,
        inferred: true,
      });
    }
    expect(elements.filter((e) => e.kind === 'datastore').map((e) => [e.id, e.type, e.technology])).toEqual([
      ['redis', 'cache', 'Redis (redis:alpine)'],
      ['db', 'database', 'PostgreSQL (postgres:15-alpine)'],
      ['db-data', 'file-store', 'Docker volume'],
    ]);
    expect(element('vote')).toMatchObject({ kind: 'process', type: 'service', technology: 'built from ./vote' });
  });

  it('finds the flows between them from depends_on, each at the line of its entry', () => {
    expect(flows.map((f) => `${f.from} -> ${f.to}`)).toEqual([
      'vote -> redis',
      'result -> db',
      'worker -> redis',
      'worker -> db',
      'db -> db-data',
      'seed -> vote',
    ]);
    const workerToDb = flows.find((f) => f.id === 'worker-to-db');
    expect(workerToDb?.origin).toMatchObject({ file: FILE, line: 49, ref: 'services.worker -> services.db' });
    expect(workerToDb?.description).toBe('Inferred from depends_on: db (service_healthy)');
    expect(flows.find((f) => f.id === 'db-to-db-data')).toMatchObject({ protocol: 'file', origin: { line: 70 } });
  });

  it('exposes vote and result to the internet by their published ports; the others publish none', () => {
    expect(elements.filter((e) => e.exposure !== undefined).map((e) => [e.id, e.exposure])).toEqual([
      ['vote', 'internet'],
      ['result', 'internet'],
    ]);
  });

  it('makes the two networks boundaries, placing a service on both in the first and saying so', () => {
    expect(result.model.boundaries?.map((b) => [b.id, b.kind, b.origin?.line])).toEqual([
      ['front-tier', 'network', 95],
      ['back-tier', 'network', 96],
    ]);
    expect(elements.map((e) => [e.id, e.boundary])).toEqual([
      ['vote', 'front-tier'],
      ['result', 'front-tier'],
      ['worker', 'back-tier'],
      ['redis', 'back-tier'],
      ['db', 'back-tier'],
      ['seed', 'front-tier'],
      ['db-data', undefined],
    ]);
    const conflicts = result.unmapped.filter((u) => u.what.startsWith('membership'));
    expect(conflicts.map((u) => [u.at, u.what])).toEqual([
      ['services.vote', 'membership of service "vote" in back-tier'],
      ['services.result', 'membership of service "result" in back-tier'],
    ]);
  });

  it('lists bind mounts and settings it does not read, at their lines', () => {
    const binds = result.unmapped.filter((u) => u.what.startsWith('bind mount'));
    expect(binds.map((u) => [u.at, u.line, u.what])).toEqual([
      ['services.vote.volumes[0]', 20, 'bind mount ./vote -> /usr/local/app'],
      ['services.result.volumes[0]', 35, 'bind mount ./result -> /usr/local/app'],
      ['services.redis.volumes[0]', 57, 'bind mount ./healthchecks -> /healthchecks'],
      ['services.db.volumes[1]', 71, 'bind mount ./healthchecks -> /healthchecks'],
    ]);
    expect(result.unmapped.filter((u) => u.what.startsWith('settings')).map((u) => u.what)).toEqual([
      'settings of service vote: healthcheck',
      'settings of service result: entrypoint',
      'settings of service redis: healthcheck',
      'settings of service db: healthcheck',
      'settings of service seed: restart',
    ]);
  });

  it('keeps the names of environment variables, never their values (the database password)', () => {
    const db = readCompose(VOTING_APP).find((r) => r.name === 'db');
    expect(db?.attributes.environmentNames).toEqual(['POSTGRES_USER', 'POSTGRES_PASSWORD']);
    expect(Object.keys(db?.attributes ?? {})).toEqual(['image', 'imageRepository', 'imageName', 'environmentNames']);
  });

  it('gives a model without errors; its warnings are the flows crossing networks that state no protection', () => {
    const diagnostics = checkModel(result.model);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual([
      'PARAPET_FLOW_UNPROTECTED flows[0]',
      'PARAPET_FLOW_UNPROTECTED flows[1]',
      'PARAPET_FLOW_UNPROTECTED flows[4]',
    ]);
  });
});

// The voting app as many projects configure it: the services find each other through environment variables.
const CONFIGURED = `
services:
  vote:
    image: dockersamples/examplevotingapp_vote
    environment:
      REDIS_HOST: redis
      MODE: worker
    ports: ["127.0.0.1:8080:80"]
  worker:
    image: dockersamples/examplevotingapp_worker
    environment:
      - DATABASE_URL=postgres://postgres:s3cret@db:5432/postgres
      - QUEUE=cache:6379
      - SELF=http://worker:8080
    secrets: [db_password]
    depends_on:
      migrate:
        condition: service_completed_successfully
  migrate:
    image: flyway/flyway
    expose: ["8080"]
  redis:
    image: docker.io/library/redis:7@sha256:0123
    networks:
      default:
        aliases: [cache]
  db:
    image: postgres
    network_mode: host
    volumes:
      - type: volume
        source: db-data
        target: /var/lib/postgresql/data
      - /var/run/docker.sock:/var/run/docker.sock
      - /scratch
volumes:
  db-data:
secrets:
  db_password:
    file: ./db_password.txt
`;

describe('readCompose on configured services', () => {
  const input = { file: 'configured/compose.yaml', text: CONFIGURED };
  const resources = readCompose(input);
  const result = discoverCompose(input);
  const flows = result.model.flows ?? [];

  it('finds flows in environment variables: a host, a URL (with protocol and port), host:port through an alias', () => {
    expect(flows.map((f) => [f.from, f.to, f.protocol, f.port])).toEqual([
      ['vote', 'redis', undefined, undefined],
      ['worker', 'db', 'postgres', 5432],
      ['worker', 'redis', undefined, 6379],
      ['db', 'db-data', 'file', undefined],
    ]);
    expect(flows[1]?.description).toBe(
      'Inferred from environment variable DATABASE_URL names service db in a URL, port 5432',
    );
    expect(flows[1]?.origin?.line).toBe(lineOf(CONFIGURED, 'DATABASE_URL'));
  });

  it('reads a bare word as a host only in a variable named for one (MODE=worker is no flow)', () => {
    expect(flows.some((f) => f.from === 'vote' && f.to === 'worker')).toBe(false);
  });

  it('never copies a password from a URL', () => {
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('takes loopback-only ports and expose as internal exposure', () => {
    const exposure = Object.fromEntries((result.model.elements ?? []).map((e) => [e.id, e.exposure]));
    expect(exposure).toMatchObject({ vote: 'internal', migrate: 'internal', worker: undefined });
  });

  it('puts services without networks on the implicit default network', () => {
    const network = resources.find((r) => r.address === 'networks.default');
    expect(network).toMatchObject({
      type: 'network',
      line: lineOf(CONFIGURED, '  vote:'),
      attributes: { implicit: true },
    });
    expect(result.model.elements?.find((e) => e.id === 'vote')?.boundary).toBe('default');
  });

  it('makes a secret an asset the service stores, and notes what it does not model', () => {
    expect(result.model.assets).toMatchObject([
      { id: 'db-password', kind: 'credential', classification: 'confidential' },
    ]);
    expect(result.model.elements?.find((e) => e.id === 'worker')?.stores).toEqual(['db-password']);
    const notes = result.unmapped.map((u) => `${u.at}: ${u.what}`);
    expect(notes).toEqual(
      expect.arrayContaining([
        'services.worker.depends_on.migrate: depends_on migrate (service_completed_successfully)',
        'services.db.network_mode: network_mode: host',
        'services.db.volumes[1]: bind mount /var/run/docker.sock -> /var/run/docker.sock',
        'services.db.volumes[2]: anonymous mount (anonymous) -> /scratch',
      ]),
    );
  });

  it('gives image names for mapping rules', () => {
    expect(resources.find((r) => r.name === 'redis')?.attributes).toMatchObject({
      image: 'docker.io/library/redis:7@sha256:0123',
      imageRepository: 'docker.io/library/redis',
      imageName: 'redis',
    });
    expect(parseImage('localhost:5000/team/app:1.2')).toEqual({
      image: 'localhost:5000/team/app:1.2',
      imageRepository: 'localhost:5000/team/app',
      imageName: 'app',
    });
  });

  it('gives a model without errors', () => {
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('findHostReferences', () => {
  it('reads URLs, JDBC URLs, host:port lists and connection strings', () => {
    expect(findHostReferences('jdbc:mysql://db:3306/shop', false)).toEqual([
      { host: 'db', port: 3306, protocol: 'mysql', form: 'url' },
    ]);
    expect(findHostReferences('kafka-1:9092,kafka-2:9092', false).map((r) => r.host)).toEqual(['kafka-1', 'kafka-2']);
    expect(findHostReferences('Server=sql;Port=1433;User Id=sa', false)).toEqual([{ host: 'sql', form: 'host' }]);
    expect(findHostReferences('${REDIS_HOST}', true)).toEqual([]);
    expect(findHostReferences('redis', false)).toEqual([]);
  });
});

describe('readCompose on hostile and broken input', () => {
  const read = (text: string) => () => readCompose({ file: 'bad.yml', text });

  it('refuses what is not YAML with the line and column', () => {
    expect(read('services:\n  web: [unclosed\n')).toThrow(ImportError);
    try {
      read('services:\n  web:\n    image: a\n   bad: indentation\n')();
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      expect((error as ImportError).line).toBeGreaterThan(1);
      expect((error as ImportError).describe()).toMatch(/^bad\.yml:\d+:\d+: /);
    }
  });

  it('refuses a file whose services are not a mapping, or that is not a mapping', () => {
    expect(read('services: [web, db]\n')).toThrow('`services` is not a mapping');
    expect(read('- services\n')).toThrow('a docker-compose file is a mapping');
  });

  it('reads wrong shapes at any field without crashing, noting what it cannot read', () => {
    const resources = readCompose({
      file: 'odd.yml',
      text: 'services:\n  web: 42\n  api:\n    image: [1]\n    ports: [{a: 1}, "x:y", 8080]\n    networks: 7\n    environment: 5\n    volumes: {a: 1}\n    depends_on: [{}, 3]\n    links: [null]\n',
    });
    expect(resources.map((r) => r.address)).toEqual(['services.web', 'services.api', 'networks.default']);
    const notes = resources.flatMap((r) => r.notes ?? []).map((n) => n.what);
    expect(notes).toEqual(
      expect.arrayContaining(['service web', 'port {"a":1}', 'port "x:y"', 'links: ', 'depends_on: 3']),
    );
    const result = mapResources(resources, getBuiltinMappings());
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('bounds YAML alias bombs and deep nesting', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'services: {web: {environment: *d}}',
    ].join('\n');
    expect(read(bomb)).toThrow(/aliases|limit/);
    expect(read(`services:\n  web: ${'['.repeat(200)}${']'.repeat(200)}\n`)).toThrow(ImportError);
  });

  it('reads a file of 2,000 services, each naming the next, in a few seconds', () => {
    const lines = ['services:'];
    for (let i = 0; i < 2_000; i++) {
      lines.push(`  s${i}:`, `    image: app:${i}`, `    environment: { NEXT_URL: "http://s${(i + 1) % 2_000}:80" }`);
    }
    const started = performance.now();
    const result = discoverCompose({ file: 'big.yml', text: lines.join('\n') });
    expect(result.model.elements?.length).toBe(2_000);
    expect(result.model.flows?.length).toBe(2_000);
    expect(result.model.flows?.[1]).toMatchObject({ from: 's1', to: 's2', protocol: 'http', port: 80 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('reads a huge value without slowing down', () => {
    const text = `services:\n  web:\n    image: nginx\n    environment:\n      BIG: "${'a b '.repeat(500_000)}"\n`;
    const resources = readCompose({ file: 'huge.yml', text });
    expect(resources[0]?.relations.filter((r) => r.kind === 'flow')).toEqual([]);
  });
});
