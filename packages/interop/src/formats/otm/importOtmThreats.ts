import type { Level } from '@parapet/core';
import { NAME_MAX, OtmContext, TAG_MAX, TEXT_MAX, type OtmItem, type Section } from './otmContext.js';
import {
  categoryOf,
  cweOf,
  decisionOfState,
  DEFAULT_CATEGORY,
  levelNumber,
  levelOf,
  statementText,
  statusOfMitigationState,
  type MitigationStatus,
  type Statement,
  type ThreatCategory,
} from './otmMapping.js';
import { asFields, describeValue, get, readId, type Fields, type Path } from './otmReader.js';

type Threat = Section<'threats'>;
type Mitigation = Section<'mitigations'>;
type Decision = Section<'decisions'>;

const INSTANCE_KEYS = ['threat', 'state', 'mitigations'];
const LINK_KEYS = ['mitigation', 'state'];
const THREAT_KEYS = ['id', 'name', 'description', 'categories', 'cwes', 'risk', 'tags', 'attributes'];
const THREAT_RISK_KEYS = ['likelihood', 'likelihoodComment', 'impact', 'impactComment'];
const MITIGATION_KEYS = ['id', 'name', 'description', 'riskReduction', 'attributes'];
const STATE_MAX = 200;

/** A mitigation named in a threat instance, with the state it has there. */
interface MitigationLink {
  readonly ref: string;
  readonly state: string | undefined;
  readonly path: Path;
}

/** A threat instance of a component or dataflow: which threat, on which Parapet item, in which state. */
export interface ThreatInstance {
  readonly ref: string;
  readonly target: string;
  readonly state: string | undefined;
  readonly links: readonly MitigationLink[];
  readonly path: Path;
}

/** Reads the `threats` instances of a component or dataflow whose Parapet id is `target`. */
export function readInstances(
  context: OtmContext,
  owner: { fields: Fields; path: Path },
  target: string,
): ThreatInstance[] {
  const { reader } = context;
  const instances: ThreatInstance[] = [];
  reader.list(owner.fields, 'threats', owner.path).forEach((value, index) => {
    const path = [...owner.path, 'threats', index];
    const fields = asFields(value);
    const ref = fields === undefined ? undefined : readId(get(fields, 'threat'));
    if (fields === undefined || ref === undefined) {
      if (value !== null) reader.note(path, `threat instance ${describeValue(value)}`, 'names no threat; left out');
      return;
    }
    reader.unknownKeys(fields, INSTANCE_KEYS, path, 'threat instance');
    const state = reader.text(fields, 'state', path, STATE_MAX);
    instances.push({ ref, target, state, links: readLinks(context, fields, path), path });
  });
  return instances;
}

/** Reads the mitigation instances of a threat instance. */
function readLinks(context: OtmContext, instance: Fields, instancePath: Path): MitigationLink[] {
  const { reader } = context;
  const links: MitigationLink[] = [];
  reader.list(instance, 'mitigations', instancePath).forEach((value, index) => {
    const path = [...instancePath, 'mitigations', index];
    const fields = asFields(value);
    const ref = fields === undefined ? undefined : readId(get(fields, 'mitigation'));
    if (fields === undefined || ref === undefined) {
      if (value !== null)
        reader.note(path, `mitigation instance ${describeValue(value)}`, 'names no mitigation; left out');
      return;
    }
    reader.unknownKeys(fields, LINK_KEYS, path, 'mitigation instance');
    links.push({ ref, state: reader.text(fields, 'state', path, STATE_MAX), path });
  });
  return links;
}

/** What the threats, mitigations and decisions of an OTM document become. */
export interface ImportedThreats {
  readonly threats: Threat[];
  readonly mitigations: Mitigation[];
  readonly decisions: Decision[];
}

/** Where a mitigation is linked with one status: the targets, for `appliesTo`. */
type StatusGroups = Map<MitigationStatus, Set<string>>;

/**
 * Makes Parapet threats, mitigations and decisions: one threat per threat instance (a threat referenced from
 * several components or dataflows becomes one threat per target, ids suffixed with the target), a decision
 * from each instance's state, and one mitigation per OTM mitigation (or one per state when instances give it
 * different states, ids suffixed with the status).
 */
