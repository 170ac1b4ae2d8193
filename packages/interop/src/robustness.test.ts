// The importers and discovery on damaged and hostile input. Every sample file of every import format and
// discovery kind is mutated a few hundred ways in all by a seeded generator (structural changes to the parsed
// data, written back in the file's own syntax, and changes to the text), and each result must be one of the
// two outcomes the importers promise: an ImportError with a message (and a line or a path when it is about a
// place in the file), or a model core accepts with a complete `unmapped` list. Any other exception, an
// invalid model, or a crash that discovery's guard turned into an ImportError fails the test, which prints the
// mutation and the input around it. Inputs that failed once are kept below as named regression cases, and a
// handful of hostile inputs per format are written out by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { discover } from './discover/discover.js';
import { readTerraformPlan } from './discover/terraform.js';
import { importModel } from './importModel.js';
import { ImportError, type ImportFormat, type ImportResult } from './ImportResult.js';
import { MAX_INPUT_BYTES } from './source.js';
import { checkModel } from './writeModel.js';

const SAMPLES = new URL('../fixtures/samples/', import.meta.url);
const sampleText = (path: string): string => readFileSync(new URL(path, SAMPLES), 'utf8');

type Syntax = 'json' | 'yaml' | 'xml' | 'hcl';
type Run = (text: string) => Promise<ImportResult>;

/** One sample file, how to read it, how many structural mutations of it to try, and names it holds. */
interface Fixture {
  readonly name: string;
  readonly syntax: Syntax;
  readonly text: string;
  readonly run: Run;
  readonly structural: number;
  /** Two ids (or names that items are referred to by) and an item's name, for the hostile renames. */
  readonly ids: readonly [string, string];
  readonly itemName: string;
}

/** Text mutations tried on every sample. */
const TEXTUAL = 5;

/** A change made to a sample: what it did, and the text it gave. */
interface Change {
  readonly description: string;
  readonly text: string;
}

/** A change with the text it was made to (structural changes rewrite JSON and YAML before they change it). */
interface Mutation extends Change {
  readonly base: string;
}

/** An importer as a Run: what it throws becomes a rejection (the executor of a promise catches it). */
const importer =
  (format: ImportFormat) =>
  (file: string): Run =>
  (text) =>
    new Promise((resolve) => resolve(importModel(text, file, format)));
const discoverer =
  (file: string): Run =>
  (text) =>
    discover([{ file, text }]);

/**
 * The OTM YAML example with its one line that is not YAML 1.2 indented by one more space (see otm.test.ts:
 * as shipped, the importer refuses it at that line, which the text mutations of the shipped file still try).
 */
const OTM_YAML = sampleText('otm/otm-EXAMPLE.yaml').replace("\n        }'\n", "\n         }'\n");

/** The voting app's Kubernetes manifests as one multi-document file, as `kubectl` takes them. */
const MANIFESTS = readdirSync(new URL('iac/kubernetes/example-voting-app/', SAMPLES))
  .sort()
  .map((name) => sampleText(`iac/kubernetes/example-voting-app/${name}`).trim())
  .join('\n---\n');

/** A sample with its file name as the input's name (discovery tells a `.tf` file by it). */
function sample(
  path: string,
  syntax: Syntax,
  run: (file: string) => Run,
  structural: number,
  [ids, itemName]: readonly [readonly [string, string], string],
  text = sampleText(path),
): Fixture {
  return { name: path, syntax, text, run: run(path.replace(/^.*\//, '')), structural, ids, itemName };
}

const CFN = 'iac/cloudformation/cloudformation_single_file.json';

const FIXTURES: readonly Fixture[] = [
  sample('threat-dragon/v2-threat-model.json', 'json', importer('threat-dragon'), 22, [
    ['a25bbb4e-093f-4238-a620-31efdee452dc', '936557f9-22e2-4bac-bb70-0089c5c2fbe1'],
    'Worker Config',
  ]),
  sample('threat-dragon/test-reports-all-diagram-types.json', 'json', importer('threat-dragon'), 22, [
    ['578b5170-74f1-401d-a72f-c06ccc966ca0', '07d6b9e7-9ae9-486a-b891-c624a0789a1a'],
    'In scope',
  ]),
  sample('otm/otm-EXAMPLE.json', 'json', importer('otm'), 22, [
    ['web-service', 'f0ba7722-39b6-4c81-8290-a30a248bb8d9'],
    'Web Service',
  ]),
  sample(
    'otm/otm-EXAMPLE.yaml',
    'yaml',
    importer('otm'),
    18,
    [['web-service', 'f0ba7722-39b6-4c81-8290-a30a248bb8d9'], 'Web Service'],
    OTM_YAML,
  ),
  sample('threagile/threagile-example-model.yaml', 'yaml', importer('threagile'), 14, [
    ['customer-client', 'load-balancer'],
    'Customer Web Client',
  ]),
  sample('threagile/threagile-stub-model.yaml', 'yaml', importer('threagile'), 18, [
    ['some-component', 'some-data'],
    'Some Technical Asset',
  ]),
  sample('ms-tmt/Sample_Threat_Model.tm7', 'xml', importer('ms-tmt'), 10, [
    ['41cb799f-434b-4b35-bd8e-8970bb985ec9', 'd8c8aab1-5108-49c5-92a1-b214ba353477'],
    'Generic External Interactor',
  ]),
  sample('threat-composer/ThreatComposer.tc.json', 'json', importer('threat-composer'), 22, [
    ['f29b9a9f-94d9-4d6e-be3e-5fffb874d2a6', 'baa86fce-6e2a-406b-a10e-79c30cf94589'],
    'Schema validation on data import',
  ]),
  sample('iac/docker-compose/example-voting-app.docker-compose.yml', 'yaml', discoverer, 22, [['redis', 'db'], 'vote']),
  sample(
    'iac/kubernetes/example-voting-app (all manifests in one file)',
    'yaml',
    discoverer,
    22,
    [['redis', 'db'], 'vote'],
    MANIFESTS,
  ),
  sample('iac/terraform/aws_multiple_components.tf', 'hcl', discoverer, 10, [['service', 'mongo'], 'foobar']),
  sample('iac/terraform/official-tfplan.json', 'json', discoverer, 16, [
    ['click_logger_api', 'clicklogger-authorizer'],
    'click-logger-table',
  ]),
  sample(CFN, 'json', discoverer, 22, [['CustomVPC', 'PublicSubnet1'], 'VPCssm']),
  // The same template in YAML, which CloudFormation reads as well (with its own tags, such as `!Ref`).
  sample(
    `${CFN} (as YAML)`,
    'yaml',
    () => discoverer('template.yaml'),
    12,
    [['CustomVPC', 'PublicSubnet1'], 'VPCssm'],
    stringifyYaml(JSON.parse(sampleText(CFN))),
  ),
];

// ---------------------------------------------------------------------------------------------------------
// A seeded generator
// ---------------------------------------------------------------------------------------------------------

/** A small deterministic generator (mulberry32): the same seed gives the same mutations on every run. */
class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** A seed from a name, so that each sample's mutations stay the same when others are added. */
function seedOf(name: string): number {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
  return hash >>> 0;
}

/** Picks among items grouped by a label (a key, a tag name): a label first, then an item with it. */
function pickGrouped<T>(random: Random, items: readonly T[], label: (item: T) => string): T | undefined {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = label(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  if (groups.size === 0) return undefined;
  return random.pick(random.pick([...groups.values()]));
}

// ---------------------------------------------------------------------------------------------------------
// Mutations of parsed data (JSON and YAML)
// ---------------------------------------------------------------------------------------------------------

type Container = Record<string, unknown> | unknown[];
type Segment = string | number;

/** One value in the data, with where it sits and the id of the item it belongs to. */
interface DataNode {
  readonly path: readonly Segment[];
  readonly parent: Container;
  readonly key: Segment;
  readonly value: unknown;
  /** The id of the nearest enclosing item: an object's `id`, or its key in a map of items. */
  readonly owner: string | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys whose string values name an item for others to refer to. */
const ID_KEYS: ReadonlySet<string> = new Set(['id', 'address', 'Guid']);

/** A mapping of named items (compose `services`, CloudFormation `Resources`, Threagile `technical_assets`). */
function isItemMap(value: Record<string, unknown>): boolean {
  const entries = Object.values(value);
  return entries.length >= 2 && entries.every(isObject);
}

/** Every value below the root, in document order. */
function nodesOf(root: unknown): DataNode[] {
  const nodes: DataNode[] = [];
  const visit = (value: unknown, path: readonly Segment[], owner: string | undefined): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        nodes.push({ path: [...path, index], parent: value, key: index, value: item, owner });
        visit(item, [...path, index], owner);
      });
    } else if (isObject(value)) {
      const own = typeof value.id === 'string' ? value.id : owner;
      const itemMap = isItemMap(value);
      for (const [key, item] of Object.entries(value)) {
        const itemOwner = itemMap ? key : own;
        nodes.push({ path: [...path, key], parent: value, key, value: item, owner: itemOwner });
        visit(item, [...path, key], itemOwner);
      }
    }
  };
  visit(root, [], undefined);
  return nodes;
}

/** The names items are known by: id values, and the keys of maps of items. */
function idsOf(root: unknown): Set<string> {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      if (isItemMap(value)) for (const key of Object.keys(value)) ids.add(key);
      for (const [key, item] of Object.entries(value)) {
        if (ID_KEYS.has(key) && typeof item === 'string' && item !== '') ids.add(item);
        visit(item);
      }
    }
  };
  visit(root);
  return ids;
}

