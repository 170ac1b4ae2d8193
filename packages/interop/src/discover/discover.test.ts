import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../ImportResult.js';
import { checkModel } from '../writeModel.js';
import { detectKind, discover } from './discover.js';
import { parseMappingFile } from './mappingFile.js';
import type { DiscoveryInput } from './types.js';

const IAC = new URL('../../fixtures/samples/iac/', import.meta.url);

/** A sample file as a discovery input, named by its path under samples/iac. */
function sample(path: string): DiscoveryInput {
  return { file: path, text: readFileSync(new URL(path, IAC), 'utf8') };
}

const COMPOSE = sample('docker-compose/example-voting-app.docker-compose.yml');
const MANIFESTS = readdirSync(new URL('kubernetes/example-voting-app/', IAC))
  .sort()
  .map((name) => sample(`kubernetes/example-voting-app/${name}`));

describe('detectKind', () => {
  it('tells each sample file’s kind from its content', () => {
    expect(detectKind(COMPOSE)).toBe('docker-compose');
    expect(MANIFESTS.map(detectKind)).toEqual(MANIFESTS.map(() => 'kubernetes'));
    expect(detectKind(sample('terraform/aws_multiple_components.tf'))).toBe('terraform');
    expect(detectKind(sample('terraform/official-tfplan.json'))).toBe('terraform-plan');
    expect(detectKind(sample('cloudformation/cloudformation_single_file.json'))).toBe('cloudformation');
  });

  it('knows no other file, and refuses a .json file that is not JSON', () => {
    expect(detectKind({ file: 'README.md', text: '# Voting app\n\nservices run in containers\n' })).toBeUndefined();
    expect(detectKind({ file: 'package.json', text: '{"name": "app", "services": ["a"]}' })).toBeUndefined();
    expect(() => detectKind({ file: 'broken.json', text: '{"services": ' })).toThrow(ImportError);
  });
});

describe('discover on the example voting app', () => {
  it('finds from compose its five services, two data stores, four flows between them and the exposure of vote and result', async () => {
    const result = await discover([COMPOSE]);
    expect(result.format).toBe('docker-compose');
    const elements = result.model.elements ?? [];
    expect(elements.filter((e) => e.origin?.ref?.startsWith('services.')).map((e) => e.id)).toEqual([
      'vote',
      'result',
      'worker',
      'redis',
      'db',
      'seed',
    ]);
    expect(elements.filter((e) => e.kind === 'datastore' && e.type !== 'file-store').map((e) => e.id)).toEqual([
      'redis',
      'db',
    ]);
    const flows = (result.model.flows ?? []).map((f) => `${f.from} -> ${f.to}`);
    expect(flows).toEqual(expect.arrayContaining(['vote -> redis', 'worker -> redis', 'worker -> db', 'result -> db']));
    expect(elements.filter((e) => e.exposure === 'internet').map((e) => e.id)).toEqual(['vote', 'result']);
    expect(result.model.boundaries?.map((b) => b.id)).toEqual(['front-tier', 'back-tier']);
    for (const item of [...elements, ...(result.model.flows ?? []), ...(result.model.boundaries ?? [])]) {
      expect(item.origin).toMatchObject({ format: 'docker-compose', file: COMPOSE.file, inferred: true });
      expect(item.origin?.line).toBeGreaterThan(0);
    }
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('finds from Kubernetes the same five services and data stores, vote and result exposed by NodePort', async () => {
    const result = await discover(MANIFESTS);
    expect(result.format).toBe('kubernetes');
    expect(result.model.elements?.map((e) => [e.id, e.kind, e.exposure ?? null])).toEqual([
      ['db', 'datastore', 'internal'],
      ['redis', 'datastore', 'internal'],
      ['result', 'process', 'internet'],
      ['vote', 'process', 'internet'],
      ['worker', 'process', null],
    ]);
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('reads compose and Kubernetes of one application together: one element per service, with the flows of both', async () => {
    const result = await discover([COMPOSE, ...MANIFESTS]);
    expect(result.format).toBe('docker-compose');
    const votes = result.model.elements?.filter((e) => e.name === 'vote').map((e) => [e.id, e.origin?.format]);
    expect(votes).toEqual([['vote', 'docker-compose']]);
    const services = ['vote', 'result', 'worker', 'redis', 'db'];
    for (const name of services) {
      const note = result.unmapped.find((u) => u.what === `Deployment ${name}`);
      expect(note?.reason).toContain(`one element "${name}" for both`);
      expect(note?.file).toBe(`kubernetes/example-voting-app/${name}-deployment.yaml`);
    }
    expect(result.model.elements?.filter((e) => e.kind === 'datastore').map((e) => e.id)).toEqual(
      expect.arrayContaining(['redis', 'db']),
    );
    const flows = (result.model.flows ?? []).map((f) => `${f.from}>${f.to}`);
    expect(flows).toEqual(expect.arrayContaining(['vote>redis', 'worker>redis', 'worker>db', 'result>db']));
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('uses the user’s mapping files before the built-in ones', async () => {
    const mapping = parseMappingFile(
      'source: kubernetes\nrules:\n  - type: Deployment\n    when: { imageName: examplevotingapp_worker }\n    element: { kind: process, type: worker }\n',
      'mine.yaml',
    );
    const result = await discover(MANIFESTS, { mappings: [mapping] });
    expect(result.model.elements?.find((e) => e.id === 'worker')?.type).toBe('worker');
  });
});

describe('discover on every sample at once', () => {
  it('reads compose, Kubernetes, Terraform, a Terraform plan and CloudFormation into one valid model', async () => {
    const inputs = [
      COMPOSE,
      ...MANIFESTS,
      sample('terraform/aws_multiple_components.tf'),
      sample('terraform/official-tfplan.json'),
      sample('cloudformation/cloudformation_single_file.json'),
    ];
    const result = await discover(inputs);
    const formats = new Set(result.model.elements?.map((e) => e.origin?.format));
    // The Kubernetes services are the compose ones (same names): they merge into them, noted.
    expect(formats).toEqual(new Set(['docker-compose', 'terraform', 'terraform-plan', 'cloudformation']));
    expect(
      result.unmapped.filter((u) => u.file?.startsWith('kubernetes/') && u.reason.includes('for both')),
    ).toHaveLength(5);
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('discover on files it cannot read', () => {
  it('names the file of no known kind', async () => {
    const error = await discover([COMPOSE, { file: 'notes/README.md', text: '# Notes\n' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).file).toBe('notes/README.md');
  });

  it('passes on a reader’s error with its file and line', async () => {
    const error = await discover([{ file: 'compose.yml', text: 'services:\n  web:\n    image: [\n' }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).describe()).toMatch(/^compose\.yml:\d+:\d+: /);
  });

  it('gives an empty model for no input', async () => {
    const result = await discover([]);
    expect(result.model).toEqual({ parapet: 1, model: { id: 'discovered-model', title: 'Discovered model' } });
    expect(result.unmapped).toEqual([]);
  });
});
