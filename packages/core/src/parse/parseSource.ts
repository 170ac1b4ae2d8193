import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  visit,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { DiagnosticCode, PathSegment, Position } from '../diagnostics/Diagnostic.js';
import type { ParseLimits } from './limits.js';
import { scanJson, scanYamlDepth } from './scanDepth.js';
import { createOffsetToPosition, type SourceFile } from './SourceFile.js';

/** A problem found while reading a file, before the model itself is looked at. */
export interface ParseProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly position: Position;
}

export type ParseResult = { ok: true; file: SourceFile } | { ok: false; problems: ParseProblem[] };

const START: Position = { line: 1, column: 1 };

/**
 * Parses a model file's bytes or text as YAML or JSON, keeping the way back to lines and columns.
 * Bounded in time and memory by `limits`; never throws on bad input.
 *
 * @example
 * const result = parseSource('threatmodel.yaml', 'parapet: 1\n', DEFAULT_LIMITS);
 * if (result.ok) result.file.locate(['parapet']); // { line: 1, column: 10 }
 */
export function parseSource(name: string, content: string | Uint8Array, limits: ParseLimits): ParseResult {
  const size = typeof content === 'string' ? content.length : content.byteLength;
  if (size > limits.maxBytes) {
    return fail(
      'PARAPET_FILE_TOO_LARGE',
      `file is ${formatBytes(size)}, over the limit of ${formatBytes(limits.maxBytes)}`,
    );
  }
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      return fail('PARAPET_FILE_BINARY', 'file is not UTF-8 text');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    return fail(
      'PARAPET_FILE_BINARY',
      'file is binary (it holds a NUL character), not a YAML or JSON model',
      createOffsetToPosition(text)(nul),
    );
  }
  if (text.trim() === '') return fail('PARAPET_FILE_EMPTY', 'file is empty: a model starts with "parapet: 1"');
  if (/\.json$/i.test(name)) return parseJson(name, text, limits);
  if (/^\s*\{/.test(text)) {
    // JSON in a file not named .json: read it as JSON when it is JSON, else as (flow-style) YAML.
    const asJson = parseJson(name, text, limits);
    if (asJson.ok || asJson.problems.some((p) => p.code !== 'PARAPET_SYNTAX')) return asJson;
  }
  return parseYaml(name, text, limits);
}

/**
 * The offset of the first key that repeats a key of the same mapping, or undefined. Linear: one set of keys
 * per mapping; keys that are not scalars (rare, complex keys) are compared by their JSON form.
 */
function findDuplicateKey(root: YamlNode): number | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key: unknown = pair.key;
        const identity = isScalar(key) ? key.value : JSON.stringify(key);
        if (seen.has(identity)) return (isScalar(key) || isMap(key) || isSeq(key) ? key.range?.[0] : undefined) ?? 0;
        seen.add(identity);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

function parseYaml(name: string, text: string, limits: ParseLimits): ParseResult {
  const violation = scanYamlDepth(text, limits);
  if (violation) return fail('PARAPET_TOO_DEEP', violation.message, createOffsetToPosition(text)(violation.offset));
  const lineCounter = new LineCounter();
  // Core prints nothing: problems come back as diagnostics, never as process warnings.
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // Duplicate keys are found below with a set per mapping: the library's own check compares each key with
    // every other one, so a hostile mapping of 100,000 keys would take minutes.
    uniqueKeys: false,
    keepSourceTokens: false,
    logLevel: 'silent',
  });
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const duplicate = doc.errors.length === 0 && doc.contents ? findDuplicateKey(doc.contents) : undefined;
  if (duplicate !== undefined) {
    return fail('PARAPET_DUPLICATE_KEY', describeYamlError('DUPLICATE_KEY', ''), toPosition(duplicate));
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        code:
          error.code === 'DUPLICATE_KEY'
            ? 'PARAPET_DUPLICATE_KEY'
            : error.code === 'RESOURCE_EXHAUSTION'
              ? 'PARAPET_TOO_DEEP'
              : 'PARAPET_SYNTAX',
        message: describeYamlError(error.code, error.message),
        position: toPosition(error.pos[0]),
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliases });
  } catch (error) {
    const isAliasBomb = error instanceof ReferenceError && /alias/i.test(error.message);
    return fail(
      isAliasBomb ? 'PARAPET_ALIAS_LIMIT' : 'PARAPET_TOO_DEEP',
      isAliasBomb
        ? `aliases expand past the limit of ${limits.maxAliases} (a YAML "billion laughs" structure)`
        : 'the document is too deeply nested to read',
    );
  }
  if (data === null || data === undefined)
    return fail('PARAPET_FILE_EMPTY', 'file holds no model: it starts with "parapet: 1"');
  const contents = doc.contents;
  return {
    ok: true,
    file: {
      name,
      format: 'yaml',
      text,
      data,
      locate(path, part = 'value') {
        const offset = contents ? locateYamlNode(contents, path, part) : 0;
        return toPosition(offset);
      },
    },
  };
}

