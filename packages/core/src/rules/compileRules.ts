import { Environment } from '@marcbachmann/cel-js';
import { isKnownReference } from '../catalog/searchCatalog.js';
import type { DiagnosticCode, PathSegment, SourceLocation } from '../diagnostics/Diagnostic.js';
import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import { formatPath } from '../diagnostics/Diagnostic.js';
import type { Level } from '../schema/common.js';
import type { Rule, RuleSubject } from '../schema/Rule.js';
import type { ThreatCategory } from '../schema/Threat.js';
import { getDidYouMean } from '../validate/suggest.js';
import { compileFastClause, listReadPaths, measureMacroNesting, usesMatches } from './fastClause.js';
import { FACT_CLASSES, FLOW_SIGNATURE_FIELDS, type Facts } from './buildFacts.js';
import { FACT_TYPES, SUBJECT_VARIABLES, type FactTypeName } from './factTypes.js';

/** A rule together with where it was written, so that problems in it point at the right line. */
export interface RuleEntry {
  readonly rule: Rule;
  /** Where a path inside the rule (e.g. `['when', 0, 'if']`) is written. */
  readonly locate: (path: readonly PathSegment[]) => SourceLocation;
  /** Describes the rule's source in messages: "built-in", "the model", a file name. */
  readonly origin: string;
  /** Where the rule sits in its file, e.g. `['rules', 3]`. */
  readonly path: readonly PathSegment[];
  /**
   * The syntax trees of the `when` clauses, parsed when Parapet was built. Only the built-in rules have them;
   * the test suite type-checks those, so compiling them skips parsing, type-checking and the other checks.
   */
  readonly trees?: readonly unknown[];
}

/** The variables of one evaluation: `target`, and for flows `source` and `destination`. */
export type Bindings = Readonly<Record<string, Facts>>;

/** A clause ready to run. */
export interface CompiledClause {
  readonly expression: string;
  readonly because: string;
  readonly clearsWhen?: string;
  readonly evaluate: (bindings: Bindings) => unknown;
  /** The same answer as `evaluate() === true`, computed directly, when the clause has a simple shape. */
  readonly holds?: (bindings: Bindings) => boolean;
  /** The one group of facts the clause reads, when other targets share it (answered once per object). */
  readonly shared?: string;
  /**
   * The clause reads nothing but the kind and type of one element (the target of an element rule, or a flow's
   * source or destination), so its answer is the same for every element of that kind and type.
   */
  readonly byKindAndType?: 'target' | 'source' | 'destination';
  /** The clause reads only a flow's own stated facts (FLOW_SIGNATURE_FIELDS): flows alike in them share its answer. */
  readonly bySignature?: true;
  /** The parsed expression, for evaluating it with only some facts known. */
  readonly ast: unknown;
  /** Fact paths the expression reads (e.g. `target.security.authentication`), reported with each threat. */
  readonly reads: readonly string[];
}

/** A complete, checked rule. */
export interface CompiledRule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly category: ThreatCategory;
  readonly subject: RuleSubject;
  readonly kinds?: readonly string[];
  readonly types?: readonly string[];
  readonly clauses: readonly CompiledClause[];
  readonly unless: readonly string[];
  readonly lowers: readonly string[];
  readonly likelihood: Level;
  readonly impact: Level;
  readonly references: NonNullable<Rule['references']>;
  readonly mitigations: readonly string[];
  readonly clearsWhen?: string;
  readonly origin: string;
  /** Reports a failure while evaluating, at the rule's `when`. */
  readonly locate: RuleEntry['locate'];
  readonly path: RuleEntry['path'];
}

export interface CompiledRules {
  /** Enabled rules, in the order given (built-ins first). */
  readonly rules: readonly CompiledRule[];
  readonly diagnostics: readonly Diagnostic[];
  /** Every rule id known, including disabled ones: assumptions may name them. */
  readonly ids: ReadonlySet<string>;
}

const environments = new Map<RuleSubject, Environment>();

/** Each rule entry is compiled once: the built-in rules are the same entries in every analysis. */
const compiledEntries = new WeakMap<
  RuleEntry,
  { readonly rule?: CompiledRule; readonly diagnostics: readonly Diagnostic[] }
>();

function getEnvironment(subject: RuleSubject): Environment {
  let env = environments.get(subject);
  if (!env) {
    env = new Environment({
      limits: { maxAstNodes: 2_000, maxDepth: 50, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 8 },
    });
    for (const [name, type] of Object.entries(FACT_TYPES)) {
      const fields = Object.fromEntries(Object.entries(type.fields).map(([field, f]) => [field, f.type]));
      env.registerType(name, { ctor: FACT_CLASSES[name as FactTypeName], fields });
    }
    for (const [name, type] of Object.entries(SUBJECT_VARIABLES[subject])) env.registerVariable(name, type);
    environments.set(subject, env);
  }
  return env;
}

