// The discovery engine: turns the resources readers found in infrastructure code into a Parapet model by the
// rules of mapping files (first matching rule wins), then turns their relations into flows, boundary
// membership, exposure and stored assets. Everything it cannot place goes to `unmapped` with its evidence.
import type { ThreatModelInput } from '@parapet/core';
import type { DiscoverySource, ImportResult, Unmapped } from '../ImportResult.js';
import { IdAllocator, slug } from '../ids.js';
import {
  ASSET_KIND_VALUES,
  BOUNDARY_KIND_VALUES,
  CLASSIFICATION_VALUES,
  PROTOCOL_VALUES,
  TECHNOLOGY_TYPE_VALUES,
} from './mappingFile.js';
import type { MappingFile, MappingRule, Relation, SourceResource } from './types.js';

type ElementInput = NonNullable<ThreatModelInput['elements']>[number];
type BoundaryInput = NonNullable<ThreatModelInput['boundaries']>[number];
type AssetInput = NonNullable<ThreatModelInput['assets']>[number];
type FlowInput = NonNullable<ThreatModelInput['flows']>[number];
type Exposure = NonNullable<ElementInput['exposure']>;
type Origin = NonNullable<ElementInput['origin']>;
type FlowProtocol = NonNullable<FlowInput['protocol']>;

/** Options of a mapping: the result's format and the model's title and id (made from the files when absent). */
export interface MapOptions {
  readonly format?: DiscoverySource;
  readonly title?: string;
  readonly modelId?: string;
}

const TECHNOLOGY_TYPES = new Set(TECHNOLOGY_TYPE_VALUES);
const BOUNDARY_KINDS = new Set(BOUNDARY_KIND_VALUES);
const ASSET_KINDS = new Set(ASSET_KIND_VALUES);
const CLASSIFICATIONS = new Set(CLASSIFICATION_VALUES);
const PROTOCOLS = new Set(PROTOCOL_VALUES);
const EXPOSURE_RANK: Readonly<Record<Exposure, number>> = { private: 0, internal: 1, partner: 2, internet: 3 };
/** Evidence kept in a flow's description, at most (a flow many relations agree on keeps the first ones). */
const MAX_DESCRIPTION = 2_000;

/** An element being built: its fields, the boundaries it was said to be in, the assets it stores. */
interface ElementDraft {
  readonly item: ElementInput;
  readonly memberOf: string[];
  readonly stores: string[];
}

/** A boundary being built, with the boundaries it was said to be in. */
interface BoundaryDraft {
  readonly item: BoundaryInput;
  readonly memberOf: string[];
  parent?: string;
}

/** What a resource became. */
type Outcome =
  | { readonly kind: 'element'; readonly id: string; readonly draft: ElementDraft }
  | { readonly kind: 'boundary'; readonly id: string; readonly draft: BoundaryDraft }
  | { readonly kind: 'asset'; readonly id: string; readonly item: AssetInput }
  | { readonly kind: 'passThrough' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'unmatched' };

/** One relation that becomes (part of) a flow: from which resource to which, and the resource that says so. */
interface FlowCandidate {
  readonly from: SourceResource;
  readonly to: SourceResource;
  readonly fromId: string;
  readonly toId: string;
  readonly relation: Relation;
  readonly holder: SourceResource;
}

/** The state of one mapping. */
interface MapContext {
  readonly ids: IdAllocator;
  readonly unmapped: Unmapped[];
  readonly outcomes: Map<SourceResource, Outcome>;
  /** `source\0address` -> the resources with that address (several only when files repeat one). */
  readonly byAddress: Map<string, SourceResource[]>;
  /** A resource -> the resources that are `exposed-by` it (for pass-through resources). */
  readonly exposes: Map<SourceResource, SourceResource[]>;
  readonly flows: FlowCandidate[];
  /**
   * Elements by kind and name (lower-cased): the same service described by two sources (a compose file and
   * Kubernetes manifests of one application) is one element, whose flows come from both.
   */
  readonly named: Map<string, { readonly id: string; readonly draft: ElementDraft; readonly resource: SourceResource }>;
}

