import type { Analysis, AnalyzedThreat, Level, ThreatModel } from '@parapet/core';
import type { ExportContext } from './exportContext.js';
import { encodeAttributes } from './otmAttributes.js';
import { OTM_FORMAT } from './otmContext.js';
import {
  withAttributes,
  type OtmAttributes,
  type OtmMitigation,
  type OtmThreat,
  type OtmThreatInstance,
} from './otmDocument.js';
import {
  categoryWord,
  IRIUSRISK_THREAT_STATES,
  levelNumber,
  mitigationStateOf,
  stateOfDecision,
  statementText,
  type DecisionStatus,
  type ThreatCategory,
} from './otmMapping.js';

type Threat = NonNullable<ThreatModel['threats']>[number];
type Mitigation = NonNullable<ThreatModel['mitigations']>[number];
type Decision = NonNullable<ThreatModel['decisions']>[number];

/** What OTM requires as a mitigation's risk reduction, which Parapet does not estimate. */
export const RISK_REDUCTION = 50;
/** What OTM requires as a threat's impact when the model states none (medium). */
const DEFAULT_IMPACT: Level = 'medium';

/** A threat to export: a manual threat, or one from the analysis, with what OTM needs of it. */
interface Candidate {
  /** Where it is: `threats[2]`, or `analysis: <id>` for a generated threat. */
  readonly at: string;
  readonly id: string;
  readonly ruleId: string | null;
  readonly title: string;
  readonly description?: string;
  readonly category: ThreatCategory;
  readonly likelihood?: Level;
  readonly impact?: Level;
  readonly cwe: readonly string[];
  readonly tags: readonly string[];
  readonly attributes: OtmAttributes;
  readonly ref?: string;
  readonly target: string;
  readonly status: DecisionStatus;
  readonly mitigations: readonly string[];
}

/** The threats and mitigations of the document, and the threat instances by Parapet element or flow id. */
export interface ExportedThreats {
  readonly threats: OtmThreat[];
  readonly mitigations: OtmMitigation[];
  readonly instances: ReadonlyMap<string, OtmThreatInstance[]>;
}

/** Which links to threats each mitigation got: by threat id, by rule id, and the targets. */
interface Linked {
  readonly threats: Set<string>;
  readonly rules: Set<string>;
  readonly targets: Set<string>;
}

/** The items without duplicates, in first-seen order. */
function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * Exports the manual threats (and, given an analysis, every threat it found, with the status it derived) as
 * OTM threats with an instance on their component or dataflow, the instance state from the decision, and
 * the mitigations each threat links with their status as the mitigation instance state. Parapet threats made
 * from one OTM threat (same OTM id of origin, same content) become one OTM threat with several instances.
 */
