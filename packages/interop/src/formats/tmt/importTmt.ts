import { ImportError, type ImportResult } from '../../ImportResult.js';
import { mapSurfaceBoundaries, type SurfaceBoundaries } from './boundaries.js';
import { ImportContext, LIMITS, quote, type Boundary, type Element, type View } from './context.js';
import { mapConnector, mapStencil, nameOf, noteRest, type MappedElement, type MappedFlow } from './elements.js';
import { readKnowledgeBase } from './knowledgeBase.js';
import { mapModelInfo } from './modelInfo.js';
import { readXml, type XmlDocument } from './readXml.js';
import { readSurfaces, type Connector, type Stencil, type Surface } from './surfaces.js';
import { mapThreats } from './threats.js';
import { childNode } from './xmlNodes.js';

/** What one diagram yielded, kept together for its view. */
interface SurfaceResult {
  readonly surface: Surface;
  readonly elements: MappedElement[];
  readonly flows: MappedFlow[];
  readonly borders: Stencil[];
  /** Lines that are data flows, mapped once every diagram's elements are known. */
  readonly connectors: Connector[];
  /** Line boundaries. */
  readonly lines: Connector[];
}

/**
 * Imports a Microsoft Threat Modeling Tool model (`.tm7`, DataContract XML). Each diagram becomes a view;
 * its stencils become elements (kind and technology from the stencil type and the embedded knowledge base),
 * its border boundaries boundaries (members by geometry), its line boundaries zones (by the flows crossing
 * them), its lines flows; the stored threat instances become manual threats with decisions from their
 * states. Everything that does not map is listed in `unmapped`. Throws ImportError for anything that is not
 * a readable model (a template `.tb7`, malformed or hostile XML, another root element).
 */
export function importTmt(text: string, file: string): ImportResult {
  const document = readXml(text, file);
  checkRoot(document, file);
  const root = document.root;
  const context = new ImportContext(file, document.lineOf, readKnowledgeBase(childNode(root, 'KnowledgeBase')));
  const results = readSurfaces(root, context).map((surface) => mapSurfaceItems(surface, context));
  const elementsByGuid = indexElements(results, context);
  for (const result of results) {
    for (const connector of result.connectors) {
      const mapped = mapConnector(connector, elementsByGuid, context);
      if (mapped !== undefined) result.flows.push(mapped);
    }
  }
  const surfaceBoundaries = results.map((result) =>
    mapSurfaceBoundaries(result.borders, result.lines, result.elements, result.flows, context),
  );
  const elements = results.flatMap((result, index) => placeElements(result, surfaceBoundaries[index]));
  const flows = results.flatMap((result) => result.flows.map(({ flow }) => flow));
  const boundaries = surfaceBoundaries.flatMap((found) => boundariesOf(found));
  const { threats, decisions } = mapThreats(
    root,
    {
      elements: new Map([...elementsByGuid].map(([guid, { element }]) => [guid, element])),
      flows: flowsByGuid(results),
    },
    context,
  );
  const views = results.map((result, index) =>
    viewOf(result, surfaceBoundaries[index], index, results.length > 1, context),
  );
  const { model, assumptions } = mapModelInfo(root, context);
  return {
    format: 'ms-tmt',
    model: {
      parapet: 1,
      model,
      ...(boundaries.length === 0 ? {} : { boundaries }),
      ...(elements.length === 0 ? {} : { elements }),
      ...(flows.length === 0 ? {} : { flows }),
      ...(threats.length === 0 ? {} : { threats, decisions }),
      ...(assumptions.length === 0 ? {} : { assumptions }),
      ...(views.length === 0 ? {} : { views }),
    },
    unmapped: context.unmapped,
  };
}

/** Refuses a template (root `KnowledgeBase`: stencil and threat types, no diagram) and any other document. */
function checkRoot(document: XmlDocument, file: string): void {
  if (document.rootName === 'ThreatModel') return;
  const line = document.rootLine;
  if (document.rootName === 'KnowledgeBase') {
    throw new ImportError(
      'this is a Threat Modeling Tool template (.tb7, root element <KnowledgeBase>): it holds stencil and threat types but no diagram; import a model (.tm7) made from it',
      file,
      line,
    );
  }
  throw new ImportError(
    `not a Threat Modeling Tool model: the root element is <${document.rootName.slice(0, 100)}>, expected <ThreatModel>`,
    file,
    line,
  );
}