/**
 * Maps resources to a Parapet model. Each resource takes the first rule that matches it, from the mapping
 * files in the order given (users' before the built-in ones) whose source is the resource's (`terraform`
 * rules also map `terraform-plan` resources). Every item gets `origin: { format, file, line, ref, inferred:
 * true }`. Relations: `flow` and `stores-in` become flows (one per from/to/port; a flow to a pass-through
 * resource goes to the elements it exposes), `member-of` a boundary places an element in it (the innermost
 * when several nest; others are noted) or a boundary inside another, `exposed-by` gives the exposure of what
 * exposes it (and a flow from it when it is an element), `uses-secret` adds the secret's asset to the
 * element's `stores` (or a flow to it when the secret maps to an element, such as a vault). Deterministic.
 */
export function mapResources(
  resources: readonly SourceResource[],
  mappings: readonly MappingFile[],
  options: MapOptions = {},
): ImportResult {
  const context: MapContext = {
    ids: new IdAllocator(),
    unmapped: [],
    outcomes: new Map(),
    byAddress: new Map(),
    exposes: new Map(),
    flows: [],
    named: new Map(),
  };
  for (const resource of resources) indexResource(context, resource);
  for (const resource of resources) indexExposure(context, resource);
  const rules = compileRules(mappings);
  for (const resource of resources) context.outcomes.set(resource, applyRules(context, resource, rules));
  for (const resource of resources) readRelations(context, resource);
  for (const resource of resources) noteResource(context, resource);
  placeBoundaries(context, resources);
  placeElements(context, resources);
  const flows = buildFlows(context);
  return {
    format: options.format ?? resources[0]?.source ?? 'docker-compose',
    model: assembleModel(context, resources, flows, options),
    unmapped: context.unmapped,
  };
}

/** Indexes a resource by its address. */
function indexResource(context: MapContext, resource: SourceResource): void {
  const key = `${resource.source}\0${resource.address}`;
  const list = context.byAddress.get(key);
  if (list) list.push(resource);
  else context.byAddress.set(key, [resource]);
}

/** Indexes what a resource's `exposed-by` relations say stands in front of it (for flows to pass-through resources). */
function indexExposure(context: MapContext, resource: SourceResource): void {
  for (const relation of resource.relations) {
    if (relation.kind !== 'exposed-by') continue;
    const target = resolve(context, resource, relation.to);
    if (!target) continue;
    const list = context.exposes.get(target);
    if (list) list.push(resource);
    else context.exposes.set(target, [resource]);
  }
}

/** The resource a relation names: the one with that address in the same source, preferring the same file. */
function resolve(context: MapContext, from: SourceResource, address: string): SourceResource | undefined {
  const candidates = context.byAddress.get(`${from.source}\0${address}`);
  return candidates?.find((candidate) => candidate.file === from.file) ?? candidates?.[0];
}

/** The mapping files' source that maps a resource's source (`terraform-plan` resources use `terraform` rules). */
function mappingSource(source: DiscoverySource): DiscoverySource {
  return source === 'terraform-plan' ? 'terraform' : source;
}

/** A rule ready to match: its type globs and conditions as lists, and where it is written (for reasons). */
interface CompiledRule {
  readonly rule: MappingRule;
  readonly where: string;
  readonly types: readonly string[];
  readonly conditions: readonly { readonly path: string; readonly globs: readonly string[] }[];
}

/** The rules of the mapping files by source, in order (users' files first, as given). */
function compileRules(mappings: readonly MappingFile[]): Map<DiscoverySource, CompiledRule[]> {
  const bySource = new Map<DiscoverySource, CompiledRule[]>();
  for (const file of mappings) {
    const list = bySource.get(file.source) ?? [];
    bySource.set(file.source, list);
    file.rules.forEach((rule, i) => {
      list.push({
        rule,
        where: `${file.name ?? `${file.source} mappings`}:${file.lines?.[i] ?? `rule ${i + 1}`}`,
        types: typeof rule.type === 'string' ? [rule.type] : rule.type,
        conditions: Object.entries(rule.when ?? {}).map(([path, globs]) => ({
          path,
          globs: typeof globs === 'string' ? [globs] : globs,
        })),
      });
    });
  }
  return bySource;
}

/** Finds the first matching rule and builds what it says the resource becomes. */
function applyRules(
  context: MapContext,
  resource: SourceResource,
  rules: ReadonlyMap<DiscoverySource, readonly CompiledRule[]>,
): Outcome {
  for (const compiled of rules.get(mappingSource(resource.source)) ?? []) {
    if (ruleMatches(compiled, resource)) return buildOutcome(context, resource, compiled.rule, compiled.where);
  }
  return { kind: 'unmatched' };
}

