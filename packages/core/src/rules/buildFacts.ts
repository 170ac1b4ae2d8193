import type { ElementZone, FlowCrossing, ModelEnrichment } from '../enrich/enrichModel.js';
import type { ModelIndex } from '../enrich/ModelIndex.js';
import type { Asset } from '../schema/Asset.js';
import { NEEDS } from '../schema/common.js';
import type { Element } from '../schema/Element.js';
import type { Flow } from '../schema/Flow.js';
import type { ThreatModel } from '../schema/ThreatModel.js';
import { FACT_TYPES, type FactTypeName } from './factTypes.js';

/** A fact object: a plain record whose class tells the expression engine its type. */
export type Facts = Record<string, unknown>;
type FactClass = new () => Facts;

/** One class per fact type, so that the expression engine reads instances without converting them. */
export const FACT_CLASSES: Readonly<Record<FactTypeName, FactClass>> = Object.fromEntries(
  Object.keys(FACT_TYPES).map((name) => [name, { [name]: class {} }[name] as unknown as FactClass]),
) as Record<FactTypeName, FactClass>;

/** Prototypes of the fact classes: fact objects are literals with one of these as `__proto__` (fast to build). */
const PROTOTYPES = Object.fromEntries(
  Object.entries(FACT_CLASSES).map(([name, cls]) => [name, cls.prototype as object]),
) as Readonly<Record<FactTypeName, object>>;

/**
 * Element, zone, crossing and data fact objects carry a number under this key (not a declared fact: rules
 * cannot read it), counted from 0 per kind within one model's facts, so that answers about shared facts can be
 * kept by position. Element facts also carry `$bucket`: the number of their (kind, type) pair.
 */
export const FACT_NUMBER = '$n';

/** How many objects of each numbered kind one model's facts hold. */
export interface FactCounts {
  /** Distinct combinations of a flow's own stated facts (FLOW_SIGNATURE_FIELDS), numbered in `$sig`. */
  readonly signatures: number;
  readonly elements: number;
  readonly zones: number;
  readonly crossings: number;
  readonly data: number;
  readonly buckets: number;
}

/** The facts of a flow that make up its signature: flows alike in these share answers to clauses reading only them. */
export const FLOW_SIGNATURE_FIELDS: readonly string[] = [
  'protocol',
  'port',
  'authentication',
  'authorization',
  'encryption',
  'bidirectional',
  'controls',
  'tags',
];

/** The facts of every item of a model that rules may look at, positioned as in the model. */
export interface ModelFacts {
  readonly counts: FactCounts;
  readonly elements: readonly Facts[];
  readonly flows: readonly Facts[];
  readonly assets: readonly Facts[];
  readonly actors: readonly Facts[];
  readonly boundaries: readonly Facts[];
}

const needLevel = (need: string | undefined): number => (need === undefined ? 0 : NEEDS.indexOf(need as never) + 1);

const isPersonal = (asset: Asset): boolean => asset.personal === true || asset.kind === 'personal-data';

/** What the data rules care about in one asset, worked out once per asset. */
interface AssetTraits {
  readonly kind: string;
  readonly regulations: readonly string[];
  readonly personal: boolean;
  readonly credentials: boolean;
  readonly sensitive: boolean;
  readonly confidentiality: number;
  readonly integrity: number;
  readonly availability: number;
}

function traitsOf(asset: Asset): AssetTraits {
  const confidentiality = needLevel(asset.needs?.confidentiality);
  const personal = isPersonal(asset);
  const credentials = asset.kind === 'credential' || asset.kind === 'key';
  return {
    kind: asset.kind,
    regulations: asset.regulations ?? [],
    personal,
    credentials,
    sensitive:
      personal ||
      credentials ||
      asset.classification === 'confidential' ||
      asset.classification === 'restricted' ||
      confidentiality >= 3,
    confidentiality,
    integrity: needLevel(asset.needs?.integrity),
    availability: needLevel(asset.needs?.availability),
  };
}

/** The assets an element stores or processes, each once, without copying when one list is empty. */
function heldAssets(stores: readonly string[], processes: readonly string[]): readonly string[] {
  if (processes.length === 0) return stores;
  if (stores.length === 0) return processes;
  const all = [...stores];
  for (const id of processes) if (!all.includes(id)) all.push(id);
  return all;
}

