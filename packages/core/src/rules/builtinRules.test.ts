import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze/analyze.js';
import { formatDiagnostic } from '../diagnostics/Diagnostic.js';
import { loadModel } from '../load/loadModel.js';
import { getBuiltinRuleEntries, getBuiltinRuleFiles } from './builtinRules.js';
import { compileRules } from './compileRules.js';
import { ruleFileSchema } from '../schema/Rule.js';
import { parseRuleFile } from './parseRuleFile.js';

const RULES_DIR = new URL('../../rules/', import.meta.url);
const FIXTURES_DIR = new URL('../../rules/fixtures/', import.meta.url);

interface Fixture {
  rule: string;
  fires: Record<string, unknown>;
  quiet: Record<string, unknown>;
}

function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((name) => (parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8')) as { fixtures: Fixture[] }).fixtures);
}

/** Analyzes a fixture model with the built-in rules; fails the test on any load or analysis error. */
function analyzeFixture(sections: Record<string, unknown>, label: string) {
  const text = JSON.stringify({ parapet: 1, model: { id: 'fixture', title: label }, ...sections });
  const loaded = loadModel('fixture.json', { readFile: () => text, resolvePath: (_, r) => r });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  expect(errors, `${label} does not load`).toEqual([]);
  if (!loaded.model || !loaded.enrichment || !loaded.index) throw new Error(`${label}: no model`);
  const analysis = analyze(loaded.model, {
    enrichment: loaded.enrichment,
    index: loaded.index,
    today: '2026-11-23',
    rulePacks: ['stride', 'linddun'],
  });
  expect(analysis.diagnostics.filter((d) => d.code === 'PARAPET_RULE_FAILED').map(formatDiagnostic)).toEqual([]);
  return analysis;
}

const entries = getBuiltinRuleEntries();
const fixtures = loadFixtures();

describe('the built-in rule library', () => {
  it('compiles without a single problem, with every check a user rule gets', () => {
    // Without their embedded syntax trees, the rules are parsed and checked in full, as rules from a model are.
    const compiled = compileRules(entries.map(({ trees: _trees, ...entry }) => entry));
    expect(compiled.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(compiled.rules.length).toBe(entries.length);
  });

  it('compiles from its embedded syntax trees to the same rules as from the expressions', () => {
    const missing = entries.filter((e) => e.trees?.filter((t) => t !== undefined).length !== e.rule.when?.length);
    expect(missing.map((e) => e.rule.id)).toEqual([]);
    const fromTrees = compileRules(entries);
    const fromText = compileRules(entries.map(({ trees: _trees, ...entry }) => entry));
    expect(fromTrees.diagnostics).toEqual([]);
    // Syntax trees compared by operator and arguments, without what the parser and checker add to them.
    const strip = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(strip)
        : node !== null && typeof node === 'object' && 'op' in node && 'args' in node
          ? { op: node.op, args: strip(node.args) }
          : node;
    const describe = (rules: typeof fromText.rules) =>
      rules.map(({ locate: _locate, clauses, ...rule }) => ({
        ...rule,
        clauses: clauses.map(({ evaluate: _e, holds, ast, ...clause }) => ({
          ...clause,
          holds: !!holds,
          ast: strip(ast),
        })),
      }));
    expect(describe(fromTrees.rules)).toEqual(describe(fromText.rules));
  });

  it('is embedded as data the rule schema accepts unchanged', () => {
    for (const file of getBuiltinRuleFiles()) {
      const result = ruleFileSchema.safeParse({ rules: file.rules });
      expect(result.error?.issues ?? [], file.name).toEqual([]);
      expect(result.data?.rules, file.name).toEqual(file.rules);
    }
  });

  it('is embedded as written in packages/core/rules, each rule at its line (run npm run build after editing rules)', () => {
    const names = readdirSync(RULES_DIR)
      .filter((name) => name.endsWith('.yaml'))
      .sort();
    expect(getBuiltinRuleFiles().map((f) => f.name)).toEqual(names.map((name) => `rules/${name}`));
    for (const name of names) {
      const text = readFileSync(new URL(name, RULES_DIR), 'utf8');
      // The files parse cleanly with positions, exactly as user rule files do.
      const parsed = parseRuleFile(`rules/${name}`, text);
      expect(parsed.diagnostics.map(formatDiagnostic)).toEqual([]);
      const embedded = getBuiltinRuleFiles().find((f) => f.name === `rules/${name}`);
      expect(embedded?.rules).toEqual((parse(text) as { rules: unknown[] }).rules);
      expect(embedded?.lines).toEqual(parsed.entries.map((e) => e.locate([]).line));
    }
  });

  it('has unique rule ids', () => {
    const ids = entries.map((e) => e.rule.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('has exactly one fixture per rule, and none for rules that do not exist', () => {
    const ruleIds = entries.map((e) => e.rule.id).sort();
    expect(fixtures.map((f) => f.rule).sort()).toEqual(ruleIds);
  });
});

describe.each(fixtures)('rule $rule', (fixture) => {
  it('fires on its "fires" fixture', () => {
    const analysis = analyzeFixture(fixture.fires, `${fixture.rule} fires`);
    expect(analysis.threats.filter((t) => t.ruleId === fixture.rule).map((t) => t.id)).not.toEqual([]);
  });
  it('stays quiet on its "quiet" fixture', () => {
    const analysis = analyzeFixture(fixture.quiet, `${fixture.rule} quiet`);
    expect(analysis.threats.filter((t) => t.ruleId === fixture.rule).map((t) => t.id)).toEqual([]);
  });
});
