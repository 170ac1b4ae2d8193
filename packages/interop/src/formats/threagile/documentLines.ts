import type { PathSegment } from '@parapet/core';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Pair } from 'yaml';

/**
 * The line of any path in a YAML text, for texts the fast reader leaves to the full parser. The shared
 * reader's `line(path)` searches the items of each mapping on the way, which is quadratic when an importer
 * asks for the line of each of many siblings; this index builds each mapping's key table once, on first use.
 * Call it only on a text the shared reader has accepted (size, depth and aliases are then bounded).
 * Lines are those of the keys (and of the items of sequences), as the fast reader gives them.
 */
export function documentLines(text: string): (path: readonly PathSegment[]) => number {
  const lineCounter = new LineCounter();
  // Duplicate keys were refused by the shared reader; checking them again is quadratic in the yaml library.
  const document = parseDocument(text, { lineCounter, keepSourceTokens: false, logLevel: 'silent', uniqueKeys: false });
  const tables = new WeakMap<object, Map<string, Pair>>();
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  /** The pairs of a mapping by key, the first of equal keys winning (as the shared reader's search does). */
  const tableOf = (map: { readonly items: readonly Pair[] }): Map<string, Pair> => {
    let table = tables.get(map);
    if (!table) {
      table = new Map();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && !table.has(key)) table.set(key, pair);
      }
      tables.set(map, table);
    }
    return table;
  };
  return (path) => {
    let node: unknown = document.contents;
    let line = lineAt(document.contents?.range?.[0]);
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(document);
      if (isMap(node)) {
        const pair = tableOf(node).get(String(segment));
        if (!pair || !isScalar(pair.key)) break;
        line = lineAt(pair.key.range?.[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item: unknown = node.items[segment];
        if (item === undefined || item === null || typeof item !== 'object' || !('range' in item)) break;
        line = lineAt((item as { range?: readonly number[] }).range?.[0]);
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
}
