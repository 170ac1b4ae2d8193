// Boxes for trust boundaries on a Threat Dragon canvas, where membership is geometric: a box drawn around its
// members, a tidy grid when a view has no positions, and a check that a drawing says what the model says.

import { containment, type Box } from '../geometry.js';

/** Space between a box's edge and what it holds. */
export const PADDING = 20;
/** Extra space at the top of a box for its label. */
export const HEADER = 30;
/** Space between neighbouring items in the grid layout. */
export const GAP = 60;
/** The smallest width or height Threat Dragon accepts. */
export const MIN_SIZE = 10;
/** Where the grid layout starts on the canvas. */
const ORIGIN = 40;

/** A position and size on the canvas. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The smallest box around the rectangles with padding (and room for a label at the top), or undefined when there are none. */
export function surround(rects: readonly Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const rect of rects) {
    left = Math.min(left, rect.x);
    top = Math.min(top, rect.y);
    right = Math.max(right, rect.x + rect.width);
    bottom = Math.max(bottom, rect.y + rect.height);
  }
  return {
    x: left - PADDING,
    y: top - PADDING - HEADER,
    width: right - left + 2 * PADDING,
    height: bottom - top + 2 * PADDING + HEADER,
  };
}

/** The part of `rect` inside `limit` (so that a box drawn around members stays inside their enclosing box). */
export function clip(rect: Rect, limit: Rect): Rect {
  const left = Math.max(rect.x, limit.x);
  const top = Math.max(rect.y, limit.y);
  const right = Math.min(rect.x + rect.width, limit.x + limit.width);
  const bottom = Math.min(rect.y + rect.height, limit.y + limit.height);
  return { x: left, y: top, width: Math.max(right - left, MIN_SIZE), height: Math.max(bottom - top, MIN_SIZE) };
}

/** What a drawing must say: each element's innermost boundary and each boundary's parent (absent: none). */
export interface Membership {
  readonly elementBoundary: ReadonlyMap<string, string>;
  readonly boundaryParent: ReadonlyMap<string, string>;
}

/**
 * Where the drawing's geometry disagrees with the expected membership, in words (empty when it agrees):
 * an element whose centre lies in the wrong innermost box, or a box nested in the wrong box.
 */
export function membershipProblems(elements: readonly Box[], boxes: readonly Box[], expected: Membership): string[] {
  const actual = containment(elements, boxes);
  const problems: string[] = [];
  for (const element of elements) {
    const want = expected.elementBoundary.get(element.id);
    const got = actual.elementBoundary.get(element.id);
    if (want !== got) problems.push(`"${element.id}" would be read as inside ${describe(got)}, not ${describe(want)}`);
  }
  for (const box of boxes) {
    const want = expected.boundaryParent.get(box.id);
    const got = actual.boundaryParent.get(box.id);
    if (want !== got) problems.push(`box "${box.id}" would be read as inside ${describe(got)}, not ${describe(want)}`);
  }
  return problems;
}

function describe(boundary: string | undefined): string {
  return boundary === undefined ? 'no boundary' : `"${boundary}"`;
}

/** An item to place in the grid layout. */
export interface GridElement {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** The innermost boundary drawn with it, if any. */
  readonly boundary?: string;
}

export interface GridBoundary {
  readonly id: string;
  /** The enclosing boundary drawn with it, if any. */
  readonly parent?: string;
}

interface Sized {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Offsets of the contents (for boundaries), relative to the box's corner. */
  readonly contents: readonly { readonly item: Sized; readonly dx: number; readonly dy: number }[];
}

/**
 * A tidy layout: each boundary is a box holding its elements and nested boundaries in rows (about as many
 * rows as columns), boxes never overlap, and every element sits only in its own boundaries. Boundaries
 * whose parent chain loops are placed at the top level.
 */
export function gridLayout(elements: readonly GridElement[], boundaries: readonly GridBoundary[]): Map<string, Rect> {
  const known = new Set(boundaries.map((boundary) => boundary.id));
  const children = new Map<string, { boundaries: string[]; elements: GridElement[] }>();
  const childrenOf = (key: string): { boundaries: string[]; elements: GridElement[] } => {
    let entry = children.get(key);
    if (entry === undefined) {
      entry = { boundaries: [], elements: [] };
      children.set(key, entry);
    }
    return entry;
  };
  const rootKey = '';
  const parents = acyclicParents(boundaries, known);
  for (const boundary of boundaries) childrenOf(parents.get(boundary.id) ?? rootKey).boundaries.push(boundary.id);
  for (const element of elements) {
    const boundary = element.boundary !== undefined && known.has(element.boundary) ? element.boundary : rootKey;
    childrenOf(boundary).elements.push(element);
  }
  const sizeOf = (key: string): Sized => {
    const entry = childrenOf(key);
    const items: Sized[] = [
      ...entry.elements.map((element) => ({
        id: element.id,
        width: element.width,
        height: element.height,
        contents: [],
      })),
      ...entry.boundaries.map(sizeOf),
    ];
    const top = key === rootKey ? 0 : PADDING + HEADER;
    const side = key === rootKey ? 0 : PADDING;
    const rows = arrangeInRows(items);
    return {
      id: key,
      width: rows.width + 2 * side,
      height: rows.height + top + side,
      contents: shift(rows.placed, side, top),
    };
  };
  const layout = new Map<string, Rect>();
  const place = (item: Sized, x: number, y: number): void => {
    layout.set(item.id, { x, y, width: item.width, height: item.height });
    for (const content of item.contents) place(content.item, x + content.dx, y + content.dy);
  };
  for (const content of sizeOf(rootKey).contents) place(content.item, ORIGIN + content.dx, ORIGIN + content.dy);
  return layout;
}

/** Parents by boundary id, leaving out parents that are not drawn and links that would close a loop. */
function acyclicParents(boundaries: readonly GridBoundary[], known: ReadonlySet<string>): Map<string, string> {
  const parents = new Map<string, string>();
  for (const boundary of boundaries) {
    if (boundary.parent !== undefined && known.has(boundary.parent)) parents.set(boundary.id, boundary.parent);
  }
  for (const boundary of boundaries) {
    const seen = new Set<string>([boundary.id]);
    for (let current = parents.get(boundary.id); current !== undefined; current = parents.get(current)) {
      if (seen.has(current)) {
        parents.delete(boundary.id);
        break;
      }
      seen.add(current);
    }
  }
  return parents;
}

/** Items in rows of about the square root of their number, left to right, `GAP` apart. */
function arrangeInRows(items: readonly Sized[]): {
  width: number;
  height: number;
  placed: { item: Sized; dx: number; dy: number }[];
} {
  const columns = Math.max(1, Math.ceil(Math.sqrt(items.length)));
  const placed: { item: Sized; dx: number; dy: number }[] = [];
  let width = 0;
  let y = 0;
  for (let start = 0; start < items.length; start += columns) {
    const row = items.slice(start, start + columns);
    let x = 0;
    let rowHeight = 0;
    for (const item of row) {
      placed.push({ item, dx: x, dy: y });
      x += item.width + GAP;
      rowHeight = Math.max(rowHeight, item.height);
    }
    width = Math.max(width, x - GAP);
    y += rowHeight + GAP;
  }
  return { width, height: Math.max(y - GAP, 0), placed };
}

function shift(
  placed: readonly { item: Sized; dx: number; dy: number }[],
  dx: number,
  dy: number,
): { item: Sized; dx: number; dy: number }[] {
  return placed.map((entry) => ({ item: entry.item, dx: entry.dx + dx, dy: entry.dy + dy }));
}