/** The id a reference names: the whole string, or its first dotted parts (`aws_vpc.main.id`). */
function referencedId(text: string, ids: ReadonlySet<string>): string | undefined {
  if (ids.has(text)) return text;
  const parts = text.split('.');
  for (let count = parts.length - 1; count >= 1; count--) {
    const prefix = parts.slice(0, count).join('.');
    if (ids.has(prefix)) return prefix;
  }
  return undefined;
}

function setAt(node: DataNode, value: unknown): void {
  if (Array.isArray(node.parent)) node.parent[node.key as number] = value;
  else node.parent[node.key as string] = value;
}

function pathLabel(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path)
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out === '' ? '(root)' : out;
}

/** A 200,000-character string: over every length limit the importers have for names and texts. */
const LONG = 'A'.repeat(200_000);
const WORDS = 'word '.repeat(40_000);

/** Values of the wrong type for most fields: the commonest cause of crashes, so tried most. */
const WRONG_TYPES: readonly (readonly [string, () => unknown])[] = [
  ['null', () => null],
  ['0', () => 0],
  ['true', () => true],
  ['"x"', () => 'x'],
  ['[]', () => []],
  ['{}', () => ({})],
];

const ODD_VALUES: readonly (readonly [string, () => unknown])[] = [
  ...WRONG_TYPES,
  ['-1', () => -1],
  ['1e308', () => 1e308],
  ['2.5', () => 2.5],
  ['""', () => ''],
  ['"__proto__"', () => '__proto__'],
  ['{"a": [1]}', () => ({ a: [1] })],
  ['a 200,000-character string', () => LONG],
  ['a 200,000-character text of words', () => WORDS],
  ['"   "', () => '   '],
  ['"a\\u0000b\\u0007"', () => 'a\u0000b\u0007'],
  ['a lone surrogate', () => '\ud800'],
  ['"\\u202egnp.exe"', () => '\u202egnp.exe'],
  ['"\\u200b"', () => '\u200b'],
  ['1e-300', () => 1e-300],
  ['2^53 + 2', () => 2 ** 53 + 2],
];

/** A mutation of the data in place: its description, or undefined when the data offers it no place. */
type DataMutation = (data: unknown, random: Random) => string | undefined;

/** A node's key, or `[]` for a list item: what groups fields of one kind. */
const labelOf = (node: DataNode): string => (typeof node.key === 'number' ? '[]' : node.key);

/** A node chosen by its key (so that every kind of field gets its turn, not mostly the many leaves). */
function pickNode(random: Random, nodes: readonly DataNode[]): DataNode | undefined {
  return pickGrouped(random, nodes, labelOf);
}

/**
 * One wrong type for every scalar field of some keys at once (`every name and port to null`): reaches code
 * one change at a time rarely does. Scalars only: a whole section of the wrong type is mostly refused early.
 */
function setMany(data: unknown, random: Random): string | undefined {
  const scalars = nodesOf(data).filter((node) => typeof node.value !== 'object' || node.value === null);
  const labels = [...new Set(scalars.map(labelOf))];
  if (labels.length === 0) return undefined;
  const chosen = new Set(labels.filter(() => random.next() < 0.15));
  if (chosen.size === 0) chosen.add(random.pick(labels));
  // Null half the time: a missing value written out is the commonest of all.
  const [label, value] = random.next() < 0.5 ? (['null', () => null] as const) : random.pick(WRONG_TYPES);
  for (const node of scalars) if (chosen.has(labelOf(node))) setAt(node, value());
  return `set every ${[...chosen].join(', ')} to ${label}`;
}

