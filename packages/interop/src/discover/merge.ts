// Merges a new discovery into a model a person already works on: what discovery inferred before is brought
// up to date, what a person wrote or took over is never touched, new resources are added, and what the
// source no longer has is kept and reported rather than deleted.
import type { ThreatModelInput } from '@parapet/core';
import { IdAllocator } from '../ids.js';

type Origin = NonNullable<NonNullable<ThreatModelInput['elements']>[number]['origin']>;

/** The sections discovery writes, in the order their ids are settled (each refers only to those before it). */
const MERGED_SECTIONS = ['boundaries', 'assets', 'elements', 'flows'] as const;
type MergedSection = (typeof MERGED_SECTIONS)[number];

/**
 * The fields discovery states, per section: an inferred item takes the new discovery's value (or loses the
 * field when the discovery no longer states it). Fields discovery never states (security, controls, data,
 * descriptions of elements...) stay as they are, even on inferred items.
 */
const OWNED_FIELDS: Readonly<Record<MergedSection, readonly string[]>> = {
  boundaries: ['name', 'kind', 'trustLevel', 'parent', 'origin'],
  assets: ['name', 'kind', 'classification', 'origin'],
  elements: ['name', 'kind', 'type', 'technology', 'boundary', 'exposure', 'origin'],
  flows: ['from', 'to', 'protocol', 'port', 'description', 'origin'],
};
/** List fields that gather the values of both (a person may add to them on an inferred item). */
const UNION_FIELDS: Readonly<Record<MergedSection, readonly string[]>> = {
  boundaries: ['tags'],
  assets: ['tags'],
  elements: ['stores', 'tags'],
  flows: ['data', 'tags'],
};
/** Fields holding ids of other items, to rename when an id changes. */
const REFERENCE_FIELDS: Readonly<Record<MergedSection, readonly string[]>> = {
  boundaries: ['parent'],
  assets: [],
  elements: ['boundary', 'stores'],
  flows: ['from', 'to', 'data'],
};

/** An item of a merged section, seen as plain data. */
type Item = Readonly<Record<string, unknown>> & { readonly id: string; readonly origin?: Origin | undefined };

/** The outcome of a merge. */
export interface MergeResult {
  readonly model: ThreatModelInput;
  /** Ids of items new in this discovery. */
  readonly added: string[];
  /** Ids of inferred items the discovery changed. */
  readonly updated: string[];
  /** Ids of items left as they were: a person's items the discovery found again, and inferred items it no longer finds. */
  readonly kept: string[];
  /** The part of `kept` that the discovery no longer finds in the source: review and delete them by hand. */
  readonly missing: string[];
}

/** Where a discovered item goes: onto an existing item, or in as a new one. */
interface Placement {
  readonly section: MergedSection;
  readonly discovered: Item;
  readonly existingIndex?: number;
  readonly id: string;
}

/**
 * Merges a discovered model into an existing one. Discovered items match existing ones by origin (format and
 * ref), then by id (an existing item without a source ref of its own). An existing item without
 * `origin.inferred: true` is a person's: it is kept whole. Inferred items take the new discovery's values
 * for the fields discovery states; new items are added with ids that do not clash with any existing id;
 * inferred items the discovery no longer finds are kept and listed in `kept` and `missing`. The other
 * sections of the existing model, and its `model` block, are kept as they are. Deterministic.
 */
export function mergeDiscovered(existing: ThreatModelInput, discovered: ThreatModelInput): MergeResult {
  const ids = new IdAllocator();
  for (const id of collectIds(existing)) ids.reserve(id);
  const renamed = new Map<string, string>();
  const placements: Placement[] = [];
  const claimed = new Map<MergedSection, Set<number>>(MERGED_SECTIONS.map((section) => [section, new Set()]));
  for (const section of MERGED_SECTIONS) {
    const current = itemsOf(existing, section);
    const byOrigin = new Map<string, number>();
    const byId = new Map<string, number>();
    current.forEach((item, i) => {
      const key = originKey(item.origin);
      if (key !== undefined && !byOrigin.has(key)) byOrigin.set(key, i);
      if (!byId.has(item.id)) byId.set(item.id, i);
    });
    const taken = claimed.get(section) ?? new Set<number>();
    for (const item of itemsOf(discovered, section)) {
      const index = findMatch(item, current, byOrigin, byId, taken);
      const match = index === undefined ? undefined : current[index];
      if (index !== undefined && match) {
        taken.add(index);
        renamed.set(item.id, match.id);
        placements.push({ section, discovered: item, existingIndex: index, id: match.id });
      } else {
        const id = ids.keepOrAllocate(item.id, section);
        renamed.set(item.id, id);
        placements.push({ section, discovered: item, id });
      }
    }
  }
  return assemble(existing, placements, renamed, claimed);
}

