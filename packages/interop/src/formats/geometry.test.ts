import { describe, expect, it } from 'vitest';
import { containment, crossesPolyline, zonesFromLines, type Box } from './geometry.js';

const box = (id: string, x: number, y: number, width: number, height: number): Box => ({ id, x, y, width, height });

describe('containment', () => {
  it('puts each element in its innermost box and each box in its innermost enclosing box', () => {
    const boundaries = [
      box('outer', 0, 0, 1000, 1000),
      box('inner', 100, 100, 300, 300),
      box('core', 150, 150, 100, 100),
    ];
    const elements = [
      box('in-core', 160, 160, 40, 40), // centre (180, 180): inside core, inner and outer
      box('in-inner', 300, 300, 40, 40), // centre (320, 320): inside inner and outer only
      box('in-outer', 800, 800, 40, 40),
      box('outside', 2000, 2000, 40, 40),
    ];
    const { elementBoundary, boundaryParent } = containment(elements, boundaries);
    expect(Object.fromEntries(elementBoundary)).toEqual({
      'in-core': 'core',
      'in-inner': 'inner',
      'in-outer': 'outer',
    });
    expect(Object.fromEntries(boundaryParent)).toEqual({ inner: 'outer', core: 'inner' });
  });

  it('judges an element by its centre, and a centre on an edge is inside', () => {
    const boundaries = [box('zone', 0, 0, 100, 100)];
    const elements = [
      box('half-out', 60, 10, 80, 20), // centre (100, 20): on the right edge
      box('mostly-out', 70, 10, 80, 20), // centre (110, 20): outside, though it overlaps the box
    ];
    const { elementBoundary } = containment(elements, boundaries);
    expect(elementBoundary.get('half-out')).toBe('zone');
    expect(elementBoundary.has('mostly-out')).toBe(false);
  });

  it('does not nest boxes that only overlap, and nests the later of two identical boxes in the earlier', () => {
    const boundaries = [box('left', 0, 0, 100, 100), box('right', 50, 0, 100, 100), box('twin-a', 500, 500, 10, 10)];
    const twins = [...boundaries, box('twin-b', 500, 500, 10, 10)];
    const { boundaryParent, elementBoundary } = containment([box('dot', 504, 504, 2, 2)], twins);
    expect(boundaryParent.has('left')).toBe(false);
    expect(boundaryParent.has('right')).toBe(false);
    expect(boundaryParent.get('twin-b')).toBe('twin-a');
    expect(boundaryParent.has('twin-a')).toBe(false);
    expect(elementBoundary.get('dot')).toBe('twin-b');
  });

  it('accepts a box touching its parent from inside', () => {
    const { boundaryParent } = containment([], [box('parent', 0, 0, 100, 100), box('child', 0, 0, 50, 100)]);
    expect(boundaryParent.get('child')).toBe('parent');
  });
});