const DATA_MUTATIONS: readonly DataMutation[] = [
  // Twice: wrong types are what untrusted files hold most.
  setMany,
  setMany,
  function remove(data, random) {
    const node = pickNode(random, nodesOf(data));
    if (node === undefined) return undefined;
    if (Array.isArray(node.parent)) node.parent.splice(node.key as number, 1);
    else delete node.parent[node.key as string];
    return `delete ${pathLabel(node.path)}`;
  },
  function setOdd(data, random) {
    const node = pickNode(random, nodesOf(data));
    if (node === undefined) return undefined;
    const [label, value] = random.pick(ODD_VALUES);
    setAt(node, value());
    return `set ${pathLabel(node.path)} to ${label}`;
  },
  function wrap(data, random) {
    const node = pickNode(random, nodesOf(data));
    if (node === undefined) return undefined;
    setAt(node, [node.value]);
    return `wrap ${pathLabel(node.path)} in a list`;
  },
  function duplicateItem(data, random) {
    const lists = nodesOf(data).filter((node) => Array.isArray(node.value) && node.value.length > 0);
    const node = pickNode(random, lists);
    if (node === undefined) return undefined;
    const list = node.value as unknown[];
    const index = random.int(list.length);
    list.splice(index + 1, 0, structuredClone(list[index]));
    return `duplicate ${pathLabel([...node.path, index])}`;
  },
  function swapIds(data, random) {
    const lists = nodesOf(data).filter(
      (node) =>
        Array.isArray(node.value) &&
        node.value.filter((item) => isObject(item) && typeof item.id === 'string').length >= 2,
    );
    const node = pickNode(random, lists);
    if (node === undefined) return undefined;
    const items = (node.value as unknown[]).filter(isObject).filter((item) => typeof item.id === 'string');
    const a = random.int(items.length);
    const b = (a + 1 + random.int(items.length - 1)) % items.length;
    const first = items[a];
    const second = items[b];
    if (first === undefined || second === undefined) return undefined;
    [first.id, second.id] = [second.id, first.id];
    return `swap the ids of ${pathLabel(node.path)} items ${a} and ${b}`;
  },
  function danglingOrSelfReference(data, random) {
    const ids = idsOf(data);
    const references = nodesOf(data).filter(
      (node) =>
        typeof node.value === 'string' &&
        !(typeof node.key === 'string' && ID_KEYS.has(node.key)) &&
        referencedId(node.value, ids) !== undefined,
    );
    const node = pickNode(random, references);
    if (node === undefined) return undefined;
    const text = node.value as string;
    const id = referencedId(text, ids) ?? text;
    const self = node.owner !== undefined && node.owner !== id && random.next() < 0.5;
    const target = self ? node.owner : 'no-such-item';
    setAt(node, target + text.slice(id.length));
    return `point the reference ${pathLabel(node.path)} (${JSON.stringify(text)}) at ${self ? 'its own item' : 'nothing'}`;
  },
  function cycle(data, random) {
    const nodes = nodesOf(data);
    // Parents by reference (OTM's `parent`, anything named so), nesting lists (Threagile) or geometry
    // (Threat Dragon's boundary boxes: one drawn exactly over another contains it and is contained by it).
    const parented = nodes.filter(
      (node) => isObject(node.value) && typeof node.value.id === 'string' && node.value.parent !== undefined,
    );
    const nesting = nodes.filter(
      (node) => isObject(node.value) && Object.keys(node.value).some((key) => /nested/.test(key)),
    );
    const boxes = nodes.filter(
      (node) => isObject(node.value) && node.value.shape === 'trust-boundary-box' && node.value.position !== undefined,
    );
    const candidates = [parented, nesting, boxes].filter((list) => list.length >= 1);
    if (candidates.length === 0) return undefined;
    const list = random.pick(candidates);
    const a = random.pick(list);
    const others = list.filter((node) => node !== a);
    // A parent of its own is a cycle too; boxes need two.
    const b = others.length > 0 && (list === boxes || random.int(4) > 0) ? random.pick(others) : a;
    const first = a.value as Record<string, unknown>;
    const second = b.value as Record<string, unknown>;
    if (list === boxes) {
      second.position = structuredClone(first.position);
      second.size = structuredClone(first.size);
      return `draw the box ${pathLabel(b.path)} exactly over ${pathLabel(a.path)}`;
    }
    const idOf = (node: DataNode): string =>
      typeof (node.value as Record<string, unknown>).id === 'string'
        ? ((node.value as Record<string, unknown>).id as string)
        : String(node.key);
    if (list === nesting) {
      const key = Object.keys(first).find((name) => /nested/.test(name)) ?? 'nested';
      first[key] = [idOf(b)];
      second[key] = [idOf(a)];
      return `nest ${pathLabel(a.path)} and ${pathLabel(b.path)} in each other`;
    }
    const pointAt = (item: Record<string, unknown>, id: string): void => {
      if (isObject(item.parent)) {
        for (const key of Object.keys(item.parent)) if (typeof item.parent[key] === 'string') item.parent[key] = id;
      } else item.parent = id;
    };
    pointAt(first, idOf(b));
    pointAt(second, idOf(a));
    return a === b
      ? `make ${pathLabel(a.path)} its own parent`
      : `make ${pathLabel(a.path)} and ${pathLabel(b.path)} each other's parent`;
  },
];

/** The documents of a JSON or YAML text (YAML may hold several, separated by `---`). */
function parseData(text: string, syntax: 'json' | 'yaml'): unknown[] {
  if (syntax === 'json') return [JSON.parse(text) as unknown];
  return parseAllDocuments(text).map((document) => document.toJS({ maxAliasCount: -1 }) as unknown);
}

function writeData(documents: readonly unknown[], syntax: 'json' | 'yaml'): string {
  if (syntax === 'json') return `${JSON.stringify(documents[0], null, 2)}\n`;
  return documents.map((document) => stringifyYaml(document, { aliasDuplicateObjects: false })).join('---\n');
}

function mutateData(documents: readonly unknown[], syntax: 'json' | 'yaml', random: Random): Change | undefined {
  const copy = structuredClone(documents) as unknown[];
  // The root of a one-document file is the document itself; a multi-document file's paths start with its index.
  const root = copy.length === 1 ? copy[0] : copy;
  // One change in three comes with a second one, to reach states one change alone does not.
  const descriptions: string[] = [];
  for (let count = random.int(3) === 0 ? 2 : 1; count > 0; count--) {
    const description = random.pick(DATA_MUTATIONS)(root, random);
    if (description !== undefined) descriptions.push(description);
  }
  if (descriptions.length === 0) return undefined;
  return { description: descriptions.join(', then '), text: writeData(copy, syntax) };
}

// ---------------------------------------------------------------------------------------------------------
// Mutations of XML text (an element tree over the text, changed in place)
// ---------------------------------------------------------------------------------------------------------

interface XmlElement {
  readonly name: string;
  readonly start: number;
  /** Where its content starts (after the start tag) and ends (before the end tag); equal when empty. */
  readonly contentStart: number;
  contentEnd: number;
  end: number;
  readonly parent: XmlElement | undefined;
  readonly children: XmlElement[];
}

