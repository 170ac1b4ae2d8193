import type { XmlNode } from './readXml.js';
import { GENERIC_ROLES, lookup, type GenericRole } from './tables.js';
import { asNode, childNode, childText, children } from './xmlNodes.js';

/** A stencil or flow type of the knowledge base. */
export interface ElementTypeInfo {
  readonly name?: string;
  readonly parentId?: string;
}

/** A threat type: its category id, and the templates of its title and description. */
export interface ThreatTypeInfo {
  readonly category?: string;
  readonly shortTitle?: string;
  readonly description?: string;
}

/** A threat category: its name and the generic text the tool copies into each threat. */
export interface CategoryInfo {
  readonly name?: string;
  readonly shortDescription?: string;
}

/** What the importer needs from the knowledge base (template) embedded in a model. */
export interface KnowledgeBase {
  readonly name?: string;
  readonly version?: string;
  readonly elementTypes: ReadonlyMap<string, ElementTypeInfo>;
  readonly threatTypes: ReadonlyMap<string, ThreatTypeInfo>;
  readonly categories: ReadonlyMap<string, CategoryInfo>;
  /** Labels of threat properties, by property name and by property id. */
  readonly propertyLabels: ReadonlyMap<string, string>;
}

/** Longest chain of parent types followed before giving up (the core template is two deep). */
const MAX_TYPE_DEPTH = 32;

/** Reads the knowledge base under a model's root; an absent or damaged one gives empty tables. */
export function readKnowledgeBase(node: XmlNode | undefined): KnowledgeBase {
  const elementTypes = new Map<string, ElementTypeInfo>();
  for (const section of ['GenericElements', 'StandardElements']) {
    for (const value of children(childNode(node, section), 'ElementType')) {
      const type = asNode(value);
      const id = childText(type, 'Id');
      if (id === undefined || elementTypes.has(id)) continue;
      elementTypes.set(id, withDefined({ name: childText(type, 'Name'), parentId: childText(type, 'ParentId') }));
    }
  }
  const threatTypes = new Map<string, ThreatTypeInfo>();
  for (const value of children(childNode(node, 'ThreatTypes'), 'ThreatType')) {
    const type = asNode(value);
    const id = childText(type, 'Id');
    if (id === undefined || threatTypes.has(id)) continue;
    threatTypes.set(
      id,
      withDefined({
        category: childText(type, 'Category'),
        shortTitle: childText(type, 'ShortTitle'),
        description: childText(type, 'Description'),
      }),
    );
  }
  const categories = new Map<string, CategoryInfo>();
  for (const value of children(childNode(node, 'ThreatCategories'), 'ThreatCategory')) {
    const category = asNode(value);
    const id = childText(category, 'Id');
    if (id === undefined || categories.has(id)) continue;
    categories.set(
      id,
      withDefined({ name: childText(category, 'Name'), shortDescription: childText(category, 'ShortDescription') }),
    );
  }
  const propertyLabels = new Map<string, string>();
  const metadata = childNode(childNode(node, 'ThreatMetaData'), 'PropertiesMetaData');
  for (const value of children(metadata, 'ThreatMetaDatum')) {
    const datum = asNode(value);
    const label = childText(datum, 'Label');
    if (label === undefined) continue;
    for (const key of [childText(datum, 'Name'), childText(datum, 'Id')]) {
      if (key !== undefined && !propertyLabels.has(key)) propertyLabels.set(key, label);
    }
  }
  const manifest = childNode(node, 'Manifest');
  return {
    ...withDefined({ name: childText(manifest, 'Name'), version: childText(manifest, 'Version') }),
    elementTypes,
    threatTypes,
    categories,
    propertyLabels,
  };
}

/**
 * The role of a stencil: from its own generic type id when it names one, else by following the knowledge
 * base's parent types up to a generic one (bounded, so a cycle of parents ends).
 */
export function roleOf(
  knowledgeBase: KnowledgeBase,
  genericTypeId: string | undefined,
  typeId: string | undefined,
): GenericRole | undefined {
  const direct = genericTypeId === undefined ? undefined : lookup(GENERIC_ROLES, genericTypeId);
  if (direct !== undefined) return direct;
  let current = typeId;
  for (let step = 0; current !== undefined && step < MAX_TYPE_DEPTH; step++) {
    const role = lookup(GENERIC_ROLES, current);
    if (role !== undefined) return role;
    current = knowledgeBase.elementTypes.get(current)?.parentId;
  }
  return undefined;
}

/** The object without its undefined properties (optional properties must be absent, not undefined). */
export function withDefined<T extends Record<string, unknown>>(
  object: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) result[key] = value;
  return result as { [K in keyof T]?: Exclude<T[K], undefined> };
}
