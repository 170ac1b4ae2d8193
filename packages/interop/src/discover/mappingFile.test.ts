import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ImportError } from '../ImportResult.js';
import { getBuiltinMappingFiles, getBuiltinMappings, parseMappingFile } from './mappingFile.js';

const MAPPINGS_DIR = new URL('../../mappings/', import.meta.url);

/** The ImportError parsing a mapping file throws. */
function errorOf(text: string): ImportError {
  try {
    parseMappingFile(text, 'team-mappings.yaml');
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the mapping file was accepted');
}

describe('parseMappingFile', () => {
  it('reads a valid file: rules in order, with the line of each', () => {
    const file = parseMappingFile(
      [
        'source: docker-compose',
        'rules:',
        '  - type: service',
        '    when: { labels.tier: payments }',
        "    element: { kind: process, type: api, name: '{name} API', tags: [pci] }",
        '  - type: [network]',
        '    boundary: { kind: dmz, trustLevel: 30 }',
        '  - type: service',
        '    ignore: not ours',
      ].join('\n'),
      'team-mappings.yaml',
    );
    expect(file).toEqual({
      source: 'docker-compose',
      name: 'team-mappings.yaml',
      lines: [3, 6, 8],
      rules: [
        {
          type: 'service',
          when: { 'labels.tier': 'payments' },
          element: { kind: 'process', type: 'api', name: '{name} API', tags: ['pci'] },
        },
        { type: ['network'], boundary: { kind: 'dmz', trustLevel: 30 } },
        { type: 'service', ignore: 'not ours' },
      ],
    });
  });

  it('points at an unknown key, suggesting the one meant', () => {
    const error = errorOf('source: kubernetes\nrules:\n  - type: Service\n    pasThrough: true\n');
    expect(error.describe()).toBe(
      'team-mappings.yaml:4:5: rules[0]: unknown key "pasThrough" (did you mean "passThrough"?)',
    );
  });

  it("checks technology types, element kinds and boundary kinds against Parapet's lists", () => {
    expect(
      errorOf(
        'source: docker-compose\nrules:\n  - type: service\n    element: { kind: datastore, type: postgres }\n',
      ).describe(),
    ).toBe(
      'team-mappings.yaml:4:39: rules[0].element.type: "postgres" is not allowed here; see the 54 values in docs/model-format.md',
    );
    expect(errorOf('source: docker-compose\nrules:\n  - type: service\n    element: { kind: proces }\n').message).toBe(
      'rules[0].element.kind: "proces" is not allowed here (did you mean "process"?)',
    );
    expect(errorOf('source: kubernetes\nrules:\n  - type: Namespace\n    boundary: { kind: vlan }\n').message).toBe(
      'rules[0].boundary.kind: "vlan" is not allowed here; expected one of internet, network, dmz, cloud-account, vpc, subnet, cluster, namespace, host, container, execution, physical, organisational, third-party, user-device, other',
    );
    expect(errorOf('source: helm\nrules: []\n').message).toBe(
      'source: "helm" is not allowed here; expected one of docker-compose, kubernetes, terraform, terraform-plan, cloudformation',
    );
  });

  it('wants exactly one outcome per rule, and known placeholders in templates', () => {
    expect(errorOf('source: kubernetes\nrules:\n  - type: Service\n').describe()).toBe(
      'team-mappings.yaml:3:5: rules[0]: a rule says what the resource becomes: one of element, boundary, asset, passThrough, ignore',
    );
    expect(
      errorOf('source: kubernetes\nrules:\n  - type: Service\n    passThrough: true\n    ignore: no\n').message,
    ).toBe('rules[0]: a rule has one outcome, not passThrough and ignore');
    expect(
      errorOf(
        "source: kubernetes\nrules:\n  - type: Secret\n    asset: { kind: credential, name: '{metadata.name}' }\n",
      ).message,
    ).toBe(
      'rules[0].asset.name: unknown placeholder "{metadata.name}": use {name}, {type}, {address} or {attributes.<path>}',
    );
  });

  it('reports the first problem by position and counts the others', () => {
    const error = errorOf(
      'source: kubernetes\nrules:\n  - type: 5\n    ignore: x\n  - type: Service\n    element: { kind: nope }\n',
    );
    expect(error.line).toBe(3);
    expect(error.column).toBe(11);
    expect(error.message).toBe('rules[0].type: expected a string or a list of strings (and 1 more problems)');
  });

  it('refuses what is not YAML, or not a mapping file, with the position', () => {
    expect(errorOf('source: [\n').describe()).toMatch(/^team-mappings\.yaml:\d+:\d+: /);
    expect(errorOf('- a\n- b\n').message).toMatch(/expected object/);
    expect(
      errorOf(
        `a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n`,
      ).message,
    ).toMatch(/aliases expand past the limit/);
  });
});

describe('getBuiltinMappings', () => {
  it('embeds every mapping file of packages/interop/mappings as written, each rule at its line (run node scripts/embed-mappings.js after editing them)', () => {
    const names = readdirSync(MAPPINGS_DIR)
      .filter((name) => name.endsWith('.yaml'))
      .sort();
    expect(getBuiltinMappingFiles().map((file) => file.name)).toEqual(names.map((name) => `mappings/${name}`));
    for (const name of names) {
      const text = readFileSync(new URL(name, MAPPINGS_DIR), 'utf8');
      const parsed = parseMappingFile(text, `mappings/${name}`);
      const embedded = getBuiltinMappings().find((file) => file.name === `@parapet/interop/mappings/${name}`);
      expect(embedded?.rules).toEqual(parsed.rules);
      expect(embedded?.lines).toEqual(parsed.lines);
      expect(getBuiltinMappingFiles().find((file) => file.name === `mappings/${name}`)?.mapping).toEqual(parse(text));
    }
  });

  it('holds the compose and Kubernetes rules for well-known images', () => {
    const compose = getBuiltinMappings().find((file) => file.source === 'docker-compose');
    const images = compose?.rules.flatMap((rule) => {
      const names = rule.when?.imageName;
      return rule.element && names !== undefined ? [[names, rule.element.type]] : [];
    });
    expect(images).toEqual(
      expect.arrayContaining([
        [['postgres', 'postgresql', 'postgis', 'timescaledb', 'timescaledb-ha', 'pgvector'], 'database'],
        [['redis', 'redis-stack', 'redis-stack-server', 'valkey', 'keydb', 'dragonfly'], 'cache'],
        ['rabbitmq', 'queue'],
        [['kafka', 'cp-kafka', 'cp-server', 'redpanda'], 'event-bus'],
        [['nginx', 'nginx-unprivileged', 'openresty'], 'reverse-proxy'],
      ]),
    );
  });
});
