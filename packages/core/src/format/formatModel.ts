import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, type Node as YamlNode } from 'yaml';
import type { PathSegment } from '../diagnostics/Diagnostic.js';
import { DEFAULT_LIMITS, type ParseLimits } from '../parse/limits.js';
import { parseSource, type ParseProblem } from '../parse/parseSource.js';
import { threatModelSchema } from '../schema/ThreatModel.js';
import { getObjectKeysAt } from '../validate/fromZodIssues.js';

export type FormatResult = { ok: true; text: string; changed: boolean } | { ok: false; problems: ParseProblem[] };

/**
 * Rewrites a model file in canonical form: keys in the order the format defines them (unknown keys last,
 * in their own order), block layout with two-space indents, lists of plain values on one line, strings
 * quoted only where they must be, text that would pass column 110 as folded blocks wrapped there, a blank
 * line between top-level sections, comments kept. Idempotent.
 * JSON files come back as canonical JSON.
 *
 * @example
 * formatModelText('model: {title: T, id: t}\nparapet: 1\n', 'm.yaml').text
 * // 'parapet: 1\n\nmodel:\n  id: t\n  title: T\n'
 */
export function formatModelText(text: string, fileName: string, limits: ParseLimits = DEFAULT_LIMITS): FormatResult {
  const parsed = parseSource(fileName, text, limits);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  let out: string;
  if (/\.json$/i.test(fileName)) {
    out = `${JSON.stringify(orderJson(file.data, []), null, 2)}\n`;
  } else {
    const doc = parseDocument(file.text, { uniqueKeys: true, logLevel: 'silent' });
    if (isMap(doc.contents)) {
      // A comment above the first key belongs to the file, not to whichever key is sorted first.
      const first = doc.contents.items[0]?.key;
      if (isScalar(first) && first.commentBefore) {
        doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n${first.commentBefore}` : first.commentBefore;
        first.commentBefore = null;
      }
    }
    out = printYaml(doc);
  }
  return { ok: true, text: out, changed: out !== text };
}

/**
 * Writes a model (a plain object, such as an importer builds) as a file in canonical form, the text
 * `formatModelText` would give for it, without printing and parsing it twice: JSON for a `.json` name, YAML
 * otherwise.
 *
 * @example
 * writeModelText({ model: { title: 'T', id: 't' }, parapet: 1 }, 'm.yaml') // 'parapet: 1\n\nmodel:\n  id: t\n  title: T\n'
 */
export function writeModelText(model: unknown, fileName: string): string {
  if (/\.json$/i.test(fileName)) return `${JSON.stringify(orderJson(model, []), null, 2)}\n`;
  return printYaml(new Document(model, { aliasDuplicateObjects: false }));
}

/** Orders a YAML document's keys and lays it out canonically, then prints it. */
function printYaml(doc: Document): string {
  if (doc.contents) orderYaml(doc.contents, [], 0, true);
  return doc.toString({
    indent: 2,
    indentSeq: true,
    lineWidth: LINE_WIDTH,
    flowCollectionPadding: false,
    defaultStringType: 'PLAIN',
    defaultKeyType: 'PLAIN',
  });
}

/** Key orders by path (list positions written as 0): the same few paths recur for every item of a model. */
const keyOrders = new Map<string, Map<string, number>>();

function keyOrder(path: readonly PathSegment[]): Map<string, number> {
  const id = path.map((segment) => (typeof segment === 'number' ? '#' : segment)).join('\u0000');
  let order = keyOrders.get(id);
  if (!order) {
    order = new Map(getObjectKeysAt(threatModelSchema, path).map((key, i) => [key, i]));
    // Free-form maps (layouts by id, extension data) have paths without end: do not keep those.
    if (keyOrders.size < 10_000) keyOrders.set(id, order);
  }
  return order;
}

function sortKeys<T>(items: T[], keyOf: (item: T) => string, path: readonly PathSegment[]): T[] {
  const order = keyOrder(path);
  return items
    .map((item, index) => ({ item, index, rank: order.get(keyOf(item)) ?? order.size + index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ item }) => item);
}

/**
 * Orders and lays out a node. `column` is where the node's first character lands when printed: keys of a
 * mapping, or the text of a scalar; it decides whether a text still fits on its line.
 */
function orderYaml(node: YamlNode, path: PathSegment[], column: number, isTop = false, flowColumn = column): void {
  if (isMap(node)) {
    node.flow = node.items.length === 0;
    node.items = sortKeys(node.items, (pair) => (isScalar(pair.key) ? String(pair.key.value) : ''), path);
    node.items.forEach((pair, i) => {
      const key = pair.key;
      const name = isScalar(key) ? String(key.value) : '';
      if (isTop && isScalar(key)) key.spaceBefore = i > 0;
      if (isScalar(key)) normalizeScalar(key, column);
      const value = pair.value as YamlNode | null;
      if (!value || typeof value !== 'object') return;
      if (isMap(value)) orderYaml(value, [...path, name], column + 2);
      else if (isSeq(value)) orderYaml(value, [...path, name], column + 2, false, column + name.length + 2);
      else orderYaml(value, [...path, name], column + name.length + 2);
    });
  } else if (isSeq(node)) {
    node.flow = node.items.length === 0 || isShortList(node.items, LINE_WIDTH - flowColumn);
    // `column` is where the dash goes; an item's content starts two columns later.
    for (const item of node.items) {
      if (item && typeof item === 'object') orderYaml(item as YamlNode, [...path, 0], column + 2);
    }
  } else if (isScalar(node)) {
    normalizeScalar(node, column);
  }
}

/** Text that would run past this column is written as a folded block (`>-`), wrapped at it. */
const LINE_WIDTH = 110;

function normalizeScalar(scalar: Scalar, column: number): void {
  if (typeof scalar.value !== 'string') return;
  const value = scalar.value;
  if (value.includes('\n')) {
    if (scalar.type !== Scalar.BLOCK_FOLDED) scalar.type = Scalar.BLOCK_LITERAL;
  } else if (column + value.length > LINE_WIDTH && !/^\s|\s$/.test(value)) {
    scalar.type = Scalar.BLOCK_FOLDED;
  } else {
    delete scalar.type;
  }
}

/** A list is written on one line when it is short words that fit, such as ids: `[waf, rate-limiting]`. */
function isShortList(items: readonly unknown[], room: number): boolean {
  if (items.length === 0) return false;
  let width = 0;
  for (const item of items) {
    if (!isScalar(item) || item.comment || item.commentBefore) return false;
    const text = String(item.value);
    if (text.length > 40 || !/^[\w.@/+-]+( [\w.@/+()-]+)*$/.test(text)) return false;
    width += text.length + 2;
  }
  return width <= room;
}

function orderJson(value: unknown, path: PathSegment[]): unknown {
  if (Array.isArray(value)) return value.map((item) => orderJson(item, [...path, 0]));
  if (value === null || typeof value !== 'object') return value;
  const entries = sortKeys(Object.entries(value), ([key]) => key, path);
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    Object.defineProperty(out, key, {
      value: orderJson(v, [...path, key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
