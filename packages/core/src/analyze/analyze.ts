import { getMitigationCatalogEntry } from '../catalog/mitigationCatalog.js';
import type { Diagnostic, DiagnosticCode, PathSegment, SourceLocation } from '../diagnostics/Diagnostic.js';
import { compareDiagnostics, formatPath } from '../diagnostics/Diagnostic.js';
import { enrichModel, type ModelEnrichment } from '../enrich/enrichModel.js';
import { createModelIndex, type ModelIndex } from '../enrich/ModelIndex.js';
import { getBuiltinRuleEntries } from '../rules/builtinRules.js';
import { buildFacts, type Facts } from '../rules/buildFacts.js';
import {
  compileRules,
  readFact,
  renderTemplate,
  type Bindings,
  type CompiledClause,
  type CompiledRule,
  type RuleEntry,
} from '../rules/compileRules.js';
import type { Level } from '../schema/common.js';
import type { AttackNodeInput } from '../schema/AttackTree.js';
import type { Decision } from '../schema/Decision.js';
import type { Reference } from './Analysis.js';
import type { Analysis, AnalyzedThreat, SuppressedThreat, ThreatTarget, WhyFact } from './Analysis.js';
import { RuleMatcher } from './RuleMatcher.js';
import { rateSeverity, shiftLevel } from './severity.js';
import { LINDDUN } from '../schema/Threat.js';
import type { RulePack } from '../schema/ModelInfo.js';
import type { ThreatModel } from '../schema/ThreatModel.js';
import { getDidYouMean } from '../validate/suggest.js';

export interface AnalyzeOptions {
  /** Derived facts, when the caller has them (loadModel does). */
  readonly enrichment?: ModelEnrichment;
  readonly index?: ModelIndex;
  /** Today, `YYYY-MM-DD`: acceptances that expired before it count as open. Without it, expiry is not checked. */
  readonly today?: string;
  /** Rules from rule files (`--rules`), applied after the built-in rules and before the model's own. */
  readonly rules?: readonly RuleEntry[];
  /** Leave out the built-in rules (default: include them). */
  readonly builtins?: boolean;
  /** Built-in rule packs to run, instead of the model's `settings.rulePacks` (default: stride). */
  readonly rulePacks?: readonly RulePack[];
  /** Where a path in the model is written (loadModel gives one); problems point there. */
  readonly locate?: (path: readonly PathSegment[]) => SourceLocation;
}

const ORDER: Readonly<Record<ThreatTarget['section'], number>> = {
  elements: 0,
  flows: 1,
  assets: 2,
  actors: 3,
  boundaries: 4,
};

const ACTIVE_MITIGATION = new Set(['implemented', 'verified']);
const NO_CONTROLS: readonly string[] = [];
const LINDDUN_CATEGORIES: ReadonlySet<string> = new Set(LINDDUN);

/** The pack a built-in rule belongs to: LINDDUN for privacy categories, STRIDE for the rest. */
const packOf = (rule: CompiledRule): RulePack => (LINDDUN_CATEGORIES.has(rule.category) ? 'linddun' : 'stride');

/** Whether a control is in place on what a rule looks at. */
type HasControl = (control: string) => boolean;

/**
 * Derives the threats of a model: runs every enabled rule on every in-scope item it applies to, adds the
 * threats written by hand, applies controls, assumptions, mitigations and decisions. Pure and
 * deterministic: the same model and options give the same analysis, down to the order of the threats.
 *
 * @example
 * const { model, enrichment, locate } = loadModel('threatmodel.yaml', host);
 * const analysis = analyze(model, { enrichment, locate, today: '2026-11-23' });
 * analysis.threats[0].id // 'api.bola@orders-api'
 */