export function importThreats(
  context: OtmContext,
  instances: readonly ThreatInstance[],
  threatItems: readonly OtmItem[],
  mitigationItems: readonly OtmItem[],
): ImportedThreats {
  const mitigationRefs = new Set(mitigationItems.map((item) => item.ref));
  const byThreat = groupInstances(context, instances, new Set(threatItems.map((item) => item.ref)));
  const linkStatuses = new Map<ThreatInstance, (readonly [string, MitigationStatus])[]>();
  const groups = new Map<string, StatusGroups>();
  for (const instance of instances)
    linkStatuses.set(instance, readLinkStatuses(context, instance, mitigationRefs, groups));

  const mitigationIds = new Map<string, Map<MitigationStatus, string>>();
  const mitigations = mitigationItems.flatMap((item) =>
    makeMitigations(context, item, item.duplicate ? undefined : groups.get(item.ref), mitigationIds),
  );
  const threats: Threat[] = [];
  const decisions: Decision[] = [];
  for (const item of threatItems) {
    const targets = item.duplicate ? [] : (byThreat.get(item.ref) ?? []);
    if (targets.length === 0) {
      const reason = item.duplicate
        ? 'instances name the first threat with this id'
        : 'no component or dataflow refers to it, and Parapet threats need a target';
      context.reader.note(item.path, `threat "${item.name.slice(0, 80)}"`, `${reason}; left out`);
      continue;
    }
    const template = readTemplate(context, item);
    if (targets.length > 1) {
      context.reader.note(
        item.path,
        `threat "${item.name.slice(0, 80)}" on ${targets.length} targets`,
        'Parapet threats have one target: one threat per target, ids suffixed with the target id',
      );
    }
    for (const instance of targets) {
      const id =
        targets.length === 1 ? context.idFor(item, 'threat') : context.suffixedId(item, instance.target, 'threat');
      const links = (linkStatuses.get(instance) ?? []).map(([ref, status]) => mitigationIds.get(ref)?.get(status));
      threats.push(makeThreat(context, item, template, id, instance, links));
      const decision = makeDecision(context, id, instance);
      if (decision !== undefined) decisions.push(decision);
    }
  }
  return { threats, mitigations, decisions };
}

/** Instances by threat id; an instance of an unknown threat, or a second one on the same target, is noted. */
function groupInstances(
  context: OtmContext,
  instances: readonly ThreatInstance[],
  threatRefs: ReadonlySet<string>,
): Map<string, ThreatInstance[]> {
  const byThreat = new Map<string, ThreatInstance[]>();
  const seen = new Set<string>();
  for (const instance of instances) {
    if (!threatRefs.has(instance.ref)) {
      context.reader.note(
        instance.path,
        `threat instance of ${describeValue(instance.ref)}`,
        'no threat in threats has this id; left out',
      );
      continue;
    }
    const key = JSON.stringify([instance.ref, instance.target]);
    if (seen.has(key)) {
      context.reader.note(
        instance.path,
        `threat instance of ${describeValue(instance.ref)} repeated on one item`,
        'the first instance is kept',
      );
      continue;
    }
    seen.add(key);
    const list = byThreat.get(instance.ref);
    if (list === undefined) byThreat.set(instance.ref, [instance]);
    else list.push(instance);
  }
  return byThreat;
}

/**
 * The mitigations an instance links, each with the status its state stands for; records each (mitigation,
 * status) pair's target in `groups`. Unknown mitigations, unknown states and states that mean "does not
 * apply" (rejected, not-applicable: the mitigation is not linked) are noted.
 */
function readLinkStatuses(
  context: OtmContext,
  instance: ThreatInstance,
  mitigationRefs: ReadonlySet<string>,
  groups: Map<string, StatusGroups>,
): (readonly [string, MitigationStatus])[] {
  const { reader } = context;
  const linked: (readonly [string, MitigationStatus])[] = [];
  const seen = new Set<string>();
  for (const link of instance.links) {
    if (!mitigationRefs.has(link.ref)) {
      reader.note(
        link.path,
        `mitigation instance of ${describeValue(link.ref)}`,
        'no mitigation in mitigations has this id; left out',
      );
      continue;
    }
    const reading = link.state === undefined ? undefined : statusOfMitigationState(link.state);
    let status: MitigationStatus;
    if (reading === undefined) {
      const what =
        link.state === undefined
          ? 'mitigation instance without a state'
          : `mitigation state ${describeValue(link.state)}`;
      reader.note(
        link.path,
        what,
        'not a state Parapet knows (implemented, required, recommended, rejected, not-applicable); read as proposed',
      );
      status = 'proposed';
    } else if (reading.value === 'unlinked') {
      reader.note(
        [...link.path, 'state'],
        `mitigation state ${describeValue(link.state)}`,
        'the mitigation does not address this threat here, so it is not linked to it; Parapet has no rejected status',
      );
      continue;
    } else {
      if (!reading.exact)
        reader.note(
          [...link.path, 'state'],
          `mitigation state ${describeValue(link.state)}`,
          `read as status ${reading.value}`,
        );
      status = reading.value;
    }
    const key = JSON.stringify([link.ref, status]);
    if (seen.has(key)) continue;
    seen.add(key);
    linked.push([link.ref, status]);
    let byStatus = groups.get(link.ref);
    if (byStatus === undefined) {
      byStatus = new Map<MitigationStatus, Set<string>>();
      groups.set(link.ref, byStatus);
    }
    const targets = byStatus.get(status);
    if (targets === undefined) byStatus.set(status, new Set([instance.target]));
    else targets.add(instance.target);
  }
  return linked;
}

