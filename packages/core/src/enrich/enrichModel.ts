import type { Boundary } from '../schema/Boundary.js';
import type { ThreatModel } from '../schema/ThreatModel.js';
import { createModelIndex, getIndexOf, type ModelIndex } from './ModelIndex.js';
import { SectionMap, type PositionalMap } from './SectionMap.js';

/** Where an element sits: its innermost boundary, the chain of boundaries around it, and its trust level. */
export interface ElementZone {
  readonly boundary: string | null;
  /** Innermost first. */
  readonly boundaries: readonly string[];
  readonly trustLevel: number;
}

/** The trust boundaries a flow crosses, derived from where its ends sit. */
export interface FlowCrossing {
  /** Boundaries left, innermost first. */
  readonly exits: readonly string[];
  /** Boundaries entered, outermost first. */
  readonly entries: readonly string[];
  readonly fromTrust: number;
  readonly toTrust: number;
  /** `toTrust - fromTrust`: positive when the flow goes into a more trusted zone. */
  readonly trustChange: number;
}

/** Whether an attacker in the least-trusted zone can reach an element by following flows. */
export interface ElementExposure {
  /** In the least-trusted zone itself. */
  readonly entryPoint: boolean;
  readonly reachable: boolean;
  /** Fewest flows from the least-trusted zone; null when unreachable. */
  readonly hops: number | null;
  /** The flow of a shortest route that arrives here; null for entry points and unreachable elements. */
  readonly via: string | null;
}

/** Where an asset lives and moves. */
export interface AssetLocation {
  /** Elements that store it: those listing it in `stores`, and data stores that flows carrying it reach. */
  readonly storedIn: readonly string[];
  /** Processes and external entities at either end of a flow carrying it. */
  readonly processedBy: readonly string[];
  readonly carriedBy: readonly string[];
}

/** Facts derived from a model's elements, flows and boundaries. */
export interface ModelEnrichment {
  /** Trust level of the least-trusted zone. */
  readonly minTrustLevel: number;
  /** Effective trust level by boundary id. */
  readonly boundaryTrust: ReadonlyMap<string, number>;
  /** By element id. */
  readonly zones: PositionalMap<ElementZone>;
  /** By flow id. */
  readonly crossings: PositionalMap<FlowCrossing>;
  /** By element id. */
  readonly exposure: PositionalMap<ElementExposure>;
  /** By asset id. */
  readonly assets: PositionalMap<AssetLocation>;
  /** By element id: the assets it stores and the ones it processes. */
  readonly elementAssets: PositionalMap<ElementAssets>;
}

export interface ElementAssets {
  readonly stores: readonly string[];
  readonly processes: readonly string[];
}

/**
 * The enrichment as plain JSON-ready objects keyed by id (maps become objects, in model order).
 *
 * @example
 * JSON.stringify(toEnrichmentJson(enrichModel(model)))
 */
export function toEnrichmentJson(enrichment: ModelEnrichment): Record<string, unknown> {
  return {
    minTrustLevel: enrichment.minTrustLevel,
    boundaryTrust: Object.fromEntries(enrichment.boundaryTrust),
    zones: Object.fromEntries(enrichment.zones),
    crossings: Object.fromEntries(enrichment.crossings),
    exposure: Object.fromEntries(enrichment.exposure),
    assets: Object.fromEntries(enrichment.assets),
    elementAssets: Object.fromEntries(enrichment.elementAssets),
  };
}

/** Trust level of a boundary whose chain states none, by kind; elements outside every boundary get 0. */
const DEFAULT_TRUST: Partial<Record<Boundary['kind'], number>> = {
  internet: 0,
  'user-device': 10,
  'third-party': 20,
  dmz: 40,
};
const DEFAULT_TRUST_OTHER = 50;
const OUTSIDE_TRUST = 0;
const NO_ASSETS: ElementAssets = { stores: [], processes: [] };

/**
 * Derives, for each flow, the boundaries it crosses and the change in trust; for each element, its zone,
 * whether it can be reached from the least-trusted zone, and the assets it stores and processes. Pure and
 * linear in the size of the model. Expects a model that passed validation (references resolve). `index` may
 * be passed when the caller has built it already (validation does).
 *
 * @example
 * const enrichment = enrichModel(model);
 * enrichment.crossings.get('checkout') // { exits: [], entries: ['dmz'], fromTrust: 0, toTrust: 40, trustChange: 40 }
 */