/** Per mapping, its pairs by key (the first of equal keys): built on first use, so that locating costs the path's depth. */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairByKey(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

function locateYamlNode(root: YamlNode, path: readonly PathSegment[], part: 'key' | 'value'): number {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const isLast = i === path.length - 1;
    if (isMap(node)) {
      const pair = pairByKey(node, String(segment));
      if (!pair) return offset;
      const key = pair.key as YamlNode;
      if (isLast && part === 'key') return key.range?.[0] ?? offset;
      const value = pair.value as YamlNode | null;
      offset = value?.range?.[0] ?? key.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) return offset;
      node = isPair(item) ? item.value : item;
      offset = (node as YamlNode | null)?.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function describeYamlError(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: a mapping has this key twice';
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
  // The usual cause: a line of a quoted text that spans lines, often the one with the closing quote, is
  // indented no further than the text's key (valid for some YAML 1.1 readers, not in YAML 1.2).
  if (code === 'MISSING_CHAR' && /quote/.test(first)) {
    return `${first}: every further line of a quoted text must be indented more than its key; check the lines below, and the one with the closing quote`;
  }
  return first;
}

function parseJson(name: string, text: string, limits: ParseLimits): ParseResult {
  const toPosition = createOffsetToPosition(text);
  const scan = scanJson(text, limits);
  if (scan.violation) return fail('PARAPET_TOO_DEEP', scan.violation.message, toPosition(scan.violation.offset));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    const problems = errors.map((error) => ({
      code: 'PARAPET_SYNTAX' as const,
      message: `invalid JSON: ${describeJsonError(printParseErrorCode(error.error))}`,
      position: toPosition(error.offset),
    }));
    return problems.length > 0 ? { ok: false, problems } : fail('PARAPET_SYNTAX', 'invalid JSON');
  }
  // JSON.parse keeps the last of duplicate keys silently; look for them only when the counts disagree.
  const duplicates = countKeys(data) === scan.keyCount ? [] : findJsonDuplicateKeys(text);
  if (duplicates.length > 0) {
    return {
      ok: false,
      problems: duplicates.map(({ key, offset }) => ({
        code: 'PARAPET_DUPLICATE_KEY' as const,
        message: `duplicate key "${key}": an object has this key twice`,
        position: toPosition(offset),
      })),
    };
  }
  if (data === null) return fail('PARAPET_FILE_EMPTY', 'file holds no model: it starts with {"parapet": 1');
  let tree: JsonNode | undefined;
  return {
    ok: true,
    file: {
      name,
      format: 'json',
      text,
      data,
      locate(path, part = 'value') {
        tree ??= parseTree(text);
        return toPosition(tree ? locateJsonNode(tree, path, part) : 0);
      },
    },
  };
}

function locateJsonNode(root: JsonNode, path: readonly PathSegment[], part: 'key' | 'value'): number {
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (!node) continue;
    const property = node.parent?.type === 'property' ? node.parent : undefined;
    if (length === path.length && part === 'key' && property?.children?.[0]) return property.children[0].offset;
    if (length < path.length && property?.children?.[0] && node.type !== 'object' && node.type !== 'array') {
      return property.children[0].offset;
    }
    return node.offset;
  }
  return 0;
}

function countKeys(data: unknown): number {
  let count = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
    } else {
      for (const key in value) {
        count++;
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return count;
}

function findJsonDuplicateKeys(text: string): { key: string; offset: number }[] {
  const found: { key: string; offset: number }[] = [];
  const stack: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => {
      stack.push(new Set());
    },
    onObjectEnd: () => {
      stack.pop();
    },
    onObjectProperty: (property, offset) => {
      const keys = stack[stack.length - 1];
      if (!keys) return;
      if (keys.has(property)) found.push({ key: property, offset });
      else keys.add(property);
    },
  });
  return found;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function fail(code: DiagnosticCode, message: string, position: Position = START): ParseResult {
  return { ok: false, problems: [{ code, message, position }] };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