/** The elements of an XML text with their spans (comments, CDATA and declarations skipped). */
function xmlElements(text: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: XmlElement[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  for (let match = tag.exec(text); match !== null; match = tag.exec(text)) {
    const [whole, closing, name = '', , selfClosing] = match;
    const end = match.index + whole.length;
    if (closing === '/') {
      const open = stack.pop();
      if (open !== undefined) {
        open.contentEnd = match.index;
        open.end = end;
      }
      continue;
    }
    const parent = stack.at(-1);
    const element: XmlElement = {
      name,
      start: match.index,
      contentStart: end,
      contentEnd: end,
      end,
      parent,
      children: [],
    };
    parent?.children.push(element);
    elements.push(element);
    if (selfClosing !== '/') stack.push(element);
  }
  return elements;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const localName = (element: XmlElement): string => element.name.replace(/^.*:/, '');
const contentOf = (text: string, element: XmlElement): string => text.slice(element.contentStart, element.contentEnd);
const isLeaf = (element: XmlElement): boolean => element.children.length === 0 && element.contentEnd > element.start;

/** The text with one span replaced. */
const splice = (text: string, start: number, end: number, insert: string): string =>
  text.slice(0, start) + insert + text.slice(end);

const ODD_TEXTS: readonly (readonly [string, string])[] = [
  ['nothing', ''],
  ['-1', '-1'],
  ['1e308', '1e308'],
  ['NaN', 'NaN'],
  ['"x"', 'x'],
  ['"__proto__"', '__proto__'],
  ['&lt;script&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['a 200,000-character text', LONG],
  ['a 200,000-character text of words', WORDS],
  ['"   "', '   '],
  ['&#x7;', 'a&#x7;b'],
  ['a lone surrogate', '&#xD800;'],
  ['"\\u202egnp.exe"', '\u202egnp.exe'],
  ['2^53 + 2', '9007199254740994'],
];

type XmlMutation = (text: string, elements: readonly XmlElement[], random: Random) => Change | undefined;

const XML_MUTATIONS: readonly XmlMutation[] = [
  function remove(text, elements, random) {
    const element = pickGrouped(random, elements.slice(1), (e) => e.name);
    if (element === undefined) return undefined;
    return { description: `delete an element <${element.name}>`, text: splice(text, element.start, element.end, '') };
  },
  function setText(text, elements, random) {
    const element = pickGrouped(random, elements.filter(isLeaf), (e) => e.name);
    if (element === undefined) return undefined;
    const [label, value] = random.pick(ODD_TEXTS);
    return {
      description: `set the text of an element <${element.name}> to ${label}`,
      text: splice(text, element.contentStart, element.contentEnd, value),
    };
  },
  function nil(text, elements, random) {
    const element = pickGrouped(random, elements.slice(1), (e) => e.name);
    if (element === undefined) return undefined;
    return {
      description: `make an element <${element.name}> nil`,
      text: splice(text, element.start, element.end, `<${element.name} i:nil="true"/>`),
    };
  },
  function duplicate(text, elements, random) {
    const element = pickGrouped(random, elements.slice(1), (e) => e.name);
    if (element === undefined) return undefined;
    const copy = text.slice(element.start, element.end);
    return {
      description: `duplicate an element <${element.name}>`,
      text: splice(text, element.end, element.end, copy),
    };
  },
  function wrapInItself(text, elements, random) {
    const element = pickGrouped(random, elements.slice(1), (e) => e.name);
    if (element === undefined) return undefined;
    const copy = text.slice(element.start, element.end);
    return {
      description: `wrap an element <${element.name}> in another of its name`,
      text: splice(text, element.start, element.end, `<${element.name}>${copy}</${element.name}>`),
    };
  },
  function swapGuids(text, elements, random) {
    const guids = elements.filter((e) => localName(e) === 'Guid' && GUID.test(contentOf(text, e)));
    if (guids.length < 2) return undefined;
    const a = random.pick(guids);
    const b = random.pick(guids.filter((e) => e !== a));
    const [first, second] = a.start < b.start ? [a, b] : [b, a];
    const out = splice(
      splice(text, second.contentStart, second.contentEnd, contentOf(text, first)),
      first.contentStart,
      first.contentEnd,
      contentOf(text, second),
    );
    return { description: `swap the Guids at offsets ${first.start} and ${second.start}`, text: out };
  },
  function danglingOrSelfReference(text, elements, random) {
    const ids = new Set(elements.filter((e) => localName(e) === 'Guid').map((e) => contentOf(text, e)));
    const references = elements.filter(
      (e) => isLeaf(e) && localName(e) !== 'Guid' && GUID.test(contentOf(text, e)) && ids.has(contentOf(text, e)),
    );
    const element = pickGrouped(random, references, (e) => e.name);
    if (element === undefined) return undefined;
    let owner: string | undefined;
    for (let at = element.parent; at !== undefined && owner === undefined; at = at.parent) {
      const guid = at.children.find((child) => localName(child) === 'Guid');
      if (guid !== undefined && contentOf(text, guid) !== contentOf(text, element)) owner = contentOf(text, guid);
    }
    const self = owner !== undefined && random.next() < 0.5;
    return {
      description: `point a <${element.name}> reference at ${self ? 'its own item' : 'nothing'}`,
      text: splice(
        text,
        element.contentStart,
        element.contentEnd,
        self && owner !== undefined ? owner : '00000000-0000-0000-0000-000000000000',
      ),
    };
  },
  function sameGeometry(text, elements, random) {
    // Two shapes drawn at the same place and size contain each other.
    const shapes = elements.filter((e) => e.children.some((child) => localName(child) === 'Width'));
    if (shapes.length < 2) return undefined;
    const a = random.pick(shapes);
    const b = random.pick(shapes.filter((e) => e !== a));
    const edits = ['Left', 'Top', 'Width', 'Height']
      .map((name) => [a.children.find((c) => localName(c) === name), b.children.find((c) => localName(c) === name)])
      .filter((pair): pair is [XmlElement, XmlElement] => pair[0] !== undefined && pair[1] !== undefined)
      .sort((x, y) => y[1].start - x[1].start);
    let out = text;
    for (const [from, to] of edits) out = splice(out, to.contentStart, to.contentEnd, contentOf(text, from));
    return { description: `draw the shape at offset ${b.start} exactly over the one at ${a.start}`, text: out };
  },
];

function mutateXml(text: string, random: Random, elements: readonly XmlElement[]): Change | undefined {
  return random.pick(XML_MUTATIONS)(text, elements, random);
}

// ---------------------------------------------------------------------------------------------------------
// Mutations of HCL text (top-level blocks and one-line attributes)
// ---------------------------------------------------------------------------------------------------------

interface HclBlock {
  readonly start: number;
  readonly end: number;
  readonly type: string;
  readonly name: string;
  readonly header: string;
}

/** The top-level blocks: from a line starting with a block keyword to the next line that is `}`. */
function hclBlocks(text: string): HclBlock[] {
  const blocks: HclBlock[] = [];
  const header = /^(resource|data|module|output|variable|provider|locals)\b([^\n{]*)\{/gm;
  for (let match = header.exec(text); match !== null; match = header.exec(text)) {
    const close = /^\}[ \t]*$/m.exec(text.slice(match.index));
    const end = close === null ? text.length : match.index + close.index + close[0].length;
    const labels = [...(match[2] ?? '').matchAll(/"([^"]*)"/g)].map((label) => label[1] ?? '');
    blocks.push({
      start: match.index,
      end,
      type: labels.length === 2 ? (labels[0] ?? '') : '',
      name: labels.at(-1) ?? '',
      header: match[0],
    });
    header.lastIndex = end;
  }
  return blocks;
}

const ODD_HCL: readonly (readonly [string, string])[] = [
  ['null', 'null'],
  ['0', '0'],
  ['-1', '-1'],
  ['1e308', '1e308'],
  ['true', 'true'],
  ['""', '""'],
  ['"__proto__"', '"__proto__"'],
  ['[]', '[]'],
  ['{}', '{}'],
  ['a 200,000-character string', `"${LONG}"`],
  ['"   "', '"   "'],
  ['"a\\u0000b"', '"a\\u0000b"'],
  ['"\\u202egnp.exe"', '"\u202egnp.exe"'],
  ['"${var.x}"', '"${var.x}"'],
  ['"%{ for x in y }"', '"%{ for x in y }${x}%{ endfor }"'],
  ['2^53 + 2', '9007199254740994'],
];

type HclMutation = (text: string, random: Random) => Change | undefined;

/** One-line attributes `name = value`, with the span of the value. */
function hclAttributes(text: string): { name: string; line: number; valueStart: number; valueEnd: number }[] {
  return [...text.matchAll(/^([ \t]*)([\w-]+)([ \t]*=[ \t]*)(.+)$/gm)].map((match) => {
    const valueStart = match.index + (match[1] ?? '').length + (match[2] ?? '').length + (match[3] ?? '').length;
    return {
      name: match[2] ?? '',
      line: text.slice(0, match.index).split('\n').length,
      valueStart,
      valueEnd: valueStart + (match[4] ?? '').length,
    };
  });
}

const HCL_MUTATIONS: readonly HclMutation[] = [
  function setValue(text, random) {
    const attribute = pickGrouped(random, hclAttributes(text), (a) => a.name);
    if (attribute === undefined) return undefined;
    const [label, value] = random.pick(ODD_HCL);
    return {
      description: `set ${attribute.name} (line ${attribute.line}) to ${label}`,
      text: splice(text, attribute.valueStart, attribute.valueEnd, value),
    };
  },
  function wrapValue(text, random) {
    const attribute = pickGrouped(random, hclAttributes(text), (a) => a.name);
    if (attribute === undefined) return undefined;
    const value = text.slice(attribute.valueStart, attribute.valueEnd);
    return {
      description: `wrap ${attribute.name} (line ${attribute.line}) in a list`,
      text: splice(text, attribute.valueStart, attribute.valueEnd, `[${value}]`),
    };
  },
  function removeAttribute(text, random) {
    const attribute = pickGrouped(random, hclAttributes(text), (a) => a.name);
    if (attribute === undefined) return undefined;
    const lineStart = text.lastIndexOf('\n', attribute.valueStart) + 1;
    return {
      description: `delete ${attribute.name} (line ${attribute.line})`,
      text: splice(text, lineStart, attribute.valueEnd, ''),
    };
  },
  function removeBlock(text, random) {
    const block = random.pick(hclBlocks(text));
    return { description: `delete the block ${block.header}`, text: splice(text, block.start, block.end, '') };
  },
  function duplicateBlock(text, random) {
    const block = random.pick(hclBlocks(text));
    const copy = text.slice(block.start, block.end);
    return {
      description: `duplicate the block ${block.header}`,
      text: splice(text, block.end, block.end, `\n${copy}`),
    };
  },
  function swapNames(text, random) {
    const blocks = hclBlocks(text).filter((block) => block.type !== '');
    if (blocks.length < 2) return undefined;
    const a = random.pick(blocks);
    const b = random.pick(blocks.filter((block) => block !== a));
    const [first, second] = a.start < b.start ? [a, b] : [b, a];
    const rename = (block: HclBlock, name: string): string => block.header.replace(`"${block.name}"`, `"${name}"`);
    const out = splice(
      splice(text, second.start, second.start + second.header.length, rename(second, first.name)),
      first.start,
      first.start + first.header.length,
      rename(first, second.name),
    );
    return { description: `swap the names of ${first.header} and ${second.header}`, text: out };
  },
  function danglingOrSelfReference(text, random) {
    const blocks = hclBlocks(text).filter((block) => block.type !== '');
    const names = new Set(blocks.map((block) => `${block.type}.${block.name}`));
    const references = [...text.matchAll(/\b([a-z][a-z0-9_]*)\.([\w-]+)\b/g)].filter(
      (match) => names.has(`${match[1]}.${match[2]}`) && text[match.index - 1] !== '"',
    );
    if (references.length === 0) return undefined;
    const reference = random.pick(references);
    const owner = blocks.find((block) => block.start <= reference.index && reference.index < block.end);
    const self = owner !== undefined && random.next() < 0.5;
    const target = self && owner !== undefined ? `${owner.type}.${owner.name}` : `${reference[1]}.no_such_item`;
    return {
      description: `point the reference ${reference[0]} at ${self ? 'its own block' : 'nothing'}`,
      text: splice(text, reference.index, reference.index + reference[0].length, target),
    };
  },
];

function mutateHcl(text: string, random: Random): Change | undefined {
  return random.pick(HCL_MUTATIONS)(text, random);
}

// ---------------------------------------------------------------------------------------------------------
// Mutations of any text
// ---------------------------------------------------------------------------------------------------------

const ODD_CHARACTERS = [
  '\u0000',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  ':',
  ',',
  '\n',
  '\t',
  '<',
  '>',
  '&',
  '#',
  '-',
  '|',
  '*',
];

function mutateText(text: string, random: Random): Change {
  switch (random.int(3)) {
    case 0: {
      const at = random.int(text.length);
      return { description: `truncate at offset ${at}`, text: text.slice(0, at) };
    }
    case 1: {
      const at = random.int(text.length + 1);
      const code = random.int(3) === 0 ? random.int(256) : undefined;
      const character = code === undefined ? random.pick(ODD_CHARACTERS) : String.fromCharCode(code);
      return {
        description: `insert ${JSON.stringify(character)} at offset ${at}`,
        text: splice(text, at, at, character),
      };
    }
    default: {
      const positions: number[] = [];
      for (let index = 0; index < text.length; index++)
        if ('{}[]"\'<>'.includes(text[index] ?? '')) positions.push(index);
      const at = positions.length === 0 ? random.int(text.length) : random.pick(positions);
      return {
        description: `remove the ${JSON.stringify(text[at])} at offset ${at}`,
        text: splice(text, at, at + 1, ''),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// The promise each input is held to
// ---------------------------------------------------------------------------------------------------------

/**
 * ImportErrors about the file as a whole, which have no place to name: the format cannot be told, the file
 * is over a size limit, or it is not the kind of file at all.
 */
const WHOLE_FILE_ERRORS: readonly RegExp[] = [
  /^cannot tell which tool wrote this file/,
  /^not a file discovery knows/,
  /^the file is over the (import )?limit/,
  /^the file is empty$/,
];

/** An `a.b[2].c` path at the start of a message, or a quoted one in it. */
const PATH_IN_MESSAGE = /^[\w$-]+(\.[\w$-]+|\[\d+\])+\s*:|`[\w$-]+(\.[\w$-]+|\[\d+\])+`/;

/**
 * How many times the usual number of mutations to try (and a seed of their own): `ROBUSTNESS_ROUNDS=20 npx
 * vitest run packages/interop/src/robustness.test.ts` looks further than the usual run.
 */
const ROUNDS = Math.max(1, Number(process.env.ROBUSTNESS_ROUNDS ?? 1) || 1);

/** How long one import may take before it counts as a hang (the samples take well under a second). */
const SLOW_MS = 10_000;

/** What is wrong with the outcome of one input, or undefined when it is one the importers promise. */
async function problemWith(run: Run, text: string): Promise<string | undefined> {
  const started = performance.now();
  let result: ImportResult;
  try {
    result = await run(text);
  } catch (error) {
    if (!(error instanceof ImportError)) {
      const name = error instanceof Error ? error.constructor.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      const at = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).join(' <- ') : '';
      return `threw ${name}: ${message.slice(0, 300)} ${at}`;
    }
    if (error.message.trim() === '') return 'an ImportError without a message';
    if (error.message.startsWith('could not read the file:')) {
      return `a crash that discover's guard turned into an ImportError: ${error.message.slice(0, 300)}`;
    }
    if (
      error.line === undefined &&
      !PATH_IN_MESSAGE.test(error.message) &&
      !WHOLE_FILE_ERRORS.some((pattern) => pattern.test(error.message))
    ) {
      return `an ImportError naming no line or path: ${error.message.slice(0, 300)}`;
    }
    return slowness(started) ?? pollution();
  }
  const errors = checkModel(result.model).filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) {
    return `an invalid model: ${errors
      .slice(0, 3)
      .map((d) => `${d.path}: ${d.message.slice(0, 200)}`)
      .join('; ')}`;
  }
  const incomplete = result.unmapped.find((entry) => !isText(entry.at) || !isText(entry.reason) || !isText(entry.what));
  if (incomplete !== undefined) return `an unmapped entry without a place or reason: ${JSON.stringify(incomplete)}`;
  return slowness(started) ?? pollution();
}

const isText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

function slowness(started: number): string | undefined {
  const elapsed = performance.now() - started;
  return elapsed > SLOW_MS ? `took ${Math.round(elapsed)} ms` : undefined;
}

/** Whether an input managed to add properties to every object (a `__proto__` key written through). */
function pollution(): string | undefined {
  const keys = Object.getOwnPropertyNames(Object.prototype).filter((key) => !BASE_PROTOTYPE_KEYS.has(key));
  return keys.length === 0 ? undefined : `Object.prototype gained ${keys.join(', ')}`;
}
const BASE_PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The input around what a mutation changed (the common start and end cut away), for the failure report. */
function excerpt(base: string, mutated: string): string {
  let start = 0;
  while (start < base.length && start < mutated.length && base[start] === mutated[start]) start++;
  let end = 0;
  while (
    end < base.length - start &&
    end < mutated.length - start &&
    base[base.length - 1 - end] === mutated[mutated.length - 1 - end]
  )
    end++;
  const from = Math.max(0, start - 200);
  const to = Math.min(mutated.length, mutated.length - end + 200);
  const changed = mutated.slice(from, to);
  return changed.length > 1200 ? `${changed.slice(0, 600)} [...] ${changed.slice(-600)}` : changed;
}

/** A sample's text as the structural mutations write it before they change anything. */
function rewritten(fixture: Fixture): string {
  return fixture.syntax === 'json' || fixture.syntax === 'yaml'
    ? writeData(parseData(fixture.text, fixture.syntax), fixture.syntax)
    : fixture.text;
}

/** The mutations tried on one sample: structural ones first, then ones to the text. */
function mutationsOf(fixture: Fixture, rounds = ROUNDS): Mutation[] {
  const random = new Random(seedOf(fixture.name) + rounds - 1);
  const mutations: Mutation[] = [];
  const { syntax, text } = fixture;
  const elements = syntax === 'xml' ? xmlElements(text) : [];
  const documents = syntax === 'json' || syntax === 'yaml' ? parseData(text, syntax) : [];
  const base = rewritten(fixture);
  const structural = fixture.structural * rounds;
  for (let attempts = 0; mutations.length < structural && attempts < structural * 5; attempts++) {
    const mutation =
      syntax === 'xml'
        ? mutateXml(text, random, elements)
        : syntax === 'hcl'
          ? mutateHcl(text, random)
          : mutateData(documents, syntax, random);
    // A change that changes nothing (a value set to what it was) is no mutation.
    if (mutation !== undefined && mutation.text !== base) mutations.push({ ...mutation, base });
  }
  for (let count = 0; count < TEXTUAL * rounds; count++) mutations.push({ ...mutateText(text, random), base: text });
  return mutations;
}

/** What went wrong with each mutation, with what it changed: how to make it again is its seed and index. */
async function failuresOf(run: Run, mutations: readonly Mutation[]): Promise<string[]> {
  const failures: string[] = [];
  for (const [index, mutation] of mutations.entries()) {
    const problem = await problemWith(run, mutation.text);
    if (problem !== undefined) {
      failures.push(
        `case ${index} (ROBUSTNESS_ROUNDS=${ROUNDS}): ${mutation.description}\n  -> ${problem}\n  input around the change:\n${excerpt(mutation.base, mutation.text)}`,
      );
    }
  }
  return failures;
}

describe('the importers and discovery on mutated sample files', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.name}: ${fixture.structural} structural and ${TEXTUAL} text mutations give a model or an ImportError`, async () => {
      expect(await problemWith(fixture.run, fixture.text)).toBeUndefined();
      expect(await problemWith(fixture.run, rewritten(fixture))).toBeUndefined();
      const mutations = mutationsOf(fixture);
      expect(mutations.length).toBe((fixture.structural + TEXTUAL) * ROUNDS);
      const failures = await failuresOf(fixture.run, mutations);
      expect(failures).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// Hostile inputs written by hand
// ---------------------------------------------------------------------------------------------------------

const fixture = (name: string): Fixture => {
  const found = FIXTURES.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no sample ${name}`);
  return found;
};

/** The data with `from` renamed `to` wherever it is a key, a whole string, or a dotted part of one. */
function renamed(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') {
    if (value === from) return to;
    return value.includes('.') ? value.replace(/[^.]+/g, (part) => (part === from ? to : part)) : value;
  }
  if (Array.isArray(value)) return value.map((item) => renamed(item, from, to));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Defined, not assigned: a key `__proto__` must stay a key.
    Object.defineProperty(out, key === from ? to : key, {
      value: renamed(item, from, to),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A sample's text with `from` renamed `to`: in the data for JSON and YAML, in the text for XML and HCL. */
function renameIn(sample: Fixture, from: string, to: string): string {
  const { syntax, text } = sample;
  if (syntax === 'json' || syntax === 'yaml') {
    return writeData(
      parseData(text, syntax).map((document) => renamed(document, from, to)),
      syntax,
    );
  }
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (syntax === 'xml') return text.replace(new RegExp(`>${escaped}<`, 'g'), `>${escapeXml(to)}<`);
  // HCL: a block label, or the name in a reference `type.name`.
  return text.replace(new RegExp(`(?<=")${escaped}(?=")|(?<=[a-z]\\.)${escaped}\\b`, 'g'), to);
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Every string of a value, for finding a name in a model. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return isObject(value) ? Object.values(value).flatMap(stringsOf) : [];
}

/** The names and titles of a model and its items. */
function namesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(namesOf);
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    (key === 'name' || key === 'title') && typeof item === 'string' ? [item] : namesOf(item),
  );
}

/** How many items of each kind a model has, to see that nothing was lost. */
function sizes(result: ImportResult): Record<string, number> {
  const { elements, flows, boundaries, assets, threats, mitigations } = result.model;
  return {
    elements: elements?.length ?? 0,
    flows: flows?.length ?? 0,
    boundaries: boundaries?.length ?? 0,
    assets: assets?.length ?? 0,
    threats: threats?.length ?? 0,
    mitigations: mitigations?.length ?? 0,
  };
}

const SCRIPT = '<script>alert(1)</script>';

/** What an input makes the importer throw, or undefined when it gives a model. */
const errorOf = (run: Run, text: string): Promise<unknown> =>
  run(text).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );

/** A value nested `depth` lists deep. */
const nestedLists = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A YAML mapping `deep` nested `depth` levels by indentation (two columns a level). */
function blockNesting(depth: number): string {
  let block = 'deep:\n';
  for (let level = 1; level < depth; level++) block += `${'  '.repeat(level)}a${level}:\n`;
  return `${block}${'  '.repeat(depth)}end\n`;
}

/** Text deeper than any parser's limit, in the sample's own syntax, at the start of the sample. */
function deeplyNested(sample: Fixture): string[] {
  const { syntax, text } = sample;
  switch (syntax) {
    case 'json':
      return [text.replace('{', `{"deep": ${nestedLists(100_000)},`)];
    case 'yaml':
      // Block nesting is bounded by indentation (core's maxIndent, 512 columns), flow nesting by depth.
      return [`deep: ${nestedLists(100_000)}\n${text}`, `${blockNesting(300)}${text}`];
    case 'xml':
      return [
        text.replace('<DrawingSurfaceList>', `<DrawingSurfaceList>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`),
      ];
    case 'hcl':
      return [text.replace('resource "aws_cloudtrail" "foobar" {', `$&\n  deep = ${nestedLists(100_000)}`)];
  }
}

/** Every number of the sample written as `number` (JSON and YAML by value, XML and HCL by text). */
function withNumbers(sample: Fixture, number: string): string {
  const { syntax, text } = sample;
  if (syntax === 'xml') return text.replace(/>-?\d+(\.\d+)?</g, `>${number}<`);
  if (syntax === 'hcl') return text.replace(/=(\s*)-?\d+(\.\d+)?\s*$/gm, `=$1${number}`);
  const marker = 'NUMBER-7f3a';
  const replace = (value: unknown): unknown =>
    typeof value === 'number'
      ? marker
      : Array.isArray(value)
        ? value.map(replace)
        : isObject(value)
          ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replace(item)]))
          : value;
  const written = writeData(parseData(text, syntax).map(replace), syntax);
  return written.replace(syntax === 'json' ? /"NUMBER-7f3a"/g : /NUMBER-7f3a/g, number);
}

