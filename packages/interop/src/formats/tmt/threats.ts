import { LIMITS, quote, type Decision, type ImportContext, type Threat } from './context.js';
import type { XmlNode } from './readXml.js';
import { categoryOf, lookup, PRIORITIES, STATES, type ThreatCategory } from './tables.js';
import { asNode, childNode, childText, children } from './xmlNodes.js';

/** Threats and the decisions their states became. */
export interface MappedThreats {
  readonly threats: Threat[];
  readonly decisions: Decision[];
}

/** What a threat instance can name: mapped elements and flows by guid, with their ids and names. */
export interface Targets {
  readonly elements: ReadonlyMap<string, { readonly id: string; readonly name: string }>;
  readonly flows: ReadonlyMap<string, { readonly id: string; readonly name: string }>;
}

/** One threat property (`Properties` entry): its value and where it is. */
interface Property {
  readonly value: string;
  readonly at: string;
}

/** Threat properties the mapping reads; any other non-empty one goes to `unmapped`. */
const READ_PROPERTIES = new Set([
  'Title',
  'UserThreatCategory',
  'UserThreatDescription',
  'UserThreatShortDescription',
  'InteractionString',
  'Priority',
  'StateInformation',
]);

const INSTANCES_PATH = '/ThreatModel/ThreatInstances';

/**
 * The stored threat instances as manual threats, each with a decision from its state. Title, description
 * and category come from the instance's properties, else from its threat type in the knowledge base with
 * the `{source.Name}`, `{target.Name}` and `{flow.Name}` placeholders filled; the target is the flow the
 * instance names, else its target element; the priority becomes the impact.
 */
export function mapThreats(root: XmlNode, targets: Targets, context: ImportContext): MappedThreats {
  const result: MappedThreats = { threats: [], decisions: [] };
  const priorities = new Map<string, number>();
  const instances = childNode(root, 'ThreatInstances');
  for (const name of Object.keys(instances ?? {})) {
    if (name.startsWith('@_') || name.startsWith('#')) continue;
    children(instances, name).forEach((entry, index) => {
      const value = childNode(asNode(entry), 'Value');
      const at = `${INSTANCES_PATH}/${name}[${index + 1}]/Value`;
      const mapped = mapInstance(value, at, targets, context);
      if (mapped === undefined) return;
      result.threats.push(mapped.threat);
      result.decisions.push(mapped.decision);
      if (mapped.priority !== undefined) priorities.set(mapped.priority, (priorities.get(mapped.priority) ?? 0) + 1);
    });
  }
  if (priorities.size > 0) {
    const counts = [...priorities].map(([priority, count]) => `${priority}: ${count}`).join(', ');
    context.note(
      INSTANCES_PATH,
      context.lineOf(instances),
      `threat priorities (${counts})`,
      "the tool's priority orders the work, it does not measure harm: taken as each threat's impact (High, Medium, Low as high, medium, low)",
    );
  }
  return result;
}

/** One instance as a threat and a decision, or undefined (recorded) when it has no category or target. */
function mapInstance(
  value: XmlNode | undefined,
  at: string,
  targets: Targets,
  context: ImportContext,
): { threat: Threat; decision: Decision; priority?: string } | undefined {
  const line = context.lineOf(value);
  const properties = readProperties(value, at);
  const read = (name: string): string | undefined => properties.get(name)?.value ?? childText(value, name);
  const typeId = childText(value, 'TypeId');
  const type = typeId === undefined ? undefined : context.knowledgeBase.threatTypes.get(typeId);
  const fill = placeholderFiller(value, targets);
  const rawTitle =
    read('Title') ?? (type?.shortTitle === undefined ? undefined : fill(type.shortTitle)) ?? typeId ?? 'Threat';
  const title = context.clamp(rawTitle, LIMITS.name, at, line, `threat title ${quote(rawTitle)}`);
  const categoryName =
    read('UserThreatCategory') ??
    (type?.category === undefined
      ? undefined
      : (context.knowledgeBase.categories.get(type.category)?.name ?? type.category));
  const category: ThreatCategory | undefined = categoryName === undefined ? undefined : categoryOf(categoryName);
  if (category === undefined) {
    context.note(
      at,
      line,
      `threat ${quote(title)} of category ${quote(categoryName ?? 'none')}`,
      'not a STRIDE (or LINDDUN) category, which every Parapet threat needs: not imported',
    );
    return undefined;
  }
  const target = targetOf(value, targets, at, line, title, context);
  if (target === undefined) return undefined;
  const rawDescription =
    read('UserThreatDescription') ?? (type?.description === undefined ? undefined : fill(type.description));
  const priority = read('Priority');
  const impact = priority === undefined ? undefined : lookup(PRIORITIES, priority);
  if (priority !== undefined && impact === undefined) {
    context.note(
      at,
      line,
      `priority ${quote(priority)} of threat ${quote(title)}`,
      'not High, Medium or Low: impact left unstated',
    );
  }
  const id = context.ids.allocate(title, 'threat');
  const threat: Threat = {
    id,
    title,
    category,
    target,
    ...(rawDescription === undefined
      ? {}
      : { description: context.clamp(rawDescription, LIMITS.text, at, line, 'threat description') }),
    ...(impact === undefined ? {} : { impact }),
    origin: context.origin(typeId, line),
  };
  noteOtherProperties(properties, value, targets, title, type?.category, context);
  return {
    threat,
    decision: decisionOf(value, id, read('StateInformation'), at, line, title, context),
    ...(impact === undefined || priority === undefined ? {} : { priority }),
  };
}