export function enrichModel(model: ThreatModel, index: ModelIndex = createModelIndex(model)): ModelEnrichment {
  const boundaries = model.boundaries ?? [];
  const boundaryIndex = { get: (id: string) => getIndexOf(index, id, 'boundaries') };
  const chains: (string[] | undefined)[] = new Array<string[] | undefined>(boundaries.length);
  const chainOf = (index: number): string[] => {
    const cached = chains[index];
    if (cached) return cached;
    const chain: string[] = [];
    const seen = new Set<number>();
    for (let i: number | undefined = index; i !== undefined && !seen.has(i);) {
      seen.add(i);
      const boundary: Boundary | undefined = boundaries[i];
      if (!boundary) break;
      chain.push(boundary.id);
      i = boundary.parent === undefined ? undefined : boundaryIndex.get(boundary.parent);
    }
    chains[index] = chain;
    return chain;
  };
  const boundaryTrust = new Map<string, number>();
  const trustByIndex = boundaries.map((boundary, i) => {
    const stated = chainOf(i)
      .map((id) => boundaries[boundaryIndex.get(id) ?? -1]?.trustLevel)
      .find((t) => t !== undefined);
    const trust = stated ?? DEFAULT_TRUST[boundary.kind] ?? DEFAULT_TRUST_OTHER;
    boundaryTrust.set(boundary.id, trust);
    return trust;
  });

  const elements = model.elements ?? [];
  const zoneOf = new Int32Array(elements.length);
  const zoneList: ElementZone[] = [];
  let minTrustLevel = Infinity;
  // Elements in the same boundary share one zone object.
  const zoneByBoundary = new Map<number, ElementZone>();
  elements.forEach((element, i) => {
    const b = element.boundary === undefined ? -1 : (boundaryIndex.get(element.boundary) ?? -1);
    zoneOf[i] = b;
    let zone = zoneByBoundary.get(b);
    if (!zone) {
      zone = {
        boundary: b === -1 ? null : (boundaries[b]?.id ?? null),
        boundaries: b === -1 ? [] : chainOf(b),
        trustLevel: b === -1 ? OUTSIDE_TRUST : (trustByIndex[b] ?? OUTSIDE_TRUST),
      };
      zoneByBoundary.set(b, zone);
    }
    zoneList.push(zone);
    if (zone.trustLevel < minTrustLevel) minTrustLevel = zone.trustLevel;
  });
  if (minTrustLevel === Infinity) minTrustLevel = OUTSIDE_TRUST;

  const flows = model.flows ?? [];
  const flowEnds = index.flowEnds;
  const crossingList = new Array<FlowCrossing | undefined>(flows.length);
  // Flows between the same two zones cross the same boundaries: compute each pair of zones once.
  const byZones = new Map<number, FlowCrossing>();
  const zoneCount = boundaries.length + 1;
  for (let f = 0; f < flows.length; f++) {
    const from = flowEnds[2 * f] ?? -1;
    const to = flowEnds[2 * f + 1] ?? -1;
    if (from < 0 || to < 0) continue;
    const key = ((zoneOf[from] ?? -1) + 1) * zoneCount + (zoneOf[to] ?? -1) + 1;
    let crossing = byZones.get(key);
    if (!crossing) {
      const a = zoneList[from] as ElementZone;
      const b = zoneList[to] as ElementZone;
      crossing = {
        exits: a.boundaries.filter((id) => !b.boundaries.includes(id)),
        entries: b.boundaries.filter((id) => !a.boundaries.includes(id)).reverse(),
        fromTrust: a.trustLevel,
        toTrust: b.trustLevel,
        trustChange: b.trustLevel - a.trustLevel,
      };
      byZones.set(key, crossing);
    }
    crossingList[f] = crossing;
  }

  return {
    minTrustLevel,
    boundaryTrust,
    zones: new SectionMap(index, 'elements', elements, zoneList),
    crossings: new SectionMap(index, 'flows', flows, crossingList),
    exposure: new SectionMap(index, 'elements', elements, computeExposure(model, zoneList, flowEnds, minTrustLevel)),
    ...locateAssets(model, index),
  };
}

