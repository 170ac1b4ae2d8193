import { SECTIONS, type ThreatModel } from '../schema/ThreatModel.js';

/** Where an id is declared. */
export interface Declaration {
  readonly section: string;
  readonly index: number;
}

/**
 * Lookups shared by validation, enrichment and later stages, built once per model: a large model has
 * hundreds of thousands of ids and millions of references.
 */
export interface ModelIndex {
  /** Every declared id (first declaration wins). */
  readonly ids: ReadonlyMap<string, Declaration>;
  /** For flow `i`, the positions of its `from` and `to` elements at `2i` and `2i + 1`; -1 when unresolved. */
  readonly flowEnds: Int32Array;
}

/**
 * Builds the index of a model.
 *
 * @example
 * const index = createModelIndex(model);
 * getIndexOf(index, 'payment-api', 'elements') // 3
 */
export function createModelIndex(model: ThreatModel): ModelIndex {
  const ids = new Map<string, Declaration>();
  for (const section of SECTIONS) {
    const items = model[section] ?? [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item && 'id' in item && !ids.has(item.id)) ids.set(item.id, { section, index: i });
    }
  }
  const flows = model.flows ?? [];
  const flowEnds = new Int32Array(flows.length * 2).fill(-1);
  flows.forEach((flow, f) => {
    flowEnds[2 * f] = getIndexOf({ ids, flowEnds }, flow.from, 'elements') ?? -1;
    flowEnds[2 * f + 1] = getIndexOf({ ids, flowEnds }, flow.to, 'elements') ?? -1;
  });
  return { ids, flowEnds };
}

/** The position of `id` in `section`, or undefined when it is not declared there. */
export function getIndexOf(index: ModelIndex, id: string | undefined, section: string): number | undefined {
  if (id === undefined) return undefined;
  const found = index.ids.get(id);
  return found?.section === section ? found.index : undefined;
}