/** An empty list shared by every fact that has none (facts are never changed once built). */
const NONE: readonly string[] = [];

/**
 * Adds a value to a sorted list of distinct strings, keeping it sorted (the lists are short: sorting each one
 * at the end cost more than the inserts). Returns the list, made on the first value (NONE stands for empty).
 */
function insertSorted(list: readonly string[], value: string): readonly string[] {
  if (list === NONE) return [value];
  const items = list as string[];
  let at = items.length;
  while (at > 0 && (items[at - 1] as string) > value) at--;
  if (at > 0 && items[at - 1] === value) return items;
  items.push(value);
  for (let k = items.length - 1; k > at; k--) items[k] = items[k - 1] as string;
  items[at] = value;
  return items;
}

function dataFacts(assetIds: readonly string[], traits: ReadonlyMap<string, AssetTraits>, n: number): Facts {
  let personal = false;
  let credentials = false;
  let sensitive = false;
  let confidentiality = 0;
  let integrity = 0;
  let availability = 0;
  let kinds = NONE;
  let regulations = NONE;
  for (const id of assetIds) {
    const t = traits.get(id);
    if (!t) continue;
    kinds = insertSorted(kinds, t.kind);
    for (const r of t.regulations) regulations = insertSorted(regulations, r);
    personal ||= t.personal;
    credentials ||= t.credentials;
    sensitive ||= t.sensitive;
    if (t.confidentiality > confidentiality) confidentiality = t.confidentiality;
    if (t.integrity > integrity) integrity = t.integrity;
    if (t.availability > availability) availability = t.availability;
  }
  return {
    __proto__: PROTOTYPES.Data,
    $n: n,
    assets: assetIds,
    any: assetIds.length > 0,
    personal,
    credentials,
    kinds,
    regulations,
    confidentiality,
    integrity,
    availability,
    sensitive,
  };
}

/** A FlowSet fact object while it is being filled: its lists are sorted when every flow has been seen. */
interface FlowSetBuilder {
  count: number;
  protocols: readonly string[];
  peerKinds: readonly string[];
  peerTypes: readonly string[];
  unauthenticated: boolean;
  authenticationUnstated: boolean;
  unencrypted: boolean;
  crossing: boolean;
  fromLessTrusted: boolean;
  personal: boolean;
}

const newFlowSet = (): FlowSetBuilder =>
  ({
    __proto__: PROTOTYPES.FlowSet,
    count: 0,
    protocols: NONE,
    peerKinds: NONE,
    peerTypes: NONE,
    unauthenticated: false,
    authenticationUnstated: false,
    unencrypted: false,
    crossing: false,
    fromLessTrusted: false,
    personal: false,
  }) as FlowSetBuilder;

const flowSetFacts = (set: FlowSetBuilder): Facts => set as unknown as Facts;

const hasControl = (item: { controls?: readonly string[] | undefined }, control: string): boolean =>
  item.controls?.includes(control) ?? false;

/** Gives each value of a field a small number, in the order values are first seen. */
class ValueNumbers {
  readonly #numbers = new Map<unknown, number>();

  of(value: unknown): number {
    let n = this.#numbers.get(value);
    if (n === undefined) this.#numbers.set(value, (n = this.#numbers.size));
    return n;
  }
}

/** Values per field that a numeric signature key has room for (the port gets more). */
const FIELD_RADIX = 64;
const PORT_RADIX = 4096;

/**
 * Numbers flows by their signature (FLOW_SIGNATURE_FIELDS): flows alike in those facts get the same number.
 * The usual flow (no controls or tags on the flow, few distinct values per field) is keyed by a number
 * made of its fields' value numbers; the others by a text key.
 */
class FlowSignatures {
  readonly #protocol = new ValueNumbers();
  readonly #port = new ValueNumbers();
  readonly #authentication = new ValueNumbers();
  readonly #authorization = new ValueNumbers();
  readonly #encryption = new ValueNumbers();
  readonly #bidirectional = new ValueNumbers();
  readonly #byNumber = new Map<number, number>();
  readonly #byText = new Map<string, number>();
  size = 0;

