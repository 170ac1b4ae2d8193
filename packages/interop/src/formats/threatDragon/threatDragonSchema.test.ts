import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, loadModel } from '@parapet/core';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { exportThreatDragon } from './exportThreatDragon.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const SAMPLES = join(ROOT, 'packages/interop/fixtures/samples/threat-dragon');

/**
 * What Threat Dragon's v2 JSON schema (owasp-threat-dragon-v2.schema.json in the Threat Dragon repository)
 * requires of a file, restated here: the required fields, their types and bounds. Threat Dragon checks
 * opened files against that schema, so a file that fails these would not open.
 */
const integer = { type: 'integer', minimum: 0 };
const text = { type: 'string' };
const nullableText = { type: ['string', 'null'] };
const marker = { type: ['object', 'string'], required: [], properties: { name: text } };
const stroke = { type: 'object', required: ['stroke', 'strokeWidth', 'strokeDasharray'] };
const THREAT_DRAGON_V2 = {
  type: 'object',
  required: ['version', 'summary', 'detail'],
  properties: {
    version: { type: 'string', maxLength: 10 },
    summary: {
      type: 'object',
      required: ['title'],
      properties: { title: text, owner: text, description: text, id: integer },
    },
    detail: {
      type: 'object',
      required: ['contributors', 'diagrams', 'diagramTop', 'reviewer', 'threatTop'],
      properties: {
        contributors: { type: 'array', items: { type: 'object', properties: { name: text } } },
        diagramTop: integer,
        threatTop: integer,
        reviewer: text,
        diagrams: {
          type: 'array',
          items: {
            type: 'object',
            required: ['diagramType', 'id', 'thumbnail', 'title', 'version'],
            properties: {
              diagramType: { type: 'string', minLength: 3 },
              id: integer,
              thumbnail: text,
              title: text,
              version: { type: 'string', maxLength: 10 },
              description: text,
              cells: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'shape', 'zIndex'],
                  properties: {
                    id: { type: 'string', minLength: 2 },
                    shape: text,
                    zIndex: { type: 'integer' },
                    visible: { type: 'boolean' },
                    connector: text,
                    position: {
                      type: 'object',
                      required: ['x', 'y'],
                      properties: { x: { type: 'number' }, y: { type: 'number' } },
                    },
                    size: {
                      type: 'object',
                      required: ['height', 'width'],
                      properties: { height: { type: 'number', minimum: 10 }, width: { type: 'number', minimum: 10 } },
                    },
                    source: {
                      type: 'object',
                      properties: { cell: text, x: { type: 'integer' }, y: { type: 'integer' } },
                    },
                    target: {
                      type: 'object',
                      properties: { cell: text, x: { type: 'integer' }, y: { type: 'integer' } },
                    },
                    vertices: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['x', 'y'],
                        properties: { x: { type: 'number' }, y: { type: 'number' } },
                      },
                    },
                    attrs: {
                      type: 'object',
                      properties: {
                        body: {
                          ...stroke,
                          properties: { stroke: text, strokeWidth: { type: 'number' }, strokeDasharray: nullableText },
                        },
                        line: {
                          type: 'object',
                          required: ['targetMarker'],
                          properties: {
                            stroke: text,
                            strokeWidth: { type: 'number' },
                            strokeDasharray: nullableText,
                            sourceMarker: marker,
                            targetMarker: marker,
                          },
                        },
                      },
                    },
                    data: {
                      type: 'object',
                      required: ['hasOpenThreats', 'type'],
                      properties: {
                        type: text,
                        name: text,
                        description: text,
                        hasOpenThreats: { type: 'boolean' },
                        outOfScope: { type: 'boolean' },
                        reasonOutOfScope: text,
                        protocol: text,
                        privilegeLevel: text,
                        ...Object.fromEntries(
                          [
                            'handlesCardPayment',
                            'handlesGoodsOrServices',
                            'isALog',
                            'isBidirectional',
                            'isEncrypted',
                            'isPublicNetwork',
                            'isSigned',
                            'isTrustBoundary',
                            'isWebApplication',
                            'providesAuthentication',
                            'storesCredentials',
                            'storesInventory',
                          ].map((flag) => [flag, { type: 'boolean' }]),
                        ),
                        threats: {
                          type: 'array',
                          items: {
                            type: 'object',
                            required: ['description', 'mitigation', 'severity', 'status', 'title', 'type'],
                            properties: {
                              title: text,
                              description: text,
                              mitigation: text,
                              severity: text,
                              status: text,
                              type: text,
                              modelType: text,
                              score: text,
                              number: integer,
                              threatId: { type: 'string', minLength: 2 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(THREAT_DRAGON_V2);
const problems = (file: unknown): string[] =>
  validate(file) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

describe("Threat Dragon's v2 file requirements", () => {
  it("hold for the Threat Dragon sample files (the restatement is not stricter than Threat Dragon's schema)", () => {
    for (const name of ['v2-threat-model.json', 'test-reports-all-diagram-types.json']) {
      expect(problems(JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'))), name).toEqual([]);
    }
  });

  it('catch a file Threat Dragon would refuse', () => {
    const sample = JSON.parse(readFileSync(join(SAMPLES, 'v2-threat-model.json'), 'utf8')) as {
      detail: { diagrams: { cells: { zIndex?: unknown; data: { hasOpenThreats?: unknown } }[] }[] };
    };
    const cell = sample.detail.diagrams[0]?.cells[0];
    if (!cell) throw new Error('the sample changed');
    delete cell.data.hasOpenThreats;
    cell.zIndex = 1.5;
    expect(problems(sample)).toEqual([
      '/detail/diagrams/0/cells/0/zIndex must be integer',
      "/detail/diagrams/0/cells/0/data must have required property 'hasOpenThreats'",
    ]);
  });

  for (const example of ['online-shop', 'mobile-banking', 'cicd-pipeline']) {
    it(`hold for the ${example} example exported, with and without its generated threats`, () => {
      const entry = join(ROOT, 'examples', example, 'threatmodel.yaml');
      const loaded = loadModel(entry, {
        readFile: (path) => readFileSync(path, 'utf8'),
        resolvePath: (from, reference) => resolve(dirname(from), reference),
      });
      if (!loaded.model) throw new Error(`${example} does not load`);
      const analysis = analyze(loaded.model, loaded);
      for (const options of [{}, { analysis }]) {
        const file = JSON.parse(exportThreatDragon(loaded.model, options).text) as unknown;
        expect(problems(file)).toEqual([]);
      }
    });
  }
});
