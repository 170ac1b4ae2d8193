import { DEFAULT_LIMITS, type PathSegment } from '@parapet/core';

/**
 * A fast reader for the block-style YAML that Threagile models are written in, with the line of every key and
 * item. The `yaml` library reads about 1 MB/s here, and a 5,000-element Threagile model is about 10 MB; this
 * reader handles the usual subset (block mappings and sequences, single-line plain and quoted scalars, literal
 * and folded block scalars, one-line flow sequences of scalars, empty `{}`, anchors, aliases, comments) several
 * times faster, and gives up on anything else, so that the caller falls back to the full parser: it never
 * guesses. What it returns equals what the `yaml` library returns for the same text (YAML 1.2 core schema,
 * merge keys `<<` kept as ordinary keys); duplicate keys, tabs, directives and several documents are left to
 * the full parser, which reports them.
 */

/** The parsed document and the line of any path in it. */
export interface BlockYaml {
  readonly data: unknown;
  /** The 1-based line where the value at `path` is written (its nearest existing ancestor's when absent). */
  readonly line: (path: readonly PathSegment[]) => number;
}

/** Thrown inside the reader when the text leaves the subset; the caller then uses the full parser. */
class Unsupported extends Error {}

/**
 * Where a collection is written: the line of the key or dash that introduces it (0 until its parent knows),
 * the line index and column of its first entry, the offset of that entry's content, and whether it is a
 * block mapping, block sequence or one-line flow collection.
 */