/**
 * The group of facts a clause reads all its values from, when that group is shared between targets: the
 * source or destination element of a flow (many flows share one), a zone, a crossing between two zones or the
 * data of flows carrying the same assets (built once and shared). Undefined when the clause reads the
 * target's own facts, or several groups. Only clauses with a direct evaluator get one.
 */
function findSharedFacts(subject: RuleSubject, paths: readonly string[] | undefined): string | undefined {
  if (!paths || paths.length === 0) return undefined;
  let prefix = (paths[0] ?? '').split('.');
  for (const path of paths.slice(1)) {
    const parts = path.split('.');
    let i = 0;
    while (i < prefix.length && i < parts.length && prefix[i] === parts[i]) i++;
    prefix = prefix.slice(0, i);
  }
  // Shorten to a group of facts (not a value).
  while (prefix.length > 0) {
    const resolved = resolveFactPath(subject, prefix.join('.'));
    if ('type' in resolved && FACT_TYPES[resolved.type as FactTypeName]) break;
    prefix.pop();
  }
  const group = prefix.join('.');
  const sharedGroups = ['source', 'destination', 'target.data', 'target.crossing', 'target.zone'];
  return sharedGroups.some((g) => group === g || group.startsWith(`${g}.`)) ? group : undefined;
}

/** The fact type a dotted path names, or an error message; used for templates and reported facts. */
export function resolveFactPath(subject: RuleSubject, path: string): { type: string } | { error: string } {
  const [head, ...fields] = path.split('.');
  const variables: Readonly<Record<string, string>> = SUBJECT_VARIABLES[subject];
  const start = head === undefined ? undefined : variables[head];
  if (start === undefined) {
    return { error: `unknown variable "${head}"; ${subject} rules read ${Object.keys(variables).join(', ')}` };
  }
  let type: string = start;
  for (const field of fields) {
    const declared: { fields: Record<string, { type: string }> } | undefined = FACT_TYPES[type as FactTypeName];
    const next: string | undefined = declared?.fields[field]?.type;
    if (!declared || next === undefined) return { error: `"${path}": ${type} has no field "${field}"` };
    type = next;
  }
  return { type };
}

const TEMPLATE = /\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

/** The template's placeholders that name no fact, as messages. */
function checkTemplate(subject: RuleSubject, template: string): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(TEMPLATE)) {
    const resolved = resolveFactPath(subject, match[1] ?? '');
    if ('error' in resolved) problems.push(`template names ${resolved.error}`);
    else if (FACT_TYPES[resolved.type as FactTypeName])
      problems.push(`template names "${match[1]}", a group of facts, not a value`);
  }
  return problems;
}

const splitPaths = new Map<string, readonly string[]>();

