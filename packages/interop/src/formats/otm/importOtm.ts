import type { ThreatModelInput } from '@parapet/core';
import { slug } from '../../ids.js';
import { ImportError, type ImportResult } from '../../ImportResult.js';
import { readStructured } from '../../source.js';
import { importThreats, readInstances, type ThreatInstance } from './importOtmThreats.js';
import { importViews, readPlacements, type Placement } from './importOtmViews.js';
import { OUTSIDE_ATTRIBUTE } from './otmAttributes.js';
import { NAME_MAX, OTM_FORMAT, OtmContext, TAG_MAX, TEXT_MAX, type OtmItem, type Section } from './otmContext.js';
import {
  boundaryKindOf,
  containerKindOf,
  needNumber,
  needOf,
  readComponentType,
  type BoundaryKind,
  type Need,
} from './otmMapping.js';
import { asFields, describeValue, get, OtmReader, readId, type Fields, type Path } from './otmReader.js';

type Boundary = Section<'boundaries'>;
type Element = Section<'elements'>;
type Flow = Section<'flows'>;
type Asset = Section<'assets'>;
type ModelInfo = ThreatModelInput['model'];

const ROOT_KEYS = [
  'otmVersion',
  'project',
  'representations',
  'assets',
  'components',
  'dataflows',
  'trustZones',
  'threats',
  'mitigations',
];
const PROJECT_KEYS = ['name', 'id', 'description', 'owner', 'ownerContact', 'tags', 'attributes'];
const ZONE_KEYS = ['id', 'name', 'type', 'description', 'risk', 'parent', 'representations', 'attributes'];
const COMPONENT_KEYS = [
  'id',
  'name',
  'type',
  'description',
  'parent',
  'representations',
  'assets',
  'threats',
  'tags',
  'attributes',
];
const FLOW_KEYS = [
  'id',
  'name',
  'description',
  'bidirectional',
  'source',
  'destination',
  'assets',
  'threats',
  'tags',
  'attributes',
  'representations',
];
const ASSET_KEYS = ['id', 'name', 'description', 'risk', 'attributes'];
const NEED_KEYS = ['confidentiality', 'integrity', 'availability'] as const;
const OWNER_MAX = 200;
const EMAIL_MAX = 320;

/**
 * Imports an Open Threat Model document (OTM 0.2.0, IriusRisk's format), JSON or YAML (told apart by the
 * content): trust zones become boundaries, components elements (or boundaries, for containers holding other
 * components), dataflows flows, assets assets, threat instances manual threats with decisions, mitigations
 * mitigations, diagram representations views. Everything that does not fit is listed in `unmapped`.
 * Throws ImportError, and nothing else, when the text is not an OTM document.
 */