/** Whether a rule's type globs and `when` conditions all match the resource (a list attribute matches when one of its items does). */
function ruleMatches(compiled: CompiledRule, resource: SourceResource): boolean {
  if (!matchesAny(compiled.types, resource.type)) return false;
  for (const condition of compiled.conditions) {
    const value = attributeAt(resource.attributes, condition.path);
    if (Array.isArray(value)) {
      if (!value.some((item) => matchesText(condition.globs, item))) return false;
    } else if (!matchesText(condition.globs, value)) {
      return false;
    }
  }
  return true;
}

/** Whether a scalar value, as text, matches one of the globs. */
function matchesText(globs: readonly string[], value: unknown): boolean {
  const text = scalarText(value);
  return text !== undefined && matchesAny(globs, text);
}

/** Whether a text matches one of the globs. */
function matchesAny(globs: readonly string[], text: string): boolean {
  for (const glob of globs) if (globMatches(glob, text)) return true;
  return false;
}

/**
 * Whether a glob (`*` for any run of characters) matches all of a text. Backtracks only to the last star, so
 * it takes at most the product of the two lengths (and the text's length for a glob of one star).
 */
export function globMatches(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * The value at a dotted path of attributes. Keys that hold dots themselves (`labels.app.kubernetes.io/name`)
 * are found by trying the longest key first.
 */
function attributeAt(attributes: Readonly<Record<string, unknown>>, path: string): unknown {
  if (!path.includes('.')) return Object.hasOwn(attributes, path) ? attributes[path] : undefined;
  const segments = path.split('.');
  let value: unknown = attributes;
  let i = 0;
  while (i < segments.length) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    let next = -1;
    for (let end = segments.length; end > i; end--) {
      if (Object.hasOwn(record, segments.slice(i, end).join('.'))) {
        next = end;
        break;
      }
    }
    if (next === -1) return undefined;
    value = record[segments.slice(i, next).join('.')];
    i = next;
  }
  return value;
}