/** Maps a diagram's stencils to elements and sorts out its boxes, lines and what is neither. */
function mapSurfaceItems(surface: Surface, context: ImportContext): SurfaceResult {
  const result: SurfaceResult = { surface, elements: [], flows: [], borders: [], connectors: [], lines: [] };
  for (const stencil of surface.stencils) {
    const role = stencil.role;
    if (role === 'process' || role === 'external' || role === 'datastore') {
      const mapped = mapStencil(stencil, role, context);
      result.elements.push(mapped);
      if (stencil.box === undefined) {
        context.note(
          stencil.at,
          stencil.line,
          `position of ${quote(mapped.element.name)}`,
          'missing or not numbers: the element is in no border boundary and has no place in the view',
        );
      }
    } else if (role === 'border-boundary') {
      result.borders.push(stencil);
    } else {
      noteOddItem(stencil, role === 'annotation' ? 'text block' : 'diagram item', context);
    }
  }
  for (const connector of surface.connectors) {
    if (connector.role === 'flow') result.connectors.push(connector);
    else if (connector.role === 'line-boundary') result.lines.push(connector);
    else noteOddItem(connector, 'line', context);
  }
  return result;
}

/** Records a drawn item that is not an element, flow or boundary: an annotation, an unknown type. */
function noteOddItem(item: Stencil | Connector, what: string, context: ImportContext): void {
  const name = nameOf(item.attributes, context, item.typeId, '', item.at, item.line);
  const type = item.typeId === undefined ? 'no type' : `type ${quote(item.typeId)}`;
  const reason =
    item.role === 'annotation'
      ? 'free text on the diagram: Parapet has no text blocks'
      : `of ${type}, which is not a process, interactor, data store, flow or boundary in the knowledge base: not imported`;
  context.note(item.at, item.line, `${what}${name === '' ? '' : ` ${quote(name)}`}`, reason);
}

/** The elements by the guid flows and threats name them with; a guid seen twice keeps its first element. */
function indexElements(results: readonly SurfaceResult[], context: ImportContext): Map<string, MappedElement> {
  const byGuid = new Map<string, MappedElement>();
  for (const result of results) {
    for (const mapped of result.elements) {
      const guid = mapped.stencil.guid;
      if (guid === undefined) continue;
      if (byGuid.has(guid)) {
        context.note(
          mapped.stencil.at,
          mapped.stencil.line,
          `guid ${quote(guid)} of ${quote(mapped.element.name)}`,
          'another stencil has the same guid: flows and threats naming it go to the first',
        );
      } else {
        byGuid.set(guid, mapped);
      }
    }
  }
  return byGuid;
}

/** The flows by guid, with their ids and names, for threats to name. */
function flowsByGuid(results: readonly SurfaceResult[]): Map<string, { id: string; name: string }> {
  const byGuid = new Map<string, { id: string; name: string }>();
  for (const result of results) {
    for (const { flow, connector } of result.flows) {
      if (connector.guid !== undefined && !byGuid.has(connector.guid)) {
        byGuid.set(connector.guid, { id: flow.id, name: flow.name ?? flow.id });
      }
    }
  }
  return byGuid;
}

/** A diagram's elements with their innermost boundary set. */
function placeElements(result: SurfaceResult, boundaries: SurfaceBoundaries | undefined): Element[] {
  return result.elements.map(({ element }) => {
    const boundary = boundaries?.elementBoundary.get(element.id);
    return boundary === undefined ? element : { ...element, boundary };
  });
}

/** A diagram's boundaries: its boxes, then the zones of its line boundaries. */
function boundariesOf(boundaries: SurfaceBoundaries | undefined): Boundary[] {
  return [...(boundaries?.borders.map(({ boundary }) => boundary) ?? []), ...(boundaries?.zones ?? [])];
}

/**
 * A diagram as a view: its name, the positions of its stencils and boxes (Left, Top, Width, Height), and,
 * when the model has several diagrams, the elements and boundaries it shows.
 */
function viewOf(
  result: SurfaceResult,
  boundaries: SurfaceBoundaries | undefined,
  index: number,
  several: boolean,
  context: ImportContext,
): View {
  const { surface } = result;
  const named = surface.attributes.value('Name');
  surface.attributes.take('Name');
  const rawName = surface.header ?? named ?? `Diagram ${index + 1}`;
  const name = context.clamp(rawName, LIMITS.name, surface.at, surface.line, `diagram name ${quote(rawName)}`);
  noteRest(surface.attributes, context, name);
  const layout: NonNullable<View['layout']> = {};
  for (const { element, stencil } of result.elements) {
    if (stencil.box !== undefined) layout[element.id] = position(stencil.box);
  }
  for (const { boundary, box } of boundaries?.borders ?? []) {
    if (box !== undefined) layout[boundary.id] = position(box);
  }
  const include = [
    ...result.elements.map(({ element }) => element.id),
    ...boundariesOf(boundaries).map(({ id }) => id),
  ];
  return {
    id: context.ids.allocate(name, 'diagram'),
    name,
    ...(several ? { include } : {}),
    ...(Object.keys(layout).length === 0 ? {} : { layout }),
  };
}

/** A canvas position; a zero width or height is left out (Parapet sizes are positive). */
function position(box: { x: number; y: number; width: number; height: number }) {
  return {
    x: box.x,
    y: box.y,
    ...(box.width > 0 ? { width: box.width } : {}),
    ...(box.height > 0 ? { height: box.height } : {}),
  };
}