/** The sample with keys `__proto__` and `constructor` (holding would-be prototype properties) in every mapping. */
function withPrototypeKeys(sample: Fixture): string {
  const { syntax, text } = sample;
  if (syntax !== 'json' && syntax !== 'yaml') return text;
  const add = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(add);
    if (!isObject(value)) return value;
    const out = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}',
    ) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) out[key] = add(item);
    return out;
  };
  return writeData(parseData(text, syntax).map(add), syntax);
}

/** Ten levels of aliases to lists of ten: a billion leaves once expanded. */
const ALIAS_BOMB = Array.from({ length: 10 }, (_, level) =>
  level === 0
    ? 'lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'
    : `lol${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`,
).join('\n');

/**
 * Hostile inputs the Threagile importer fails today. Its folder is being rewritten by someone else, so these
 * are reported rather than fixed here; `it.fails` turns red once one passes, to be moved back to `it`.
 */
const KNOWN_THREAGILE_PROBLEMS: ReadonlySet<string> = new Set([
  // `cwe: 123456789012345678901234567890` passes Number.isInteger and becomes "CWE-1.2345678901234568e+29".
  'threagile/threagile-example-model.yaml: every number 1e999 or 123456789012345678901234567890',
  'threagile/threagile-stub-model.yaml: every number 1e999 or 123456789012345678901234567890',
  // ROOT_UNMAPPED[key] and FIELD_REASONS[key] read Object.prototype for `__proto__` and `constructor`.
  'threagile/threagile-example-model.yaml: keys __proto__ and constructor in every mapping reach no prototype',
  'threagile/threagile-stub-model.yaml: keys __proto__ and constructor in every mapping reach no prototype',
  // Titles go through stripTags: `<script>alert(1)</script>` arrives as `alert(1)`.
  'threagile/threagile-stub-model.yaml: a name with <script> comes through as plain text',
  'threagile/threagile-example-model.yaml: a name with <script> comes through as plain text',
]);