export function exportThreats(
  context: ExportContext,
  model: ThreatModel,
  analysis: Analysis | undefined,
): ExportedThreats {
  const decisions = new Map<string, Decision>();
  for (const decision of model.decisions ?? [])
    if (!decisions.has(decision.threat)) decisions.set(decision.threat, decision);
  const candidates = collectCandidates(model, analysis, decisions);
  const mitigations = model.mitigations ?? [];
  const mitigationIds = new Map<string, string>();
  const otmMitigations = exportMitigationDefinitions(context, mitigations, mitigationIds);
  const byId = new Map(mitigations.map((mitigation) => [mitigation.id, mitigation]));
  const linked = new Map<string, Linked>();
  const threatGroups = new Map<string, { otmId: string; json: string }>();
  const threats: OtmThreat[] = [];
  const instances = new Map<string, OtmThreatInstance[]>();
  const exported = new Set<string>();
  const placeable = new Set([...(model.elements ?? []).map((e) => e.id), ...(model.flows ?? []).map((f) => f.id)]);
  for (const candidate of candidates) {
    if (!placeable.has(candidate.target)) {
      context.note(
        candidate.at,
        `threat "${candidate.title.slice(0, 80)}" on ${candidate.target}`,
        'OTM threats sit on components and dataflows only; left out',
      );
      continue;
    }
    exported.add(candidate.id);
    const definition = threatDefinition(context, candidate);
    const json = JSON.stringify(definition);
    const group = candidate.ref === undefined ? undefined : threatGroups.get(candidate.ref);
    let otmId = group?.json === json ? group.otmId : undefined;
    if (otmId === undefined) {
      otmId = candidate.ref === undefined ? context.unique(candidate.id) : context.unique(candidate.ref, candidate.id);
      if (candidate.ref !== undefined && group === undefined) threatGroups.set(candidate.ref, { otmId, json });
      threats.push({ id: otmId, ...definition });
    }
    const links = candidate.mitigations.flatMap((id) => {
      const mitigation = byId.get(id);
      const mitigationId = mitigationIds.get(id);
      if (mitigation === undefined || mitigationId === undefined) return [];
      recordLink(linked, mitigation.id, candidate);
      return [{ mitigation: mitigationId, state: mitigationStateOf(mitigation.status) }];
    });
    const state = stateOfDecision(candidate.status);
    if (!IRIUSRISK_THREAT_STATES.has(state)) {
      context.note(
        candidate.at,
        `threat status ${candidate.status}`,
        `OTM leaves threat states free; written as "${state}", which IriusRisk does not define`,
      );
    }
    const instance: OtmThreatInstance = { threat: otmId, state, ...(links.length > 0 ? { mitigations: links } : {}) };
    const list = instances.get(candidate.target);
    if (list === undefined) instances.set(candidate.target, [instance]);
    else list.push(instance);
  }
  noteDecisions(context, model, exported);
  noteMitigations(context, mitigations, linked);
  return { threats, mitigations: otmMitigations, instances };
}

/** The manual threats, or the analysis' threats followed by manual threats the analysis does not list. */
function collectCandidates(
  model: ThreatModel,
  analysis: Analysis | undefined,
  decisions: ReadonlyMap<string, Decision>,
): Candidate[] {
  const reduces = new Map<string, string[]>();
  for (const mitigation of model.mitigations ?? []) {
    for (const id of mitigation.reduces ?? []) {
      const list = reduces.get(id);
      if (list === undefined) reduces.set(id, [mitigation.id]);
      else list.push(mitigation.id);
    }
  }
  const manual = model.threats ?? [];
  const manualIndex = new Map(manual.map((threat, index) => [threat.id, index]));
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const threat of analysis?.threats ?? []) {
    const index = threat.ruleId === null ? manualIndex.get(threat.id) : undefined;
    const own = index === undefined ? undefined : manual[index];
    seen.add(threat.id);
    if (own !== undefined && index !== undefined)
      candidates.push(manualCandidate(own, index, threat.status, decisions, reduces, threat));
    else candidates.push(analyzedCandidate(threat, decisions));
  }
  manual.forEach((threat, index) => {
    if (seen.has(threat.id)) return;
    candidates.push(
      manualCandidate(threat, index, decisions.get(threat.id)?.status ?? 'open', decisions, reduces, undefined),
    );
  });
  return candidates;
}