/** A string, number or boolean as text; anything else undefined. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A template (`{name}`, `{type}`, `{address}`, `{attributes.x}`) filled from the resource; undefined when a placeholder has no value. */
export function fillTemplate(template: string, resource: SourceResource): string | undefined {
  let missing = false;
  const text = template.replace(/\{([^{}]*)\}/g, (_match, placeholder: string) => {
    const value = placeholderValue(resource, placeholder);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  const trimmed = text.trim();
  return missing || trimmed === '' ? undefined : trimmed;
}

/** The text a placeholder stands for (lists joined by commas), or undefined. */
function placeholderValue(resource: SourceResource, placeholder: string): string | undefined {
  if (placeholder === 'name') return resource.name;
  if (placeholder === 'type') return resource.type;
  if (placeholder === 'address') return resource.address;
  if (!placeholder.startsWith('attributes.')) return undefined;
  const value = attributeAt(resource.attributes, placeholder.slice('attributes.'.length));
  if (Array.isArray(value)) {
    const texts = value.map(scalarText).filter((text) => text !== undefined);
    return texts.length > 0 ? texts.join(', ') : undefined;
  }
  return scalarText(value);
}

/** Whether a text is one of a set's values (a technology type, a boundary kind...), narrowing its type. */
function isMember<T extends string>(values: ReadonlySet<T>, value: string): value is T {
  const texts: ReadonlySet<string> = values;
  return texts.has(value);
}

/** A text cut to a length. */
function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** The origin of an item made from a resource. */
function originOf(resource: SourceResource, line = resource.line, ref = resource.address): Origin {
  return {
    format: resource.source,
    file: clip(resource.file, 1_000) || '(unnamed input)',
    ...(Number.isInteger(line) && line > 0 && { line }),
    ref: clip(ref, 1_000),
    inferred: true,
  };
}

/** Builds the element, boundary or asset a rule makes of a resource (or records that it passes through or is ignored). */
function buildOutcome(context: MapContext, resource: SourceResource, rule: MappingRule, where: string): Outcome {
  if (rule.ignore !== undefined)
    return { kind: 'ignored', reason: `ignored by the mapping rule at ${where}: ${rule.ignore}` };
  if (rule.passThrough) return { kind: 'passThrough' };
  const fill = (template: string | undefined): string | undefined =>
    template === undefined ? undefined : fillTemplate(template, resource);
  const name =
    clip(fill(rule.element?.name ?? rule.boundary?.name ?? rule.asset?.name) ?? resource.name, 500) || resource.address;
  if (rule.element) {
    const key = `${rule.element.kind}\u0000${name.toLowerCase()}`;
    const same = context.named.get(key);
    if (same && same.resource.source !== resource.source) {
      raiseExposure(same.draft, resource.exposure);
      context.unmapped.push({
        at: resource.address,
        file: resource.file,
        line: resource.line,
        what: `${resource.type} ${resource.name}`,
        reason: `the same ${rule.element.kind} as ${same.resource.address} (${same.resource.file}:${same.resource.line}), found by its name: one element "${same.id}" for both, with the flows of both`,
      });
      return { kind: 'element', id: same.id, draft: same.draft };
    }
    const id = context.ids.allocate(name, resource.type);
    const type = rule.element.type;
    const knownType = type !== undefined && isMember(TECHNOLOGY_TYPES, type) ? type : undefined;
    if (type !== undefined && knownType === undefined) noteValue(context, resource, 'technology type', type, where);
    const technology = fill(rule.element.technology);
    const tags = [...new Set((rule.element.tags ?? []).map(fill).filter((tag) => tag !== undefined))].map((tag) =>
      clip(tag, 100),
    );
    const item: ElementDraft['item'] = {
      id,
      name,
      kind: rule.element.kind,
      ...(knownType !== undefined && { type: knownType }),
      ...(technology !== undefined && { technology: clip(technology, 200) }),
      ...(resource.exposure !== undefined && { exposure: resource.exposure }),
      ...(tags.length > 0 && { tags }),
      origin: originOf(resource),
    };
    const draft: ElementDraft = { item, memberOf: [], stores: [] };
    if (!same) context.named.set(key, { id, draft, resource });
    return { kind: 'element', id, draft };
  }
  if (rule.boundary) {
    const id = context.ids.allocate(name, resource.type);
    const kind = rule.boundary.kind;
    const knownKind = isMember(BOUNDARY_KINDS, kind) ? kind : undefined;
    if (knownKind === undefined) noteValue(context, resource, 'boundary kind', kind, where);
    const trustLevel = rule.boundary.trustLevel;
    const item: BoundaryInput = {
      id,
      name,
      kind: knownKind ?? 'other',
      ...(trustLevel !== undefined &&
        Number.isInteger(trustLevel) &&
        trustLevel >= 0 &&
        trustLevel <= 100 && { trustLevel }),
      origin: originOf(resource),
    };
    return { kind: 'boundary', id, draft: { item, memberOf: [] } };
  }
  if (rule.asset) {
    const id = context.ids.allocate(name, resource.type);
    const { kind, classification } = rule.asset;
    const knownKind = isMember(ASSET_KINDS, kind) ? kind : undefined;
    if (knownKind === undefined) noteValue(context, resource, 'asset kind', kind, where);
    const knownClassification =
      classification !== undefined && isMember(CLASSIFICATIONS, classification) ? classification : undefined;
    if (classification !== undefined && knownClassification === undefined) {
      noteValue(context, resource, 'classification', classification, where);
    }
    const item: AssetInput = {
      id,
      name,
      kind: knownKind ?? 'other',
      ...(knownClassification !== undefined && { classification: knownClassification }),
      origin: originOf(resource),
    };
    return { kind: 'asset', id, item };
  }
  return { kind: 'ignored', reason: `the mapping rule at ${where} says nothing it becomes` };
}

/** Notes a value of a rule that Parapet does not know (possible only in mapping files built in code). */
function noteValue(context: MapContext, resource: SourceResource, what: string, value: string, where: string): void {
  context.unmapped.push({
    at: resource.address,
    file: resource.file,
    line: resource.line,
    what: `${what} "${value}"`,
    reason: `the mapping rule at ${where} gives a ${what} Parapet does not know; left out`,
  });
}

/** Turns a resource's relations into flow candidates, memberships, exposure and stored assets. */
function readRelations(context: MapContext, resource: SourceResource): void {
  const outcome = context.outcomes.get(resource);
  for (const relation of resource.relations) {
    const target = resolve(context, resource, relation.to);
    if (!target) {
      noteRelation(context, resource, relation, `${relation.to} is not among the resources read`);
    } else if (outcome?.kind === 'element') {
      readElementRelation(context, resource, outcome, relation, target);
    } else if (outcome?.kind === 'boundary' && relation.kind === 'member-of') {
      addMembership(context, resource, relation, target, outcome.draft.memberOf);
    } else if (outcome?.kind !== 'passThrough' || relation.kind !== 'exposed-by') {
      // A pass-through resource's own exposed-by relations only chain it to what stands in front of it.
      noteRelation(
        context,
        resource,
        relation,
        `${resource.address} is not an element of the model (${describeOutcome(outcome)})`,
      );
    }
  }
}

/** A relation of an element: flow, stores-in, member-of, exposed-by or uses-secret. */
function readElementRelation(
  context: MapContext,
  resource: SourceResource,
  outcome: Extract<Outcome, { kind: 'element' }>,
  relation: Relation,
  target: SourceResource,
): void {
  const targetOutcome = context.outcomes.get(target);
  switch (relation.kind) {
    case 'flow':
    case 'stores-in':
      addFlows(context, resource, outcome.id, relation, target);
      return;
    case 'member-of':
      addMembership(context, resource, relation, target, outcome.draft.memberOf);
      return;
    case 'exposed-by':
      raiseExposure(outcome.draft, target.exposure);
      if (targetOutcome?.kind === 'element') {
        context.flows.push({
          from: target,
          to: resource,
          fromId: targetOutcome.id,
          toId: outcome.id,
          relation,
          holder: resource,
        });
      }
      return;
    case 'uses-secret':
      if (targetOutcome?.kind === 'asset') {
        if (!outcome.draft.stores.includes(targetOutcome.id)) outcome.draft.stores.push(targetOutcome.id);
      } else if (targetOutcome?.kind === 'element') {
        context.flows.push({
          from: resource,
          to: target,
          fromId: outcome.id,
          toId: targetOutcome.id,
          relation,
          holder: resource,
        });
      } else {
        noteRelation(
          context,
          resource,
          relation,
          `${target.address} is neither an asset nor an element (${describeOutcome(targetOutcome)})`,
        );
      }
      return;
  }
}

/** Flow candidates from an element to the target, or to the elements a pass-through target exposes. */
function addFlows(
  context: MapContext,
  resource: SourceResource,
  fromId: string,
  relation: Relation,
  target: SourceResource,
): void {
  const destinations = elementsBehind(context, target, new Set());
  if (destinations.length === 0) {
    const targetOutcome = context.outcomes.get(target);
    const why =
      targetOutcome?.kind === 'passThrough'
        ? `${target.address} stands in front of no element among the inputs`
        : `${target.address} is not an element of the model (${describeOutcome(targetOutcome)})`;
    noteRelation(context, resource, relation, why);
    return;
  }
  for (const destination of destinations) {
    const destinationOutcome = context.outcomes.get(destination);
    if (destinationOutcome?.kind !== 'element') continue;
    if (destinationOutcome.id === fromId) {
      noteRelation(context, resource, relation, 'it leads back to the element itself, and a flow needs two elements');
      continue;
    }
    context.flows.push({
      from: resource,
      to: destination,
      fromId,
      toId: destinationOutcome.id,
      relation,
      holder: resource,
    });
  }
}

/** The elements a resource stands for: itself when an element, the elements it exposes when it passes through. */
function elementsBehind(context: MapContext, target: SourceResource, visited: Set<SourceResource>): SourceResource[] {
  if (visited.has(target)) return [];
  visited.add(target);
  const outcome = context.outcomes.get(target);
  if (outcome?.kind === 'element') return [target];
  if (outcome?.kind !== 'passThrough') return [];
  return (context.exposes.get(target) ?? []).flatMap((exposed) => elementsBehind(context, exposed, visited));
}

/** Records that an element or boundary is said to be in a boundary; notes memberships of anything else. */
function addMembership(
  context: MapContext,
  resource: SourceResource,
  relation: Relation,
  target: SourceResource,
  memberOf: string[],
): void {
  const targetOutcome = context.outcomes.get(target);
  if (targetOutcome?.kind !== 'boundary') {
    noteRelation(
      context,
      resource,
      relation,
      `${target.address} is not a boundary of the model (${describeOutcome(targetOutcome)})`,
    );
    return;
  }
  if (targetOutcome.draft === boundaryDraftOf(context, resource)) {
    noteRelation(context, resource, relation, 'a boundary cannot be inside itself');
    return;
  }
  if (!memberOf.includes(targetOutcome.id)) memberOf.push(targetOutcome.id);
}

/** The boundary draft a resource became, if it became one. */
function boundaryDraftOf(context: MapContext, resource: SourceResource): BoundaryDraft | undefined {
  const outcome = context.outcomes.get(resource);
  return outcome?.kind === 'boundary' ? outcome.draft : undefined;
}

/** Raises an element's exposure to the given one when that is wider. */
function raiseExposure(draft: ElementDraft, exposure: Exposure | undefined): void {
  if (exposure === undefined) return;
  const current = draft.item.exposure;
  if (current === undefined || EXPOSURE_RANK[exposure] > EXPOSURE_RANK[current]) draft.item.exposure = exposure;
}

/** `ignored: ...`, `no mapping rule`, `a pass-through resource`... for reasons. */
function describeOutcome(outcome: Outcome | undefined): string {
  switch (outcome?.kind) {
    case 'element':
      return 'an element';
    case 'boundary':
      return 'a boundary';
    case 'asset':
      return 'an asset';
    case 'passThrough':
      return 'it only stands in front of others';
    case 'ignored':
      return 'ignored by a mapping rule';
    case 'unmatched':
    case undefined:
      return 'no mapping rule matches it';
  }
}

/** Notes a relation that does not land in the model, with its evidence. */
function noteRelation(context: MapContext, resource: SourceResource, relation: Relation, reason: string): void {
  context.unmapped.push({
    at: `${resource.address} -> ${relation.to}`,
    file: resource.file,
    line: relation.line ?? resource.line,
    what: `${relation.kind} relation: ${relation.evidence}`,
    reason,
  });
}

/** Notes a resource that is not in the model (no rule, or ignored), and the reader's notes on any resource. */
function noteResource(context: MapContext, resource: SourceResource): void {
  const outcome = context.outcomes.get(resource);
  if (outcome?.kind === 'passThrough' && elementsBehind(context, resource, new Set()).length === 0) {
    context.unmapped.push({
      at: resource.address,
      file: resource.file,
      line: resource.line,
      what: `${resource.source} ${resource.type} "${resource.name}"`,
      reason: 'it stands in front of others, and of no element among the inputs: it adds nothing to the model',
    });
  }
  if (outcome?.kind === 'unmatched' || outcome?.kind === 'ignored') {
    context.unmapped.push({
      at: resource.address,
      file: resource.file,
      line: resource.line,
      what: `${resource.source} ${resource.type} "${resource.name}"`,
      reason:
        outcome.kind === 'ignored'
          ? outcome.reason
          : `no mapping rule matches type "${resource.type}": add a rule in a mapping file (--mapping) to bring it into the model`,
    });
  }
  for (const note of resource.notes ?? []) {
    context.unmapped.push({
      at: note.at,
      file: resource.file,
      ...(note.line !== undefined && { line: note.line }),
      what: note.what,
      reason: note.reason,
    });
  }
}

/** Sets each boundary's parent: the innermost of the boundaries it is in; breaks cycles, noting them. */
function placeBoundaries(context: MapContext, resources: readonly SourceResource[]): void {
  const drafts = new Map<string, BoundaryDraft>();
  const holders = new Map<string, SourceResource>();
  for (const resource of resources) {
    const outcome = context.outcomes.get(resource);
    if (outcome?.kind !== 'boundary') continue;
    drafts.set(outcome.id, outcome.draft);
    holders.set(outcome.id, resource);
  }
  const parentOf = (id: string): string | undefined => drafts.get(id)?.parent;
  for (const draft of drafts.values()) {
    const only = draft.memberOf[0];
    if (draft.memberOf.length === 1 && only !== undefined) draft.parent = only;
  }
  for (const [id, draft] of drafts) {
    if (draft.memberOf.length < 2) continue;
    const holder = holders.get(id);
    if (holder) draft.parent = chooseInnermost(context, holder, draft.memberOf, parentOf);
  }
  breakCycles(context, drafts, holders);
}

/** Removes the parent link that closes each cycle of boundaries (a inside b inside a), noting it. Linear. */
function breakCycles(
  context: MapContext,
  drafts: Map<string, BoundaryDraft>,
  holders: Map<string, SourceResource>,
): void {
  const state = new Map<string, 'walking' | 'done'>();
  for (const start of drafts.keys()) {
    const path: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && state.get(current) === undefined) {
      state.set(current, 'walking');
      path.push(current);
      current = drafts.get(current)?.parent;
    }
    if (current !== undefined && state.get(current) === 'walking') {
      const last = path[path.length - 1] ?? start;
      const draft = drafts.get(last);
      const holder = holders.get(last);
      if (draft && holder) {
        context.unmapped.push({
          at: holder.address,
          file: holder.file,
          line: holder.line,
          what: `boundary ${last} inside ${draft.parent ?? ''}`,
          reason: 'the boundaries would contain each other in a cycle; this one is left without a parent',
        });
        delete draft.parent;
      }
    }
    for (const id of path) state.set(id, 'done');
  }
}

/** Sets each element's boundary to the innermost boundary it is in. */
function placeElements(context: MapContext, resources: readonly SourceResource[]): void {
  const parents = new Map<string, string | undefined>();
  for (const outcome of context.outcomes.values()) {
    if (outcome.kind === 'boundary') parents.set(outcome.id, outcome.draft.parent);
  }
  const parentOf = (id: string): string | undefined => parents.get(id);
  const placed = new Set<ElementDraft>();
  for (const resource of resources) {
    const outcome = context.outcomes.get(resource);
    if (outcome?.kind !== 'element' || outcome.draft.memberOf.length === 0 || placed.has(outcome.draft)) continue;
    placed.add(outcome.draft);
    outcome.draft.item.boundary = chooseInnermost(context, resource, outcome.draft.memberOf, parentOf);
  }
}

/**
 * The innermost of several boundaries when they nest (each other one is its ancestor); otherwise the first,
 * noting the others: Parapet places an item in one boundary.
 */
function chooseInnermost(
  context: MapContext,
  resource: SourceResource,
  candidates: readonly string[],
  parentOf: (id: string) => string | undefined,
): string {
  const ancestorsOf = (id: string): Set<string> => {
    const ancestors = new Set<string>();
    for (let current = parentOf(id); current !== undefined && !ancestors.has(current); current = parentOf(current)) {
      ancestors.add(current);
    }
    return ancestors;
  };
  for (const candidate of candidates) {
    const ancestors = ancestorsOf(candidate);
    if (candidates.every((other) => other === candidate || ancestors.has(other))) return candidate;
  }
  const chosen = candidates[0] ?? '';
  const ancestors = ancestorsOf(chosen);
  const others = candidates.filter((other) => other !== chosen && !ancestors.has(other));
  context.unmapped.push({
    at: resource.address,
    file: resource.file,
    line: resource.line,
    what: `membership of ${resource.type} "${resource.name}" in ${others.join(', ')}`,
    reason: `Parapet places an item in one boundary and these do not nest with ${chosen}: kept ${chosen} (the first given)`,
  });
  return chosen;
}

/**
 * Flows from the candidates: one per from/to/port, in the order found. Relations without a port join the
 * first flow between the same elements that has one (or make one flow between them when none has a port).
 */
function buildFlows(context: MapContext): FlowInput[] {
  const groups = new Map<string, FlowCandidate[]>();
  for (const candidate of context.flows) {
    const key = `${candidate.fromId}\0${candidate.toId}`;
    const group = groups.get(key);
    if (group) group.push(candidate);
    else groups.set(key, [candidate]);
  }
  const flows: FlowInput[] = [];
  for (const group of groups.values()) {
    const byPort = new Map<number, FlowCandidate[]>();
    const portless: FlowCandidate[] = [];
    for (const candidate of group) {
      const port = candidate.relation.port;
      if (port === undefined) {
        portless.push(candidate);
        continue;
      }
      const list = byPort.get(port);
      if (list) list.push(candidate);
      else byPort.set(port, [candidate]);
    }
    const firstPortless = portless[0];
    if (byPort.size === 0 && firstPortless) flows.push(makeFlow(context, firstPortless, portless, undefined));
    let first = true;
    for (const [port, ported] of byPort) {
      const candidates = first ? [...ported, ...portless] : ported;
      const [head] = candidates;
      if (head) flows.push(makeFlow(context, head, candidates, port));
      first = false;
    }
  }
  return flows;
}

/** One flow from the candidates that agree on it: the first's origin, the first known protocol, all evidence. */
function makeFlow(
  context: MapContext,
  first: FlowCandidate,
  candidates: readonly FlowCandidate[],
  port: number | undefined,
): FlowInput {
  let protocol: FlowProtocol | undefined;
  for (const candidate of candidates) {
    const given = candidate.relation.protocol;
    if (given === undefined) continue;
    if (isMember(PROTOCOLS, given)) {
      protocol ??= given;
    } else {
      noteRelation(
        context,
        candidate.holder,
        candidate.relation,
        `protocol "${given}" is not one of Parapet's; the flow states none from it`,
      );
    }
  }
  const evidence = [...new Set(candidates.map((candidate) => candidate.relation.evidence))].join('; ');
  const ref = `${first.from.address} -> ${first.to.address}${port === undefined ? '' : `:${port}`}`;
  const validPort = port !== undefined && Number.isInteger(port) && port >= 0 && port <= 65_535;
  return {
    id: context.ids.allocate(`${first.fromId}-to-${first.toId}`, 'flow'),
    from: first.fromId,
    to: first.toId,
    ...(protocol !== undefined && { protocol }),
    ...(validPort && { port }),
    description: clip(`Inferred from ${evidence}`, MAX_DESCRIPTION),
    origin: originOf(first.holder, first.relation.line ?? first.holder.line, ref),
  };
}

/** The model: boundaries, elements (with their boundaries, exposure and stored assets), flows and assets. */
function assembleModel(
  context: MapContext,
  resources: readonly SourceResource[],
  flows: readonly FlowInput[],
  options: MapOptions,
): ThreatModelInput {
  const boundaries: BoundaryInput[] = [];
  const elements: ElementInput[] = [];
  const assets: AssetInput[] = [];
  // Resources found to be the same element share one draft: it goes in once.
  const placed = new Set<ElementDraft>();
  for (const resource of resources) {
    const outcome = context.outcomes.get(resource);
    if (outcome?.kind === 'element' && placed.has(outcome.draft)) continue;
    if (outcome?.kind === 'element') placed.add(outcome.draft);
    if (outcome?.kind === 'boundary') {
      const { parent } = outcome.draft;
      boundaries.push({ ...outcome.draft.item, ...(parent !== undefined && { parent }) });
    } else if (outcome?.kind === 'element') {
      const { item, stores } = outcome.draft;
      elements.push({ ...item, ...(stores.length > 0 && { stores }) });
    } else if (outcome?.kind === 'asset') {
      assets.push(outcome.item);
    }
  }
  const files = [...new Set(resources.map((resource) => resource.file))];
  const title = clip(options.title ?? describeFiles(files), 500);
  const modelId = options.modelId ?? (slug(commonName(files)) || 'discovered-model');
  return {
    parapet: 1,
    model: { id: modelId, title },
    ...(boundaries.length > 0 && { boundaries }),
    ...(elements.length > 0 && { elements }),
    ...(flows.length > 0 && { flows: [...flows] }),
    ...(assets.length > 0 && { assets }),
  };
}

/** A name for the files: the one file's name without extension, or the folder all of them are in. */
function commonName(files: readonly string[]): string {
  const paths = files.map((file) => file.split(/[\\/]/));
  const first = paths[0] ?? [];
  if (paths.length === 1) return (first[first.length - 1] ?? '').replace(/\.[^.]*$/, '');
  let shared = 0;
  while (
    shared < first.length - 1 &&
    paths.every((path) => path.length - 1 > shared && path[shared] === first[shared])
  ) {
    shared++;
  }
  return shared > 0 ? (first[shared - 1] ?? '') : '';
}

/** `Discovered from a.yml`, `Discovered from a.yml, b.yaml and 3 more files`. */
function describeFiles(files: readonly string[]): string {
  if (files.length === 0) return 'Discovered model';
  const shown = files.slice(0, 2).join(', ');
  return files.length > 2 ? `Discovered from ${shown} and ${files.length - 2} more files` : `Discovered from ${shown}`;
}