/**
 * The Parapet mitigations an OTM mitigation becomes: one, with the status its instances give it (none when
 * no instance links it), or one per status when instances disagree. Records their ids in `ids`.
 */
function makeMitigations(
  context: OtmContext,
  item: OtmItem,
  groups: StatusGroups | undefined,
  ids: Map<string, Map<MitigationStatus, string>>,
): Mitigation[] {
  const { reader } = context;
  reader.unknownKeys(item.fields, MITIGATION_KEYS, item.path, 'mitigation');
  const description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  const riskReduction = reader.number(item.fields, 'riskReduction', item.path);
  if (riskReduction !== undefined) {
    reader.note(
      [...item.path, 'riskReduction'],
      `mitigation risk reduction ${riskReduction}`,
      'Parapet mitigations have no estimate of how much they reduce risk; left out',
    );
  }
  const decoded = context.attributes('mitigation', item, 'mitigation');
  const base = { title: item.name, ...(description === undefined ? {} : { description }) };
  const statuses = [...(groups?.entries() ?? [])];
  if (statuses.length === 0) {
    reader.note(
      item.path,
      `mitigation "${item.name.slice(0, 80)}" without a state`,
      'no threat instance links it, so OTM gives it no state; status left at proposed',
    );
    return [{ id: context.idFor(item, 'mitigation'), ...base, origin: context.origin(item.ref), ...decoded }];
  }
  if (statuses.length > 1) {
    reader.note(
      item.path,
      `mitigation "${item.name.slice(0, 80)}" in ${statuses.length} states`,
      'Parapet mitigations have one status: one mitigation per status, ids suffixed with the status',
    );
  }
  const byStatus = new Map<MitigationStatus, string>();
  ids.set(item.ref, byStatus);
  return statuses.map(([status, targets]) => {
    const id =
      statuses.length === 1 ? context.idFor(item, 'mitigation') : context.suffixedId(item, status, 'mitigation');
    byStatus.set(status, id);
    return { id, ...base, status, appliesTo: [...targets], origin: context.origin(item.ref), ...decoded };
  });
}

/** What every Parapet threat made from one OTM threat shares. */
interface ThreatTemplate {
  readonly category: ThreatCategory;
  readonly description?: string;
  readonly likelihood?: Level;
  readonly impact?: Level;
  readonly cwe: readonly string[];
  readonly tags: readonly string[];
  readonly decoded: Readonly<Record<string, unknown>>;
}

/** Reads an OTM threat once (noting what does not fit once), for all the Parapet threats made from it. */
function readTemplate(context: OtmContext, item: OtmItem): ThreatTemplate {
  const { reader } = context;
  reader.unknownKeys(item.fields, THREAT_KEYS, item.path, 'threat');
  let description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  const risk = reader.mapping(item.fields, 'risk', item.path);
  const riskPath = [...item.path, 'risk'];
  let likelihood: Level | undefined;
  let impact: Level | undefined;
  if (risk === undefined)
    reader.note(item.path, `threat "${item.name.slice(0, 80)}" without a risk`, 'no likelihood or impact stated');
  else {
    reader.unknownKeys(risk, THREAT_RISK_KEYS, riskPath, 'threat risk');
    likelihood = readLevel(context, risk, 'likelihood', riskPath);
    impact = readLevel(context, risk, 'impact', riskPath);
    for (const [key, label] of [
      ['likelihoodComment', 'Likelihood'],
      ['impactComment', 'Impact'],
    ] as const) {
      const comment = reader.text(risk, key, riskPath, TEXT_MAX);
      if (comment === undefined) continue;
      description = OtmContext.appendText(description, `${label}: ${comment}`);
      reader.note(
        [...riskPath, key],
        `threat ${key}`,
        'Parapet threats have no field for it; appended to the description',
      );
    }
  }
  const decoded = context.attributes('threat', item, 'threat');
  // The exporter writes a statement as the description of a threat that has none: it is not a description.
  const statement = decoded.statement as Statement | undefined;
  if (statement !== undefined && description === statementText(statement)) description = undefined;
  return {
    category: readCategory(context, item),
    ...(description === undefined ? {} : { description }),
    ...(likelihood === undefined ? {} : { likelihood }),
    ...(impact === undefined ? {} : { impact }),
    cwe: readCwes(context, item),
    tags: reader.texts(item.fields, 'tags', item.path, TAG_MAX),
    decoded,
  };
}