export function analyze(model: ThreatModel, options: AnalyzeOptions = {}): Analysis {
  const index = options.index ?? createModelIndex(model);
  const enrichment = options.enrichment ?? enrichModel(model, index);
  const locate = options.locate ?? ((): SourceLocation => ({ file: '<model>', line: 1, column: 1 }));
  const diagnostics: Diagnostic[] = [];
  const warn = (code: DiagnosticCode, message: string, path: readonly PathSegment[]): void => {
    diagnostics.push({ severity: 'warning', code, message, path: formatPath(path), location: locate(path) });
  };

  const modelRules: RuleEntry[] = (model.rules ?? []).map((rule, i) => ({
    rule,
    origin: 'the model',
    path: ['rules', i],
    locate: (path) => locate(['rules', i, ...path]),
  }));
  const compiled = compileRules([
    ...(options.builtins === false ? [] : getBuiltinRuleEntries()),
    ...(options.rules ?? []),
    ...modelRules,
  ]);
  diagnostics.push(...compiled.diagnostics);

  const facts = buildFacts(model, enrichment, index);
  const packs = new Set<RulePack>(options.rulePacks ?? model.model.settings?.rulePacks ?? ['stride']);
  const generated: AnalyzedThreat[] = [];
  const ratings = new Map<string, readonly string[]>();
  const suppressed: SuppressedThreat[] = [];
  const failedRules = new Set<string>();
  const exclusions = collectExclusions(model);

  // A clause holds when it is true; reading a fact the model does not state makes it false (CEL's error), and
  // any other failure is reported once per rule.
  const ruleOf = new Map(compiled.rules.flatMap((rule) => rule.clauses.map((clause) => [clause, rule] as const)));
  const test = (clause: CompiledClause, bindings: Bindings): boolean => {
    if (clause.holds) return clause.holds(bindings);
    try {
      return clause.evaluate(bindings) === true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const rule = ruleOf.get(clause);
      if (rule && !message.startsWith('No such key') && !failedRules.has(rule.id)) {
        failedRules.add(rule.id);
        diagnostics.push({
          severity: 'warning',
          code: 'PARAPET_RULE_FAILED',
          message: `rule ${rule.id} failed on ${String(bindings['target']?.['id'])}: ${message.split('\n')[0] ?? ''}`,
          path: formatPath([...rule.path, 'when']),
          location: rule.locate(['when']),
        });
      }
      return false;
    }
  };

  /** A rule fired on a target: a threat, unless a control or an assumption rules it out. */
  const fire = (rule: CompiledRule, bindings: Bindings, target: ThreatTarget, controls: HasControl): void => {
    const id = `${rule.id}@${target.id}`;
    const control = rule.unless.find(controls);
    if (control !== undefined) {
      suppressed.push({ id, ruleId: rule.id, target, reason: `control "${control}" is in place on ${target.name}` });
      return;
    }
    const assumption = exclusions.find(id, rule.id, target.id);
    if (assumption) {
      suppressed.push({ id, ruleId: rule.id, target, reason: `assumption ${assumption.id}: ${assumption.text}` });
      return;
    }
    generated.push(buildThreat(rule, id, bindings, target, controls));
  };
  const inPack = (r: CompiledRule): boolean => r.origin !== 'built-in' || packs.has(packOf(r));
  const bySubject = (subject: CompiledRule['subject']): CompiledRule[] =>
    compiled.rules.filter((r) => r.subject === subject && inPack(r));

  /**
   * Runs one subject's rules over its targets (positions in `bindings`); the threat target and the controls of
   * a target are worked out once, when a first rule fires on it.
   */
  const runRules = (
    subject: CompiledRule['subject'],
    bindings: readonly Bindings[],
    targets: readonly number[],
    targetOf: (i: number) => ThreatTarget,
    controlsOf: (i: number) => HasControl,
  ): void => {
    const rules = bySubject(subject);
    if (rules.length === 0 || targets.length === 0) return;
    const threatTargets: (ThreatTarget | undefined)[] = [];
    const controls: (HasControl | undefined)[] = [];
    new RuleMatcher(rules, test, facts.counts, targets.length).matchAll(bindings, targets, (rule, i) =>
      fire(rule, bindings[i] as Bindings, (threatTargets[i] ??= targetOf(i)), (controls[i] ??= controlsOf(i))),
    );
  };
  const positions = (items: readonly { readonly id: string; readonly outOfScope?: unknown }[]): number[] => {
    const list: number[] = [];
    items.forEach((item, i) => {
      if (!item.outOfScope) list.push(i);
    });
    return list;
  };

  // Element rules: their kinds, types and clauses about the kind and type are answered once per (kind, type).
  const elements = model.elements ?? [];
  runRules(
    'element',
    facts.elements.map((target) => ({ target })),
    positions(elements),
    (i) => ({ section: 'elements', id: elements[i]?.id ?? '', name: elements[i]?.name ?? '' }),
    (i) => {
      const held = elements[i]?.controls ?? NO_CONTROLS;
      return (c) => held.includes(c);
    },
  );

  const flows = model.flows ?? [];
  const flowBindings = facts.flows.map((target, f) => ({
    target,
    source: facts.elements[index.flowEnds[2 * f] ?? -1] as Facts,
    destination: facts.elements[index.flowEnds[2 * f + 1] ?? -1] as Facts,
  }));
  const flowTarget = (f: number): ThreatTarget => {
    const flow = flows[f];
    return flow
      ? { section: 'flows', id: flow.id, name: flow.name ?? flow.id, from: flow.from, to: flow.to }
      : { section: 'flows', id: '', name: '' };
  };
  const flowControls = (f: number): HasControl => {
    const onFlow = flows[f]?.controls ?? NO_CONTROLS;
    const onDestination = elements[index.flowEnds[2 * f + 1] ?? -1]?.controls ?? NO_CONTROLS;
    return (c) => onFlow.includes(c) || onDestination.includes(c);
  };
  const inScopeFlows = positions(flows);
  runRules('flow', flowBindings, inScopeFlows, flowTarget, flowControls);
  const crossing = inScopeFlows.filter((f) => (facts.flows[f]?.['crossing'] as Facts)['crosses'] === true);
  runRules('crossing', flowBindings, crossing, flowTarget, flowControls);

  const elementIndex = new Map(elements.map((e, i) => [e.id, i]));
  const assets = model.assets ?? [];
  runRules(
    'asset',
    facts.assets.map((target) => ({ target })),
    positions(assets),
    (a) => ({ section: 'assets', id: assets[a]?.id ?? '', name: assets[a]?.name ?? '' }),
    (a) => {
      // A control counts for an asset when every element storing it has it.
      const holders = enrichment.assets.at(a)?.storedIn ?? [];
      return (c) =>
        holders.length > 0 &&
        holders.every((id) => elements[elementIndex.get(id) ?? -1]?.controls?.includes(c) === true);
    },
  );
  // Actors and boundaries have no controls.
  const none: HasControl = () => false;
  const withoutControls = (
    subject: 'actor' | 'boundary',
    section: 'actors' | 'boundaries',
    items: readonly { readonly id: string; readonly name: string }[],
    itemFacts: readonly Facts[],
  ): void =>
    runRules(
      subject,
      itemFacts.map((target) => ({ target })),
      positions(items),
      (i) => ({ section, id: items[i]?.id ?? '', name: items[i]?.name ?? '' }),
      () => none,
    );
  withoutControls('actor', 'actors', model.actors ?? [], facts.actors);
  withoutControls('boundary', 'boundaries', model.boundaries ?? [], facts.boundaries);

  const manual = (model.threats ?? []).map((threat): AnalyzedThreat => {
    const declared = index.ids.get(threat.target);
    const section = (declared?.section ?? 'elements') as ThreatTarget['section'];
    const item = declared ? (model[section]?.[declared.index] as { name?: string } | undefined) : undefined;
    const likelihood = threat.likelihood ?? 'medium';
    const impact = threat.impact ?? 'medium';
    const statement = threat.statement;
    return {
      id: threat.id,
      ruleId: null,
      title: threat.title,
      description: threat.description ?? '',
      category: threat.category,
      target: { section, id: threat.target, name: item?.name ?? threat.target },
      status: 'open',
      likelihood,
      impact,
      severity: rateSeverity(likelihood, impact),
      rating: ['likelihood and impact as written in the model'],
      why: [
        {
          text: statement
            ? `${statement.source}${statement.prerequisites ? ` ${statement.prerequisites}` : ''} ${statement.action}; impact: ${statement.impact}`
            : 'written by hand in the model',
          facts: {},
        },
      ],
      clearsWhen: ['the threat is written by hand: decide on it, or remove it when it no longer applies'],
      references: threat.references ?? {},
      mitigations: [],
      assets: threat.assets ?? [],
      ...(statement ? { statement } : {}),
    };
  });

  const threats = sortByTarget([...generated, ...manual], index);
  applyMitigations(model, threats);
  applyDecisions(model, threats, options.today, warn);

  // Only built when the model names threats somewhere (a large model has hundreds of thousands).
  let knownIds: Set<string> | undefined;
  const known = (): Set<string> =>
    (knownIds ??= new Set([...threats.map((t) => t.id), ...suppressed.map((s) => s.id)]));
  const isKnown = (id: string): boolean => known().has(id) || compiled.ids.has(id);
  let candidates: string[] | undefined;
  const didYouMean = (id: string): string => getDidYouMean(id, (candidates ??= [...known(), ...compiled.ids]));
  (model.decisions ?? []).forEach((decision, i) => {
    if (known().has(decision.threat)) return;
    warn(
      'PARAPET_STALE_DECISION',
      `decision on "${decision.threat}": the analysis has no such threat any more${didYouMean(decision.threat)}; remove the decision or fix the id`,
      ['decisions', i, 'threat'],
    );
  });
  // Session notes and attack-tree steps may name generated threats: those must exist too.
  const checkThreat = (id: string | undefined, path: readonly PathSegment[], what: string): void => {
    if (id === undefined || !id.includes('@') || known().has(id)) return;
    warn('PARAPET_STALE_REFERENCE', `${what} names "${id}", which the analysis does not find${didYouMean(id)}`, path);
  };
  (model.sessions ?? []).forEach((session, i) =>
    (session.notes ?? []).forEach((note, j) => {
      (note.about ?? []).forEach((id, k) => checkThreat(id, ['sessions', i, 'notes', j, 'about', k], 'session note'));
      checkThreat(note.finding, ['sessions', i, 'notes', j, 'finding'], 'session note');
    }),
  );
  (model.attackTrees ?? []).forEach((tree, i) => {
    const stack: { node: AttackNodeInput; path: PathSegment[] }[] = [
      { node: tree.root, path: ['attackTrees', i, 'root'] },
    ];
    for (let item = stack.pop(); item; item = stack.pop()) {
      checkThreat(item.node.threat, [...item.path, 'threat'], `attack tree step ${item.node.id}`);
      (item.node.children ?? []).forEach((child, j) =>
        stack.push({ node: child, path: [...item.path, 'children', j] }),
      );
    }
  });

  // Mitigations and assumptions that name threats or rules which do not exist.
  const checkNames = (
    section: 'mitigations' | 'assumptions',
    field: 'reduces' | 'excludes',
    items: readonly { readonly id: string; readonly [key: string]: unknown }[],
  ): void =>
    items.forEach((item, i) =>
      ((item[field] as readonly string[] | undefined) ?? []).forEach((id, k) => {
        if (isKnown(id)) return;
        warn(
          'PARAPET_STALE_REFERENCE',
          `${section.slice(0, -1)} ${item.id} ${field} "${id}", which is neither a threat nor a rule${didYouMean(id)}`,
          [section, i, field, k],
        );
      }),
    );
  checkNames('mitigations', 'reduces', model.mitigations ?? []);
  checkNames('assumptions', 'excludes', model.assumptions ?? []);

  return {
    threats,
    suppressed: sortByTarget(suppressed, index),
    diagnostics: diagnostics.sort(compareDiagnostics),
    rules: compiled.rules.filter(inPack).length,
  };

  function buildThreat(
    rule: CompiledRule,
    id: string,
    bindings: Bindings,
    target: ThreatTarget,
    controls: HasControl,
  ): AnalyzedThreat {
    const why: WhyFact[] = rule.clauses.map((clause) => {
      const facts: Record<string, unknown> = {};
      for (const path of clause.reads) {
        const value = readFact(bindings, path);
        // Values only (facts are never changed after they are built, so lists are shared, not copied).
        if (value !== undefined && (typeof value !== 'object' || Array.isArray(value))) facts[path] = value;
      }
      return { text: renderTemplate(clause.because, bindings), expression: clause.expression, facts };
    });
    const clearsWhen: string[] = [];
    for (const control of rule.unless) clearsWhen.push(`put the control "${control}" in place on ${target.name}`);
    for (const clause of rule.clauses)
      if (clause.clearsWhen) clearsWhen.push(renderTemplate(clause.clearsWhen, bindings));
    if (rule.clearsWhen) clearsWhen.push(renderTemplate(rule.clearsWhen, bindings));

    let likelihood: Level = rule.likelihood;
    const reach = (rule.subject === 'element' ? bindings['target'] : bindings['destination'])?.['reach'] as
      Facts | undefined;
    const facing = (rule.subject === 'element' ? bindings['target'] : bindings['destination'])?.['internetFacing'];
    const unreachable = reach !== undefined && reach['reachable'] === false && facing !== true;
    if (unreachable) likelihood = shiftLevel(likelihood, -1);
    const lowering = rule.lowers.filter(controls);
    likelihood = shiftLevel(likelihood, -lowering.length);
    const severity = rateSeverity(likelihood, rule.impact);
    // Threats of one rule with the same adjustments share their (identical) rating steps.
    const ratingKey = `${rule.id}|${unreachable}|${lowering.join(',')}`;
    let rating = ratings.get(ratingKey);
    if (!rating) {
      rating = [
        `likelihood ${rule.likelihood} and impact ${rule.impact} from rule ${rule.id}`,
        ...(unreachable ? ['likelihood one level lower: not reachable from the least-trusted zone along flows'] : []),
        ...lowering.map((control) => `likelihood one level lower: control "${control}" is in place`),
        `severity ${severity} by the NIST SP 800-30 matrix (likelihood ${likelihood} x impact ${rule.impact})`,
      ];
      ratings.set(ratingKey, rating);
    }
    const data = bindings['target']?.['data'] as Facts | undefined;
    const assets = target.section === 'assets' ? [target.id] : ((data?.['assets'] as string[] | undefined) ?? []);
    return {
      id,
      ruleId: rule.id,
      title: renderTemplate(rule.title, bindings),
      description: renderTemplate(rule.description, bindings),
      category: rule.category,
      target,
      status: 'open',
      likelihood,
      impact: rule.impact,
      severity,
      rating,
      why,
      clearsWhen,
      references: rule.references,
      mitigations: catalogReferences(rule),
      assets,
    };
  }
}

