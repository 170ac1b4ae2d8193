import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../load/loadModel.js';
import type { ThreatModel } from '../schema/ThreatModel.js';
import { buildFacts, type FactCounts, type Facts } from './buildFacts.js';
import { getBuiltinRuleEntries } from './builtinRules.js';
import { RuleMatcher } from '../analyze/RuleMatcher.js';
import { compileRules, type Bindings, type CompiledClause, type CompiledRule } from './compileRules.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

function load(name: string, text: string) {
  const loaded = loadModel(name, {
    readFile: (path) => (path === name ? text : readFileSync(path, 'utf8')),
    resolvePath: (from, reference) => join(dirname(from), reference),
  });
  if (!loaded.model || !loaded.enrichment || !loaded.index) throw new Error(`${name} does not load`);
  return { model: loaded.model, facts: buildFacts(loaded.model, loaded.enrichment, loaded.index), index: loaded.index };
}

/** Every binding a rule of each subject sees, over the examples and every fixture. */
function collectBindings(): { counts: FactCounts; bySubject: Map<string, Bindings[]> }[] {
  const models: { model: ThreatModel; facts: ReturnType<typeof buildFacts>; index: { flowEnds: Int32Array } }[] = [];
  for (const example of ['online-shop', 'mobile-banking', 'cicd-pipeline']) {
    const path = join(ROOT, 'examples', example, 'threatmodel.yaml');
    models.push(load(path, readFileSync(path, 'utf8')));
  }
  const fixturesDir = join(ROOT, 'packages/core/rules/fixtures');
  for (const file of readdirSync(fixturesDir).filter((f) => f.endsWith('.yaml'))) {
    const { fixtures } = parse(readFileSync(join(fixturesDir, file), 'utf8')) as {
      fixtures: { fires: object; quiet: object }[];
    };
    for (const fixture of fixtures) {
      for (const sections of [fixture.fires, fixture.quiet]) {
        models.push(load('f.json', JSON.stringify({ parapet: 1, model: { id: 'f', title: 'f' }, ...sections })));
      }
    }
  }
  return models.map(({ facts, index }) => {
    const bySubject = new Map<string, Bindings[]>([
      ['element', []],
      ['flow', []],
      ['asset', []],
      ['actor', []],
      ['boundary', []],
    ]);
    for (const target of facts.elements) bySubject.get('element')?.push({ target });
    facts.flows.forEach((target, f) => {
      const source = facts.elements[index.flowEnds[2 * f] ?? -1] as Facts;
      const destination = facts.elements[index.flowEnds[2 * f + 1] ?? -1] as Facts;
      bySubject.get('flow')?.push({ target, source, destination });
    });
    for (const target of facts.assets) bySubject.get('asset')?.push({ target });
    for (const target of facts.actors) bySubject.get('actor')?.push({ target });
    for (const target of facts.boundaries) bySubject.get('boundary')?.push({ target });
    return { counts: facts.counts, bySubject };
  });
}

