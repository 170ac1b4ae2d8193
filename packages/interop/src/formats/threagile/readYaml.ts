import { DEFAULT_LIMITS, type PathSegment } from '@parapet/core';
import { CORE_SCHEMA, load, YAMLException, type State } from 'js-yaml';
import { ImportError } from '../../ImportResult.js';
import { MAX_INPUT_BYTES, type StructuredSource } from '../../source.js';

/**
 * Most nodes that aliases may add to a document, counted as if each alias were replaced by a copy of what it
 * names. js-yaml shares the named value instead of copying it, so a "billion laughs" document is small in
 * memory, but an importer's walk over it would not be: this keeps the walk within what a text at the size
 * limit could hold anyway.
 */
export const MAX_ALIAS_NODES = 1_000_000;

/** How deep nodes may nest while read: the nesting limit and one level of slack (see `#open`). */
const FRAMES = DEFAULT_LIMITS.maxDepth + 2;

/** What js-yaml 4.1.0 reads wrongly (`a:\n  -\n    -\n  - b` as `{a: [[null, b]]}`), said where it is. */
const EMPTY_LAST_ITEM =
  'an empty last item of a nested list ("-" alone, followed by a less indented "-") is not read correctly by js-yaml 4.1.0: write "- null" or remove it';

/** js-yaml's reasons that deserve Parapet's wording (as core words them). */
const REASONS: Readonly<Record<string, string>> = {
  'duplicated mapping key': 'duplicate key: a mapping has this key twice',
};

/**
 * Reads a YAML file with js-yaml (YAML 1.2 core schema: no merge keys, no timestamps, no other tags), about
 * ten times faster than the `yaml` library, with the line of every mapping key and sequence item. Bounded in
 * size, nesting and alias expansion; throws ImportError with the file, line and column of the first problem.
 */
