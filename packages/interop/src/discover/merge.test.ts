import { readFileSync } from 'node:fs';
import type { ThreatModelInput } from '@parapet/core';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../writeModel.js';
import { readCompose } from './compose.js';
import { mapResources } from './mapModel.js';
import { getBuiltinMappings } from './mappingFile.js';
import { mergeDiscovered } from './merge.js';

const FILE = 'docker-compose/example-voting-app.docker-compose.yml';
const TEXT = readFileSync(new URL(`../../fixtures/samples/iac/${FILE}`, import.meta.url), 'utf8');

/** The model discovery makes of a compose text. */
function discoverText(text: string): ThreatModelInput {
  return mapResources(readCompose({ file: FILE, text }), getBuiltinMappings()).model;
}

/** The first discovery, after a person worked on it. */
function editedByAPerson(model: ThreatModelInput): ThreatModelInput {
  return {
    ...model,
    model: { id: 'voting-app', title: 'Voting app' },
    elements: [
      ...(model.elements ?? []).map((element) => {
        if (element.id === 'vote') {
          // Taken over by a person: renamed, secured, no longer marked inferred.
          return {
            ...element,
            name: 'Voting front end',
            security: { authentication: 'none' as const },
            origin: { ...element.origin, format: 'docker-compose', inferred: false },
          };
        }
        // Still inferred, with a field discovery never states.
        if (element.id === 'redis') return { ...element, security: { encryptionAtRest: false } };
        return element;
      }),
      { id: 'voter', name: 'Voter', kind: 'external' as const, type: 'browser' as const },
    ],
    // Ids share one namespace: a discovered `proxy` element must not take this mitigation's id.
    mitigations: [{ id: 'proxy', title: 'Put a reverse proxy in front of vote', status: 'planned' }],
    flows: [...(model.flows ?? []), { id: 'cast-vote', from: 'voter', to: 'vote', protocol: 'http' as const }],
  };
}

// The voting app a month later: db on a new image, the seed job gone, a proxy in front of vote.
const CHANGED = TEXT.replace('postgres:15-alpine', 'postgres:16-alpine')
  .replace(/\n {2}# this service runs once[\s\S]*?restart: "no"\n/, '\n')
  .replace(
    '\nvolumes:\n',
    '\n  proxy:\n    image: nginx:1.27\n    ports: ["443:443"]\n    environment:\n      UPSTREAM: http://vote:80\n    networks: [front-tier]\n\nvolumes:\n',
  );

describe('mergeDiscovered', () => {
  const first = discoverText(TEXT);
  const existing = editedByAPerson(first);
  const merged = mergeDiscovered(existing, discoverText(CHANGED));
  const element = (id: string) => merged.model.elements?.find((e) => e.id === id);

  it('keeps an item a person took over whole', () => {
    expect(element('vote')).toEqual(existing.elements?.find((e) => e.id === 'vote'));
    expect(merged.kept).toContain('vote');
  });

  it('updates inferred items from the new discovery, keeping fields discovery never states', () => {
    expect(element('db')?.technology).toBe('PostgreSQL (postgres:16-alpine)');
    expect(element('redis')?.security).toEqual({ encryptionAtRest: false });
    expect(merged.updated).toContain('db');
  });

  it('adds new resources with ids that clash with no existing id, linked to the existing items', () => {
    expect(merged.added).toEqual(['proxy-2', 'proxy-to-vote']);
    expect(element('proxy')).toBeUndefined();
    expect(element('proxy-2')).toMatchObject({ kind: 'process', type: 'reverse-proxy', exposure: 'internet' });
    expect(merged.model.flows?.find((f) => f.id === 'proxy-to-vote')).toMatchObject({
      from: 'proxy-2',
      to: 'vote',
      protocol: 'http',
      port: 80,
    });
  });

  it('keeps and reports what the source no longer has', () => {
    expect(merged.missing).toEqual(['seed', 'seed-to-vote']);
    expect(merged.kept).toEqual(['vote', 'seed', 'seed-to-vote']);
    expect(element('seed')).toEqual(existing.elements?.find((e) => e.id === 'seed'));
  });

  it("keeps the person's model block, items and other sections", () => {
    expect(merged.model.model).toEqual({ id: 'voting-app', title: 'Voting app' });
    expect(merged.model.mitigations).toEqual(existing.mitigations);
    expect(merged.model.flows?.find((f) => f.id === 'cast-vote')).toEqual({
      id: 'cast-vote',
      from: 'voter',
      to: 'vote',
      protocol: 'http',
    });
    expect(element('voter')).toEqual({ id: 'voter', name: 'Voter', kind: 'external', type: 'browser' });
  });

  it('gives a model without errors', () => {
    expect(checkModel(merged.model).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('changes nothing when the source has not changed, and is deterministic', () => {
    const again = mergeDiscovered(first, discoverText(TEXT));
    expect(again).toEqual({ model: first, added: [], updated: [], kept: [], missing: [] });
    expect(mergeDiscovered(existing, discoverText(CHANGED))).toEqual(merged);
  });

  it('matches an item a person wrote by its id when it has no source reference', () => {
    const handWritten: ThreatModelInput = {
      parapet: 1,
      model: { id: 'voting-app', title: 'Voting app' },
      elements: [{ id: 'db', name: 'Votes database', kind: 'datastore', type: 'database' }],
    };
    const result = mergeDiscovered(handWritten, discoverText(TEXT));
    expect(
      result.model.elements?.filter((e) => e.name === 'Votes database' || e.origin?.ref === 'services.db'),
    ).toEqual([{ id: 'db', name: 'Votes database', kind: 'datastore', type: 'database' }]);
    expect(result.kept).toEqual(['db']);
    expect(result.model.flows?.filter((f) => f.to === 'db').map((f) => f.from)).toEqual(['result', 'worker']);
  });
});