  of(flow: Flow): number {
    if (flow.controls === undefined && flow.tags === undefined) {
      const p = this.#protocol.of(flow.protocol);
      const n = this.#port.of(flow.port);
      const a = this.#authentication.of(flow.authentication);
      const z = this.#authorization.of(flow.authorization);
      const e = this.#encryption.of(flow.encryption);
      const b = this.#bidirectional.of(flow.bidirectional);
      if (Math.max(p, a, z, e, b) < FIELD_RADIX && n < PORT_RADIX) {
        // At most 64^5 * 4096 = 2^42 keys: exact as a number.
        const key = ((((p * FIELD_RADIX + a) * FIELD_RADIX + z) * FIELD_RADIX + e) * FIELD_RADIX + b) * PORT_RADIX + n;
        let sig = this.#byNumber.get(key);
        if (sig === undefined) this.#byNumber.set(key, (sig = this.size++));
        return sig;
      }
    }
    // Lists are written as JSON so that no two different flows share a key.
    const key = `${flow.protocol}|${flow.port}|${flow.authentication}|${flow.authorization}|${flow.encryption}|${flow.bidirectional}|${flow.controls ? JSON.stringify(flow.controls) : ''}|${flow.tags ? JSON.stringify(flow.tags) : ''}`;
    let sig = this.#byText.get(key);
    if (sig === undefined) this.#byText.set(key, (sig = this.size++));
    return sig;
  }
}

/**
 * Computes the facts rules read, once per model: each element's security, zone, reach, data and flow
 * summaries; each flow's crossing and data; each asset's whereabouts. Linear in the size of the model.
 */