/** A threat of the model, with the mitigations it names, those that name it and those its decision relies on. */
function manualCandidate(
  threat: Threat,
  index: number,
  status: DecisionStatus,
  decisions: ReadonlyMap<string, Decision>,
  reduces: ReadonlyMap<string, readonly string[]>,
  analyzed: AnalyzedThreat | undefined,
): Candidate {
  const likelihood = threat.likelihood ?? analyzed?.likelihood;
  const impact = threat.impact ?? analyzed?.impact;
  const fromAnalysis = analyzed?.mitigations.filter((m) => m.source === 'model').map((m) => m.id) ?? [];
  // OTM has no statement: a threat with only a statement gets it as its description too (the importer drops it again).
  const description =
    threat.description ?? (threat.statement === undefined ? undefined : statementText(threat.statement));
  return {
    at: `threats[${index}]`,
    id: threat.id,
    ruleId: null,
    title: threat.title,
    ...(description === undefined ? {} : { description }),
    category: threat.category,
    ...(likelihood === undefined ? {} : { likelihood }),
    ...(impact === undefined ? {} : { impact }),
    cwe: threat.references?.cwe ?? [],
    tags: threat.tags ?? [],
    attributes: encodeAttributes('threat', threat),
    ...(threat.origin?.format === OTM_FORMAT && threat.origin.ref !== undefined ? { ref: threat.origin.ref } : {}),
    target: threat.target,
    status,
    mitigations: unique([
      ...(threat.mitigations ?? []),
      ...(reduces.get(threat.id) ?? []),
      ...(decisions.get(threat.id)?.mitigations ?? []),
      ...fromAnalysis,
    ]),
  };
}

/** A threat a rule generated, as the analysis gives it. */
function analyzedCandidate(threat: AnalyzedThreat, decisions: ReadonlyMap<string, Decision>): Candidate {
  return {
    at: `analysis: ${threat.id}`,
    id: threat.id,
    ruleId: threat.ruleId,
    title: threat.title,
    ...(threat.description === '' ? {} : { description: threat.description }),
    category: threat.category,
    likelihood: threat.likelihood,
    impact: threat.impact,
    cwe: threat.references.cwe ?? [],
    tags: [],
    attributes: encodeAttributes('threat', { statement: threat.statement, references: threat.references }),
    target: threat.target.id,
    status: threat.status,
    mitigations: unique([
      ...threat.mitigations.filter((m) => m.source === 'model').map((m) => m.id),
      ...(decisions.get(threat.id)?.mitigations ?? []),
    ]),
  };
}

/** An OTM threat (without its id) for a candidate; notes what it cannot hold. */
function threatDefinition(context: ExportContext, candidate: Candidate): Omit<OtmThreat, 'id'> {
  if (candidate.impact === undefined) {
    context.note(
      candidate.at,
      `threat "${candidate.title.slice(0, 80)}" without an impact`,
      `OTM requires one: written as ${levelNumber(DEFAULT_IMPACT)} (${DEFAULT_IMPACT})`,
    );
  }
  return {
    name: candidate.title,
    ...(candidate.description === undefined ? {} : { description: candidate.description }),
    categories: [categoryWord(candidate.category)],
    ...(candidate.cwe.length > 0 ? { cwes: [...candidate.cwe] } : {}),
    risk: {
      likelihood: candidate.likelihood === undefined ? null : levelNumber(candidate.likelihood),
      impact: levelNumber(candidate.impact ?? DEFAULT_IMPACT),
    },
    ...(candidate.tags.length > 0 ? { tags: [...candidate.tags] } : {}),
    ...withAttributes(candidate.attributes),
  };
}

/**
 * The OTM mitigations: one per Parapet mitigation, except that mitigations made from one OTM mitigation
 * (same OTM id of origin, same content, split by status on import) become one again. Records OTM ids.
 */
function exportMitigationDefinitions(
  context: ExportContext,
  mitigations: readonly Mitigation[],
  ids: Map<string, string>,
): OtmMitigation[] {
  const groups = new Map<string, { otmId: string; json: string }>();
  const definitions: OtmMitigation[] = [];
  for (const mitigation of mitigations) {
    const definition = {
      name: mitigation.title,
      ...(mitigation.description === undefined ? {} : { description: mitigation.description }),
      riskReduction: RISK_REDUCTION,
      ...withAttributes(encodeAttributes('mitigation', mitigation)),
    };
    const json = JSON.stringify(definition);
    const ref = mitigation.origin?.format === OTM_FORMAT ? mitigation.origin.ref : undefined;
    const group = ref === undefined ? undefined : groups.get(ref);
    if (group?.json === json) {
      ids.set(mitigation.id, group.otmId);
      continue;
    }
    const otmId = ref === undefined ? context.unique(mitigation.id) : context.unique(ref, mitigation.id);
    if (ref !== undefined && group === undefined) groups.set(ref, { otmId, json });
    ids.set(mitigation.id, otmId);
    definitions.push({ id: otmId, ...definition });
  }
  if (definitions.length > 0) {
    context.note(
      'mitigations',
      `risk reduction of ${definitions.length} mitigations`,
      `OTM requires one and Parapet does not estimate it: written as ${RISK_REDUCTION}`,
    );
  }
  return definitions;
}

