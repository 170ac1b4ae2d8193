import { describe, expect, it } from 'vitest';
import type { ThreatModel } from '../schema/ThreatModel.js';
import { createModelIndex } from './ModelIndex.js';
import { SectionMap } from './SectionMap.js';

const model = {
  parapet: 1,
  model: { id: 'm', title: 'M' },
  elements: [
    { id: 'a', name: 'A', kind: 'process' },
    { id: 'b', name: 'B', kind: 'process' },
    { id: 'c', name: 'C', kind: 'process' },
  ],
  flows: [{ id: 'f', from: 'a', to: 'b' }],
} as ThreatModel;

describe('SectionMap', () => {
  const index = createModelIndex(model);
  const map = new SectionMap(index, 'elements', model.elements ?? [], [1, undefined, 3]);

  it('answers like a Map over the ids of one section', () => {
    expect(map.get('a')).toBe(1);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('f')).toBeUndefined();
    expect(map.get('nope')).toBeUndefined();
    expect([map.has('a'), map.has('b'), map.has('f')]).toEqual([true, false, false]);
    expect(map.size).toBe(2);
    expect([...map]).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect([...map.keys()]).toEqual(['a', 'c']);
    expect([...map.values()]).toEqual([1, 3]);
    const seen: string[] = [];
    map.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen).toEqual(['a=1', 'c=3']);
    expect(Object.fromEntries(map)).toEqual({ a: 1, c: 3 });
  });

  it('is built on the index: flows know their ends by position', () => {
    expect(Array.from(index.flowEnds)).toEqual([0, 1]);
  });
});