const catalogReferenceCache = new WeakMap<CompiledRule, readonly Reference[]>();

/** A rule's recommended mitigations with their catalog titles and ASVS ids, looked up once per rule. */
function catalogReferences(rule: CompiledRule): readonly Reference[] {
  let references = catalogReferenceCache.get(rule);
  if (!references) {
    references = rule.mitigations.map((m): Reference => {
      const entry = getMitigationCatalogEntry(m);
      return { id: m, title: entry?.title ?? m, asvs: entry?.asvs ?? [], source: 'catalog' };
    });
    catalogReferenceCache.set(rule, references);
  }
  return references;
}

/**
 * Orders threats by target (elements, flows, assets, actors, boundaries, each in model order), then by id. Each
 * target's position is looked up once, not at every comparison.
 */
function sortByTarget<T extends { readonly target: ThreatTarget; readonly id: string }>(
  items: readonly T[],
  index: ModelIndex,
): T[] {
  const keyed = items.map((item) => ({
    item,
    rank: ORDER[item.target.section] * 2 ** 31 + (index.ids.get(item.target.id)?.index ?? 0),
  }));
  keyed.sort((a, b) => a.rank - b.rank || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  return keyed.map((k) => k.item);
}

/** Assumptions that hold (not marked invalid) exclude threats by threat id, or by rule id on the items they are about. */
function collectExclusions(model: ThreatModel): {
  find(threatId: string, ruleId: string, targetId: string): { id: string; text: string } | undefined;
} {
  const assumptions = (model.assumptions ?? []).filter((a) => a.status !== 'invalid' && (a.excludes?.length ?? 0) > 0);
  return {
    find: (threatId, ruleId, targetId) =>
      assumptions.find(
        (a) =>
          a.excludes?.includes(threatId) === true ||
          (a.excludes?.includes(ruleId) === true && (a.about === undefined || a.about.includes(targetId))),
      ),
  };
}

/** Mitigations in the model that reduce a threat (by threat id, or by rule id on the items they apply to). */
function applyMitigations(model: ThreatModel, threats: AnalyzedThreat[]): void {
  const mitigations = model.mitigations ?? [];
  if (mitigations.length === 0) return;
  type Mitigation = (typeof mitigations)[number];
  const byName = new Map<string, Mitigation[]>();
  const link = (name: string, m: Mitigation): void => {
    const list = byName.get(name);
    if (list) list.push(m);
    else byName.set(name, [m]);
  };
  for (const m of mitigations) for (const id of m.reduces ?? []) link(id, m);
  // A threat written by hand names its mitigations itself.
  const byId = new Map(mitigations.map((m) => [m.id, m]));
  for (const threat of model.threats ?? []) {
    for (const id of threat.mitigations ?? []) {
      const m = byId.get(id);
      if (m) link(threat.id, m);
    }
  }
  for (const threat of threats) {
    const direct = byName.get(threat.id);
    const byRule = threat.ruleId === null ? undefined : byName.get(threat.ruleId);
    if (!direct && !byRule) continue;
    const linked = [
      ...(direct ?? []),
      ...(byRule ?? []).filter((m) => !m.appliesTo || m.appliesTo.includes(threat.target.id)),
    ];
    const unique = [...new Map(linked.map((m) => [m.id, m])).values()];
    if (unique.length === 0) continue;
    threat.mitigations = [
      ...threat.mitigations,
      ...unique.map((m): Reference => ({
        id: m.id,
        title: m.title,
        asvs: [...(m.references?.asvs ?? [])],
        source: 'model',
        status: m.status,
      })),
    ];
    const active = unique.filter((m) => ACTIVE_MITIGATION.has(m.status));
    if (active.length > 0) {
      threat.status = 'mitigated';
      threat.statusReason = `mitigation ${active.map((m) => m.id).join(', ')} ${active.length === 1 ? 'is' : 'are'} ${active.map((m) => m.status).join(', ')}`;
    }
  }
}

/** Decisions set the status; an acceptance past its expiry counts as open again, with a warning. */
function applyDecisions(
  model: ThreatModel,
  threats: AnalyzedThreat[],
  today: string | undefined,
  warn: (code: DiagnosticCode, message: string, path: readonly PathSegment[]) => void,
): void {
  const decisions = new Map<string, { decision: Decision; index: number }>();
  (model.decisions ?? []).forEach((decision, index) => {
    if (!decisions.has(decision.threat)) decisions.set(decision.threat, { decision, index });
  });
  for (const threat of threats) {
    const found = decisions.get(threat.id);
    if (!found) continue;
    const { decision, index } = found;
    const expired =
      decision.status === 'accepted' &&
      decision.expires !== undefined &&
      today !== undefined &&
      decision.expires < today;
    threat.decision = { ...decision, expired };
    if (expired) {
      threat.status = 'open';
      threat.statusReason = `accepted until ${decision.expires ?? ''}, now expired`;
      warn(
        'PARAPET_ACCEPTANCE_EXPIRED',
        `acceptance of ${threat.id} expired on ${decision.expires ?? ''}; it counts as open until it is decided again`,
        ['decisions', index, 'expires'],
      );
    } else {
      threat.status = decision.status;
      threat.statusReason = `decided ${decision.status}${decision.owner ? ` by ${decision.owner}` : ''}`;
    }
  }
}
