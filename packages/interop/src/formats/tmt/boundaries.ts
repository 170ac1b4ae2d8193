import { containment, crossesPolyline, zonesFromLines, type Point } from '../geometry.js';
import { LIMITS, quote, type Boundary, type ImportContext } from './context.js';
import { nameOf, noteRest, type MappedElement, type MappedFlow } from './elements.js';
import type { Connector, Rectangle, Stencil } from './surfaces.js';
import { BORDER_KINDS, lookup, type BoundaryKind } from './tables.js';

/** A boundary made from a box drawn on a diagram, and the box (for the view's layout). */
export interface MappedBorder {
  readonly boundary: Boundary;
  readonly box: Rectangle | undefined;
}

/** The boundaries of one diagram and the innermost boundary of each element on it. */
export interface SurfaceBoundaries {
  readonly borders: readonly MappedBorder[];
  readonly zones: readonly Boundary[];
  /** Element id to the id of its innermost boundary. */
  readonly elementBoundary: ReadonlyMap<string, string>;
}

/** Boundary kinds of the core template's line boundary types, for the zone behind the line. */
const LINE_KINDS: Readonly<Record<string, BoundaryKind>> = {
  'SE.TB.L.TMCore.Internet': 'network',
  'SE.TB.L.TMCore.Machine': 'host',
  'SE.TB.L.TMCore.Kernel': 'execution',
  'SE.TB.L.TMCore.AppContainer': 'execution',
};

/**
 * The boundaries of one diagram: border boundaries (boxes) hold the elements whose centre they cover and
 * nest by containment; line boundaries become zones, the groups of elements that flows join without
 * crossing a line (see zonesFromLines). An element keeps its innermost box; a top-level box whose elements
 * all lie in one zone is nested in that zone.
 */
export function mapSurfaceBoundaries(
  borderStencils: readonly Stencil[],
  lineConnectors: readonly Connector[],
  elements: readonly MappedElement[],
  flows: readonly MappedFlow[],
  context: ImportContext,
): SurfaceBoundaries {
  const borders = borderStencils.map((stencil) => mapBorder(stencil, context));
  const boxes = containment(
    elements.flatMap(({ element, stencil }) => (stencil.box === undefined ? [] : [{ id: element.id, ...stencil.box }])),
    borders.flatMap(({ boundary, box }) => (box === undefined ? [] : [{ id: boundary.id, ...box }])),
  );
  const { zones, elementZone } = mapLineBoundaries(lineConnectors, elements, flows, context);
  const parents = new Map(boxes.boundaryParent);
  const elementBoundary = new Map(boxes.elementBoundary);
  nestBordersInZones(borders, elements, parents, elementBoundary, elementZone, context);
  for (const [elementId, zoneId] of elementZone) {
    if (!elementBoundary.has(elementId)) elementBoundary.set(elementId, zoneId);
  }
  return {
    borders: borders.map(({ boundary, box }) => {
      const parent = parents.get(boundary.id);
      return { boundary: parent === undefined ? boundary : { ...boundary, parent }, box };
    }),
    zones,
    elementBoundary,
  };
}

/** A border boundary: name, kind from its type (CorpNet, Sandbox...; `other` for the generic one), origin. */
function mapBorder(stencil: Stencil, context: ImportContext): MappedBorder {
  const { attributes, at, line } = stencil;
  const name = nameOf(attributes, context, stencil.typeId, 'Trust boundary', at, line);
  const typeId = stencil.typeId ?? '';
  const typeName = typeId.startsWith('GE.') ? undefined : context.knowledgeBase.elementTypes.get(typeId)?.name;
  const boundary: Boundary = {
    id: context.ids.allocate(name, 'boundary'),
    name,
    kind: lookup(BORDER_KINDS, typeId) ?? 'other',
    ...(typeName === undefined ? {} : { description: `Threat Modeling Tool ${typeName}.` }),
    origin: context.origin(stencil.guid, line),
  };
  if (stencil.box === undefined) {
    context.note(at, line, `border boundary ${quote(name)}`, 'has no position on the diagram: it holds no element');
  }
  noteRest(attributes, context, name);
  return { boundary, box: stencil.box };
}

/** A line boundary with the polyline it is drawn as. */
interface DrawnLine {
  readonly key: string;
  readonly name: string;
  readonly connector: Connector;
  readonly polyline: readonly Point[];
}

/**
 * Zones from the line boundaries of one diagram: the flows that cross each line (any piece of the flow,
 * source to handle to target, against the line drawn source to handle to target), then zonesFromLines. Each
 * line's conversion is recorded in `unmapped`, since a line is not a Parapet boundary.
 */