/** `it`, or `it.fails` for a known problem of the Threagile importer. */
const itOrKnownFailure = (title: string, body: () => Promise<void>): void => {
  (KNOWN_THREAGILE_PROBLEMS.has(title) ? it.fails : it)(title, body);
};

describe('the importers and discovery on hostile input written by hand', () => {
  for (const sample of FIXTURES) {
    itOrKnownFailure(`${sample.name}: nesting deeper than any limit is refused at its line`, async () => {
      for (const text of deeplyNested(sample)) {
        expect(await problemWith(sample.run, text)).toBeUndefined();
        const error = await errorOf(sample.run, text);
        expect(error).toBeInstanceOf(ImportError);
        expect((error as ImportError).line).toBeGreaterThan(0);
      }
    });

    itOrKnownFailure(`${sample.name}: every number 1e999 or 123456789012345678901234567890`, async () => {
      expect(await problemWith(sample.run, withNumbers(sample, '1e999'))).toBeUndefined();
      expect(await problemWith(sample.run, withNumbers(sample, '123456789012345678901234567890'))).toBeUndefined();
    });

    if (sample.syntax === 'json' || sample.syntax === 'yaml') {
      itOrKnownFailure(
        `${sample.name}: keys __proto__ and constructor in every mapping reach no prototype`,
        async () => {
          expect(await problemWith(sample.run, withPrototypeKeys(sample))).toBeUndefined();
        },
      );
    }

    if (sample.syntax === 'yaml') {
      itOrKnownFailure(
        `${sample.name}: block nesting as deep as indentation allows (250 levels) is no problem`,
        async () => {
          expect(await problemWith(sample.run, `${blockNesting(250)}${sample.text}`)).toBeUndefined();
        },
      );

      itOrKnownFailure(`${sample.name}: an alias bomb is refused at once`, async () => {
        const started = performance.now();
        const error = await errorOf(sample.run, `${ALIAS_BOMB}\n${sample.text}`);
        expect(error).toBeInstanceOf(ImportError);
        expect((error as ImportError).line).toBeGreaterThan(0);
        expect(performance.now() - started).toBeLessThan(SLOW_MS);
      });
    }
  }

  for (const sample of FIXTURES) {
    const { name, ids, itemName } = sample;
    itOrKnownFailure(`${name}: items with ids __proto__ and constructor are all kept`, async () => {
      const base = await sample.run(sample.text);
      const text = renameIn(sample, ids[0], '__proto__');
      const twice = renameIn({ ...sample, text }, ids[1], 'constructor');
      expect(twice).not.toBe(sample.text);
      expect(await problemWith(sample.run, twice)).toBeUndefined();
      expect(sizes(await sample.run(twice))).toEqual(sizes(base));
    });

    itOrKnownFailure(`${name}: a name with <script> comes through as plain text`, async () => {
      const text = renameIn(sample, itemName, SCRIPT);
      expect(text).not.toBe(sample.text);
      expect(await problemWith(sample.run, text)).toBeUndefined();
      const result = await sample.run(text);
      expect(namesOf(result.model)).toContain(SCRIPT);
    });
  }

  it('ms-tmt: a DTD with an external entity or an entity bomb is refused at its line, never expanded', async () => {
    const { run, text } = fixture('ms-tmt/Sample_Threat_Model.tm7');
    const body = text.replace(/^\uFEFF/, '').replace('>Generic External Interactor<', '>&xxe;<');
    const hostile = [
      `<?xml version="1.0"?>\n<!DOCTYPE ThreatModel [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${body}`,
      `<?xml version="1.0"?>\n<!DOCTYPE ThreatModel [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY xxe "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n${body}`,
    ];
    for (const input of hostile) {
      const error = await errorOf(run, input);
      expect(error).toBeInstanceOf(ImportError);
      expect((error as ImportError).line).toBe(2);
      expect((error as ImportError).message).toMatch(/DOCTYPE/);
    }
    // Without a DTD the reference is not expanded either: refused, or kept as the text it is.
    expect(await problemWith(run, body)).toBeUndefined();
    const kept = await run(body).catch(() => undefined);
    if (kept !== undefined) expect(stringsOf(kept.model).join('\n')).not.toMatch(/root:/);
  });

  it('ms-tmt: a name in CDATA comes through as plain text', async () => {
    const { run, text } = fixture('ms-tmt/Sample_Threat_Model.tm7');
    const input = text.replaceAll('>Generic External Interactor<', `><![CDATA[${SCRIPT}]]><`);
    expect(await problemWith(run, input)).toBeUndefined();
    expect(namesOf((await run(input)).model)).toContain(SCRIPT);
  });
});

