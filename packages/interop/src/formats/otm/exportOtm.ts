import { enrichModel, type Analysis, type ModelEnrichment, type ThreatModel } from '@parapet/core';
import type { ExportResult } from '../../ImportResult.js';
import { ExportContext } from './exportContext.js';
import { exportThreats } from './exportOtmThreats.js';
import { encodeAttributes, OUTSIDE_ATTRIBUTE } from './otmAttributes.js';
import { OTM_FORMAT } from './otmContext.js';
import {
  withAttributes,
  type OtmAsset,
  type OtmComponent,
  type OtmDataflow,
  type OtmDocument,
  type OtmRepresentation,
  type OtmRepresentationElement,
  type OtmThreatInstance,
  type OtmTrustZone,
} from './otmDocument.js';
import { needNumber, readComponentType } from './otmMapping.js';

type Boundary = NonNullable<ThreatModel['boundaries']>[number];
type Element = NonNullable<ThreatModel['elements']>[number];
type Flow = NonNullable<ThreatModel['flows']>[number];
type Asset = NonNullable<ThreatModel['assets']>[number];
type View = NonNullable<ThreatModel['views']>[number];

export interface ExportOtmOptions {
  /** The model's analysis (what `analyze()` returns): its generated threats are exported too, with their status. */
  readonly analysis?: Analysis;
}

/** What the threat instances and diagram placements of each item are, by Parapet id. */
interface ItemExtras {
  readonly instances: ReadonlyMap<string, OtmThreatInstance[]>;
  readonly placements: ReadonlyMap<string, OtmRepresentationElement[]>;
}

/**
 * Writes a model as an Open Threat Model document (OTM 0.2.0 JSON): boundaries become trust zones (nested
 * through `parent`, trust level as trust rating), elements components, flows dataflows, assets assets (needs
 * as 0-100 numbers), manual threats (and, given an analysis, generated ones) threats with instances on their
 * component or dataflow, decisions instance states, mitigations mitigations with their status as mitigation
 * instance state, views diagram representations. Parapet fields OTM has no place for travel as `parapet.`
 * attributes, which `importOtm` reads back; what OTM cannot hold at all is listed in `unmapped`.
 */
export function exportOtm(model: ThreatModel, options: ExportOtmOptions = {}): ExportResult {
  const context = new ExportContext();
  const boundaries = model.boundaries ?? [];
  const elements = model.elements ?? [];
  const boundaryIds = new Set(boundaries.map((boundary) => boundary.id));
  for (const item of [...boundaries, ...elements, ...(model.flows ?? []), ...(model.assets ?? [])]) {
    context.assign(item.id, item.origin);
  }
  const outside = elements.some((element) => element.boundary === undefined || !boundaryIds.has(element.boundary))
    ? context.unique('outside', 'outside-every-boundary')
    : undefined;
  const viewIds = new Map((model.views ?? []).map((view) => [view.id, context.unique(view.id)]));
  const placements = placeInViews(context, model, viewIds);
  const exported = exportThreats(context, model, options.analysis);
  const extras: ItemExtras = { placements, instances: exported.instances };
  const enrichment = enrichModel(model);
  const trustZones = boundaries.map((boundary, index) => exportBoundary(context, boundary, index, enrichment, extras));
  if (outside !== undefined) trustZones.push(outsideZone(outside));
  const document: OtmDocument = {
    otmVersion: '0.2.0',
    project: exportProject(model),
    ...nonEmpty(
      'representations',
      (model.views ?? []).map((view) => exportView(view, viewIds)),
    ),
    ...nonEmpty(
      'assets',
      (model.assets ?? []).map((asset, index) => exportAsset(context, asset, index)),
    ),
    ...nonEmpty(
      'components',
      elements.map((element) => exportElement(context, element, enrichment, outside ?? '', extras)),
    ),
    ...nonEmpty(
      'dataflows',
      (model.flows ?? []).map((flow) => exportFlow(context, flow, extras)),
    ),
    ...nonEmpty('trustZones', trustZones),
    ...nonEmpty('threats', exported.threats),
    ...nonEmpty('mitigations', exported.mitigations),
  };
  noteOtherContent(context, model);
  return { format: OTM_FORMAT, text: `${JSON.stringify(document, null, 2)}\n`, unmapped: context.unmapped };
}

/** `{ [key]: list }` when the list has items, else nothing (to spread into the document). */
function nonEmpty<K extends string, T>(key: K, list: readonly T[]): Partial<Record<K, T[]>> {
  return list.length > 0 ? ({ [key]: [...list] } as Partial<Record<K, T[]>>) : {};
}

