// Plane geometry for importers whose trust boundaries are drawn rather than declared: boxes that hold
// elements (membership by containment) and lines that flows cross (zones by connectivity).

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Each element's innermost containing boundary box (by the element's centre) and each box's innermost containing box.
 *
 * A centre on a box's edge counts as inside. A box contains another when it covers it entirely (edges may
 * touch). "Innermost" is the containing box of least area; of two identical boxes, the later one in the input
 * lies inside the earlier one, so that nesting never forms a cycle.
 */
export function containment(
  elements: readonly Box[],
  boundaries: readonly Box[],
): { elementBoundary: Map<string, string>; boundaryParent: Map<string, string> } {
  // Outermost first: larger area first, then input order. A box can only be inside boxes before it.
  const order = boundaries.map((box, index) => ({ box, index, area: area(box) }));
  order.sort((a, b) => b.area - a.area || a.index - b.index);
  const elementBoundary = new Map<string, string>();
  for (const element of elements) {
    const centre = centreOf(element);
    const innermost = findLast(order, order.length, (entry) => holdsPoint(entry.box, centre));
    if (innermost !== undefined) elementBoundary.set(element.id, innermost.box.id);
  }
  const boundaryParent = new Map<string, string>();
  order.forEach((entry, position) => {
    const parent = findLast(order, position, (candidate) => holdsBox(candidate.box, entry.box));
    if (parent !== undefined) boundaryParent.set(entry.box.id, parent.box.id);
  });
  return { elementBoundary, boundaryParent };
}

/**
 * Whether the segment a-b crosses the polyline: a proper intersection with one of its segments (the two
 * cross at a point inside both), or passing through one of the polyline's bends from one side to the other.
 * Touching, ending on the line and running along it are not crossings.
 */
export function crossesPolyline(a: Point, b: Point, polyline: readonly Point[]): boolean {
  for (let i = 0; i + 1 < polyline.length; i++) {
    const p = polyline[i] as Point;
    const q = polyline[i + 1] as Point;
    if (properlyIntersect(a, b, p, q)) return true;
  }
  for (let i = 1; i + 1 < polyline.length; i++) {
    if (crossesAtBend(a, b, polyline[i - 1] as Point, polyline[i] as Point, polyline[i + 1] as Point)) return true;
  }
  return false;
}

/**
 * Zones from line boundaries: removes the flows that cross any line boundary, groups the elements into
 * connected components over the remaining flows (both directions), and returns one zone per component
 * that holds no external entity and is separated from some other component by a crossing flow (the
 * component(s) holding external entities are "outside"). Deterministic order (by first element in input order).
 *
 * `lines` of a zone are the lines crossed by the flows that separate it from other components, in the order
 * the flows come. Flows naming an element that is not in `elements` are ignored.
 */
export function zonesFromLines(
  elements: readonly { id: string; external: boolean }[],
  flows: readonly { from: string; to: string; crosses: readonly string[] }[],
): { members: string[]; lines: string[] }[] {
  const index = new Map<string, number>();
  elements.forEach((element, i) => {
    if (!index.has(element.id)) index.set(element.id, i);
  });
  const groups = new DisjointSets(elements.length);
  for (const flow of flows) {
    const from = index.get(flow.from);
    const to = index.get(flow.to);
    if (from !== undefined && to !== undefined && flow.crosses.length === 0) groups.join(from, to);
  }
  const linesByRoot = new Map<number, Set<string>>();
  for (const flow of flows) {
    const from = index.get(flow.from);
    const to = index.get(flow.to);
    if (from === undefined || to === undefined || flow.crosses.length === 0) continue;
    const fromRoot = groups.find(from);
    const toRoot = groups.find(to);
    if (fromRoot === toRoot) continue;
    for (const root of [fromRoot, toRoot]) {
      const lines = linesByRoot.get(root) ?? new Set<string>();
      for (const line of flow.crosses) lines.add(line);
      linesByRoot.set(root, lines);
    }
  }
  const membersByRoot = new Map<number, string[]>();
  const outside = new Set<number>();
  elements.forEach((element, i) => {
    if (index.get(element.id) !== i) return;
    const root = groups.find(i);
    const members = membersByRoot.get(root) ?? [];
    members.push(element.id);
    membersByRoot.set(root, members);
    if (element.external) outside.add(root);
  });
  const zones: { members: string[]; lines: string[] }[] = [];
  for (const [root, members] of membersByRoot) {
    const lines = linesByRoot.get(root);
    if (outside.has(root) || lines === undefined) continue;
    zones.push({ members, lines: [...lines] });
  }
  return zones;
}

/** Union-find over 0..size-1 with path halving and union by size: near-linear grouping. */
class DisjointSets {
  readonly #parent: number[];
  readonly #size: number[];

  constructor(size: number) {
    this.#parent = Array.from({ length: size }, (_, i) => i);
    this.#size = new Array<number>(size).fill(1);
  }

  /** The representative of the set holding `item`. */
  find(item: number): number {
    let current = item;
    for (;;) {
      const parent = this.#parent[current] as number;
      if (parent === current) return current;
      const grandparent = this.#parent[parent] as number;
      this.#parent[current] = grandparent;
      current = grandparent;
    }
  }

  /** Merges the sets holding `a` and `b`. */
  join(a: number, b: number): void {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return;
    if ((this.#size[rootA] as number) < (this.#size[rootB] as number)) [rootA, rootB] = [rootB, rootA];
    this.#parent[rootB] = rootA;
    this.#size[rootA] = (this.#size[rootA] as number) + (this.#size[rootB] as number);
  }
}

/** The middle of a box. */
function centreOf(box: Box): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

function area(box: Box): number {
  return box.width * box.height;
}

/** Whether the point lies in the box or on its edge. */
function holdsPoint(box: Box, point: Point): boolean {
  return point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y && point.y <= box.y + box.height;
}

/** Whether `outer` covers `inner` entirely (shared edges allowed). */
function holdsBox(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** The last of the first `end` items that matches the test, scanning backwards. */
function findLast<T>(items: readonly T[], end: number, test: (item: T) => boolean): T | undefined {
  for (let i = end - 1; i >= 0; i--) {
    const item = items[i] as T;
    if (test(item)) return item;
  }
  return undefined;
}

/** Twice the signed area of the triangle a, b, c: positive when c is left of a->b, zero when collinear. */
function orientation(a: Point, b: Point, c: Point): number {
  return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

/** Whether segments a-b and p-q cross at a single point strictly inside both. */
function properlyIntersect(a: Point, b: Point, p: Point, q: Point): boolean {
  const d1 = Math.sign(orientation(a, b, p));
  const d2 = Math.sign(orientation(a, b, q));
  const d3 = Math.sign(orientation(p, q, a));
  const d4 = Math.sign(orientation(p, q, b));
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/**
 * Whether segment a-b passes through the bend `vertex` strictly between its ends, with the polyline's
 * neighbouring points on opposite sides of it.
 */
function crossesAtBend(a: Point, b: Point, before: Point, vertex: Point, after: Point): boolean {
  if (orientation(a, b, vertex) !== 0) return false;
  const along = (vertex.x - a.x) * (b.x - a.x) + (vertex.y - a.y) * (b.y - a.y);
  const length = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
  if (!(along > 0 && along < length)) return false;
  return Math.sign(orientation(a, b, before)) * Math.sign(orientation(a, b, after)) < 0;
}