/** A 0-100 likelihood or impact as a level, noted when the number is not exactly the level's point. */
function readLevel(context: OtmContext, risk: Fields, key: string, path: Path): Level | undefined {
  const value = context.reader.number(risk, key, path);
  if (value === undefined) return undefined;
  const level = levelOf(value);
  if (value !== levelNumber(level)) {
    context.reader.note(
      [...path, key],
      `threat ${key} ${value}`,
      `read as ${level} (0-100 in five levels: very-low 10, low 30, medium 50, high 70, very-high 90, nearest)`,
    );
  }
  return level;
}

/** The category of a threat: its first STRIDE or LINDDUN category, else the closest by keyword, else tampering. */
function readCategory(context: OtmContext, item: OtmItem): ThreatCategory {
  const { reader } = context;
  const words = reader.texts(item.fields, 'categories', item.path, NAME_MAX);
  const readings = words.map((word) => categoryOf(word));
  let chosen = readings.findIndex((reading) => reading?.exact === true);
  if (chosen < 0) chosen = readings.findIndex((reading) => reading !== undefined);
  const path = [...item.path, 'categories'];
  words.forEach((word, index) => {
    if (index === chosen) {
      const reading = readings[index];
      if (reading !== undefined && !reading.exact)
        reader.note(
          [...path, index],
          `threat category ${describeValue(word)}`,
          `not a STRIDE or LINDDUN category; read as the closest, ${reading.value}`,
        );
    } else
      reader.note(
        [...path, index],
        `threat category ${describeValue(word)}`,
        'Parapet threats have one category; the first STRIDE or LINDDUN one is kept',
      );
  });
  const reading = readings[chosen];
  if (reading !== undefined) return reading.value;
  reader.note(
    path,
    `threat "${item.name.slice(0, 80)}" without a usable category`,
    `set to ${DEFAULT_CATEGORY}, Parapet needs one: review it`,
  );
  return DEFAULT_CATEGORY;
}

/** The CWE ids of a threat, as `CWE-79`; other texts are noted. */
function readCwes(context: OtmContext, item: OtmItem): string[] {
  const cwes = new Set<string>();
  context.reader.texts(item.fields, 'cwes', item.path, NAME_MAX).forEach((text, index) => {
    const cwe = cweOf(text);
    if (cwe === undefined)
      context.reader.note([...item.path, 'cwes', index], `CWE ${describeValue(text)}`, 'not a CWE id; left out');
    else cwes.add(cwe);
  });
  return [...cwes];
}

/** One Parapet threat of an OTM threat, on the instance's target, linked to its mitigations. */
function makeThreat(
  context: OtmContext,
  item: OtmItem,
  template: ThreatTemplate,
  id: string,
  instance: ThreatInstance,
  links: readonly (string | undefined)[],
): Threat {
  const { references: decodedReferences, ...decoded } = template.decoded;
  const references = {
    ...(typeof decodedReferences === 'object' && decodedReferences !== null ? decodedReferences : {}),
    ...(template.cwe.length > 0 ? { cwe: [...template.cwe] } : {}),
  };
  const mitigations = [...new Set(links.filter((link) => link !== undefined))];
  return {
    id,
    title: item.name,
    category: template.category,
    target: instance.target,
    ...(template.description === undefined ? {} : { description: template.description }),
    ...(template.likelihood === undefined ? {} : { likelihood: template.likelihood }),
    ...(template.impact === undefined ? {} : { impact: template.impact }),
    ...(Object.keys(references).length > 0 ? { references } : {}),
    ...(mitigations.length > 0 ? { mitigations } : {}),
    ...(template.tags.length > 0 ? { tags: [...template.tags] } : {}),
    origin: context.origin(item.ref),
    ...decoded,
  };
}

/** The decision an instance's state stands for (exposed is an open decision: the source says so). */
function makeDecision(context: OtmContext, threat: string, instance: ThreatInstance): Decision | undefined {
  const { reader } = context;
  if (instance.state === undefined) {
    reader.note(instance.path, 'threat instance without a state', 'no decision recorded');
    return undefined;
  }
  const reading = decisionOfState(instance.state);
  if (reading === undefined) {
    reader.note(
      [...instance.path, 'state'],
      `threat state ${describeValue(instance.state)}`,
      'not a state Parapet knows (exposed, mitigated, partly-mitigated, accepted, not-applicable); no decision recorded',
    );
    return undefined;
  }
  if (!reading.exact) {
    reader.note(
      [...instance.path, 'state'],
      `threat state ${describeValue(instance.state)}`,
      `read as decision ${reading.value}`,
    );
  }
  return { threat, status: reading.value };
}
