import type { Point } from '../geometry.js';
import { readAttributes, type AttributeSet } from './attributes.js';
import type { ImportContext } from './context.js';
import { roleOf } from './knowledgeBase.js';
import type { XmlNode } from './readXml.js';
import type { GenericRole } from './tables.js';
import { asNode, childNode, childNumber, childText, children } from './xmlNodes.js';

/** A rectangle on the canvas. */
export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What stencils and lines have in common: their identity, type and display attributes. */
export interface DrawnItem {
  readonly guid: string | undefined;
  readonly typeId: string | undefined;
  readonly role: GenericRole | undefined;
  readonly attributes: AttributeSet;
  /** XPath of the item's value element. */
  readonly at: string;
  readonly line: number | undefined;
}

/** An entry of a diagram's `Borders`: a stencil (process, external interactor, data store) or a box. */
export interface Stencil extends DrawnItem {
  readonly box: Rectangle | undefined;
}

/** An entry of a diagram's `Lines`: a data flow or a line boundary, drawn from source through handle to target. */
export interface Connector extends DrawnItem {
  readonly sourceGuid: string | undefined;
  readonly targetGuid: string | undefined;
  /** Source point, handle (when drawn), target point; undefined when the coordinates are missing. */
  readonly points: readonly Point[] | undefined;
}

/** One diagram (`DrawingSurfaceModel`) as read, before mapping. */
export interface Surface {
  readonly guid: string | undefined;
  readonly header: string | undefined;
  readonly attributes: AttributeSet;
  readonly stencils: readonly Stencil[];
  readonly connectors: readonly Connector[];
  readonly at: string;
  readonly line: number | undefined;
}

const SURFACES_PATH = '/ThreatModel/DrawingSurfaceList';

/** Reads every diagram of the model, in document order. */
export function readSurfaces(root: XmlNode, context: ImportContext): Surface[] {
  const list = childNode(root, 'DrawingSurfaceList');
  return children(list, 'DrawingSurfaceModel').map((value, index) =>
    readSurface(asNode(value), `${SURFACES_PATH}/DrawingSurfaceModel[${index + 1}]`, context),
  );
}

/** One diagram: its name, stencils and lines. */
function readSurface(node: XmlNode | undefined, at: string, context: ImportContext): Surface {
  const stencils = entries(childNode(node, 'Borders')).map(({ value, path }) =>
    readStencil(value, `${at}/Borders/${path}/Value`, context),
  );
  const connectors = entries(childNode(node, 'Lines')).map(({ value, path }) =>
    readConnector(value, `${at}/Lines/${path}/Value`, context),
  );
  return {
    guid: childText(node, 'Guid'),
    header: childText(node, 'Header'),
    attributes: readAttributes(node, at, context.lineOf),
    stencils,
    connectors,
    at,
    line: context.lineOf(node),
  };
}

/** The `Value` of every key-value entry of a dictionary element, with its XPath step. */
function entries(dictionary: XmlNode | undefined): { value: XmlNode | undefined; path: string }[] {
  if (dictionary === undefined) return [];
  const result: { value: XmlNode | undefined; path: string }[] = [];
  for (const name of Object.keys(dictionary)) {
    if (name.startsWith('@_') || name.startsWith('#')) continue;
    children(dictionary, name).forEach((entry, index) => {
      result.push({ value: childNode(asNode(entry), 'Value'), path: `${name}[${index + 1}]` });
    });
  }
  return result;
}

/** What every drawn item has: guid, type, role, attributes, position in the source. */
function readItem(node: XmlNode | undefined, at: string, context: ImportContext): DrawnItem {
  const typeId = childText(node, 'TypeId');
  return {
    guid: childText(node, 'Guid'),
    typeId: typeId ?? childText(node, 'GenericTypeId'),
    role: roleOf(context.knowledgeBase, childText(node, 'GenericTypeId'), typeId),
    attributes: readAttributes(node, at, context.lineOf),
    at,
    line: context.lineOf(node),
  };
}

/** A `Borders` entry with its rectangle (Left, Top, Width, Height). */
function readStencil(node: XmlNode | undefined, at: string, context: ImportContext): Stencil {
  const x = childNumber(node, 'Left');
  const y = childNumber(node, 'Top');
  const width = childNumber(node, 'Width');
  const height = childNumber(node, 'Height');
  const box =
    x === undefined || y === undefined || width === undefined || height === undefined || width < 0 || height < 0
      ? undefined
      : { x, y, width, height };
  return { ...readItem(node, at, context), box };
}

/** A `Lines` entry with its ends and its points. */
function readConnector(node: XmlNode | undefined, at: string, context: ImportContext): Connector {
  const point = (prefix: string): Point | undefined => {
    const x = childNumber(node, `${prefix}X`);
    const y = childNumber(node, `${prefix}Y`);
    return x === undefined || y === undefined ? undefined : { x, y };
  };
  const source = point('Source');
  const handle = point('Handle');
  const target = point('Target');
  const points =
    source === undefined || target === undefined
      ? undefined
      : handle === undefined
        ? [source, target]
        : [source, handle, target];
  return {
    ...readItem(node, at, context),
    sourceGuid: childText(node, 'SourceGuid'),
    targetGuid: childText(node, 'TargetGuid'),
    points,
  };
}