/** Records that a mitigation is linked to a threat (by id and rule) on a target. */
function recordLink(linked: Map<string, Linked>, mitigation: string, candidate: Candidate): void {
  let entry = linked.get(mitigation);
  if (entry === undefined) {
    entry = { threats: new Set(), rules: new Set(), targets: new Set() };
    linked.set(mitigation, entry);
  }
  entry.threats.add(candidate.id);
  if (candidate.ruleId !== null) entry.rules.add(candidate.ruleId);
  entry.targets.add(candidate.target);
}

/** Notes what decisions hold beyond a status, and decisions on threats that were not exported. */
function noteDecisions(context: ExportContext, model: ThreatModel, exported: ReadonlySet<string>): void {
  (model.decisions ?? []).forEach((decision, index) => {
    const at = `decisions[${index}]`;
    if (!exported.has(decision.threat)) {
      context.note(
        at,
        `decision ${decision.status} on ${decision.threat}`,
        'its threat is not in the OTM file (generated threats are exported only with an analysis); left out',
      );
      return;
    }
    const extra = (['justification', 'owner', 'ticket', 'decided', 'expires'] as const).filter(
      (key) => decision[key] !== undefined,
    );
    if (extra.length > 0) {
      context.note(
        at,
        `decision on ${decision.threat}: ${extra.join(', ')}`,
        'an OTM threat instance holds only a state; left out',
      );
    }
  });
  (model.threats ?? []).forEach((threat, index) => {
    const extra = (['assets', 'actors'] as const).filter((key) => (threat[key]?.length ?? 0) > 0);
    if (extra.length > 0)
      context.note(
        `threats[${index}]`,
        `threat ${threat.id}: ${extra.join(', ')}`,
        'OTM threats have no assets or actors; left out',
      );
  });
}

/** Notes mitigation links OTM could not express: reductions and targets without a threat instance, unwritten statuses. */
function noteMitigations(
  context: ExportContext,
  mitigations: readonly Mitigation[],
  linked: ReadonlyMap<string, Linked>,
): void {
  mitigations.forEach((mitigation, index) => {
    const links = linked.get(mitigation.id);
    const at = `mitigations[${index}]`;
    const reduces = (mitigation.reduces ?? []).filter(
      (id) => links?.threats.has(id) !== true && links?.rules.has(id) !== true,
    );
    if (reduces.length > 0) {
      context.note(
        `${at}.reduces`,
        `reduces ${reduces.join(', ')}`,
        'OTM links mitigations through threat instances, and these threats are not in the file; left out',
      );
    }
    const appliesTo = (mitigation.appliesTo ?? []).filter((id) => links?.targets.has(id) !== true);
    if (appliesTo.length > 0) {
      context.note(
        `${at}.appliesTo`,
        `applies to ${appliesTo.join(', ')}`,
        'OTM places mitigations only through threat instances on components and dataflows; left out',
      );
    }
    if (links !== undefined && mitigation.status === 'verified') {
      context.note(
        `${at}.status`,
        `status verified of ${mitigation.id}`,
        'written as mitigation state "verified", which IriusRisk does not define (its nearest is implemented)',
      );
    }
    if (links === undefined && mitigation.status !== 'proposed') {
      context.note(
        `${at}.status`,
        `status ${mitigation.status} of ${mitigation.id}`,
        'OTM states a mitigation status only on threat instances, and no exported threat links it; left out',
      );
    }
  });
}
