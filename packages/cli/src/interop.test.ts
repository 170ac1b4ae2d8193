import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/parapet.js');
const SAMPLES = join(ROOT, 'packages/interop/fixtures/samples');

/** Runs the built command as a user would, from `cwd`. */
function parapet(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const work = (): string => mkdtempSync(join(tmpdir(), 'parapet-interop-'));

interface Model {
  elements?: {
    id: string;
    name: string;
    kind: string;
    origin?: { format: string; line?: number; inferred?: boolean };
  }[];
  flows?: { from: string; to: string }[];
  threats?: unknown[];
  decisions?: { threat: string; status: string }[];
}

describe('parapet import, export and discover', () => {
  it('imports every sample format, telling it from the content, into a model that validates and analyzes', () => {
    const dir = work();
    const samples: [string, number][] = [
      ['threat-dragon/v2-threat-model.json', 7],
      ['otm/otm-EXAMPLE.json', 4],
      ['threagile/threagile-example-model.yaml', 14],
      ['ms-tmt/Sample_Threat_Model.tm7', 4],
      ['threat-composer/ThreatComposer.tc.json', 1],
    ];
    for (const [sample, elements] of samples) {
      const out = `${sample.split('/')[0] ?? 'x'}.yaml`;
      const imported = parapet(['import', join(SAMPLES, sample), '--out', out], dir);
      expect({ sample, code: imported.code, stderr: imported.stderr }).toEqual({ sample, code: 0, stderr: '' });
      expect(imported.stdout).toContain(`✔ wrote ${out}`);
      const model = parse(readFileSync(join(dir, out), 'utf8')) as Model;
      expect(model.elements?.length).toBe(elements);
      expect(parapet(['validate', out], dir).code).toBe(0);
      const analysis = parapet(['analyze', out, '--format', 'json'], dir);
      expect(analysis.code).toBe(0);
      expect((JSON.parse(analysis.stdout) as { threats: unknown[] }).threats.length).toBeGreaterThan(0);
    }
  });

  it('lists what it could not carry over, refuses to overwrite, and reports a broken file at its line', () => {
    const dir = work();
    const first = parapet(
      ['import', join(SAMPLES, 'threat-dragon/v2-threat-model.json'), '--out', 'm.yaml', '--format', 'json'],
      dir,
    );
    const report = JSON.parse(first.stdout) as {
      unmapped: { what: string; line?: number }[];
      counts: Record<string, number>;
    };
    expect(report.counts['flows']).toBe(9);
    expect(report.unmapped.some((u) => u.what.includes('severity') && typeof u.line === 'number')).toBe(true);
    const again = parapet(['import', join(SAMPLES, 'threat-dragon/v2-threat-model.json'), '--out', 'm.yaml'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('m.yaml exists');
    writeFileSync(join(dir, 'broken.json'), '{"summary": {"title": "x"},\n "detail": {"diagrams": [}\n');
    const broken = parapet(['import', 'broken.json', '--out', 'b.yaml'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json:2:\d+: /);
    expect(existsSync(join(dir, 'b.yaml'))).toBe(false);
    writeFileSync(join(dir, 'other.json'), '{"hello": "world"}\n');
    const unknown = parapet(['import', 'other.json', '--out', 'o.yaml'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--from');
  });

  it('exports to Threat Dragon, OTM and Threat Composer, and imports the export back', () => {
    const dir = work();
    const example = join(ROOT, 'examples/online-shop/threatmodel.yaml');
    const original = parse(readFileSync(example, 'utf8')) as Model;
    for (const format of ['threat-dragon', 'otm', 'threat-composer']) {
      const exported = parapet(
        ['export', example, '--to', format, '--out', `shop.${format}.json`, '--today', '2026-11-23'],
        dir,
      );
      expect({ format, code: exported.code }).toEqual({ format, code: 0 });
      const back = parapet(['import', `shop.${format}.json`, '--out', `back.${format}.yaml`], dir);
      expect({ format, code: back.code, stderr: back.stderr }).toEqual({ format, code: 0, stderr: '' });
      const model = parse(readFileSync(join(dir, `back.${format}.yaml`), 'utf8')) as Model;
      if (format !== 'threat-composer') {
        // Threat Composer has no diagram: the others keep every element.
        expect(model.elements?.map((e) => e.id).sort()).toEqual(original.elements?.map((e) => e.id).sort());
      }
      expect(model.threats?.length).toBeGreaterThanOrEqual(original.threats?.length ?? 0);
    }
    expect(parapet(['export', example, '--to', 'pdf', '--out', 'x'], dir).code).toBe(2);
  });

  it('discovers the voting app from its compose file, each item pointing at its line, and merges a second discovery without touching what a person wrote', () => {
    const dir = work();
    cpSync(join(SAMPLES, 'iac/docker-compose'), join(dir, 'deploy'), { recursive: true });
    writeFileSync(join(dir, 'deploy/notes.json'), '{"not": "infrastructure"}\n');
    const first = parapet(['discover', 'deploy', '--out', 'model.yaml'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('notes.json');
    const model = parse(readFileSync(join(dir, 'model.yaml'), 'utf8')) as Model;
    const names = (model.elements ?? []).map((e) => e.name).sort();
    for (const service of ['vote', 'result', 'worker', 'redis', 'db']) expect(names).toContain(service);
    const byName = new Map((model.elements ?? []).map((e) => [e.name, e]));
    expect(byName.get('db')?.kind).toBe('datastore');
    expect(byName.get('redis')?.kind).toBe('datastore');
    expect(byName.get('vote')?.origin).toMatchObject({ format: 'docker-compose', inferred: true });
    expect(byName.get('vote')?.origin?.line).toBeGreaterThan(1);
    const id = (name: string) => byName.get(name)?.id ?? name;
    const flows = new Set((model.flows ?? []).map((f) => `${f.from}>${f.to}`));
    const expected: readonly (readonly [string, string])[] = [
      ['vote', 'redis'],
      ['worker', 'redis'],
      ['worker', 'db'],
      ['result', 'db'],
    ];
    for (const [from, to] of expected) expect(flows).toContain(`${id(from)}>${id(to)}`);

    // A person renames the db and comments the file; a second discovery keeps both.
    const text = readFileSync(join(dir, 'model.yaml'), 'utf8');
    const edited = `# Reviewed by the security team\n${text.replace(/name: db\n(\s+)kind: datastore\n([\s\S]*?)inferred: true/, 'name: Votes database\n$1kind: datastore\n$2inferred: false')}`;
    expect(edited).toContain('Votes database');
    writeFileSync(join(dir, 'model.yaml'), edited);
    const second = parapet(['discover', 'deploy', '--out', 'model.yaml'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('merged:');
    const after = readFileSync(join(dir, 'model.yaml'), 'utf8');
    expect(after).toContain('# Reviewed by the security team');
    expect(after).toContain('Votes database');
    expect(parapet(['validate', 'model.yaml'], dir).code).toBe(0);
  });
});