/** Texts that are not the format's kind of document at all, in its syntax. */
const NOT_A_DOCUMENT: Readonly<Record<Syntax, readonly string[]>> = {
  json: ['', '\uFEFF', ' \n', 'null', '[]', '{}', '"text"', '42', '[{}]', '{"": {}}'],
  yaml: ['', '\uFEFF', '~', '--- \n---\n', '- a\n- b\n', 'text', '42', '{}', '? [a, b]\n: c\n', '!!binary aGVsbG8='],
  xml: ['', '<?xml version="1.0"?>', '<ThreatModel/>', '<ThreatModel>text</ThreatModel>', '<Other/>', '<a><b></a>'],
  hcl: ['', '# a comment', 'resource {}', 'resource "aws_instance" {}', 'locals { a = 1 }', '{'],
};

describe('the importers and discovery on input that is not a document of their kind', () => {
  for (const sample of FIXTURES) {
    it(`${sample.name}: an empty file, a bare value or another kind of document`, async () => {
      for (const text of NOT_A_DOCUMENT[sample.syntax]) {
        expect(await problemWith(sample.run, text), JSON.stringify(text)).toBeUndefined();
      }
    });

    it(`${sample.name}: a file over the size limit is refused`, async () => {
      const padding = sample.syntax === 'xml' ? '<!-- -->' : sample.syntax === 'json' ? ' ' : '\n';
      const text = sample.text + padding.repeat(Math.ceil((MAX_INPUT_BYTES + 1) / padding.length));
      const error = await errorOf(sample.run, text);
      expect(error).toBeInstanceOf(ImportError);
      expect(await problemWith(sample.run, text)).toBeUndefined();
    });
  }
});