describe('crossesPolyline', () => {
  const line = [
    { x: 0, y: 50 },
    { x: 100, y: 50 },
    { x: 100, y: 150 },
  ];

  it('finds a segment that crosses one of the polyline segments', () => {
    expect(crossesPolyline({ x: 50, y: 0 }, { x: 50, y: 100 }, line)).toBe(true);
    expect(crossesPolyline({ x: 50, y: 100 }, { x: 150, y: 100 }, line)).toBe(true);
  });

  it('does not count a segment that stays on one side or stops short', () => {
    expect(crossesPolyline({ x: 10, y: 0 }, { x: 90, y: 40 }, line)).toBe(false);
    expect(crossesPolyline({ x: 50, y: 0 }, { x: 50, y: 49 }, line)).toBe(false);
    expect(crossesPolyline({ x: 150, y: 0 }, { x: 150, y: 200 }, line)).toBe(false);
  });

  it('does not count touching: ending on the line, or starting on it', () => {
    expect(crossesPolyline({ x: 50, y: 0 }, { x: 50, y: 50 }, line)).toBe(false);
    expect(crossesPolyline({ x: 50, y: 50 }, { x: 50, y: 100 }, line)).toBe(false);
  });

  it('does not count collinear segments, overlapping or not', () => {
    expect(crossesPolyline({ x: 20, y: 50 }, { x: 80, y: 50 }, line)).toBe(false);
    expect(crossesPolyline({ x: -50, y: 50 }, { x: 200, y: 50 }, line)).toBe(false);
    expect(crossesPolyline({ x: 300, y: 50 }, { x: 400, y: 50 }, line)).toBe(false);
  });

  it('counts passing through a bend from one side to the other, not grazing a bend', () => {
    // The bend at (100, 50): the line arrives from the left and leaves downwards; this segment passes exactly
    // through the bend with the left arm on one side and the lower arm on the other.
    expect(crossesPolyline({ x: 150, y: 0 }, { x: 50, y: 100 }, line)).toBe(true);
    // This one passes through the bend with both arms below it: it touches the corner, nothing more.
    expect(crossesPolyline({ x: 50, y: 0 }, { x: 150, y: 100 }, line)).toBe(false);
    // A segment through the bend with both neighbours on the same side only touches the line.
    const vee = [
      { x: 0, y: 0 },
      { x: 50, y: 50 },
      { x: 100, y: 0 },
    ];
    expect(crossesPolyline({ x: 0, y: 50 }, { x: 100, y: 50 }, vee)).toBe(false);
  });

  it('is false for a polyline of fewer than two points', () => {
    expect(crossesPolyline({ x: 0, y: 0 }, { x: 10, y: 10 }, [{ x: 5, y: 5 }])).toBe(false);
    expect(crossesPolyline({ x: 0, y: 0 }, { x: 10, y: 10 }, [])).toBe(false);
  });
});

describe('zonesFromLines', () => {
  const elements = [
    { id: 'user', external: true },
    { id: 'web', external: false },
    { id: 'api', external: false },
    { id: 'db', external: false },
    { id: 'lonely', external: false },
  ];

  it('makes a zone of each group cut off by crossing flows, leaving the group with external entities outside', () => {
    const zones = zonesFromLines(elements, [
      { from: 'user', to: 'web', crosses: ['edge'] },
      { from: 'web', to: 'api', crosses: [] },
      { from: 'api', to: 'db', crosses: ['data-line'] },
    ]);
    expect(zones).toEqual([
      { members: ['web', 'api'], lines: ['edge', 'data-line'] },
      { members: ['db'], lines: ['data-line'] },
    ]);
  });

  it('groups over flows in both directions and ignores a crossing flow inside one group', () => {
    const zones = zonesFromLines(elements, [
      { from: 'web', to: 'user', crosses: [] },
      { from: 'db', to: 'api', crosses: [] },
      { from: 'api', to: 'web', crosses: ['line'] },
      { from: 'db', to: 'api', crosses: ['line'] },
    ]);
    expect(zones).toEqual([{ members: ['api', 'db'], lines: ['line'] }]);
  });

  it('makes no zone when nothing crosses a line, or when the only other side is itself', () => {
    expect(zonesFromLines(elements, [{ from: 'web', to: 'api', crosses: [] }])).toEqual([]);
    expect(zonesFromLines(elements, [])).toEqual([]);
  });

  it('makes zones on both sides when neither holds an external entity, and ignores unknown elements', () => {
    const zones = zonesFromLines(elements, [
      { from: 'web', to: 'db', crosses: ['a', 'b'] },
      { from: 'web', to: 'ghost', crosses: ['c'] },
    ]);
    expect(zones).toEqual([
      { members: ['web'], lines: ['a', 'b'] },
      { members: ['db'], lines: ['a', 'b'] },
    ]);
  });

  it('orders zones by their first element in input order', () => {
    const reversed = [...elements].reverse();
    const flows = [
      { from: 'web', to: 'api', crosses: ['x'] },
      { from: 'api', to: 'db', crosses: ['y'] },
    ];
    expect(zonesFromLines(reversed, flows).map((zone) => zone.members)).toEqual([['db'], ['api'], ['web']]);
  });
});