export function importOtm(text: string, file: string): ImportResult {
  const source = readStructured(text, file, /^\s*[{[]/.test(text) ? 'json' : 'yaml');
  const context = new OtmContext(new OtmReader(source));
  const model = readDocument(context);
  return { format: OTM_FORMAT, model, unmapped: context.reader.unmapped };
}

/** The whole document as a model: checks it is OTM, then reads every section. */
function readDocument(context: OtmContext): ThreatModelInput {
  const { reader, file } = context;
  const root = asFields(reader.source.data);
  if (root === undefined) {
    throw new ImportError('not an Open Threat Model document: expected a mapping with otmVersion and project', file, 1);
  }
  const version = get(root, 'otmVersion');
  if (typeof version !== 'string' && typeof version !== 'number') {
    throw new ImportError('not an Open Threat Model document: otmVersion is missing', file, reader.line([]));
  }
  const project = asFields(get(root, 'project'));
  if (project === undefined) {
    throw new ImportError(
      'not an Open Threat Model document: project is missing or not a mapping',
      file,
      reader.line(['project']),
    );
  }
  if (String(version) !== '0.2.0')
    reader.note(['otmVersion'], `OTM version ${describeValue(version)}`, 'read as OTM 0.2.0');
  reader.unknownKeys(root, ROOT_KEYS, [], 'document');
  const items = (key: string, what: string): OtmItem[] =>
    context.items(section(context, root, key), key, what, key === 'dataflows');
  const zones = items('trustZones', 'trust zone');
  const components = items('components', 'component');
  const dataflows = items('dataflows', 'dataflow');
  const assets = items('assets', 'asset');
  const threatItems = items('threats', 'threat');
  const mitigationItems = items('mitigations', 'mitigation');
  const representations = items('representations', 'representation');

  const structure = readStructure(context, zones, components, dataflows, assets);
  const { threats, mitigations, decisions } = importThreats(context, structure.instances, threatItems, mitigationItems);
  const itemCount = structure.boundaries.length + structure.elements.length;
  const views = importViews(context, representations, structure.placements, itemCount);
  return {
    parapet: 1,
    model: readModelInfo(context, project),
    ...(structure.boundaries.length > 0 ? { boundaries: structure.boundaries } : {}),
    ...(structure.elements.length > 0 ? { elements: structure.elements } : {}),
    ...(structure.flows.length > 0 ? { flows: structure.flows } : {}),
    ...(structure.assets.length > 0 ? { assets: structure.assets } : {}),
    ...(mitigations.length > 0 ? { mitigations } : {}),
    ...(threats.length > 0 ? { threats } : {}),
    ...(decisions.length > 0 ? { decisions } : {}),
    ...(views.length > 0 ? { views } : {}),
  };
}

/** A top-level list; missing or null is empty, anything else than a list makes the document unreadable. */
function section(context: OtmContext, root: Fields, key: string): readonly unknown[] {
  const value = get(root, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new ImportError(
      `${key} must be a list, not ${describeValue(value)}`,
      context.file,
      context.reader.line([key]),
    );
  }
  return value;
}

/** The project as the model's id, title, description and owner. */
function readModelInfo(context: OtmContext, project: Fields): ModelInfo {
  const { reader } = context;
  const path: Path = ['project'];
  reader.unknownKeys(project, PROJECT_KEYS, path, 'project');
  const ref = readId(get(project, 'id'));
  let title = reader.text(project, 'name', path, NAME_MAX);
  if (title === undefined) {
    title = ref?.slice(0, NAME_MAX) ?? 'Open Threat Model import';
    reader.note(path, 'project without a name', `the model is titled "${title.slice(0, 80)}"`);
  }
  const id = slug(ref ?? '') || slug(title) || 'otm-model';
  if (ref !== id) {
    reader.note(
      [...path, 'id'],
      `project id ${describeValue(ref ?? '(none)')}`,
      `the model id is "${id}" (lower-case letters, digits and -)`,
    );
  }
  const description = reader.text(project, 'description', path, TEXT_MAX);
  const owner = reader.text(project, 'owner', path, OWNER_MAX);
  const contact = reader.text(project, 'ownerContact', path, EMAIL_MAX);
  if (owner === undefined && contact !== undefined) {
    reader.note(
      [...path, 'ownerContact'],
      'owner contact without an owner name',
      'the contact is used as the name too',
    );
  }
  const ownerName = owner ?? contact?.slice(0, OWNER_MAX);
  const tags = reader.texts(project, 'tags', path, TAG_MAX);
  if (tags.length > 0)
    reader.note(
      [...path, 'tags'],
      `project tags ${tags.join(', ').slice(0, 200)}`,
      'Parapet models have no tags; left out',
    );
  return {
    id,
    title,
    ...(description === undefined ? {} : { description }),
    ...(ownerName === undefined
      ? {}
      : { owners: [{ name: ownerName, ...(contact === undefined ? {} : { email: contact }) }] }),
    ...context.attributes('model', { fields: project, path }, 'project'),
  };
}

/** A parent reference: a trust zone or a component, by OTM id. */
interface ParentRef {
  readonly zone?: string;
  readonly component?: string;
}

/** A component with its Parapet id, its parent, and the boundary kind it becomes when it is a container. */
interface ComponentEntry {
  readonly item: OtmItem;
  readonly id: string;
  readonly parent: ParentRef;
  readonly boundaryKind?: BoundaryKind;
}

/** What the zones, components, dataflows and assets become, with the threat instances and placements in them. */
interface Structure {
  readonly boundaries: Boundary[];
  readonly elements: Element[];
  readonly flows: Flow[];
  readonly assets: Asset[];
  readonly instances: ThreatInstance[];
  readonly placements: Placement[];
}

/** Whether a trust zone is the one the exporter writes for elements outside every boundary. */
function isOutsideZone(item: OtmItem): boolean {
  const attributes = asFields(get(item.fields, 'attributes'));
  return attributes !== undefined && get(attributes, OUTSIDE_ATTRIBUTE) === 'true';
}

/** Trust zones, components, dataflows and assets: ids first (in that order), then the items. */
function readStructure(
  context: OtmContext,
  zoneItems: readonly OtmItem[],
  componentItems: readonly OtmItem[],
  flowItems: readonly OtmItem[],
  assetItems: readonly OtmItem[],
): Structure {
  const outside = new Set<string>();
  for (const item of zoneItems.filter(isOutsideZone)) {
    outside.add(item.ref);
    context.reader.note(
      item.path,
      `trust zone "${item.name.slice(0, 80)}" marked ${OUTSIDE_ATTRIBUTE}`,
      'the zone Parapet writes for elements outside every boundary: its components are placed outside every boundary',
    );
  }
  const zones = zoneItems
    .filter((item) => !isOutsideZone(item))
    .map((item) => ({ item, id: context.idFor(item, 'zone') }));
  const zoneIds = firstByRef(
    zones,
    (zone) => zone.item,
    (zone) => zone.id,
  );
  const components = readComponents(context, componentItems, flowItems);
  const componentIndex = firstByRef(
    components,
    (entry) => entry.item,
    (_, index) => index,
  );
  const flowIds = flowItems.map((item) => context.idFor(item, 'flow'));
  const assetList = assetItems.map((item) => ({ item, id: context.idFor(item, 'asset') }));
  const assetIds = firstByRef(
    assetList,
    (asset) => asset.item,
    (asset) => asset.id,
  );

  const resolveZone = (ref: string, path: Path, what: string): string | undefined => {
    if (outside.has(ref)) return undefined;
    const id = zoneIds.get(ref);
    if (id === undefined)
      context.reader.note(
        path,
        `${what} trust zone ${describeValue(ref)}`,
        'no trust zone has this id; left outside every boundary',
      );
    return id;
  };
  const places = placeComponents(context, components, componentIndex, resolveZone);
  const structure: Structure = { boundaries: [], elements: [], flows: [], assets: [], instances: [], placements: [] };
  const boundaryPaths: Path[] = [];
  for (const { item, id } of zones) {
    const parent = zoneParent(context, item, components, componentIndex, places, resolveZone);
    structure.boundaries.push(makeZoneBoundary(context, item, id, parent));
    boundaryPaths.push([...item.path, 'parent']);
    structure.placements.push(...readPlacements(context, item, id));
  }
  components.forEach((entry, index) => {
    const place = places[index];
    if (entry.boundaryKind === undefined) structure.elements.push(makeElement(context, entry, place, assetIds));
    else {
      structure.boundaries.push(makeComponentBoundary(context, entry, entry.boundaryKind, place));
      boundaryPaths.push([...entry.item.path, 'parent']);
    }
    structure.instances.push(...readInstances(context, entry.item, entry.id));
    structure.placements.push(...readPlacements(context, entry.item, entry.id));
  });
  breakBoundaryCycles(context, structure.boundaries, boundaryPaths);
  flowItems.forEach((item, index) => {
    const flow = makeFlow(context, item, flowIds[index] ?? item.ref, components, componentIndex, assetIds);
    if (flow === undefined) return;
    structure.flows.push(flow);
    structure.instances.push(...readInstances(context, item, flow.id));
  });
  for (const { item, id } of assetList) structure.assets.push(makeAsset(context, item, id));
  return structure;
}

/** A map from OTM id to something of the first item with that id (later duplicates are ignored). */
function firstByRef<T, V>(
  list: readonly T[],
  itemOf: (entry: T) => OtmItem,
  valueOf: (entry: T, index: number) => V,
): Map<string, V> {
  const map = new Map<string, V>();
  list.forEach((entry, index) => {
    const { ref } = itemOf(entry);
    if (!map.has(ref)) map.set(ref, valueOf(entry, index));
  });
  return map;
}

/**
 * The components with their ids and parents. A component becomes a boundary when its type names a container
 * (cluster, pod, VM, VPC...), other components sit in it, and no dataflow starts or ends at it (Parapet flows
 * join elements, never boundaries); any other component is an element.
 */
function readComponents(
  context: OtmContext,
  items: readonly OtmItem[],
  flowItems: readonly OtmItem[],
): ComponentEntry[] {
  const parents = items.map((item) => readParent(context, item));
  const children = new Map<string, number>();
  for (const parent of parents) {
    if (parent.component !== undefined) children.set(parent.component, (children.get(parent.component) ?? 0) + 1);
  }
  const endpoints = new Set<string>();
  for (const flow of flowItems) {
    for (const key of ['source', 'destination']) {
      const ref = readId(get(flow.fields, key));
      if (ref !== undefined) endpoints.add(ref);
    }
  }
  return items.map((item, index) => {
    const type = get(item.fields, 'type');
    const holds = !item.duplicate && (children.get(item.ref) ?? 0) > 0 && !endpoints.has(item.ref);
    const boundaryKind = holds && typeof type === 'string' ? containerKindOf(type) : undefined;
    return {
      item,
      id: context.idFor(item, 'component'),
      parent: parents[index] ?? {},
      ...(boundaryKind === undefined ? {} : { boundaryKind }),
    };
  });
}

/** The parent of a trust zone or component (also the `{id, type}` form of the OTM 0.1.0 README). */
function readParent(context: OtmContext, item: OtmItem): ParentRef {
  const { reader } = context;
  const parent = reader.mapping(item.fields, 'parent', item.path);
  if (parent === undefined) return {};
  const path = [...item.path, 'parent'];
  reader.unknownKeys(parent, ['trustZone', 'component', 'id', 'type'], path, 'parent');
  let zone = readId(get(parent, 'trustZone'));
  let component = readId(get(parent, 'component'));
  const legacyId = readId(get(parent, 'id'));
  const legacyType = get(parent, 'type');
  if (zone === undefined && component === undefined && legacyId !== undefined) {
    if (legacyType === 'trustZone') zone = legacyId;
    else if (legacyType === 'component') component = legacyId;
  }
  if (zone !== undefined && component !== undefined) {
    reader.note(
      path,
      'parent naming both a trust zone and a component',
      'a parent is one or the other; the trust zone is used',
    );
    return { zone };
  }
  if (zone === undefined && component === undefined) {
    reader.note(path, `parent ${describeValue(parent)} naming no trust zone or component`, 'left without a parent');
    return {};
  }
  return zone === undefined ? { component: component ?? '' } : { zone };
}

/**
 * The boundary holding each component: its trust zone, the component-made boundary it sits in, or (inside a
 * component that stays an element) that element's own boundary, the nesting noted. Walks each chain of
 * parents once, iteratively; a cycle of components leaves the components of the cycle outside every boundary.
 */
function placeComponents(
  context: OtmContext,
  components: readonly ComponentEntry[],
  componentIndex: ReadonlyMap<string, number>,
  resolveZone: (ref: string, path: Path, what: string) => string | undefined,
): (string | undefined)[] {
  const { reader } = context;
  const places: (string | undefined)[] = new Array<string | undefined>(components.length).fill(undefined);
  const done: boolean[] = new Array<boolean>(components.length).fill(false);
  components.forEach((_, start) => {
    const chain: number[] = [];
    const inChain = new Set<number>();
    let place: string | undefined;
    for (let index: number | undefined = start; index !== undefined;) {
      const entry = components[index];
      if (entry === undefined || done[index] === true) {
        place = places[index];
        break;
      }
      const path = [...entry.item.path, 'parent'];
      if (inChain.has(index)) {
        reader.note(
          path,
          `component "${entry.item.name.slice(0, 80)}" in a cycle of parents`,
          'the components of the cycle are left outside every boundary',
        );
        place = undefined;
        break;
      }
      chain.push(index);
      inChain.add(index);
      const { zone, component } = entry.parent;
      if (zone !== undefined) {
        place = resolveZone(zone, path, 'parent');
        break;
      }
      if (component === undefined) {
        reader.note(
          entry.item.path,
          `component "${entry.item.name.slice(0, 80)}" without a parent`,
          'left outside every boundary (trust 0)',
        );
        break;
      }
      const parentIndex = componentIndex.get(component);
      const parent = parentIndex === undefined ? undefined : components[parentIndex];
      if (parentIndex === undefined || parent === undefined) {
        reader.note(
          path,
          `parent component ${describeValue(component)}`,
          'no component has this id; left outside every boundary',
        );
        break;
      }
      if (parent.boundaryKind !== undefined) {
        place = parent.id;
        break;
      }
      reader.note(
        path,
        `component "${entry.item.name.slice(0, 80)}" inside component "${parent.item.name.slice(0, 80)}"`,
        `Parapet elements do not nest: placed in the boundary that holds ${parent.id}`,
      );
      index = parentIndex;
    }
    for (const index of chain) {
      places[index] = place;
      done[index] = true;
    }
  });
  return places;
}

/** The parent boundary of a trust zone: a zone, a component-made boundary, or the boundary of an element component. */
function zoneParent(
  context: OtmContext,
  item: OtmItem,
  components: readonly ComponentEntry[],
  componentIndex: ReadonlyMap<string, number>,
  places: readonly (string | undefined)[],
  resolveZone: (ref: string, path: Path, what: string) => string | undefined,
): string | undefined {
  const parent = readParent(context, item);
  const path = [...item.path, 'parent'];
  if (parent.zone !== undefined) return resolveZone(parent.zone, path, 'parent');
  if (parent.component === undefined) return undefined;
  const index = componentIndex.get(parent.component);
  const entry = index === undefined ? undefined : components[index];
  if (index === undefined || entry === undefined) {
    context.reader.note(
      path,
      `parent component ${describeValue(parent.component)}`,
      'no component has this id; the zone is left without a parent',
    );
    return undefined;
  }
  if (entry.boundaryKind !== undefined) return entry.id;
  context.reader.note(
    path,
    `trust zone "${item.name.slice(0, 80)}" inside component "${entry.item.name.slice(0, 80)}"`,
    `a boundary cannot sit in an element: placed in the boundary that holds ${entry.id}`,
  );
  return places[index];
}

/** The trust rating of a zone as a trust level (a whole number from 0 to 100). */
function readTrust(context: OtmContext, item: OtmItem): number | undefined {
  const { reader } = context;
  const risk = reader.mapping(item.fields, 'risk', item.path);
  const rating = risk === undefined ? undefined : reader.number(risk, 'trustRating', [...item.path, 'risk']);
  if (risk !== undefined) reader.unknownKeys(risk, ['trustRating'], [...item.path, 'risk'], 'trust zone risk');
  if (rating === undefined) {
    reader.note(
      item.path,
      `trust zone "${item.name.slice(0, 80)}" without a trust rating`,
      "the boundary takes its parent's trust level, or its kind's default",
    );
    return undefined;
  }
  const level = Math.min(100, Math.max(0, Math.round(rating)));
  if (level !== rating) {
    reader.note(
      [...item.path, 'risk', 'trustRating'],
      `trust rating ${rating}`,
      `read as trust level ${level} (a whole number from 0 to 100)`,
    );
  }
  return level;
}

/** A boundary made from a trust zone. */
function makeZoneBoundary(context: OtmContext, item: OtmItem, id: string, parent: string | undefined): Boundary {
  const { reader } = context;
  reader.unknownKeys(item.fields, ZONE_KEYS, item.path, 'trust zone');
  const type = reader.text(item.fields, 'type', item.path, NAME_MAX);
  const kind = boundaryKindOf(type ?? item.name);
  if (!kind.exact) {
    const what =
      type === undefined
        ? `trust zone "${item.name.slice(0, 80)}" without a type`
        : `trust zone type ${describeValue(type)}`;
    reader.note([...item.path, type === undefined ? 'name' : 'type'], what, `read as boundary kind ${kind.value}`);
  }
  const description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  const trustLevel = readTrust(context, item);
  return {
    id,
    name: item.name,
    ...(description === undefined ? {} : { description }),
    kind: kind.value,
    ...(trustLevel === undefined ? {} : { trustLevel }),
    ...(parent === undefined ? {} : { parent }),
    origin: context.origin(item.ref),
    ...context.attributes('boundary', item, 'trust zone'),
  };
}

/** A boundary made from a component that holds other components (it takes its parent's trust level). */
function makeComponentBoundary(
  context: OtmContext,
  entry: ComponentEntry,
  kind: BoundaryKind,
  parent: string | undefined,
): Boundary {
  const { reader } = context;
  const { item } = entry;
  reader.unknownKeys(item.fields, COMPONENT_KEYS, item.path, 'component');
  const type = reader.text(item.fields, 'type', item.path, NAME_MAX) ?? '';
  reader.note(
    [...item.path, 'type'],
    `component "${item.name.slice(0, 80)}" of type ${describeValue(type)} holding other components`,
    `its type names a container: made a boundary of kind ${kind}, since Parapet elements cannot hold elements`,
  );
  const assets = get(item.fields, 'assets');
  if (assets !== undefined && assets !== null) {
    reader.note(
      [...item.path, 'assets'],
      `assets of component "${item.name.slice(0, 80)}" ${describeValue(assets)}`,
      'the component became a boundary, which cannot store assets; left out',
    );
  }
  const description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  const tags = reader.texts(item.fields, 'tags', item.path, TAG_MAX);
  return {
    id: entry.id,
    name: item.name,
    ...(description === undefined ? {} : { description }),
    kind,
    ...(parent === undefined ? {} : { parent }),
    ...(tags.length > 0 ? { tags } : {}),
    origin: context.origin(item.ref),
    ...context.attributes('boundary', item, 'component'),
  };
}

/** Removes the parent link that closes each cycle of boundaries (Parapet refuses cycles), noting it at `paths`. */
function breakBoundaryCycles(context: OtmContext, boundaries: Boundary[], paths: readonly Path[]): void {
  const index = new Map(boundaries.map((boundary, position) => [boundary.id, position]));
  const state = new Uint8Array(boundaries.length);
  boundaries.forEach((_, start) => {
    const chain: number[] = [];
    let current: number | undefined = start;
    while (current !== undefined && state[current] === 0) {
      state[current] = 1;
      chain.push(current);
      const parent: string | undefined = boundaries[current]?.parent;
      current = parent === undefined ? undefined : index.get(parent);
    }
    const lastIndex = chain[chain.length - 1] ?? -1;
    const last = boundaries[lastIndex];
    if (current !== undefined && state[current] === 1 && last !== undefined) {
      context.reader.note(
        paths[lastIndex] ?? [],
        `boundary "${last.name.slice(0, 80)}" inside ${last.parent ?? ''}, in a cycle of parents`,
        'its parent link is left out so that the boundaries nest',
      );
      delete last.parent;
    }
    for (const position of chain) state[position] = 2;
  });
}

/** Asset references (stored assets, assets a dataflow carries) as Parapet ids; unknown ones are noted. */
function assetRefs(
  context: OtmContext,
  fields: Fields,
  key: string,
  path: Path,
  assetIds: ReadonlyMap<string, string>,
): string[] {
  const ids = new Set<string>();
  context.reader.list(fields, key, path).forEach((value, index) => {
    if (value === null) return;
    const ref = readId(value);
    const id = ref === undefined ? undefined : assetIds.get(ref);
    if (id === undefined)
      context.reader.note(
        [...path, key, index],
        `asset reference ${describeValue(value)}`,
        'no asset has this id; left out',
      );
    else ids.add(id);
  });
  return [...ids];
}

/** An element made from a component: kind and technology type from its type and tags. */
function makeElement(
  context: OtmContext,
  entry: ComponentEntry,
  boundary: string | undefined,
  assetIds: ReadonlyMap<string, string>,
): Element {
  const { reader } = context;
  const { item } = entry;
  reader.unknownKeys(item.fields, COMPONENT_KEYS, item.path, 'component');
  const type = reader.text(item.fields, 'type', item.path, NAME_MAX);
  const tags = reader.texts(item.fields, 'tags', item.path, TAG_MAX);
  const reading = readComponentType(type ?? '', tags);
  if (!reading.exact) {
    const made =
      reading.type === undefined
        ? `a ${reading.kind} without a technology type`
        : `technology type ${reading.type} (${reading.kind})`;
    const what =
      type === undefined
        ? `component "${item.name.slice(0, 80)}" without a type`
        : `component type ${describeValue(type)}`;
    const reason =
      reading.from === 'nothing'
        ? `matches no Parapet technology type: made ${made}`
        : `read as ${made}, from the ${reading.from}`;
    reader.note([...item.path, type === undefined ? 'name' : 'type'], what, reason);
  }
  const description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  let stores: string[] = [];
  const assets = reader.mapping(item.fields, 'assets', item.path);
  if (assets !== undefined) {
    const path = [...item.path, 'assets'];
    reader.unknownKeys(assets, ['processed', 'stored'], path, 'component assets');
    stores = assetRefs(context, assets, 'stored', path, assetIds);
    const processed = reader.list(assets, 'processed', path).filter((value) => value !== null);
    if (processed.length > 0) {
      reader.note(
        [...path, 'processed'],
        `processed assets ${processed
          .map((value) => describeValue(value))
          .join(', ')
          .slice(0, 200)}`,
        'Parapet derives where assets are processed from the flows that carry them; left out',
      );
    }
  }
  return {
    id: entry.id,
    name: item.name,
    ...(description === undefined ? {} : { description }),
    kind: reading.kind,
    ...(reading.type === undefined ? {} : { type: reading.type }),
    ...(boundary === undefined ? {} : { boundary }),
    ...(stores.length > 0 ? { stores } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    origin: context.origin(item.ref),
    ...context.attributes('element', item, 'component'),
  };
}

/** A flow made from a dataflow; undefined (noted) when its ends are not two different element components. */
function makeFlow(
  context: OtmContext,
  item: OtmItem,
  id: string,
  components: readonly ComponentEntry[],
  componentIndex: ReadonlyMap<string, number>,
  assetIds: ReadonlyMap<string, string>,
): Flow | undefined {
  const { reader } = context;
  reader.unknownKeys(item.fields, FLOW_KEYS, item.path, 'dataflow');
  const end = (key: string): string | undefined => {
    const ref = readId(get(item.fields, key));
    const entry = ref === undefined ? undefined : components[componentIndex.get(ref) ?? -1];
    if (entry === undefined || entry.boundaryKind !== undefined) {
      reader.note(
        [...item.path, key],
        `dataflow ${key} ${describeValue(get(item.fields, key) ?? '(none)')}`,
        'no component (that is an element) has this id',
      );
      return undefined;
    }
    return entry.id;
  };
  const from = end('source');
  const to = end('destination');
  const what = `dataflow "${(item.name || item.ref).slice(0, 80)}"`;
  if (from === undefined || to === undefined) {
    reader.note(item.path, what, 'a flow needs two elements at its ends; left out with its threats');
    return undefined;
  }
  if (from === to) {
    reader.note(
      item.path,
      what,
      'it starts and ends at the same component, which Parapet refuses; left out with its threats',
    );
    return undefined;
  }
  const description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  const bidirectional = get(item.fields, 'bidirectional');
  if (bidirectional !== undefined && bidirectional !== null && typeof bidirectional !== 'boolean') {
    reader.note(
      [...item.path, 'bidirectional'],
      `bidirectional ${describeValue(bidirectional)}`,
      'expected true or false; left out',
    );
  }
  const data = assetRefs(context, item.fields, 'assets', item.path, assetIds);
  const tags = reader.texts(item.fields, 'tags', item.path, TAG_MAX);
  const representations = reader.list(item.fields, 'representations', item.path);
  if (representations.length > 0) {
    reader.note(
      [...item.path, 'representations'],
      `representations of ${what}`,
      'Parapet views place elements and boundaries; a flow is drawn between its ends',
    );
  }
  return {
    id,
    from,
    to,
    ...(item.name === '' ? {} : { name: item.name }),
    ...(description === undefined ? {} : { description }),
    ...(data.length > 0 ? { data } : {}),
    ...(bidirectional === true ? { bidirectional: true } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    origin: context.origin(item.ref),
    ...context.attributes('flow', item, 'dataflow'),
  };
}

/** An asset, with needs from its 0-100 confidentiality, integrity and availability. */
function makeAsset(context: OtmContext, item: OtmItem, id: string): Asset {
  const { reader } = context;
  reader.unknownKeys(item.fields, ASSET_KEYS, item.path, 'asset');
  let description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  const risk = reader.mapping(item.fields, 'risk', item.path);
  const needs: Partial<Record<(typeof NEED_KEYS)[number], Need>> = {};
  if (risk === undefined) reader.note(item.path, `asset "${item.name.slice(0, 80)}" without a risk`, 'no needs stated');
  else {
    const path = [...item.path, 'risk'];
    reader.unknownKeys(risk, [...NEED_KEYS, 'comment'], path, 'asset risk');
    for (const key of NEED_KEYS) {
      const value = reader.number(risk, key, path);
      if (value === undefined) continue;
      needs[key] = needOf(value);
      if (value !== needNumber(needs[key])) {
        reader.note(
          [...path, key],
          `asset ${key} ${value}`,
          `read as ${needs[key]} (0-100 in four needs: low 25, medium 50, high 75, critical 100, nearest)`,
        );
      }
    }
    const comment = reader.text(risk, 'comment', path, TEXT_MAX);
    if (comment !== undefined) {
      description = OtmContext.appendText(description, `Risk: ${comment}`);
      reader.note(
        [...path, 'comment'],
        'asset risk comment',
        'Parapet assets have no field for it; appended to the description',
      );
    }
  }
  return {
    id,
    name: item.name,
    ...(description === undefined ? {} : { description }),
    ...(Object.keys(needs).length > 0 ? { needs } : {}),
    origin: context.origin(item.ref),
    ...context.attributes('asset', item, 'asset'),
  };
}