/** The model info as the project: title, id, description, first owner; the rest as `parapet.` attributes. */
function exportProject(model: ThreatModel): OtmDocument['project'] {
  const info = model.model;
  const owners = info.owners ?? [];
  const first = owners[0];
  const ownersFit = owners.length <= 1 && first?.role === undefined;
  return {
    name: info.title,
    id: info.id,
    ...(info.description === undefined ? {} : { description: info.description }),
    ...(first === undefined ? {} : { owner: first.name }),
    ...(first?.email === undefined ? {} : { ownerContact: first.email }),
    ...withAttributes(encodeAttributes('model', info, ownersFit ? ['owners'] : [])),
  };
}

/** A boundary as a trust zone; a boundary without a trust level gets the level Parapet derives for it. */
function exportBoundary(
  context: ExportContext,
  boundary: Boundary,
  index: number,
  enrichment: ModelEnrichment,
  extras: ItemExtras,
): OtmTrustZone {
  let trustRating = boundary.trustLevel;
  if (trustRating === undefined) {
    trustRating = enrichment.boundaryTrust.get(boundary.id) ?? 50;
    context.note(
      `boundaries[${index}].trustLevel`,
      `boundary ${boundary.id} without a trust level`,
      `OTM requires a trust rating: written as ${trustRating}, the level Parapet derives (inherited, or the kind's default), which reads back as stated`,
    );
  }
  const parent = boundary.parent === undefined ? undefined : context.otmId(boundary.parent);
  const placements = extras.placements.get(boundary.id) ?? [];
  return {
    id: context.otmId(boundary.id) ?? boundary.id,
    name: boundary.name,
    type: boundary.kind,
    ...(boundary.description === undefined ? {} : { description: boundary.description }),
    risk: { trustRating },
    ...(parent === undefined ? {} : { parent: { trustZone: parent } }),
    ...(placements.length > 0 ? { representations: placements } : {}),
    ...withAttributes(encodeAttributes('boundary', boundary)),
  };
}

/** The trust zone written for elements outside every boundary (OTM components need a parent); the importer drops it. */
function outsideZone(id: string): OtmTrustZone {
  return {
    id,
    name: 'Outside every trust boundary',
    type: 'internet',
    description: 'Elements the Parapet model places outside every trust boundary (trust 0).',
    risk: { trustRating: 0 },
    attributes: { [OUTSIDE_ATTRIBUTE]: 'true' },
  };
}

/**
 * An element as a component: its technology type (or kind) as type, its stored assets and those its flows
 * carry as stored and processed assets, its threats, and its kind as an attribute when the type does not imply it.
 */
function exportElement(
  context: ExportContext,
  element: Element,
  enrichment: ModelEnrichment,
  outside: string,
  extras: ItemExtras,
): OtmComponent {
  const type = element.type ?? element.kind;
  const tags = element.tags ?? [];
  const impliedKind = readComponentType(type, tags).kind;
  const stored = context.otmIds(element.stores);
  const processed = context.otmIds(enrichment.elementAssets.get(element.id)?.processes);
  const zone = element.boundary === undefined ? undefined : context.otmId(element.boundary);
  const threats = extras.instances.get(element.id) ?? [];
  const placements = extras.placements.get(element.id) ?? [];
  return {
    id: context.otmId(element.id) ?? element.id,
    name: element.name,
    type,
    ...(element.description === undefined ? {} : { description: element.description }),
    parent: { trustZone: zone ?? outside },
    ...(placements.length > 0 ? { representations: placements } : {}),
    ...(stored.length > 0 || processed.length > 0
      ? { assets: { ...(processed.length > 0 ? { processed } : {}), ...(stored.length > 0 ? { stored } : {}) } }
      : {}),
    ...(threats.length > 0 ? { threats } : {}),
    ...(tags.length > 0 ? { tags: [...tags] } : {}),
    ...withAttributes(encodeAttributes('element', element, impliedKind === element.kind ? ['kind'] : [])),
  };
}

/** A flow as a dataflow (an unnamed flow gets an empty name: OTM requires one, and the importer reads it as none). */
function exportFlow(context: ExportContext, flow: Flow, extras: ItemExtras): OtmDataflow {
  const assets = context.otmIds(flow.data);
  const threats = extras.instances.get(flow.id) ?? [];
  return {
    id: context.otmId(flow.id) ?? flow.id,
    name: flow.name ?? '',
    ...(flow.description === undefined ? {} : { description: flow.description }),
    bidirectional: flow.bidirectional === true,
    source: context.otmId(flow.from) ?? flow.from,
    destination: context.otmId(flow.to) ?? flow.to,
    ...(assets.length > 0 ? { assets } : {}),
    ...(threats.length > 0 ? { threats } : {}),
    ...(flow.tags === undefined || flow.tags.length === 0 ? {} : { tags: [...flow.tags] }),
    ...withAttributes(encodeAttributes('flow', flow)),
  };
}

