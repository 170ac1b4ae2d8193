import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportError } from '../../ImportResult.js';
import { MAX_INPUT_BYTES } from '../../source.js';

/** Deepest element nesting accepted; Threat Modeling Tool files nest about ten levels. */
export const MAX_XML_DEPTH = 64;

/** Longest attribute value accepted; the tool writes only type names and namespaces in attributes. */
export const MAX_ATTRIBUTE_CHARS = 10_000;

/**
 * Most elements accepted: the parser's tree takes some 200 bytes an element, so this bounds memory. A model
 * takes about 100 elements a stencil and 30 a threat; the sample has 6,290.
 */
export const MAX_XML_ELEMENTS = 1_000_000;

/** A parsed XML element (fast-xml-parser's object form: children by name, attributes as `@_name`). */
export type XmlNode = Readonly<Record<string, unknown>>;

/** A parsed XML document: its root element, and where any element of it starts in the text. */
export interface XmlDocument {
  readonly rootName: string;
  readonly root: XmlNode;
  /** The 1-based line where the root element starts. */
  readonly rootLine: number;
  /** The 1-based line where the element starts, when the parser recorded it. */
  readonly lineOf: (node: unknown) => number | undefined;
}

const METADATA = XMLParser.getMetaDataSymbol();

/**
 * Parses untrusted XML text: refuses oversized input, DTDs and entity declarations, over-long attributes,
 * over-deep nesting and too many elements before parsing, then validates (for the line and column of any
 * syntax error) and parses with entity processing off. Throws only ImportError.
 */
export function readXml(text: string, file: string): XmlDocument {
  if (text.length > MAX_INPUT_BYTES) {
    throw new ImportError(`the file is over the import limit of ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, file);
  }
  if (text.trim() === '') throw new ImportError('the file is empty', file);
  refuseDeclarations(text, file);
  scanMarkup(text, file);
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw new ImportError(`not well-formed XML: ${validation.err.msg}`, file, validation.err.line, validation.err.col);
  }
  const parsed = parse(text, file);
  const [rootName, root] = rootElement(parsed, file);
  const lines = lineStarts(text);
  // Searched in the text: an empty root element (`<Other/>`) has no start position in the parsed tree.
  const rootLine = position(text, Math.max(0, text.search(/<[A-Za-z_]/))).line;
  return { rootName, root, rootLine, lineOf: (node) => lineOfNode(node, lines) };
}

/** Refuses DOCTYPE and ENTITY declarations (entity expansion bombs, external entities), naming the line. */
function refuseDeclarations(text: string, file: string): void {
  const match = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (match === null) return;
  const { line, column } = position(text, match.index);
  throw new ImportError(
    `the file declares <!${match[1]?.toUpperCase() ?? ''}>: DTDs and entities are refused (a Threat Modeling Tool file has none)`,
    file,
    line,
    column,
  );
}

/**
 * One linear pass over the markup, before any parser runs: refuses nesting deeper than MAX_XML_DEPTH, more
 * than MAX_XML_ELEMENTS elements and attribute values longer than MAX_ATTRIBUTE_CHARS, with their position.
 * Syntax errors are left to the validator, which reports them with their position.
 */
function scanMarkup(text: string, file: string): void {
  let depth = 0;
  let elements = 0;
  let index = text.indexOf('<');
  while (index !== -1) {
    const next = scanConstruct(text, index, file);
    if (next.kind === 'open' || next.kind === 'empty') {
      elements++;
      if (elements > MAX_XML_ELEMENTS) {
        const { line, column } = position(text, index);
        throw new ImportError(`the file has more than ${MAX_XML_ELEMENTS} XML elements`, file, line, column);
      }
    }
    if (next.kind === 'open') {
      depth++;
      if (depth > MAX_XML_DEPTH) {
        const { line, column } = position(text, index);
        throw new ImportError(`elements are nested more than ${MAX_XML_DEPTH} deep`, file, line, column);
      }
    } else if (next.kind === 'close') {
      depth = Math.max(0, depth - 1);
    }
    if (next.end === -1) return;
    index = text.indexOf('<', next.end);
  }
}

interface Construct {
  /** An opening tag, a closing tag, an empty-element tag (`<a/>`), or anything else. */
  readonly kind: 'open' | 'close' | 'empty' | 'other';
  /** Index just after the construct, or -1 when it runs to the end of the text. */
  readonly end: number;
}

/** Reads the markup construct starting at `start` (a `<`): a tag, comment, CDATA section or instruction. */
function scanConstruct(text: string, start: number, file: string): Construct {
  const skipTo = (terminator: string): Construct => {
    const found = text.indexOf(terminator, start);
    return { kind: 'other', end: found === -1 ? -1 : found + terminator.length };
  };
  if (text.startsWith('<!--', start)) return skipTo('-->');
  if (text.startsWith('<![CDATA[', start)) return skipTo(']]>');
  if (text.startsWith('<?', start)) return skipTo('?>');
  if (text.startsWith('<!', start)) return skipTo('>');
  const closing = text.startsWith('</', start);
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'") {
      const quoteEnd = text.indexOf(char, index + 1);
      if (quoteEnd === -1) return { kind: 'other', end: -1 };
      if (quoteEnd - index - 1 > MAX_ATTRIBUTE_CHARS) {
        const { line, column } = position(text, index);
        throw new ImportError(
          `an attribute value is longer than ${MAX_ATTRIBUTE_CHARS} characters`,
          file,
          line,
          column,
        );
      }
      index = quoteEnd + 1;
    } else if (char === '>') {
      const selfClosing = text[index - 1] === '/';
      return { kind: closing ? 'close' : selfClosing ? 'empty' : 'open', end: index + 1 };
    } else {
      index++;
    }
  }
  return { kind: 'other', end: -1 };
}

/** Parses validated XML into objects, keeping attributes and element start positions; entities stay as written. */
function parse(text: string, file: string): unknown {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    htmlEntities: false,
    captureMetaData: true,
    maxNestedTags: MAX_XML_DEPTH + 1,
    jPath: false,
  });
  try {
    return parser.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new ImportError(`could not read the XML: ${reason}`, file);
  }
}

/** The document's single root element and its name (the XML declaration aside). */
function rootElement(parsed: unknown, file: string): [string, XmlNode] {
  if (typeof parsed !== 'object' || parsed === null) throw new ImportError('the file holds no XML element', file);
  const names = Object.keys(parsed).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
  const name = names[0];
  if (name === undefined || names.length > 1)
    throw new ImportError('the file must hold exactly one root element', file);
  const value: unknown = (parsed as Record<string, unknown>)[name];
  const root: XmlNode = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlNode) : {};
  return [name, root];
}

/** Offsets where each line starts, for turning a character index into a line number. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** The 1-based line where a parsed element starts (binary search over line starts). */
function lineOfNode(node: unknown, starts: readonly number[]): number | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const metadata = (node as Record<symbol, unknown>)[METADATA as symbol];
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const startIndex = (metadata as { startIndex?: unknown }).startIndex;
  if (typeof startIndex !== 'number') return undefined;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= startIndex) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Line and column (1-based) of a character index, for error messages. */
function position(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let found = text.indexOf('\n'); found !== -1 && found < index; found = text.indexOf('\n', found + 1)) {
    line++;
    lineStart = found + 1;
  }
  return { line, column: index - lineStart + 1 };
}