/** The `Properties` dictionary of an instance (first entry of a key wins). */
function readProperties(value: XmlNode | undefined, at: string): Map<string, Property> {
  const properties = new Map<string, Property>();
  const dictionary = childNode(value, 'Properties');
  for (const name of Object.keys(dictionary ?? {})) {
    if (name.startsWith('@_') || name.startsWith('#')) continue;
    children(dictionary, name).forEach((entry, index) => {
      const key = childText(asNode(entry), 'Key');
      const text = childText(asNode(entry), 'Value');
      if (key !== undefined && text !== undefined && !properties.has(key)) {
        properties.set(key, { value: text, at: `${at}/Properties/${name}[${index + 1}]` });
      }
    });
  }
  return properties;
}

/** Fills `{source.Name}`, `{target.Name}` and `{flow.Name}` (any case) with the names of what the instance names. */
function placeholderFiller(value: XmlNode | undefined, targets: Targets): (template: string) => string {
  const nameOf = (role: string): string | undefined => {
    const guid = childText(value, role === 'flow' ? 'FlowGuid' : role === 'source' ? 'SourceGuid' : 'TargetGuid');
    if (guid === undefined) return undefined;
    return (role === 'flow' ? targets.flows : targets.elements).get(guid)?.name;
  };
  return (template) =>
    template.replace(/\{(source|target|flow)\.name\}/gi, (whole, role: string) => nameOf(role.toLowerCase()) ?? whole);
}

/** The flow the instance names, else its target element; recorded when it falls back or finds neither. */
function targetOf(
  value: XmlNode | undefined,
  targets: Targets,
  at: string,
  line: number | undefined,
  title: string,
  context: ImportContext,
): string | undefined {
  const flowGuid = childText(value, 'FlowGuid');
  const flow = flowGuid === undefined ? undefined : targets.flows.get(flowGuid);
  if (flow !== undefined) return flow.id;
  const targetGuid = childText(value, 'TargetGuid');
  const element = targetGuid === undefined ? undefined : targets.elements.get(targetGuid);
  if (element === undefined) {
    context.note(at, line, `threat ${quote(title)}`, 'names no flow or element of the model: not imported');
    return undefined;
  }
  if (flowGuid !== undefined && !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(flowGuid)) {
    context.note(
      at,
      line,
      `flow of threat ${quote(title)}`,
      `the flow it names is not in the model: the threat is on its target ${quote(element.name)}`,
    );
  }
  return element.id;
}

/**
 * The decision a state stands for (AutoGenerated and NotStarted open, NeedsInvestigation open, NotApplicable
 * false-positive, Mitigated mitigated), with the justification, who changed it, and when.
 */
function decisionOf(
  value: XmlNode | undefined,
  threat: string,
  justification: string | undefined,
  at: string,
  line: number | undefined,
  title: string,
  context: ImportContext,
): Decision {
  const state = childText(value, 'State') ?? 'AutoGenerated';
  const mapping = lookup(STATES, state);
  if (mapping === undefined) {
    context.note(
      at,
      line,
      `state ${quote(state)} of threat ${quote(title)}`,
      'not a state the tool defines: kept as an open decision',
    );
  } else if (mapping.loss !== undefined) {
    context.note(at, line, `state of threat ${quote(title)}`, mapping.loss);
  }
  const owner = childText(value, 'ChangedBy');
  const modified = /^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))T/.exec(childText(value, 'ModifiedAt') ?? '')?.[1];
  const decided = modified === undefined || modified.startsWith('0001-') ? undefined : modified;
  return {
    threat,
    status: mapping?.status ?? 'open',
    ...(justification === undefined
      ? {}
      : { justification: context.clamp(justification, LIMITS.text, at, line, 'justification') }),
    ...(owner === undefined
      ? {}
      : { owner: context.clamp(owner, LIMITS.owner, at, line, `changed by ${quote(owner)}`) }),
    ...(decided === undefined ? {} : { decided }),
  };
}

/**
 * Records the properties the threat does not hold: custom ones (with their label from the knowledge base),
 * a short description edited away from its category's text, an interaction that is not the flow's name.
 */
function noteOtherProperties(
  properties: ReadonlyMap<string, Property>,
  value: XmlNode | undefined,
  targets: Targets,
  title: string,
  categoryId: string | undefined,
  context: ImportContext,
): void {
  const line = context.lineOf(value);
  for (const [key, property] of properties) {
    if (READ_PROPERTIES.has(key)) continue;
    const label = context.knowledgeBase.propertyLabels.get(key) ?? key;
    context.note(
      property.at,
      line,
      `property "${label}" of threat ${quote(title)}: ${quote(property.value)}`,
      'Parapet threats have no field for it',
    );
  }
  const shortDescription = properties.get('UserThreatShortDescription');
  const categoryText =
    categoryId === undefined ? undefined : context.knowledgeBase.categories.get(categoryId)?.shortDescription;
  if (shortDescription !== undefined && shortDescription.value !== categoryText) {
    context.note(
      shortDescription.at,
      line,
      `short description of threat ${quote(title)}: ${quote(shortDescription.value)}`,
      "Parapet threats have one description: the instance's description was kept",
    );
  }
  const interaction = properties.get('InteractionString');
  const flowGuid = childText(value, 'FlowGuid');
  const flowName = flowGuid === undefined ? undefined : targets.flows.get(flowGuid)?.name;
  if (interaction !== undefined && interaction.value !== flowName) {
    context.note(
      interaction.at,
      line,
      `interaction ${quote(interaction.value)} of threat ${quote(title)}`,
      'it is not the name of the flow the threat is on',
    );
  }
}