/** Breadth-first search from every element of the least-trusted zone, along flows (both ways when bidirectional). */
function computeExposure(
  model: ThreatModel,
  zoneList: readonly ElementZone[],
  flowEnds: Int32Array,
  minTrustLevel: number,
): ElementExposure[] {
  const elements = model.elements ?? [];
  const flows = model.flows ?? [];
  const n = elements.length;
  // Adjacency in compressed rows: edges of element i are targets[start[i] .. start[i + 1]).
  const start = new Int32Array(n + 1);
  const countEdge = (from: number): void => {
    start[from + 1] = (start[from + 1] ?? 0) + 1;
  };
  flows.forEach((flow, f) => {
    const from = flowEnds[2 * f] ?? -1;
    const to = flowEnds[2 * f + 1] ?? -1;
    if (from < 0 || to < 0) return;
    countEdge(from);
    if (flow.bidirectional) countEdge(to);
  });
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, n);
  const targets = new Int32Array(start[n] ?? 0);
  const viaFlow = new Int32Array(start[n] ?? 0);
  const addEdge = (from: number, to: number, f: number): void => {
    const at = fill[from] ?? 0;
    targets[at] = to;
    viaFlow[at] = f;
    fill[from] = at + 1;
  };
  flows.forEach((flow, f) => {
    const from = flowEnds[2 * f] ?? -1;
    const to = flowEnds[2 * f + 1] ?? -1;
    if (from < 0 || to < 0) return;
    addEdge(from, to, f);
    if (flow.bidirectional) addEdge(to, from, f);
  });

  const hops = new Int32Array(n).fill(-1);
  const via = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (zoneList[i]?.trustLevel === minTrustLevel) {
      hops[i] = 0;
      queue[tail++] = i;
    }
  }
  for (let head = 0; head < tail; head++) {
    const current = queue[head] ?? 0;
    const next = (hops[current] ?? 0) + 1;
    for (let e = start[current] ?? 0, end = start[current + 1] ?? 0; e < end; e++) {
      const target = targets[e] ?? 0;
      if (hops[target] !== -1) continue;
      hops[target] = next;
      via[target] = viaFlow[e] ?? -1;
      queue[tail++] = target;
    }
  }
  const entryPoint: ElementExposure = { entryPoint: true, reachable: true, hops: 0, via: null };
  const unreachable: ElementExposure = { entryPoint: false, reachable: false, hops: null, via: null };
  const exposure = new Array<ElementExposure>(n);
  for (let i = 0; i < n; i++) {
    const h = hops[i] ?? -1;
    const v = via[i] ?? -1;
    exposure[i] =
      h === 0
        ? entryPoint
        : h === -1
          ? unreachable
          : { entryPoint: false, reachable: true, hops: h, via: flows[v]?.id ?? null };
  }
  return exposure;
}

function locateAssets(model: ThreatModel, index: ModelIndex): Pick<ModelEnrichment, 'assets' | 'elementAssets'> {
  const flowEnds = index.flowEnds;
  const elements = model.elements ?? [];
  const assets = model.assets ?? [];
  const flows = model.flows ?? [];
  const assetIndex = { get: (id: string) => getIndexOf(index, id, 'assets') };
  const storedIn: string[][] = assets.map(() => []);
  const processedBy: string[][] = assets.map(() => []);
  const carriedBy: string[][] = assets.map(() => []);
  const stores = new Array<string[] | undefined>(elements.length);
  const processes = new Array<string[] | undefined>(elements.length);
  // Each (asset, element, role) is recorded once: per asset, a set of element * 2 + role (small integers).
  const seen: (Set<number> | undefined)[] = new Array<Set<number> | undefined>(assets.length);
  const record = (asset: number, element: number, role: 0 | 1): void => {
    let set = seen[asset];
    if (!set) seen[asset] = set = new Set<number>();
    const key = element * 2 + role;
    if (set.has(key)) return;
    set.add(key);
    const assetId = assets[asset]?.id ?? '';
    const elementId = elements[element]?.id ?? '';
    if (role === 0) {
      storedIn[asset]?.push(elementId);
      (stores[element] ??= []).push(assetId);
    } else {
      processedBy[asset]?.push(elementId);
      (processes[element] ??= []).push(assetId);
    }
  };
  elements.forEach((element, e) => {
    for (const id of element.stores ?? []) {
      const a = assetIndex.get(id);
      if (a !== undefined) record(a, e, 0);
    }
  });
  const roleOf = elements.map((element): 0 | 1 => (element.kind === 'datastore' ? 0 : 1));
  flows.forEach((flow, f) => {
    const data = flow.data;
    if (!data) return;
    const from = flowEnds[2 * f] ?? -1;
    const to = flowEnds[2 * f + 1] ?? -1;
    for (const id of data) {
      const a = assetIndex.get(id);
      if (a === undefined) continue;
      carriedBy[a]?.push(flow.id);
      if (from >= 0) record(a, from, roleOf[from] ?? 1);
      if (to >= 0) record(a, to, roleOf[to] ?? 1);
    }
  });
  const assetLocations = assets.map((_, a): AssetLocation => ({
    storedIn: storedIn[a] ?? [],
    processedBy: processedBy[a] ?? [],
    carriedBy: carriedBy[a] ?? [],
  }));
  const elementAssets = elements.map((_, e): ElementAssets => {
    const elementStores = stores[e];
    const elementProcesses = processes[e];
    return elementStores || elementProcesses
      ? { stores: elementStores ?? [], processes: elementProcesses ?? [] }
      : NO_ASSETS;
  });
  return {
    assets: new SectionMap(index, 'assets', assets, assetLocations),
    elementAssets: new SectionMap(index, 'elements', elements, elementAssets),
  };
}