export function buildFacts(model: ThreatModel, enrichment: ModelEnrichment, index: ModelIndex): ModelFacts {
  const elements = model.elements ?? [];
  const flows = model.flows ?? [];
  const assets = model.assets ?? [];
  const boundaries = model.boundaries ?? [];
  const traits = new Map(assets.map((a) => [a.id, traitsOf(a)]));
  const boundaryKind = new Map(boundaries.map((b) => [b.id, b.kind]));

  // Many items share the same facts (flows carrying the same assets, elements in the same zone): build each once.
  const dataCache = new Map<string, Facts>();
  const cachedData = (ids: readonly string[]): Facts => {
    const key = ids.length === 0 ? '' : ids.length === 1 ? (ids[0] ?? '') : ids.join('\u0000');
    let facts = dataCache.get(key);
    if (!facts) dataCache.set(key, (facts = dataFacts(ids, traits, dataCache.size)));
    return facts;
  };
  const crossingCache = new Map<object, Facts>();
  const zoneCache = new Map<object, Facts>();
  const signatures = new FlowSignatures();
  const signatureOf = (flow: Flow): number => signatures.of(flow);
  const buckets = new Map<string, number>();
  const bucketOf = (element: Element): number => {
    const key = `${element.kind}|${element.type ?? ''}`;
    let n = buckets.get(key);
    if (n === undefined) buckets.set(key, (n = buckets.size));
    return n;
  };
  const inbound = elements.map(newFlowSet);
  const outbound = elements.map(newFlowSet);
  const fromEntryPoint = new Uint8Array(elements.length);
  const flowFacts: Facts[] = [];
  const thirdPartyElement = (e: Element | undefined, zoneKinds: readonly string[]): boolean =>
    e?.kind === 'external' || zoneKinds.includes('third-party');

  const zoneKinds = new Map<object, string[]>();
  const elementZoneKinds = elements.map((_, i) => {
    const zone = enrichment.zones.at(i);
    if (!zone) return [];
    let kinds = zoneKinds.get(zone);
    if (!kinds) zoneKinds.set(zone, (kinds = zone.boundaries.map((b) => boundaryKind.get(b) ?? 'other')));
    return kinds;
  });

  const boundaryKinds = (exits: readonly string[], entries: readonly string[]): readonly string[] => {
    let kinds = NONE;
    for (const b of exits) kinds = insertSorted(kinds, boundaryKind.get(b) ?? 'other');
    for (const b of entries) kinds = insertSorted(kinds, boundaryKind.get(b) ?? 'other');
    return kinds;
  };
  const crossingFacts = (crossing: FlowCrossing | undefined): Facts => {
    const key = crossing ?? crossingCache;
    let facts = crossingCache.get(key);
    if (facts) return facts;
    const exits = crossing?.exits ?? [];
    const entries = crossing?.entries ?? [];
    facts = {
      __proto__: PROTOTYPES.Crossing,
      $n: crossingCache.size,
      crosses: exits.length + entries.length > 0,
      exits,
      entries,
      kinds: boundaryKinds(exits, entries),
      fromTrust: crossing?.fromTrust ?? 0,
      toTrust: crossing?.toTrust ?? 0,
      trustChange: crossing?.trustChange ?? 0,
    };
    crossingCache.set(key, facts);
    return facts;
  };

  /** Adds one flow to the inbound or outbound summary of an element. */
  const add = (
    set: FlowSetBuilder | undefined,
    flow: Flow,
    peer: Element | undefined,
    crossing: Facts,
    personal: boolean,
  ): void => {
    if (!set) return;
    set.count++;
    if (flow.protocol) set.protocols = insertSorted(set.protocols, flow.protocol);
    if (peer) set.peerKinds = insertSorted(set.peerKinds, peer.kind);
    if (peer?.type) set.peerTypes = insertSorted(set.peerTypes, peer.type);
    if (flow.authentication === 'none') set.unauthenticated = true;
    if (flow.authentication === undefined) set.authenticationUnstated = true;
    if (flow.encryption === 'none') set.unencrypted = true;
    if (crossing['crosses'] === true) set.crossing = true;
    if ((crossing['trustChange'] as number) > 0) set.fromLessTrusted = true;
    if (personal) set.personal = true;
  };

  flows.forEach((flow: Flow, f) => {
    const from = index.flowEnds[2 * f] ?? -1;
    const to = index.flowEnds[2 * f + 1] ?? -1;
    const crossing = crossingFacts(enrichment.crossings.at(f));
    const data = cachedData(flow.data ?? NONE);
    const sig = signatureOf(flow);
    flowFacts.push({
      __proto__: PROTOTYPES.Flow,
      $sig: sig,
      id: flow.id,
      name: flow.name ?? flow.id,
      protocol: flow.protocol,
      port: flow.port,
      authentication: flow.authentication,
      authorization: flow.authorization,
      encryption: flow.encryption,
      bidirectional: flow.bidirectional ?? false,
      controls: flow.controls ?? NONE,
      tags: flow.tags ?? NONE,
      data,
      crossing,
    });
    if (flow.outOfScope || from < 0 || to < 0) return;
    const personal = data['personal'] === true;
    add(inbound[to], flow, elements[from], crossing, personal);
    add(outbound[from], flow, elements[to], crossing, personal);
    if (enrichment.exposure.at(from)?.entryPoint) fromEntryPoint[to] = 1;
    if (flow.bidirectional) {
      add(inbound[from], flow, elements[to], crossing, personal);
      add(outbound[to], flow, elements[from], crossing, personal);
      if (enrichment.exposure.at(to)?.entryPoint) fromEntryPoint[from] = 1;
    }
  });

  const zoneFacts = (zone: ElementZone | undefined, i: number): Facts => {
    const key = zone ?? zoneCache;
    let facts = zoneCache.get(key);
    if (!facts) {
      facts = {
        __proto__: PROTOTYPES.Zone,
        $n: zoneCache.size,
        boundary: zone?.boundary ?? '',
        boundaries: zone?.boundaries ?? [],
        kinds: elementZoneKinds[i] ?? [],
        trust: zone?.trustLevel ?? 0,
      };
      zoneCache.set(key, facts);
    }
    return facts;
  };
  // Reach facts depend only on (entry point, hops): one object per distinct pair.
  const reachCache = new Map<number, Facts>();
  const reachFacts = (entryPoint: boolean, hops: number): Facts => {
    const key = entryPoint ? -2 : hops;
    let facts = reachCache.get(key);
    if (!facts) {
      facts = { __proto__: PROTOTYPES.Reach, entryPoint, reachable: entryPoint || hops >= 0, hops };
      reachCache.set(key, facts);
    }
    return facts;
  };
  const elementFacts = elements.map((element, i) => {
    const zone = enrichment.zones.at(i);
    const exposure = enrichment.exposure.at(i);
    const held = enrichment.elementAssets.at(i);
    const internetFacing =
      element.exposure === 'internet' ||
      (element.exposure === undefined && element.kind !== 'external' && fromEntryPoint[i] === 1);
    return {
      __proto__: PROTOTYPES.Element,
      $n: i,
      $bucket: bucketOf(element),
      id: element.id,
      name: element.name,
      kind: element.kind,
      type: element.type,
      technology: element.technology,
      exposure: element.exposure,
      internetFacing,
      controls: element.controls ?? NONE,
      tags: element.tags ?? NONE,
      owner: element.owner,
      security: { __proto__: PROTOTYPES.Security, ...element.security },
      zone: zoneFacts(zone, i),
      reach: reachFacts(exposure?.entryPoint ?? false, exposure?.hops ?? -1),
      stores: held?.stores ?? NONE,
      data: cachedData(heldAssets(held?.stores ?? NONE, held?.processes ?? NONE)),
      inbound: flowSetFacts(inbound[i] ?? newFlowSet()),
      outbound: flowSetFacts(outbound[i] ?? newFlowSet()),
    };
  });

  const elementById = new Map(elements.map((e, i) => [e.id, i]));
  const storesEncrypted = (id: string): boolean => {
    const e = elements[elementById.get(id) ?? -1];
    return e !== undefined && (e.security?.encryptionAtRest === true || hasControl(e, 'encryption-at-rest'));
  };
  const storesBackedUp = (id: string): boolean => {
    const e = elements[elementById.get(id) ?? -1];
    return e !== undefined && (e.security?.backups === true || hasControl(e, 'backups'));
  };
  const flowById = new Map(flows.map((f, i) => [f.id, i]));
  const assetFacts = assets.map((asset, a) => {
    const where = enrichment.assets.at(a);
    const storedIn = where?.storedIn ?? [];
    const carriers = (where?.carriedBy ?? []).map((id) => flowById.get(id) ?? -1);
    return {
      __proto__: PROTOTYPES.Asset,
      id: asset.id,
      name: asset.name,
      kind: asset.kind,
      classification: asset.classification,
      personal: isPersonal(asset),
      needs: {
        __proto__: PROTOTYPES.Needs,
        confidentiality: needLevel(asset.needs?.confidentiality),
        integrity: needLevel(asset.needs?.integrity),
        availability: needLevel(asset.needs?.availability),
      },
      quantity: asset.quantity,
      regulations: asset.regulations ?? [],
      tags: asset.tags ?? [],
      storedIn,
      processedBy: where?.processedBy ?? [],
      carriedBy: where?.carriedBy ?? [],
      storedUnencrypted: storedIn.some((id) => !storesEncrypted(id)),
      carriedInClear: carriers.some((f) => flows[f]?.encryption === 'none'),
      crossesBoundaries: carriers.some((f) => (flowFacts[f]?.['crossing'] as Facts | undefined)?.['crosses'] === true),
      leavesToThirdParty: carriers.some((f) => {
        const to = index.flowEnds[2 * f + 1] ?? -1;
        return thirdPartyElement(elements[to], elementZoneKinds[to] ?? []);
      }),
      backedUp: storedIn.length > 0 && storedIn.every(storesBackedUp),
    };
  });

  const members = new Map<string, string[]>();
  for (const e of elements) {
    if (e.boundary === undefined) continue;
    const list = members.get(e.boundary);
    if (list) list.push(e.id);
    else members.set(e.boundary, [e.id]);
  }
  const boundaryFacts = boundaries.map((b) => ({
    __proto__: PROTOTYPES.Boundary,
    id: b.id,
    name: b.name,
    kind: b.kind,
    trust: enrichment.boundaryTrust.get(b.id) ?? 0,
    parent: b.parent ?? '',
    members: members.get(b.id) ?? [],
    tags: b.tags ?? [],
  }));
  const actorFacts = (model.actors ?? []).map((a) => ({
    __proto__: PROTOTYPES.Actor,
    id: a.id,
    name: a.name,
    kind: a.kind,
    capability: needLevel(a.capability),
    motivation: a.motivation ?? [],
    startsIn: a.startsIn ?? [],
    wants: a.wants ?? [],
    tags: a.tags ?? [],
  }));
  return {
    counts: {
      signatures: signatures.size,
      elements: elements.length,
      zones: zoneCache.size,
      crossings: crossingCache.size,
      data: dataCache.size,
      buckets: buckets.size,
    },
    elements: elementFacts,
    flows: flowFacts,
    assets: assetFacts,
    actors: actorFacts,
    boundaries: boundaryFacts,
  };
}