function mapLineBoundaries(
  connectors: readonly Connector[],
  elements: readonly MappedElement[],
  flows: readonly MappedFlow[],
  context: ImportContext,
): { zones: Boundary[]; elementZone: Map<string, string> } {
  const lines: DrawnLine[] = [];
  connectors.forEach((connector, index) => {
    const name = nameOf(
      connector.attributes,
      context,
      connector.typeId,
      'Trust line boundary',
      connector.at,
      connector.line,
    );
    noteRest(connector.attributes, context, name);
    if (connector.points === undefined) {
      context.note(
        connector.at,
        connector.line,
        `line boundary ${quote(name)}`,
        'has no coordinates: it separates nothing, no zone made',
      );
    } else {
      lines.push({ key: String(index), name, connector, polyline: connector.points });
    }
  });
  const elementZone = new Map<string, string>();
  if (lines.length === 0) return { zones: [], elementZone };
  const crossings = flows.map(({ flow, connector }) => ({
    from: flow.from,
    to: flow.to,
    crosses: crossedLines(connector.points, lines),
  }));
  const found = zonesFromLines(
    elements.map(({ element }) => ({ id: element.id, external: element.kind === 'external' })),
    crossings,
  );
  const byKey = new Map(lines.map((line) => [line.key, line]));
  const names = new Map(elements.map(({ element }) => [element.id, element.name]));
  const zonesOfLine = new Map<string, string[]>();
  const zones = found.map((zone) => {
    const zoneLines = zone.lines.flatMap((key) => byKey.get(key) ?? []);
    const boundary = zoneBoundary(zone.members, zoneLines, names, context);
    for (const member of zone.members) elementZone.set(member, boundary.id);
    for (const line of zoneLines) zonesOfLine.set(line.key, [...(zonesOfLine.get(line.key) ?? []), boundary.name]);
    return boundary;
  });
  for (const line of lines) noteLineConversion(line, zonesOfLine.get(line.key), context);
  return { zones, elementZone };
}

/** The keys of the lines any piece of the flow crosses. */
function crossedLines(points: readonly Point[] | undefined, lines: readonly DrawnLine[]): string[] {
  if (points === undefined) return [];
  const crossed: string[] = [];
  for (const line of lines) {
    for (let index = 0; index + 1 < points.length; index++) {
      if (crossesPolyline(points[index] as Point, points[index + 1] as Point, line.polyline)) {
        crossed.push(line.key);
        break;
      }
    }
  }
  return crossed;
}

/** A zone as a Parapet boundary, named after its first member and the lines around it. */
function zoneBoundary(
  members: readonly string[],
  lines: readonly DrawnLine[],
  names: ReadonlyMap<string, string>,
  context: ImportContext,
): Boundary {
  const lineNames = listed([...new Set(lines.map((line) => line.name))]);
  const first = names.get(members[0] ?? '') ?? 'elements';
  const kinds = new Set(lines.map((line) => lookup(LINE_KINDS, line.connector.typeId ?? '') ?? 'other'));
  const [kind] = kinds.size === 1 ? kinds : ['other' as const];
  return {
    id: context.ids.allocate(`zone ${first}`, 'zone'),
    name: `Zone of ${first} behind ${lineNames}`.slice(0, LIMITS.name),
    kind: kind ?? 'other',
    description: `Elements joined by flows that cross no line boundary, separated from the rest by ${lineNames} (drawn as lines in the Threat Modeling Tool).`,
    origin: context.origin(lines.map((line) => line.connector.guid ?? '').join(','), lines[0]?.connector.line),
  };
}

/** Names joined by commas, at most five of them (the rest counted), so that a name or description stays short. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** Records how a line boundary became zones (or why it became none). */
function noteLineConversion(line: DrawnLine, zoneNames: readonly string[] | undefined, context: ImportContext): void {
  const what = `line boundary ${quote(line.name)}`;
  if (zoneNames === undefined) {
    context.note(
      line.connector.at,
      line.connector.line,
      what,
      'a line is not a Parapet boundary, and no flow crossing it separates a group of elements without external entities from the rest: no zone made',
    );
    return;
  }
  context.note(
    line.connector.at,
    line.connector.line,
    what,
    `a line is not a Parapet boundary: converted to the zone(s) ${listed(zoneNames.map(quote))}, the elements that flows reach without crossing it`,
  );
}

/**
 * Nests each top-level box in the zone holding all of its elements; an element whose box cannot be nested
 * so keeps its box only (Parapet gives an element one innermost boundary), and that is recorded.
 */
function nestBordersInZones(
  borders: readonly MappedBorder[],
  elements: readonly MappedElement[],
  parents: Map<string, string>,
  elementBoundary: ReadonlyMap<string, string>,
  elementZone: ReadonlyMap<string, string>,
  context: ImportContext,
): void {
  if (elementZone.size === 0) return;
  const topOf = (boundaryId: string): string => {
    let current = boundaryId;
    for (let step = 0; step <= borders.length; step++) {
      const parent = parents.get(current);
      if (parent === undefined) return current;
      current = parent;
    }
    return current;
  };
  const topOfElement = new Map<string, string>();
  const zonesOfTop = new Map<string, Set<string | undefined>>();
  for (const { element } of elements) {
    const box = elementBoundary.get(element.id);
    if (box === undefined) continue;
    const top = topOf(box);
    topOfElement.set(element.id, top);
    const set = zonesOfTop.get(top) ?? new Set<string | undefined>();
    set.add(elementZone.get(element.id));
    zonesOfTop.set(top, set);
  }
  for (const [top, zones] of zonesOfTop) {
    const [zone] = zones;
    if (zones.size === 1 && zone !== undefined) parents.set(top, zone);
  }
  for (const { element, stencil } of elements) {
    const top = topOfElement.get(element.id);
    const zone = elementZone.get(element.id);
    if (top === undefined || zone === undefined || parents.get(top) === zone) continue;
    context.note(
      stencil.at,
      stencil.line,
      `zone of ${quote(element.name)}`,
      'the element is inside a border boundary and behind a line boundary whose zone does not hold the whole box: it keeps the box only',
    );
  }
}