/** Reads the value of a fact path such as `target.security.logging` (undefined when not stated). */
export function readFact(bindings: Bindings, path: string): unknown {
  let keys = splitPaths.get(path);
  if (!keys) splitPaths.set(path, (keys = path.split('.')));
  let value: unknown = bindings;
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function writeFact(value: unknown): string {
  if (value === undefined) return '(not stated)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** Templates split once into text and fact paths: odd positions are paths. */
const splitTemplates = new Map<string, readonly string[]>();

/** Fills `{target.name}`-style placeholders with the facts; lists are joined, unstated facts read "(not stated)". */
export function renderTemplate(template: string, bindings: Bindings): string {
  let parts = splitTemplates.get(template);
  if (!parts) splitTemplates.set(template, (parts = template.split(TEMPLATE)));
  if (parts.length === 1) return template;
  let out = '';
  for (let i = 0; i < parts.length; i++)
    out += i % 2 === 0 ? (parts[i] ?? '') : writeFact(readFact(bindings, parts[i] ?? ''));
  return out;
}

/** A message from the expression engine, on one line. */
const engineMessage = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? 'invalid expression';

/**
 * Merges an override onto the rule it overrides: the fields it gives replace the built-in ones. The result has
 * no syntax trees: it is checked in full, as any rule from a model.
 */
function mergeRule(base: RuleEntry, override: RuleEntry): RuleEntry {
  const merged: Record<string, unknown> = { ...base.rule };
  for (const [key, value] of Object.entries(override.rule)) if (value !== undefined) merged[key] = value;
  const overridden = new Set(Object.keys(override.rule));
  return {
    rule: merged as Rule,
    origin: override.origin,
    path: override.path,
    locate: (path) => (overridden.has(String(path[0])) ? override.locate(path) : base.locate(path)),
  };
}

/**
 * Checks and compiles rules. Later entries with the id of an earlier one override it field by field
 * (`disabled: true` switches it off). Every expression is parsed and type-checked against the facts
 * vocabulary, every template placeholder and catalog reference resolved: a misspelled field is an error
 * here, never a silent miss. Rules with problems are left out and reported.
 */
export function compileRules(entries: readonly RuleEntry[]): CompiledRules {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, RuleEntry>();
  // Definitions and overrides first, in order; then switches, so that a rule can be disabled from anywhere.
  const switches = entries.filter((e) => e.rule.disabled === true && Object.keys(e.rule).length === 2);
  for (const entry of entries) {
    if (switches.includes(entry)) continue;
    const earlier = byId.get(entry.rule.id);
    byId.set(entry.rule.id, earlier ? mergeRule(earlier, entry) : entry);
  }
  for (const entry of switches) {
    const earlier = byId.get(entry.rule.id);
    if (earlier) {
      byId.set(entry.rule.id, mergeRule(earlier, entry));
      continue;
    }
    diagnostics.push({
      severity: 'warning',
      code: 'PARAPET_STALE_REFERENCE',
      message: `rule ${entry.rule.id} (${entry.origin}) disables a rule that does not exist${getDidYouMean(entry.rule.id, [...byId.keys()])}`,
      path: formatPath([...entry.path, 'id']),
      location: entry.locate(['id']),
    });
  }
  const compiled: CompiledRule[] = [];
  for (const entry of byId.values()) {
    if (entry.rule.disabled === true) continue;
    let done = compiledEntries.get(entry);
    if (!done) {
      const problems: Diagnostic[] = [];
      const rule = compileRule(entry, (code, message, path) =>
        problems.push({
          severity: 'error',
          code,
          message,
          path: formatPath([...entry.path, ...path]),
          location: entry.locate(path),
        }),
      );
      done = { ...(rule ? { rule } : {}), diagnostics: problems };
      compiledEntries.set(entry, done);
    }
    diagnostics.push(...done.diagnostics);
    if (done.rule) compiled.push(done.rule);
  }
  return { rules: compiled, diagnostics, ids: new Set(byId.keys()) };
}

type Report = (code: DiagnosticCode, message: string, path: readonly PathSegment[]) => void;

/** Checks a rule's templates and catalog references, and that it says how its threat clears. */
function checkRuleText(rule: Rule, subject: RuleSubject, fail: Report): void {
  const templates: [string | undefined, PathSegment[]][] = [
    [rule.title, ['title']],
    [rule.description, ['description']],
    [rule.clearsWhen, ['clearsWhen']],
    ...(rule.when ?? []).flatMap((clause, i): [string | undefined, PathSegment[]][] => [
      [clause.because, ['when', i, 'because']],
      [clause.clearsWhen, ['when', i, 'clearsWhen']],
    ]),
  ];
  for (const [template, path] of templates) {
    for (const problem of template === undefined ? [] : checkTemplate(subject, template)) {
      fail('PARAPET_RULE_TEMPLATE', problem, path);
    }
  }
  for (const kind of ['cwe', 'capec', 'attack', 'asvs'] as const) {
    (rule.references?.[kind] ?? []).forEach((id, i) => {
      if (!isKnownReference(id))
        fail('PARAPET_RULE_REFERENCE', `${id} is not in the ${kind.toUpperCase()} catalog`, ['references', kind, i]);
    });
  }
  if (!rule.unless?.length && !rule.clearsWhen && !(rule.when ?? []).some((c) => c.clearsWhen)) {
    fail(
      'PARAPET_RULE_INCOMPLETE',
      'say how the threat clears: give "unless" controls, a clause "clearsWhen" or the rule\'s "clearsWhen"',
      [],
    );
  }
}

function compileRule(entry: RuleEntry, report: Report): CompiledRule | undefined {
  const { rule } = entry;
  let ok = true;
  const fail: Report = (code, message, path) => {
    ok = false;
    report(code, `rule ${rule.id} (${entry.origin}): ${message}`, path);
  };
  const missing = (['title', 'category', 'appliesTo', 'when'] as const).filter((k) => rule[k] === undefined);
  if (missing.length > 0) {
    fail(
      'PARAPET_RULE_INCOMPLETE',
      `a new rule needs ${missing.join(', ')} (no built-in rule has this id to override)`,
      [],
    );
    return undefined;
  }
  const subject = rule.appliesTo?.subject ?? 'element';
  const isElementRule = subject === 'element';
  if (!isElementRule && (rule.appliesTo?.kinds || rule.appliesTo?.types)) {
    fail('PARAPET_RULE_INCOMPLETE', `kinds and types narrow element rules only, not ${subject} rules`, ['appliesTo']);
  }
  if ((subject === 'actor' || subject === 'boundary') && (rule.unless || rule.lowers)) {
    fail('PARAPET_RULE_INCOMPLETE', `${subject} rules cannot be suppressed by controls`, ['unless']);
  }
  const env = getEnvironment(subject);
  // Built-in rules come with their trees and are checked by the test suite; the others are checked here.
  const trusted = entry.trees !== undefined;
  const clauses: CompiledClause[] = [];
  (rule.when ?? []).forEach((clause, i) => {
    const at = ['when', i, 'if'];
    let parsed: ReturnType<Environment['parse']> | undefined;
    let ast = entry.trees?.[i];
    if (ast === undefined) {
      let checked: { valid: boolean; type?: unknown; error?: unknown };
      try {
        parsed = env.parse(clause.if);
        checked = parsed.check();
      } catch (error) {
        fail('PARAPET_RULE_EXPRESSION', engineMessage(error), at);
        return;
      }
      if (!checked.valid) {
        fail('PARAPET_RULE_EXPRESSION', engineMessage(checked.error), at);
        return;
      }
      if (checked.type !== 'bool') {
        fail(
          'PARAPET_RULE_EXPRESSION',
          `the condition must be true or false, but it gives ${String(checked.type)}`,
          at,
        );
        return;
      }
      ast = parsed.ast;
    }
    const paths = listReadPaths(ast);
    const reads = new Set<string>();
    for (const path of paths ?? []) {
      // Keep the longest prefix that names a value, not a group of facts.
      const parts = path.split('.');
      while (parts.length > 1) {
        const resolved = resolveFactPath(subject, parts.join('.'));
        if ('type' in resolved && !FACT_TYPES[resolved.type as FactTypeName]) break;
        parts.pop();
      }
      if (parts.length > 1) reads.add(parts.join('.'));
    }
    const holds = compileFastClause(ast);
    // Rules come from model files, which are untrusted: no clause may take more than linear time.
    if (usesMatches(ast) && !holds) {
      fail(
        'PARAPET_RULE_EXPRESSION',
        'matches() is allowed only with a valid RE2 pattern, in a clause Parapet evaluates itself (field paths, comparisons, has(), in, size(), exists(), string functions)',
        at,
      );
      return;
    }
    if (measureMacroNesting(ast) > 1) {
      fail('PARAPET_RULE_EXPRESSION', 'list macros (exists, all, map, filter) cannot be nested', at);
      return;
    }
    const shared = holds ? findSharedFacts(subject, paths) : undefined;
    const byKindAndType = (['target', 'source', 'destination'] as const).find(
      (variable) =>
        (subject === 'element' || variable !== 'target') &&
        paths !== undefined &&
        paths.length > 0 &&
        paths.every((p) => p === `${variable}.kind` || p === `${variable}.type`),
    );
    const bySignature =
      (subject === 'flow' || subject === 'crossing') &&
      paths !== undefined &&
      paths.length > 0 &&
      paths.every((p) => p.startsWith('target.') && FLOW_SIGNATURE_FIELDS.includes(p.split('.')[1] ?? ''));
    clauses.push({
      ...(holds ? { holds } : {}),
      ...(bySignature ? { bySignature: true as const } : {}),
      ...(shared ? { shared } : {}),
      ...(byKindAndType ? { byKindAndType } : {}),
      ast,
      expression: clause.if,
      because: clause.because,
      ...(clause.clearsWhen === undefined ? {} : { clearsWhen: clause.clearsWhen }),
      // A built-in clause is parsed by the engine only if it is ever evaluated by the engine.
      evaluate: (bindings): unknown => (parsed ??= env.parse(clause.if))(bindings) as unknown,
      reads: [...reads].sort(),
    });
  });
  if (!trusted) checkRuleText(rule, subject, fail);
  if (!ok) return undefined;
  return {
    id: rule.id,
    title: rule.title ?? rule.id,
    description: rule.description ?? '',
    category: rule.category ?? 'tampering',
    subject,
    ...(rule.appliesTo?.kinds ? { kinds: rule.appliesTo.kinds } : {}),
    ...(rule.appliesTo?.types ? { types: rule.appliesTo.types } : {}),
    clauses,
    unless: rule.unless ?? [],
    lowers: rule.lowers ?? [],
    likelihood: rule.likelihood ?? 'medium',
    impact: rule.impact ?? 'medium',
    references: rule.references ?? {},
    mitigations: rule.mitigations ?? [],
    ...(rule.clearsWhen ? { clearsWhen: rule.clearsWhen } : {}),
    origin: entry.origin,
    locate: entry.locate,
    path: entry.path,
  };
}