export function readYaml(text: string, file: string): StructuredSource {
  if (text.length > MAX_INPUT_BYTES) {
    throw new ImportError(`the file is over the import limit of ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, file);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const nul = body.indexOf('\0');
  if (nul !== -1) throw errorAt('the file is binary (it holds a NUL character), not YAML', file, body, nul);
  const lines = new LineRecorder(file);
  let data: unknown;
  try {
    data = load(body, { schema: CORE_SCHEMA, listener: (event, state) => lines.on(event, state) });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const { reason, mark } = error as { reason: string; mark?: { line: number; column: number } };
    throw new ImportError(
      REASONS[reason] ?? `invalid YAML: ${reason}`,
      file,
      mark && mark.line + 1,
      mark && mark.column + 1,
    );
  }
  return { file, data: data ?? null, line: (path) => lines.lineOf(data, path) };
}

/**
 * Follows js-yaml's parse events: each node opens and closes, nested in its parent. A child of a collection
 * that is followed by `:` is a mapping key, the next child its value; any other child is a sequence item.
 * When a collection closes, the lines of its keys (or items) are kept in one flat table, found from the
 * collection object, so that `lineOf` costs one look-up per path segment (a mapping's keys are hashed the
 * first time one of them is asked for).
 */
class LineRecorder {
  readonly #file: string;
  #rootLine = 1;
  #documents = 0;
  #aliasNodes = 0;
  /** Per closed collection, where its entry in the kept table starts: its count, then one line per key or item. */
  readonly #collections = new Map<object, number>();
  #kept = 0;
  #keptLines = new Int32Array(1024);
  readonly #keptKeys: (string | undefined)[] = [];
  /** Per mapping asked about, its keys' lines. */
  readonly #keyTables = new Map<object, Map<string, number>>();
  /** The open nodes, by depth: where each opened, where its children's records start, what it has read. */
  #depth = 0;
  readonly #openLine = new Int32Array(FRAMES);
  readonly #openPosition = new Int32Array(FRAMES);
  readonly #base = new Int32Array(FRAMES);
  readonly #afterKey = new Uint8Array(FRAMES);
  readonly #lastEnd = new Int32Array(FRAMES);
  readonly #children = new Int32Array(FRAMES);
  readonly #lastResult: unknown[] = new Array<unknown>(FRAMES).fill(null);
  /** One record per key or item of the open collections: its line, key, start, and the end of the one before. */
  #top = 0;
  #lines = new Int32Array(1024);
  #starts = new Int32Array(1024);
  #gaps = new Int32Array(1024);
  readonly #keys: (string | undefined)[] = [];

  constructor(file: string) {
    this.#file = file;
  }

  on(event: 'open' | 'close', state: State): void {
    if (event === 'open') this.#open(state);
    else this.#close(state);
  }

  lineOf(data: unknown, path: readonly PathSegment[]): number {
    let line = this.#rootLine;
    let node = data;
    for (const segment of path) {
      if (node === null || typeof node !== 'object') break;
      const at = this.#collections.get(node);
      if (at === undefined) break;
      let found = 0;
      if (!Array.isArray(node)) found = this.#keyTable(node, at).get(String(segment)) ?? 0;
      else if (Number.isInteger(segment) && (segment as number) >= 0 && (segment as number) < this.#keptLines[at]!) {
        found = this.#keptLines[at + 1 + (segment as number)]!;
      }
      if (found === 0) break;
      line = found;
      node = (node as Record<PathSegment, unknown>)[segment];
    }
    return line;
  }

  #keyTable(mapping: object, at: number): Map<string, number> {
    let table = this.#keyTables.get(mapping);
    if (!table) {
      table = new Map();
      for (let i = at + 1; i <= at + this.#keptLines[at]!; i++) {
        const key = this.#keptKeys[i];
        if (key !== undefined && !table.has(key)) table.set(key, this.#keptLines[i]!);
      }
      this.#keyTables.set(mapping, table);
    }
    return table;
  }

  #open(state: State): void {
    const depth = this.#depth;
    if (depth === 0) {
      if (this.#documents++ > 0) {
        throw this.#error('the file holds more than one YAML document: import each on its own', state, state.position);
      }
      this.#rootLine = state.line + 1;
    }
    // A scalar alone on its line opens twice (js-yaml tries it as a mapping key first): one level of slack.
    if (depth >= FRAMES) throw this.#error(tooDeep(), state, state.position);
    this.#openLine[depth] = state.line;
    this.#openPosition[depth] = state.position;
    this.#base[depth] = this.#top;
    this.#afterKey[depth] = 0;
    this.#lastEnd[depth] = state.position;
    this.#children[depth] = 0;
    this.#depth = depth + 1;
  }

  #close(state: State): void {
    const depth = --this.#depth;
    const result: unknown = state.result;
    const kind = state.kind;
    // A node read as its only child (a scalar or flow collection first tried as a mapping key) is kept there.
    if (kind !== 'scalar' && (this.#children[depth] !== 1 || this.#lastResult[depth] !== result)) {
      if (kind === 'mapping' || kind === 'sequence') {
        if (depth >= DEFAULT_LIMITS.maxDepth) throw this.#error(tooDeep(), state, this.#openPosition[depth]!);
        const length = kind === 'sequence' ? (result as unknown[]).length : -1;
        this.#collections.set(result as object, this.#keep(depth, length, state));
      } else if (result !== null && typeof result === 'object') {
        this.#alias(state, result, this.#openPosition[depth]!);
      }
    }
    this.#top = this.#base[depth]!;
    if (depth > 0) this.#record(depth, state, result);
  }

  /**
   * Counts the nodes an alias of a collection stands for against the limit. An alias of a collection still
   * open would make cyclic data; an empty collection with a tag (`!!seq`) is made anew, with no entries.
   */
  #alias(state: State, result: object, start: number): void {
    if (!this.#collections.has(result)) {
      if (isAlias(state.input, start)) {
        throw this.#error('an alias names a collection that contains it: cyclic data cannot be imported', state, start);
      }
      this.#collections.set(result, this.#keep(this.#depth, -1, state));
      return;
    }
    this.#aliasNodes += countNodes(result, MAX_ALIAS_NODES - this.#aliasNodes);
    if (this.#aliasNodes > MAX_ALIAS_NODES) {
      throw this.#error(
        `aliases expand past the limit of ${MAX_ALIAS_NODES.toLocaleString('en-US')} nodes (a YAML "billion laughs" structure)`,
        state,
        start,
      );
    }
  }

  /** Notes a closed node in its parent: a key (with its line), a key's value, or an item (with its line). */
  #record(depth: number, state: State, result: unknown): void {
    const parent = depth - 1;
    this.#children[parent]!++;
    this.#lastResult[parent] = result;
    if (this.#afterKey[parent] === 1) {
      this.#afterKey[parent] = 0;
    } else {
      const isKey = followedByColon(state.input, state.position);
      const index = this.#top++;
      if (index === this.#lines.length) {
        this.#lines = grown(this.#lines);
        this.#starts = grown(this.#starts);
        this.#gaps = grown(this.#gaps);
      }
      this.#lines[index] = this.#openLine[depth]! + 1;
      this.#keys[index] = isKey ? keyText(result) : undefined;
      this.#starts[index] = this.#openPosition[depth]!;
      this.#gaps[index] = this.#lastEnd[parent]!;
      this.#afterKey[parent] = isKey ? 1 : 0;
    }
    this.#lastEnd[parent] = state.position;
  }

  /**
   * Keeps the lines of the keys (`length` -1) or items of the collection open at `depth`, which ends at
   * `state.position`. An item left empty on its line (`-` followed by a line no deeper) is no node of its own:
   * then the dashes before each item's node tell its index. They all stand in one column, unless js-yaml 4.1.0
   * has taken the dashes of an outer list into this one (after an empty last item): that is refused.
   */
  #keep(depth: number, length: number, state: State): number {
    const base = this.#base[depth]!;
    const records = this.#top - base;
    const count = length === -1 ? records : length;
    const at = this.#kept;
    while (at + 1 + count > this.#keptLines.length) this.#keptLines = grown(this.#keptLines);
    this.#kept = at + 1 + count;
    this.#keptLines[at] = count;
    // One key a slot, in order (undefined for items), so that the array stays dense.
    this.#keptKeys.push(undefined);
    for (let i = 0; i < count; i++) this.#keptKeys.push(length === -1 ? this.#keys[base + i] : undefined);
    if (records === count) {
      this.#keptLines.set(this.#lines.subarray(base, this.#top), at + 1);
      return at;
    }
    this.#keptLines.fill(0, at + 1, at + 1 + count);
    const input = state.input;
    let index = -1;
    let column = -1;
    let previous = 0;
    for (let i = base; i <= this.#top; i++) {
      const last = i === this.#top;
      const from = last ? this.#lastEnd[depth]! : this.#gaps[i]!;
      const dashes = dashesIn(input, from, last ? state.position : this.#starts[i]!);
      for (const dash of dashes) {
        const dashColumn = dash - input.lastIndexOf('\n', dash - 1) - 1;
        if (column !== -1 && dashColumn !== column) throw this.#error(EMPTY_LAST_ITEM, state, previous);
        column = dashColumn;
        previous = dash;
      }
      index += Math.max(1, dashes.length);
      if (!last && index < count) this.#keptLines[at + 1 + index] = this.#lines[i]!;
    }
    return at;
  }

  /** An ImportError at `position` in js-yaml's input. */
  #error(message: string, state: State, position: number): ImportError {
    return errorAt(message, this.#file, state.input, position);
  }
}

/** An ImportError at an offset of `text` (its line and column, past any white space there). */
function errorAt(message: string, file: string, text: string, at: number): ImportError {
  let offset = at;
  while (offset < text.length && ' \t\r\n'.includes(text.charAt(offset))) offset++;
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return new ImportError(message, file, line, offset - lineStart + 1);
}

/** An array twice as long, with the same start. */
function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * How many nodes `value` holds with its aliases expanded (itself, keys, values, items), counting no further
 * than just past `budget`. The data has no cycles: an alias of an open collection is refused.
 */
function countNodes(value: object, budget: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= budget) {
    const node = stack.pop();
    count++;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const item of Object.values(node)) {
        count++;
        stack.push(item);
      }
    }
  }
  return count;
}

function tooDeep(): string {
  return `nesting is deeper than the limit of ${DEFAULT_LIMITS.maxDepth} levels`;
}

/** A mapping key's text, as js-yaml makes it: scalars only (other keys get no line). */
function keyText(key: unknown): string | undefined {
  return key === null || typeof key !== 'object' ? String(key) : undefined;
}

/** Whether a `:` follows `position` on its line (after spaces): the node that ended there is a mapping key. */
function followedByColon(input: string, position: number): boolean {
  let at = position;
  while (input.charCodeAt(at) === 32 || input.charCodeAt(at) === 9) at++;
  return input.charCodeAt(at) === 58;
}

/** Whether the node at `position` is an alias (`*name`), past spaces, line breaks and comments. */
function isAlias(input: string, position: number): boolean {
  let at = position;
  for (;;) {
    const code = input.charCodeAt(at);
    if (code === 35) {
      while (at < input.length && input.charCodeAt(at) !== 10) at++;
    } else if (code === 32 || code === 9 || code === 10 || code === 13) {
      at++;
    } else {
      return code === 42;
    }
  }
}

/** Where the sequence dashes (`-` standing alone) between `from` and `to` are, comments left out. */
function dashesIn(input: string, from: number, to: number): number[] {
  const dashes: number[] = [];
  let at = from;
  while (at < to) {
    const code = input.charCodeAt(at);
    if (code === 35) {
      while (at < to && input.charCodeAt(at) !== 10) at++;
    } else if (code === 32 || code === 9 || code === 10 || code === 13) {
      at++;
    } else {
      const start = at;
      while (at < to && !' \t\r\n'.includes(input.charAt(at))) at++;
      if (at - start === 1 && code === 45) dashes.push(start);
    }
  }
  return dashes;
}