describe('the direct clause evaluator', () => {
  const rules: readonly CompiledRule[] = compileRules(getBuiltinRuleEntries()).rules;
  const clauses = rules.flatMap((r) => r.clauses.map((clause) => ({ rule: r, clause })));

  it('handles nearly every built-in clause', () => {
    const handled = clauses.filter(({ clause }) => clause.holds !== undefined).length;
    expect(handled / clauses.length).toBeGreaterThan(0.9);
  });

  it("gives the CEL interpreter's answer for every built-in clause on every example and fixture", () => {
    const perModel = collectBindings();
    const bindings = new Map<string, Bindings[]>();
    for (const { bySubject } of perModel) {
      for (const [subject, list] of bySubject) bindings.set(subject, [...(bindings.get(subject) ?? []), ...list]);
    }
    let compared = 0;
    const differences: string[] = [];
    for (const { rule, clause } of clauses) {
      if (!clause.holds) continue;
      for (const b of bindings.get(rule.subject === 'crossing' ? 'flow' : rule.subject) ?? []) {
        let expected: boolean;
        try {
          expected = clause.evaluate(b) === true;
        } catch {
          expected = false;
        }
        compared++;
        if (clause.holds(b) !== expected && differences.length < 10) {
          differences.push(`${rule.id}: ${clause.expression} on ${String(b['target']?.['id'])}: CEL says ${expected}`);
        }
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
  });

  /** Compiles one element rule with these clauses and checks the direct evaluator against the interpreter. */
  function compareWithInterpreter(expressions: string[], elements: object[]): number {
    const rule = {
      id: 'test.custom',
      title: 't',
      description: 'd',
      category: 'tampering',
      appliesTo: { subject: 'element' },
      when: expressions.map((expression) => ({ if: expression, because: 'b' })),
      clearsWhen: 'c',
    };
    const compiled = compileRules([
      { rule: rule as never, origin: 'test', path: ['rules', 0], locate: () => ({ file: 't', line: 1, column: 1 }) },
    ]);
    expect(compiled.diagnostics).toEqual([]);
    const { facts } = load('m.json', JSON.stringify({ parapet: 1, model: { id: 'm', title: 'm' }, elements }));
    let held = 0;
    for (const clause of compiled.rules[0]?.clauses ?? []) {
      expect(clause.holds).toBeDefined();
      for (const target of facts.elements) {
        const expected = clause.evaluate({ target }) === true;
        const found = { expression: clause.expression, name: target['name'], holds: clause.holds?.({ target }) };
        expect(found).toEqual({ expression: clause.expression, name: target['name'], holds: expected });
        if (expected) held++;
      }
    }
    return held;
  }

  it("changes the case of letters as the interpreter's lowerAscii and upperAscii do, ASCII or not", () => {
    const names = ['ÄPI-Gateway ß Straße', 'äpi-gateway ß straße', 'Äpi-gateway', 'API-GATEWAY ß STRASSE'];
    const held = compareWithInterpreter(
      [
        'target.name.lowerAscii() == "äpi-gateway ß straße"',
        'target.name.upperAscii() == "ÄPI-GATEWAY ß STRAßE"',
        'target.tags.exists(t, t.lowerAscii() in ["pci", "größe"])',
        'target.name.lowerAscii().startsWith("äpi")',
      ],
      names.map((name, i) => ({ id: `e${i}`, name, kind: 'process', tags: i % 2 ? ['PCI'] : ['GRÖßE'] })),
    );
    expect(held).toBeGreaterThan(3);
  });

  it('answers membership predicates of exists() and all() as the interpreter does', () => {
    const tagSets = [[], ['a'], ['B'], ['a', 'c'], ['c', 'd'], ['A', 'b']];
    const held = compareWithInterpreter(
      [
        'target.tags.exists(t, t == "a" || t == "b")',
        'target.tags.exists(t, t in ["a", "B"] || t == "c")',
        'target.tags.all(t, t in ["a", "c"])',
        'target.tags.all(t, t.lowerAscii() == "a" || t.lowerAscii() in ["b"])',
        'target.tags.exists(t, t == "a" || t.lowerAscii() == "b")',
        'target.tags.exists(t, t == "a" || t.startsWith("c"))',
        '!target.tags.exists(t, t.lowerAscii() in ["d"])',
      ],
      tagSets.map((tags, i) => ({ id: `e${i}`, name: `e${i}`, kind: 'process', tags })),
    );
    expect(held).toBeGreaterThan(10);
  });

  it('lets the rule matcher pick exactly the rules whose clauses all hold, on every example and fixture', () => {
    const test = (clause: CompiledClause, b: Bindings): boolean => {
      try {
        return clause.evaluate(b) === true;
      } catch {
        return false;
      }
    };
    const applies = (r: CompiledRule, b: Bindings): boolean => {
      const kind = b['target']?.['kind'] as string;
      const type = b['target']?.['type'] as string | undefined;
      return (!r.kinds || r.kinds.includes(kind)) && (!r.types || (type !== undefined && r.types.includes(type)));
    };
    let matched = 0;
    for (const { counts, bySubject } of collectBindings()) {
      for (const subject of ['element', 'flow', 'crossing', 'asset', 'boundary'] as const) {
        const subjectRules = rules.filter((r) => r.subject === subject);
        const matcher = new RuleMatcher(subjectRules, test, counts);
        for (const b of bySubject.get(subject === 'crossing' ? 'flow' : subject) ?? []) {
          const expected = subjectRules
            .filter((r) => applies(r, b) && r.clauses.every((c) => test(c, b)))
            .map((r) => r.id);
          const found: string[] = [];
          matcher.match(b, (rule) => found.push(rule.id));
          expect(found).toEqual(expected);
          matched += found.length;
        }
      }
    }
    expect(matched).toBeGreaterThan(500);
  });
});