describe('the check itself', () => {
  const sample = fixture('otm/otm-EXAMPLE.json');
  const good = (): Promise<ImportResult> => sample.run(sample.text);

  it('reports an exception other than ImportError, an unlocated ImportError and a crash discovery caught', async () => {
    expect(await problemWith(() => Promise.reject(new TypeError('x is undefined')), '')).toMatch(/^threw TypeError/);
    expect(await problemWith(() => Promise.reject(new ImportError('bad value', 'f.json')), '')).toMatch(
      /naming no line or path/,
    );
    expect(await problemWith(() => Promise.reject(new ImportError('a.b[2]: bad value', 'f.json')), '')).toBeUndefined();
    expect(await problemWith(() => Promise.reject(new ImportError('bad value', 'f.json', 3)), '')).toBeUndefined();
    expect(
      await problemWith(() => Promise.reject(new ImportError('could not read the file: x is undefined', 'f', 1)), ''),
    ).toMatch(/discover's guard/);
  });

  it('reports an invalid model and an unmapped entry without a place or reason', async () => {
    const result = await good();
    const invalid = { ...result, model: { ...result.model, flows: [{ id: 'f', from: 'nowhere', to: 'nowhere' }] } };
    expect(await problemWith(() => Promise.resolve(invalid as ImportResult), '')).toMatch(/^an invalid model/);
    const unplaced = { ...result, unmapped: [{ at: '', what: 'x', reason: 'y' }] };
    expect(await problemWith(() => Promise.resolve(unplaced), '')).toMatch(/without a place or reason/);
  });

  it('derives the same mutations on every run, each a change to the text', () => {
    for (const name of ['otm/otm-EXAMPLE.json', 'iac/terraform/aws_multiple_components.tf']) {
      const first = mutationsOf(fixture(name), 1);
      expect(mutationsOf(fixture(name), 1)).toEqual(first);
      for (const mutation of first) expect(mutation.text).not.toBe(mutation.base);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Regressions: inputs that failed once
// ---------------------------------------------------------------------------------------------------------

describe('inputs the robustness tests found failing', () => {
  it('Threat Composer: unknown top-level fields (here `__proto__` and `constructor`) are listed at "(document)", not at an empty path', async () => {
    const { run, text } = fixture('threat-composer/ThreatComposer.tc.json');
    const input = text.replace('{', '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {}},');
    expect(await problemWith(run, input)).toBeUndefined();
    const entry = (await run(input)).unmapped.find((item) => item.what.includes('"__proto__"'));
    expect(entry).toMatchObject({ at: '(document)', line: 1 });
  });

  it("MS TMT: a document whose root is an empty element of another name is refused at that element's line", async () => {
    const { run } = fixture('ms-tmt/Sample_Threat_Model.tm7');
    for (const [input, line] of [
      ['<Other/>', 1],
      ['<?xml version="1.0"?>\n\n<Other />', 3],
    ] as const) {
      expect(await problemWith(run, input)).toBeUndefined();
      await expect(run(input)).rejects.toThrow(/root element is <Other>/);
      await expect(run(input)).rejects.toMatchObject({ line });
    }
  });

  it('Kubernetes: a selector key `__proto__` is a key to match (it was dropped, and the Service selected a workload without it)', async () => {
    const manifests = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  selector:\n    app: web\n    __proto__: x\n  ports:\n    - port: 80\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n',
    ].join('---\n');
    const run = discoverer('web.yaml');
    expect(await problemWith(run, manifests)).toBeUndefined();
    const web = (await run(manifests)).model.elements?.find((element) => element.name === 'web');
    expect(web?.exposure).not.toBe('internet');
    // With the label, the Service does select it.
    const labelled = manifests.replace('        app: web\n', '        app: web\n        __proto__: x\n');
    expect((await run(labelled)).model.elements?.find((element) => element.name === 'web')?.exposure).toBe('internet');
  });

  it("Terraform plan: a value key `__proto__` stays a key of the resource's attributes (it became their prototype)", () => {
    const plan = JSON.parse(
      '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs", "values": {"__proto__": {"bucket": "inherited"}, "acl": "private"}, "sensitive_values": {}}]}}}',
    ) as unknown;
    const [bucket] = readTerraformPlan({ file: 'plan.json', text: JSON.stringify(plan) });
    expect(Object.keys(bucket?.attributes ?? {})).toEqual(['__proto__', 'acl']);
    expect(Object.getPrototypeOf(bucket?.attributes)).toBe(Object.prototype);
    expect(bucket?.attributes.bucket).toBeUndefined();
  });
});