/** An asset, its needs as 0-100 numbers (low 25, medium 50, high 75, critical 100). */
function exportAsset(context: ExportContext, asset: Asset, index: number): OtmAsset {
  const risk = { confidentiality: 0, integrity: 0, availability: 0 };
  for (const key of ['confidentiality', 'integrity', 'availability'] as const) {
    const need = asset.needs?.[key];
    if (need === undefined) {
      context.note(
        `assets[${index}].needs.${key}`,
        `${key} need of ${asset.id} not stated`,
        'OTM requires a number: written as 0, which reads back as low',
      );
    } else risk[key] = needNumber(need);
  }
  return {
    id: context.otmId(asset.id) ?? asset.id,
    name: asset.name,
    ...(asset.description === undefined ? {} : { description: asset.description }),
    risk,
    ...withAttributes(encodeAttributes('asset', asset)),
  };
}

/** A view as a diagram representation, sized to hold its layout. */
function exportView(view: View, viewIds: ReadonlyMap<string, string>): OtmRepresentation {
  let width = 0;
  let height = 0;
  for (const position of Object.values(view.layout ?? {})) {
    width = Math.max(width, position.x + (position.width ?? 0));
    height = Math.max(height, position.y + (position.height ?? 0));
  }
  return {
    name: view.name,
    id: viewIds.get(view.id) ?? view.id,
    type: 'diagram',
    ...(view.description === undefined ? {} : { description: view.description }),
    ...(width > 0 && height > 0 ? { size: { width, height } } : {}),
    ...withAttributes(encodeAttributes('view', view)),
  };
}

/**
 * The representation elements of every boundary and element, by Parapet id: one per view that shows it
 * (all views show everything unless they list what they include), with its position and size there.
 */
function placeInViews(
  context: ExportContext,
  model: ThreatModel,
  viewIds: ReadonlyMap<string, string>,
): Map<string, OtmRepresentationElement[]> {
  const placements = new Map<string, OtmRepresentationElement[]>();
  const items = [...(model.boundaries ?? []), ...(model.elements ?? [])].map((item) => item.id);
  const known = new Set(items);
  (model.views ?? []).forEach((view, index) => {
    const viewId = viewIds.get(view.id) ?? view.id;
    const shown = view.include === undefined ? undefined : new Set(view.include);
    for (const id of Object.keys(view.layout ?? {})) {
      if (!known.has(id) || (shown !== undefined && !shown.has(id))) {
        context.note(
          `views[${index}].layout.${id}`,
          `position of ${id}`,
          'the item is not shown in the view; left out',
        );
      }
    }
    for (const id of items) {
      if (shown !== undefined && !shown.has(id)) continue;
      const position = view.layout?.[id];
      const element: OtmRepresentationElement = {
        representation: viewId,
        id: `${context.otmId(id) ?? id}@${viewId}`,
        ...(position === undefined ? {} : { position: { x: position.x, y: position.y } }),
      };
      if (position?.width !== undefined && position.height !== undefined)
        element.size = { width: position.width, height: position.height };
      else if (position?.width !== undefined || position?.height !== undefined) {
        context.note(
          `views[${index}].layout.${id}`,
          `size of ${id} with only a width or a height`,
          'an OTM size needs both; left out',
        );
      }
      const list = placements.get(id);
      if (list === undefined) placements.set(id, [element]);
      else list.push(element);
    }
  });
  return placements;
}

/** Notes the sections OTM has no place for, the includes, and where items came from. */
function noteOtherContent(context: ExportContext, model: ThreatModel): void {
  const sections = [
    ['actors', 'threat actor', 'OTM has no threat actors'],
    ['assumptions', 'assumption', 'OTM has no assumptions'],
    ['questions', 'question', 'OTM has no open questions'],
    ['sessions', 'session', 'OTM has no threat modeling sessions'],
    ['attackTrees', 'attack tree', 'OTM has no attack trees'],
    ['rules', 'rule', 'OTM has no threat rules'],
  ] as const;
  for (const [section, what, reason] of sections) {
    (model[section] ?? []).forEach((item, index) =>
      context.note(`${section}[${index}]`, `${what} ${item.id}`, `${reason}; left out`),
    );
  }
  if ((model.include ?? []).length > 0) {
    context.note(
      'include',
      `includes ${(model.include ?? []).join(', ')}`,
      'the included files are merged into the model that is exported',
    );
  }
  const origins: readonly ({ readonly format: string } | undefined)[] = [
    ...(model.boundaries ?? []),
    ...(model.elements ?? []),
    ...(model.flows ?? []),
    ...(model.assets ?? []),
    ...(model.threats ?? []),
    ...(model.mitigations ?? []),
  ].map((item) => item.origin);
  const fromElsewhere = origins.filter((origin) => origin !== undefined && origin.format !== OTM_FORMAT);
  if (fromElsewhere.length > 0) {
    context.note(
      'origin',
      `origin of ${fromElsewhere.length} items (where they were imported or discovered from)`,
      'OTM has no field for provenance; left out',
    );
  }
}
