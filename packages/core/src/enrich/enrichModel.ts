import type { Boundary } from '../schema/Boundary.js';
import type { ThreatModel } from '../schema/ThreatModel.js';

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
  readonly boundaryTrust: Readonly<Record<string, number>>;
  readonly zones: Readonly<Record<string, ElementZone>>;
  readonly crossings: Readonly<Record<string, FlowCrossing>>;
  readonly exposure: Readonly<Record<string, ElementExposure>>;
  readonly assets: Readonly<Record<string, AssetLocation>>;
  readonly elementAssets: Readonly<Record<string, { stores: readonly string[]; processes: readonly string[] }>>;
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

/**
 * Derives, for each flow, the boundaries it crosses and the change in trust; for each element, its zone,
 * whether it can be reached from the least-trusted zone, and the assets it stores and processes. Pure and
 * linear in the size of the model. Expects a model that passed validation (references resolve).
 *
 * @example
 * const enrichment = enrichModel(model);
 * enrichment.crossings['checkout'] // { exits: [], entries: ['dmz'], fromTrust: 0, toTrust: 40, trustChange: 40 }
 */
export function enrichModel(model: ThreatModel): ModelEnrichment {
  const boundaries = new Map((model.boundaries ?? []).map((b) => [b.id, b]));
  const chainCache = new Map<string, string[]>();
  const chainOf = (boundaryId: string | undefined): string[] => {
    if (boundaryId === undefined) return [];
    const cached = chainCache.get(boundaryId);
    if (cached) return cached;
    const chain: string[] = [];
    const seen = new Set<string>();
    for (let id: string | undefined = boundaryId; id !== undefined && !seen.has(id); id = boundaries.get(id)?.parent) {
      seen.add(id);
      chain.push(id);
    }
    chainCache.set(boundaryId, chain);
    return chain;
  };
  const boundaryTrust: Record<string, number> = {};
  for (const boundary of boundaries.values()) {
    const chain = chainOf(boundary.id);
    const stated = chain.map((id) => boundaries.get(id)?.trustLevel).find((t) => t !== undefined);
    boundaryTrust[boundary.id] = stated ?? DEFAULT_TRUST[boundary.kind] ?? DEFAULT_TRUST_OTHER;
  }

  const elements = model.elements ?? [];
  const zones: Record<string, ElementZone> = {};
  let minTrustLevel = Infinity;
  for (const element of elements) {
    const trustLevel =
      element.boundary === undefined ? OUTSIDE_TRUST : (boundaryTrust[element.boundary] ?? OUTSIDE_TRUST);
    zones[element.id] = { boundary: element.boundary ?? null, boundaries: chainOf(element.boundary), trustLevel };
    minTrustLevel = Math.min(minTrustLevel, trustLevel);
  }
  if (minTrustLevel === Infinity) minTrustLevel = OUTSIDE_TRUST;

  const flows = model.flows ?? [];
  const crossings: Record<string, FlowCrossing> = {};
  // Flows between the same two zones cross the same boundaries: compute each pair of zones once.
  const byZones = new Map<string, FlowCrossing>();
  for (const flow of flows) {
    const from = zones[flow.from];
    const to = zones[flow.to];
    if (!from || !to) continue;
    const key = `${from.boundary ?? ''}\u0000${to.boundary ?? ''}`;
    let crossing = byZones.get(key);
    if (!crossing) {
      crossing = {
        exits: from.boundaries.filter((b) => !to.boundaries.includes(b)),
        entries: to.boundaries.filter((b) => !from.boundaries.includes(b)).reverse(),
        fromTrust: from.trustLevel,
        toTrust: to.trustLevel,
        trustChange: to.trustLevel - from.trustLevel,
      };
      byZones.set(key, crossing);
    }
    crossings[flow.id] = crossing;
  }

  return {
    minTrustLevel,
    boundaryTrust,
    zones,
    crossings,
    exposure: computeExposure(model, zones, minTrustLevel),
    ...locateAssets(model),
  };
}

function computeExposure(
  model: ThreatModel,
  zones: Record<string, ElementZone>,
  minTrustLevel: number,
): Record<string, ElementExposure> {
  const elements = model.elements ?? [];
  const index = new Map(elements.map((e, i) => [e.id, i]));
  const outgoing: { to: number; flow: string }[][] = elements.map(() => []);
  for (const flow of model.flows ?? []) {
    const from = index.get(flow.from);
    const to = index.get(flow.to);
    if (from === undefined || to === undefined) continue;
    outgoing[from]?.push({ to, flow: flow.id });
    if (flow.bidirectional) outgoing[to]?.push({ to: from, flow: flow.id });
  }
  const hops: (number | null)[] = elements.map(() => null);
  const via: (string | null)[] = elements.map(() => null);
  const queue: number[] = [];
  elements.forEach((element, i) => {
    if (zones[element.id]?.trustLevel === minTrustLevel) {
      hops[i] = 0;
      queue.push(i);
    }
  });
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head] as number;
    const next = (hops[current] as number) + 1;
    for (const edge of outgoing[current] ?? []) {
      if (hops[edge.to] !== null) continue;
      hops[edge.to] = next;
      via[edge.to] = edge.flow;
      queue.push(edge.to);
    }
  }
  const exposure: Record<string, ElementExposure> = {};
  elements.forEach((element, i) => {
    const h = hops[i] ?? null;
    exposure[element.id] = { entryPoint: h === 0, reachable: h !== null, hops: h, via: via[i] ?? null };
  });
  return exposure;
}

function locateAssets(model: ThreatModel): Pick<ModelEnrichment, 'assets' | 'elementAssets'> {
  const elements = model.elements ?? [];
  const kindOf = new Map(elements.map((e) => [e.id, e.kind]));
  const storedIn = new Map<string, Set<string>>();
  const processedBy = new Map<string, Set<string>>();
  const carriedBy = new Map<string, string[]>();
  const stores = new Map<string, Set<string>>();
  const processes = new Map<string, Set<string>>();
  const add = <K, V>(map: Map<K, Set<V>>, key: K, value: V): void => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  for (const element of elements) {
    for (const asset of element.stores ?? []) {
      add(storedIn, asset, element.id);
      add(stores, element.id, asset);
    }
  }
  for (const flow of model.flows ?? []) {
    for (const asset of flow.data ?? []) {
      let list = carriedBy.get(asset);
      if (!list) carriedBy.set(asset, (list = []));
      list.push(flow.id);
      for (const end of [flow.from, flow.to]) {
        if (kindOf.get(end) === 'datastore') {
          add(storedIn, asset, end);
          add(stores, end, asset);
        } else if (kindOf.has(end)) {
          add(processedBy, asset, end);
          add(processes, end, asset);
        }
      }
    }
  }
  const assets: Record<string, AssetLocation> = {};
  for (const asset of model.assets ?? []) {
    assets[asset.id] = {
      storedIn: [...(storedIn.get(asset.id) ?? [])],
      processedBy: [...(processedBy.get(asset.id) ?? [])],
      carriedBy: carriedBy.get(asset.id) ?? [],
    };
  }
  const elementAssets: Record<string, { stores: string[]; processes: string[] }> = {};
  for (const element of elements) {
    elementAssets[element.id] = {
      stores: [...(stores.get(element.id) ?? [])],
      processes: [...(processes.get(element.id) ?? [])],
    };
  }
  return { assets, elementAssets };
}