interface Place {
  line: number;
  readonly first: number;
  readonly column: number;
  readonly offset: number;
  readonly kind: 'mapping' | 'sequence' | 'flow';
}

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Characters that cannot start a plain scalar (YAML c-indicators other than `-`, `?`, `:`). */
const INDICATORS = new Set([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const INTEGER = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** First characters of plain scalars that may read as something other than text. */
const SPECIAL_START = new Set([...'0123456789+-.~nNtTfF']);
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  b: '\b',
  f: '\f',
};

/**
 * Reads block-style YAML whose root is a mapping. Returns undefined when the text uses anything outside the
 * subset described above (or is not valid YAML): the caller then parses it with the full parser, which also
 * reports the errors.
 */
export function readBlockYaml(text: string): BlockYaml | undefined {
  try {
    return new BlockReader(text).read();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Recursive descent over the lines of the text; one instance reads one text. */
class BlockReader {
  readonly #text: string;
  /** Per line: where it starts, where it ends (before `\r\n`), its indentation and where its content starts. */
  #start = new Int32Array(0);
  #end = new Int32Array(0);
  #indent = new Int32Array(0);
  #content = new Int32Array(0);
  #count = 0;
  /** A line read as if it started further right: the entry after a dash (`- key: value`, `- - item`). */
  #shifted = -1;
  #shiftedIndent = 0;
  #shiftedContent = 0;
  #cursor = 0;
  #aliases = 0;
  readonly #anchors = new Map<string, { value: unknown; hasAliases: boolean }>();
  readonly #places = new WeakMap<object, Place>();
  /** Lines of the keys or items of a collection, worked out the first time one is asked for. */
  readonly #entryLines = new WeakMap<object, Map<string, number>>();

  constructor(text: string) {
    this.#text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  read(): BlockYaml {
    const text = this.#text;
    if (text.includes('\0') || text.includes('\t')) throw new Unsupported();
    this.#splitLines();
    let first = this.#skip(0);
    if (first < this.#count && this.#isDocumentStart(first)) {
      if (this.#rest(this.#lineStart(first) + 3, first) !== '') throw new Unsupported();
      first = this.#skip(first + 1);
    }
    if (first >= this.#count || this.#rawIndent(first) !== 0) throw new Unsupported();
    this.#cursor = first;
    if (this.#isSequenceEntry(first) || this.#mappingColon(first, this.#rawContent(first)) < 0) throw new Unsupported();
    const data = this.#mapping(0, 1);
    if (this.#skip(this.#cursor) < this.#count) throw new Unsupported();
    const place = this.#places.get(data);
    if (place) place.line = first + 1;
    return { data, line: (path) => this.#lineOf(data, path) };
  }

  // --- Lines ----------------------------------------------------------------------------------------------

  /**
   * Splits the text into lines once. A `---` before any content is the document start; directives, a second
   * document or a document end marker are out of the subset.
   */
  #splitLines(): void {
    const text = this.#text;
    let count = 1;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', newline + 1)) count++;
    this.#start = new Int32Array(count);
    this.#end = new Int32Array(count);
    this.#indent = new Int32Array(count);
    this.#content = new Int32Array(count);
    let line = 0;
    let position = 0;
    let seenContent = false;
    while (position < text.length) {
      const newline = text.indexOf('\n', position);
      const next = newline === -1 ? text.length : newline;
      const end = next > position && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
      let content = position;
      while (content < end && text.charCodeAt(content) === SPACE) content++;
      const indent = content - position;
      if (indent > DEFAULT_LIMITS.maxIndent) throw new Unsupported();
      if (indent === 0 && content < end) {
        const code = text.charCodeAt(content);
        if (code === 37 /* % */) throw new Unsupported();
        if (
          (code === DASH || code === 46) /* - or . */ &&
          (content + 3 >= end || text.charCodeAt(content + 3) === SPACE)
        ) {
          if (text.startsWith('...', content) || (seenContent && text.startsWith('---', content))) {
            throw new Unsupported();
          }
        }
      }
      if (content < end && text.charCodeAt(content) !== HASH) seenContent = true;
      this.#start[line] = position;
      this.#end[line] = end;
      this.#indent[line] = indent;
      this.#content[line] = content;
      line++;
      position = newline === -1 ? text.length : newline + 1;
    }
    this.#count = line;
  }

  #isDocumentStart(line: number): boolean {
    const start = this.#lineStart(line);
    return (
      this.#text.startsWith('---', start) &&
      (start + 3 >= this.#lineEnd(line) || this.#text.charCodeAt(start + 3) === SPACE)
    );
  }

  #lineStart(line: number): number {
    return this.#start[line] ?? 0;
  }

  #lineEnd(line: number): number {
    return this.#end[line] ?? 0;
  }

  #rawIndent(line: number): number {
    return this.#indent[line] ?? 0;
  }

  #rawContent(line: number): number {
    return this.#content[line] ?? 0;
  }

  /** The indentation the parser reads a line at (shifted past a dash for compact entries). */
  #indentOf(line: number): number {
    return line === this.#shifted ? this.#shiftedIndent : this.#rawIndent(line);
  }

  #contentOf(line: number): number {
    return line === this.#shifted ? this.#shiftedContent : this.#rawContent(line);
  }

  /** Reads `line` from `from` on, as if it were indented to that column. */
  #shift(line: number, from: number): number {
    const column = from - this.#lineStart(line);
    if (column > DEFAULT_LIMITS.maxIndent) throw new Unsupported();
    this.#shifted = line;
    this.#shiftedIndent = column;
    this.#shiftedContent = from;
    this.#cursor = line;
    return column;
  }

  /** The first line at or after `line` that holds content (not blank, not only a comment). */
  #skip(line: number): number {
    const count = this.#count;
    const text = this.#text;
    while (line < count) {
      const content = this.#rawContent(line);
      if (content !== this.#lineEnd(line) && text.charCodeAt(content) !== HASH) break;
      line++;
    }
    return line;
  }

  /** What follows `from` on a line, without spaces and a trailing comment; '' when nothing does. */
  #rest(from: number, line: number): string {
    const end = this.#lineEnd(line);
    let position = from;
    while (position < end && this.#text.charCodeAt(position) === SPACE) position++;
    if (position === end) return '';
    if (this.#text.charCodeAt(position) === HASH && position > from) return '';
    return this.#text.slice(position, end);
  }

  /** Whether the content of a line (as the parser reads it) starts a block sequence entry (`- ` or a lone `-`). */
  #isSequenceEntry(line: number, content = this.#contentOf(line)): boolean {
    if (this.#text.charCodeAt(content) !== DASH) return false;
    return content + 1 === this.#lineEnd(line) || this.#text.charCodeAt(content + 1) === SPACE;
  }

  /**
   * Where the `:` that ends a mapping key starting at `from` is, or -1 when the line is not a mapping entry.
   * Quoted keys end at their closing quote; plain keys at the first `: ` (or `:` ending the line) before any
   * comment.
   */
  #mappingColon(line: number, from: number): number {
    const text = this.#text;
    const end = this.#lineEnd(line);
    const first = text.charCodeAt(from);
    if (first === 34 || first === 39 /* " or ' */) {
      const close = this.#closingQuote(from, end);
      if (close < 0) return -1;
      let position = close + 1;
      while (position < end && text.charCodeAt(position) === SPACE) position++;
      if (position < end && text.charCodeAt(position) === COLON) {
        if (position + 1 === end || text.charCodeAt(position + 1) === SPACE) return position;
      }
      return -1;
    }
    for (let position = from; position < end; position++) {
      const code = text.charCodeAt(position);
      if (code === HASH && position > from && text.charCodeAt(position - 1) === SPACE) return -1;
      if (code === COLON && (position + 1 === end || text.charCodeAt(position + 1) === SPACE)) return position;
    }
    return -1;
  }

  /** The offset of the quote closing a quoted scalar that opens at `from`, on the same line; -1 if none. */
  #closingQuote(from: number, end: number): number {
    const text = this.#text;
    const quote = text[from];
    for (let position = from + 1; position < end; position++) {
      const char = text[position];
      if (quote === '"' && char === '\\') {
        position++;
        continue;
      }
      if (char !== quote) continue;
      if (quote === "'" && text[position + 1] === "'") {
        position++;
        continue;
      }
      return position;
    }
    return -1;
  }

  // --- Collections ----------------------------------------------------------------------------------------

  /** A block mapping whose keys sit at column `indent`, starting at the cursor. */
  #mapping(indent: number, depth: number): Record<string, unknown> {
    if (depth > DEFAULT_LIMITS.maxDepth) throw new Unsupported();
    const result: Record<string, unknown> = {};
    const first = this.#skip(this.#cursor);
    this.#places.set(result, { line: 0, first, column: indent, offset: this.#contentOf(first), kind: 'mapping' });
    for (;;) {
      const line = this.#skip(this.#cursor);
      if (line >= this.#count || this.#indentOf(line) < indent) break;
      if (this.#indentOf(line) > indent || this.#isSequenceEntry(line)) throw new Unsupported();
      const from = this.#contentOf(line);
      const colon = this.#mappingColon(line, from);
      if (colon < 0) throw new Unsupported();
      const key = this.#key(from, colon);
      if (Object.hasOwn(result, key) || key === '__proto__') throw new Unsupported();
      this.#cursor = line + 1;
      const value = this.#inlineValue(colon + 1, line, indent, depth, true);
      result[key] = value;
      this.#placeAt(value, line);
    }
    return result;
  }

  /** A block sequence whose dashes sit at column `indent`, starting at the cursor. */
  #sequence(indent: number, depth: number): unknown[] {
    if (depth > DEFAULT_LIMITS.maxDepth) throw new Unsupported();
    const result: unknown[] = [];
    const first = this.#skip(this.#cursor);
    this.#places.set(result, { line: 0, first, column: indent, offset: this.#contentOf(first), kind: 'sequence' });
    const text = this.#text;
    for (;;) {
      const line = this.#skip(this.#cursor);
      if (line >= this.#count || this.#indentOf(line) < indent) break;
      if (this.#indentOf(line) > indent) throw new Unsupported();
      if (!this.#isSequenceEntry(line)) break;
      this.#cursor = line + 1;
      const end = this.#lineEnd(line);
      const afterDash = this.#contentOf(line) + 1;
      let from = afterDash;
      while (from < end && text.charCodeAt(from) === SPACE) from++;
      let item: unknown;
      if (from < end && this.#isSequenceEntry(line, from)) {
        // `- - item`: a nested sequence whose first dash is on this line.
        item = this.#sequence(this.#shift(line, from), depth + 1);
      } else if (from < end && this.#startsCompactMapping(line, from)) {
        // `- key: value`: a mapping whose first key is on this line.
        item = this.#mapping(this.#shift(line, from), depth + 1);
      } else {
        item = this.#inlineValue(afterDash, line, indent, depth, false);
      }
      result.push(item);
      this.#placeAt(item, line);
    }
    return result;
  }

  /** Whether the text at `from` (after a dash) is a mapping entry rather than a scalar. */
  #startsCompactMapping(line: number, from: number): boolean {
    const first = this.#text.charAt(from);
    if (INDICATORS.has(first) && first !== '"' && first !== "'") return false;
    return this.#mappingColon(line, from) >= 0;
  }

  /** Records the line of the key or dash that introduces a collection value. */
  #placeAt(value: unknown, line: number): void {
    if (value === null || typeof value !== 'object') return;
    const place = this.#places.get(value);
    if (place && place.line === 0) place.line = line + 1;
  }

  /** A mapping key written from `from` to the colon: a quoted or a plain scalar that reads as a string. */
  #key(from: number, colon: number): string {
    const text = this.#text;
    const first = text.charAt(from);
    if (first === '"' || first === "'") return this.#quoted(from, this.#closingQuote(from, colon));
    if (INDICATORS.has(first) || ((first === '?' || first === '-') && text.charCodeAt(from + 1) === SPACE)) {
      throw new Unsupported();
    }
    let stop = colon;
    while (stop > from && text.charCodeAt(stop - 1) === SPACE) stop--;
    const key = text.slice(from, stop);
    if (key === '' || typeof resolvePlain(key) !== 'string') throw new Unsupported();
    return key;
  }

  // --- Values ---------------------------------------------------------------------------------------------

  /**
   * The value after a key's colon or a sequence dash, at `from` on `line`: on the same line (a scalar, an
   * alias, a flow sequence, a block scalar, maybe after an anchor), or a block collection on the next lines.
   * `owner` is the column of the key or dash; a mapping value may be a sequence at that same column.
   */
  #inlineValue(from: number, line: number, owner: number, depth: number, inMapping: boolean): unknown {
    const text = this.#text;
    const end = this.#lineEnd(line);
    let position = from;
    while (position < end && text.charCodeAt(position) === SPACE) position++;
    let anchor: string | undefined;
    if (position < end && text.charCodeAt(position) === 38 /* & */) {
      let stop = position + 1;
      while (stop < end && text.charCodeAt(stop) !== SPACE) stop++;
      anchor = text.slice(position + 1, stop);
      if (anchor === '') throw new Unsupported();
      position = stop;
      while (position < end && text.charCodeAt(position) === SPACE) position++;
    }
    const aliasesBefore = this.#aliases;
    const value =
      position === end || (text.charCodeAt(position) === HASH && position > from)
        ? this.#nested(owner, depth, inMapping)
        : this.#scalarOnLine(position, line, owner);
    if (anchor !== undefined) this.#anchors.set(anchor, { value, hasAliases: this.#aliases > aliasesBefore });
    return value;
  }

  /** The value of a key or dash written on the following lines, or null when there is none. */
  #nested(owner: number, depth: number, inMapping: boolean): unknown {
    const line = this.#skip(this.#cursor);
    if (line >= this.#count) return null;
    const indent = this.#indentOf(line);
    if (indent > owner) {
      if (this.#isSequenceEntry(line)) return this.#sequence(indent, depth + 1);
      const content = this.#contentOf(line);
      if (this.#mappingColon(line, content) >= 0) return this.#mapping(indent, depth + 1);
      // A lone plain or quoted scalar on its own line.
      const first = this.#text.charAt(content);
      if (INDICATORS.has(first) && first !== '"' && first !== "'") throw new Unsupported();
      this.#cursor = line + 1;
      return this.#scalarOnLine(content, line, owner);
    }
    if (inMapping && indent === owner && this.#isSequenceEntry(line)) return this.#sequence(indent, depth + 1);
    return null;
  }

  /** A scalar, alias, flow collection or block scalar starting at `from` on `line`. */
  #scalarOnLine(from: number, line: number, owner: number): unknown {
    const text = this.#text;
    const end = this.#lineEnd(line);
    const first = text.charAt(from);
    let value: unknown;
    if (first === '*') {
      let stop = from + 1;
      while (stop < end && text.charCodeAt(stop) !== SPACE) stop++;
      const anchor = this.#anchors.get(text.slice(from + 1, stop));
      if (!anchor || anchor.hasAliases || this.#rest(stop, line) !== '') throw new Unsupported();
      if (++this.#aliases > DEFAULT_LIMITS.maxAliases) throw new Unsupported();
      value = anchor.value;
    } else if (first === '|' || first === '>') {
      return this.#blockScalar(from, line, owner);
    } else if (first === '[' || first === '{') {
      value = this.#flow(from, line);
    } else if (first === '"' || first === "'") {
      const close = this.#closingQuote(from, end);
      if (close < 0 || this.#rest(close + 1, line) !== '') throw new Unsupported();
      value = this.#quoted(from, close);
    } else {
      value = this.#plain(from, line);
    }
    // Anything more indented on the next lines would continue the scalar (multi-line plain) or be an error.
    const next = this.#skip(this.#cursor);
    if (next < this.#count && this.#indentOf(next) > owner) throw new Unsupported();
    return value;
  }

  /** A single-line plain scalar, resolved by the YAML 1.2 core schema. */
  #plain(from: number, line: number): unknown {
    const text = this.#text;
    const end = this.#lineEnd(line);
    const first = text.charAt(from);
    if (INDICATORS.has(first)) throw new Unsupported();
    if (
      (first === '-' || first === '?' || first === ':') &&
      (from + 1 === end || text.charCodeAt(from + 1) === SPACE)
    ) {
      throw new Unsupported();
    }
    let stop = end;
    for (let position = from + 1; position < end; position++) {
      const code = text.charCodeAt(position);
      if (code === HASH && text.charCodeAt(position - 1) === SPACE) {
        stop = position;
        break;
      }
      // `a: b` as a value is a nested mapping, an error in YAML.
      if (code === COLON && (position + 1 === end || text.charCodeAt(position + 1) === SPACE)) throw new Unsupported();
    }
    while (stop > from && text.charCodeAt(stop - 1) === SPACE) stop--;
    return resolvePlain(text.slice(from, stop));
  }

  /** The text of a quoted scalar from its opening quote to its closing quote (same line). */
  #quoted(from: number, close: number): string {
    const text = this.#text;
    const body = text.slice(from + 1, close);
    if (text[from] === "'") return body.includes("''") ? body.replaceAll("''", "'") : body;
    if (!body.includes('\\')) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const char = body.charAt(i);
      if (char !== '\\') {
        out += char;
        continue;
      }
      const escape = body[++i] ?? '';
      const simple = SIMPLE_ESCAPES[escape];
      if (simple !== undefined) {
        out += simple;
      } else if (escape === 'u' || escape === 'x') {
        const size = escape === 'u' ? 4 : 2;
        const hex = body.slice(i + 1, i + 1 + size);
        if (hex.length !== size || !/^[0-9a-fA-F]+$/.test(hex)) throw new Unsupported();
        out += String.fromCharCode(parseInt(hex, 16));
        i += size;
      } else {
        throw new Unsupported();
      }
    }
    return out;
  }

  /** A flow collection on one line: `{}`, `[]` or a sequence of plain or quoted scalars. */
  #flow(from: number, line: number): unknown {
    const text = this.#text;
    const end = this.#lineEnd(line);
    let position = from + 1;
    const skipSpaces = (): void => {
      while (position < end && text.charCodeAt(position) === SPACE) position++;
    };
    skipSpaces();
    const items: unknown[] = [];
    const place: Place = { line: 0, first: line, column: from - this.#lineStart(line), offset: from, kind: 'flow' };
    if (text[from] === '{') {
      if (text[position] !== '}' || this.#rest(position + 1, line) !== '') throw new Unsupported();
      const empty = {};
      this.#places.set(empty, place);
      return empty;
    }
    if (text[position] === ']') {
      position++;
    } else {
      for (;;) {
        skipSpaces();
        const first = text[position];
        if (first === '"' || first === "'") {
          const close = this.#closingQuote(position, end);
          if (close < 0) throw new Unsupported();
          items.push(this.#quoted(position, close));
          position = close + 1;
        } else {
          const start = position;
          while (position < end && !',[]{}#'.includes(text.charAt(position))) {
            if (text.charCodeAt(position) === COLON && ' ,]'.includes(text[position + 1] ?? ' ')) {
              throw new Unsupported();
            }
            position++;
          }
          const item = text.slice(start, position).trim();
          const head = item[0] ?? '';
          const bare = item.length === 1 || item[1] === ' ';
          if (item === '' || INDICATORS.has(head) || ('-?:'.includes(head) && bare)) throw new Unsupported();
          items.push(resolvePlain(item));
        }
        skipSpaces();
        if (text[position] === ',') {
          position++;
          skipSpaces();
          if (text[position] === ']') throw new Unsupported();
          continue;
        }
        if (text[position] !== ']') throw new Unsupported();
        position++;
        break;
      }
    }
    if (this.#rest(position, line) !== '') throw new Unsupported();
    this.#places.set(items, place);
    return items;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `from` on `line`, with clip, strip (`-`)
   * or keep (`+`) chomping. Indentation indicators and folded text with more-indented lines are left to the
   * full parser.
   */
  #blockScalar(from: number, line: number, owner: number): string {
    const text = this.#text;
    const folded = text[from] === '>';
    let position = from + 1;
    let chomping: 'clip' | 'strip' | 'keep' = 'clip';
    if (text[position] === '-' || text[position] === '+') {
      chomping = text[position] === '-' ? 'strip' : 'keep';
      position++;
    }
    if (this.#rest(position, line) !== '' || (position < this.#lineEnd(line) && text.charCodeAt(position) !== SPACE)) {
      throw new Unsupported();
    }
    const count = this.#count;
    let first = line + 1;
    let leadingWidth = 0;
    while (first < count && this.#rawContent(first) === this.#lineEnd(first)) {
      leadingWidth = Math.max(leadingWidth, this.#lineEnd(first) - this.#lineStart(first));
      first++;
    }
    if (first >= count || this.#rawIndent(first) <= owner) {
      if (chomping === 'keep') throw new Unsupported();
      this.#cursor = first;
      return '';
    }
    const indent = this.#rawIndent(first);
    if (leadingWidth > indent) throw new Unsupported();
    const parts: string[] = [];
    let last = line + 1;
    for (; last < count; last++) {
      const blank = this.#rawContent(last) === this.#lineEnd(last);
      if (!blank && this.#rawIndent(last) < indent) break;
      const start = this.#lineStart(last) + indent;
      const end = this.#lineEnd(last);
      const body = blank ? (end > start ? text.slice(start, end) : '') : text.slice(start, end);
      if (folded && (body.startsWith(' ') || (blank && body !== ''))) throw new Unsupported();
      parts.push(body);
    }
    // Whether the last line ends with a line break changes clipping: leave that case to the full parser.
    if (last === count && !text.endsWith('\n')) throw new Unsupported();
    this.#cursor = last;
    let trailing = 0;
    while (parts.length > 0 && this.#rawContent(line + parts.length) === this.#lineEnd(line + parts.length)) {
      parts.pop();
      trailing++;
    }
    const body = folded ? fold(parts) : parts.join('\n');
    if (chomping === 'strip') return body;
    if (chomping === 'keep') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }

  // --- Positions ------------------------------------------------------------------------------------------

  /** The line of the deepest part of `path` that exists, walking down from the root. */
  #lineOf(root: object, path: readonly PathSegment[]): number {
    let line = this.#places.get(root)?.line ?? 1;
    let node: unknown = root;
    for (const segment of path) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) break;
      const child = (node as Record<string, unknown>)[segment as never];
      const placed = child !== null && typeof child === 'object' ? this.#places.get(child)?.line : undefined;
      const childLine = placed || this.#entryLine(node, segment);
      if (!childLine) break;
      line = childLine;
      node = child;
    }
    return line;
  }

  /**
   * The line of a key or item of a collection. The lines of all its entries are found in one pass over the
   * collection's lines the first time one is asked for, and kept.
   */
  #entryLine(collection: object, segment: PathSegment): number | undefined {
    let lines = this.#entryLines.get(collection);
    if (!lines) {
      lines = this.#scanEntries(collection);
      this.#entryLines.set(collection, lines);
    }
    return lines.get(String(segment));
  }

  /** The line of each key (mapping) or item index (sequence) of a collection, read again from the text. */
  #scanEntries(collection: object): Map<string, number> {
    const lines = new Map<string, number>();
    const place = this.#places.get(collection);
    if (!place) return lines;
    if (place.kind === 'flow') {
      const count = Array.isArray(collection) ? collection.length : 0;
      for (let i = 0; i < count; i++) lines.set(String(i), place.first + 1);
      return lines;
    }
    const count = this.#count;
    let index = 0;
    for (let line = this.#skip(place.first); line < count; line = this.#skip(line + 1)) {
      const content = line === place.first ? place.offset : this.#rawContent(line);
      const indent = line === place.first ? place.column : this.#rawIndent(line);
      if (indent < place.column) break;
      if (indent > place.column) continue;
      const entry = this.#isSequenceEntry(line, content);
      if (place.kind === 'sequence') {
        if (!entry) break;
        lines.set(String(index++), line + 1);
      } else if (!entry) {
        lines.set(this.#key(content, this.#mappingColon(line, content)), line + 1);
      }
    }
    return lines;
  }
}

/** Folds the lines of a folded block scalar: lines join with a space, each blank line becomes a line break. */
function fold(lines: readonly string[]): string {
  let out = '';
  let blanks = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      blanks++;
      continue;
    }
    if (!started) out += '\n'.repeat(blanks);
    else out += blanks > 0 ? '\n'.repeat(blanks) : ' ';
    out += line;
    blanks = 0;
    started = true;
  }
  return out;
}

/** A plain scalar's value under the YAML 1.2 core schema (null, booleans, numbers, else the text itself). */
function resolvePlain(value: string): unknown {
  if (value === '') return null;
  if (!SPECIAL_START.has(value[0]!)) return value;
  if (NULLS.has(value)) return null;
  if (TRUES.has(value)) return true;
  if (FALSES.has(value)) return false;
  if (INTEGER.test(value) || FLOAT.test(value)) return Number(value);
  if (OTHER_NUMBER.test(value)) throw new Unsupported();
  return value;
}