/** The existing item a discovered one is: same origin (format and ref), else same id when that item has no ref. */
function findMatch(
  item: Item,
  current: readonly Item[],
  byOrigin: ReadonlyMap<string, number>,
  byId: ReadonlyMap<string, number>,
  taken: ReadonlySet<number>,
): number | undefined {
  const key = originKey(item.origin);
  const sameOrigin = key === undefined ? undefined : byOrigin.get(key);
  if (sameOrigin !== undefined && !taken.has(sameOrigin)) return sameOrigin;
  const sameId = byId.get(item.id);
  if (sameId === undefined || taken.has(sameId)) return undefined;
  return current[sameId]?.origin?.ref === undefined ? sameId : undefined;
}

/** Builds the merged model and the lists of what happened. */
function assemble(
  existing: ThreatModelInput,
  placements: readonly Placement[],
  renamed: ReadonlyMap<string, string>,
  claimed: ReadonlyMap<MergedSection, ReadonlySet<number>>,
): MergeResult {
  const added: string[] = [];
  const updated: string[] = [];
  const kept: string[] = [];
  const missing: string[] = [];
  const sections = new Map<MergedSection, Item[]>(
    MERGED_SECTIONS.map((section) => [section, [...itemsOf(existing, section)]]),
  );
  for (const placement of placements) {
    const items = sections.get(placement.section) ?? [];
    const incoming = rename(placement.section, placement.discovered, renamed, placement.id);
    if (placement.existingIndex === undefined) {
      items.push(incoming);
      added.push(placement.id);
      continue;
    }
    const current = items[placement.existingIndex];
    if (!current) continue;
    if (current.origin?.inferred !== true) {
      kept.push(current.id);
      continue;
    }
    const next = updateItem(placement.section, current, incoming);
    if (stableJson(next) !== stableJson(current)) {
      items[placement.existingIndex] = next;
      updated.push(current.id);
    }
  }
  for (const section of MERGED_SECTIONS) {
    const taken = claimed.get(section);
    itemsOf(existing, section).forEach((item, i) => {
      if (item.origin?.inferred !== true || taken?.has(i)) return;
      kept.push(item.id);
      missing.push(item.id);
    });
  }
  const model: Record<string, unknown> = { ...existing };
  for (const [section, items] of sections) if (items.length > 0) model[section] = items;
  // The merged sections hold the existing model's items and the discovered model's (with ids renamed), each
  // valid for its section: the model keeps ThreatModelInput's shape.
  return { model: model as ThreatModelInput, added, updated, kept, missing };
}

/** An inferred item brought up to date: the fields discovery states from the new item, list fields gathered, the rest kept. */
function updateItem(section: MergedSection, current: Item, incoming: Item): Item {
  const next: Record<string, unknown> = { ...current };
  for (const field of OWNED_FIELDS[section]) {
    if (incoming[field] === undefined) delete next[field];
    else next[field] = incoming[field];
  }
  for (const field of UNION_FIELDS[section]) {
    const values = [...asStrings(current[field]), ...asStrings(incoming[field])];
    if (values.length > 0) next[field] = [...new Set(values)];
  }
  return { ...next, id: current.id };
}

/** A discovered item with its id and the ids it refers to renamed as the merge placed them. */
function rename(section: MergedSection, item: Item, renamed: ReadonlyMap<string, string>, id: string): Item {
  const next: Record<string, unknown> = { ...item };
  for (const field of REFERENCE_FIELDS[section]) {
    const value = next[field];
    if (typeof value === 'string') next[field] = renamed.get(value) ?? value;
    else if (Array.isArray(value)) next[field] = asStrings(value).map((ref) => renamed.get(ref) ?? ref);
  }
  return { ...next, id };
}

/** The items of a section, as plain data. */
function itemsOf(model: ThreatModelInput, section: MergedSection): readonly Item[] {
  return model[section] ?? [];
}

/** Every id the model declares, in any section (ids share one namespace). */
function collectIds(model: ThreatModelInput): string[] {
  const found: string[] = [];
  for (const value of Object.values(model)) {
    if (!Array.isArray(value)) continue;
    for (const item of value as unknown[]) {
      const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
      if (typeof id === 'string') found.push(id);
    }
  }
  return found;
}

/** `format\0ref` of an origin with a ref, else undefined. */
function originKey(origin: Origin | undefined): string | undefined {
  return origin?.ref === undefined ? undefined : `${origin.format}\0${origin.ref}`;
}

/** The strings of a list value. */
function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** JSON with keys sorted, to compare items whatever the order of their keys. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
