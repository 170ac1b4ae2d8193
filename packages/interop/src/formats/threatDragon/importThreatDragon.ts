// OWASP Threat Dragon v2 JSON to a Parapet model. Threat Dragon keeps a model as diagrams of drawing-library
// cells: nodes (actor, process, store, trust boundary box, text) and edges (flows, trust boundary lines), with
// names, flags and threats under each cell's `data`. Boundary membership is geometric.

import { ID_PATTERN, type PathSegment, type ThreatModelInput } from '@parapet/core';
import { ImportError, type ImportResult, type Unmapped } from '../../ImportResult.js';
import { IdAllocator } from '../../ids.js';
import { pathText, readStructured, type StructuredSource } from '../../source.js';
import { containment, crossesPolyline, zonesFromLines, type Box, type Point } from '../geometry.js';
import { guessType } from './guessType.js';
import { clip, membershipProblems, surround, type Rect } from './layout.js';
import {
  BOX_SHAPE,
  categoryOfType,
  DECISION_MARKER,
  decisionOfStatus,
  DEFAULT_OUT_OF_SCOPE_REASON,
  ELEMENT_SHAPES,
  ENCRYPTED_PROTOCOLS,
  FLAG_ASSETS,
  FORMAT,
  GENERATED_THREAT_ID,
  impactOfSeverity,
  LINE_SHAPES,
  mitigationTitleOf,
  PLACEHOLDER_DESCRIPTION,
  PLACEHOLDER_MITIGATION,
  PROTOCOL_NAMES,
  protocolOf,
  SHAPE_BY_DATA_TYPE,
  TAGS,
  TYPE_BY_CATEGORY,
  type DecisionStatus,
  type ElementShape,
} from './vocabulary.js';

type ElementInput = NonNullable<ThreatModelInput['elements']>[number];
type FlowInput = NonNullable<ThreatModelInput['flows']>[number];
type BoundaryInput = NonNullable<ThreatModelInput['boundaries']>[number];
type ThreatInput = NonNullable<ThreatModelInput['threats']>[number];
type DecisionInput = NonNullable<ThreatModelInput['decisions']>[number];
type MitigationInput = NonNullable<ThreatModelInput['mitigations']>[number];
type AssetInput = NonNullable<ThreatModelInput['assets']>[number];
type ViewInput = NonNullable<ThreatModelInput['views']>[number];
type ModelInfoInput = ThreatModelInput['model'];
type Origin = NonNullable<ElementInput['origin']>;
type JsonRecord = Record<string, unknown>;

/** Above this many box-against-element comparisons on one diagram, the file is refused rather than read slowly. */
const MAX_CONTAINMENT_WORK = 50_000_000;
/** Above this many segment-against-segment tests on one diagram, trust boundary lines are left unconverted. */
const MAX_CROSSING_WORK = 20_000_000;
const MAX_NAME = 500;
const MAX_TEXT = 100_000;
const MAX_TAG = 100;

/** Cell shapes Threat Dragon writes that carry nothing Parapet models, with what they are. */
const TEXT_SHAPE = 'td-text-block';

/** `data` keys every cell may have that are bookkeeping of the editor (recomputed by Threat Dragon). */
const BOOKKEEPING_KEYS: ReadonlySet<string> = new Set(['type', 'hasOpenThreats', 'isTrustBoundary', 'threatFrequency']);

/** `data` keys read for each kind of cell. */
const DATA_KEYS: Readonly<Record<string, readonly string[]>> = {
  actor: ['name', 'description', 'outOfScope', 'reasonOutOfScope', 'threats', 'providesAuthentication'],
  process: [
    'name',
    'description',
    'outOfScope',
    'reasonOutOfScope',
    'threats',
    'handlesCardPayment',
    'handlesGoodsOrServices',
    'isWebApplication',
    'privilegeLevel',
  ],
  store: [
    'name',
    'description',
    'outOfScope',
    'reasonOutOfScope',
    'threats',
    'isALog',
    'storesCredentials',
    'isEncrypted',
    'isSigned',
    'storesInventory',
  ],
  flow: [
    'name',
    'description',
    'outOfScope',
    'reasonOutOfScope',
    'threats',
    'isBidirectional',
    'isEncrypted',
    'isPublicNetwork',
    'protocol',
  ],
  [BOX_SHAPE.shape]: ['name', 'description', 'threats'],
};

/** Threat keys read (others are noted); `new` is an editor flag. */
const THREAT_KEYS: ReadonlySet<string> = new Set([
  'id',
  'threatId',
  'title',
  'type',
  'status',
  'severity',
  'description',
  'mitigation',
  'modelType',
  'number',
  'score',
  'new',
]);

/** An element, boundary box or flow read from a cell, possibly drawn on several diagrams. */
interface Item {
  readonly family: 'element' | 'boundary' | 'flow';
  readonly shape: string;
  readonly id: string;
  readonly name: string;
  /** The cell's `data` without threats, to tell whether a second drawing says something else. */
  readonly signature: string;
  readonly element?: ElementInput;
  readonly boundary?: BoundaryInput;
  readonly flow?: FlowInput;
  /** The boundary or parent read from the first diagram that placed it in one. */
  placedIn?: string;
}

/** A cell that may carry threats, with the item they are about. */
interface ThreatHolder {
  readonly cell: JsonRecord;
  readonly path: readonly PathSegment[];
  readonly item: Item;
}

/** A mitigation read from a threat's text, its id allocated once every threat has one. */
interface PendingMitigation {
  readonly text: string;
  readonly threat: ThreatInput;
  readonly decision: DecisionInput;
  readonly implemented: boolean;
  readonly origin: Origin;
}

/** What one diagram adds to its view. */
interface DiagramView {
  readonly title: string;
  readonly path: readonly PathSegment[];
  readonly description?: string;
  readonly include: string[];
  readonly layout: Record<string, Rect>;
}

/** One trust boundary line, as a polyline. */
interface Line {
  readonly key: string;
  readonly name?: string;
  readonly path: readonly PathSegment[];
  readonly points: readonly Point[];
}

/**
 * Reads an OWASP Threat Dragon v2 model (JSON) into a Parapet model: diagrams become views, actors external
 * entities, processes processes, stores data stores, flows flows, trust boundary boxes boundaries (members by
 * geometry) and trust boundary lines zones (by the flows that cross them); threats become manual threats with
 * a decision and a mitigation. Everything that does not fit exactly is listed in `unmapped`.
 * Throws ImportError (and nothing else) when the text is not a Threat Dragon v2 model.
 */
export function importThreatDragon(text: string, file: string): ImportResult {
  const source = readStructured(text, file, 'json');
  return new ThreatDragonReader(source).read();
}

/** The state of one import: the source, the ids taken, the items made and what did not fit. */
class ThreatDragonReader {
  readonly #source: StructuredSource;
  readonly #ids = new IdAllocator();
  /** Cell and threat ids kept as Parapet ids (readable, valid, first use), and those already used. */
  readonly #keepable = new Set<string>();
  readonly #kept = new Set<string>();
  readonly #unmapped: Unmapped[] = [];
  /** Items by cell id, across diagrams: a cell id drawn on two diagrams is one item. */
  readonly #items = new Map<string, Item>();
  readonly #elements: ElementInput[] = [];
  readonly #boundaries: BoundaryInput[] = [];
  readonly #flows: FlowInput[] = [];
  readonly #threats: ThreatInput[] = [];
  readonly #decisions: DecisionInput[] = [];
  readonly #pendingMitigations: PendingMitigation[] = [];
  readonly #mitigations: MitigationInput[] = [];
  /** Names of the boundaries made so far, so that zones named after one line get distinct names. */
  readonly #boundaryNames = new Set<string>();
  readonly #boundaryById = new Map<string, BoundaryInput>();
  readonly #views: DiagramView[] = [];
  readonly #holders: ThreatHolder[] = [];
  /** Elements standing for each store flag that becomes an asset. */
  readonly #flagAssetHolders = new Map<keyof typeof FLAG_ASSETS, ElementInput[]>();
  /** Threats already read, by target and Threat Dragon id, so that a threat drawn twice is read once. */
  readonly #threatKeys = new Set<string>();

  constructor(source: StructuredSource) {
    this.#source = source;
  }

  /** Reads the whole file. */
  read(): ImportResult {
    const root = this.#source.data;
    if (!isRecord(root)) this.#fail([], 'not a Threat Dragon model: the top level is not a JSON object');
    const summary = field(root, 'summary');
    const detail = field(root, 'detail');
    if (!isRecord(summary) && !isRecord(detail)) {
      this.#fail([], 'not a Threat Dragon v2 model: it has neither "summary" nor "detail"');
    }
    const diagrams = this.#diagramsOf(root);
    this.#reserveIds(diagrams);
    const model = this.#readModelInfo(root);
    diagrams.forEach((diagram, index) => this.#readDiagram(diagram, ['detail', 'diagrams', index], index));
    for (const holder of this.#holders) this.#readThreats(holder);
    this.#allocateMitigations();
    const assets = this.#makeFlagAssets();
    const views = this.#makeViews();
    this.#noteEditorBookkeeping(root, diagrams.length);
    return {
      format: FORMAT,
      model: {
        parapet: 1,
        model,
        ...nonEmpty('boundaries', this.#boundaries),
        ...nonEmpty('elements', this.#elements),
        ...nonEmpty('flows', this.#flows),
        ...nonEmpty('assets', assets),
        ...nonEmpty('mitigations', this.#mitigations),
        ...nonEmpty('threats', this.#threats),
        ...nonEmpty('decisions', this.#decisions),
        ...nonEmpty('views', views),
      },
      unmapped: [...this.#unmapped].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    };
  }

  /** Throws the ImportError for a file that cannot be read, at the line of `path`. */
  #fail(path: readonly PathSegment[], message: string): never {
    const where = pathText(path);
    throw new ImportError(where === '' ? message : `${where}: ${message}`, this.#source.file, this.#line(path));
  }

  #line(path: readonly PathSegment[]): number {
    return this.#source.line(path);
  }

  /** Records something that did not land in the model as it was. */
  #note(path: readonly PathSegment[], what: string, reason: string): void {
    this.#unmapped.push({ at: pathText(path), file: this.#source.file, line: this.#line(path), what, reason });
  }

  #origin(path: readonly PathSegment[], ref: string | undefined): Origin {
    return {
      format: FORMAT,
      file: this.#source.file,
      line: this.#line(path),
      ...(ref === undefined ? {} : { ref: ref.slice(0, 1000) }),
    };
  }

  /** The diagrams, refusing v1 files (which keep `diagramJson`) and a `diagrams` that is not a list. */
  #diagramsOf(root: JsonRecord): unknown[] {
    const detail = field(root, 'detail');
    if (detail === undefined) return [];
    if (!isRecord(detail)) this.#fail(['detail'], 'not a Threat Dragon v2 model: "detail" is not an object');
    const diagrams = field(detail, 'diagrams');
    if (diagrams === undefined) return [];
    if (!Array.isArray(diagrams)) this.#fail(['detail', 'diagrams'], 'not a Threat Dragon v2 model: not a list');
    diagrams.forEach((diagram, index) => {
      if (isRecord(diagram) && field(diagram, 'diagramJson') !== undefined) {
        this.#fail(
          ['detail', 'diagrams', index],
          'a Threat Dragon v1 model: open it in Threat Dragon 2 and save it to upgrade it, then import that file',
        );
      }
    });
    return diagrams;
  }

  /**
   * Takes the readable cell and threat ids (such as those Parapet exports) before any name is turned into an
   * id, so that a re-imported export keeps its ids whatever the order of its cells.
   */
  #reserveIds(diagrams: readonly unknown[]): void {
    const cells = diagrams.flatMap((diagram) => {
      const list = isRecord(diagram) ? field(diagram, 'cells') : undefined;
      return Array.isArray(list) ? list.filter(isRecord) : [];
    });
    const threatIds: unknown[] = [];
    for (const cell of cells) {
      this.#reserve(field(cell, 'id'));
      const data = field(cell, 'data');
      const threats = isRecord(data) ? field(data, 'threats') : undefined;
      if (Array.isArray(threats)) {
        for (const threat of threats) if (isRecord(threat)) threatIds.push(threatIdOf(threat));
      }
    }
    for (const id of threatIds) this.#reserve(id);
  }

  #reserve(id: unknown): void {
    if (typeof id === 'string' && isReadableId(id) && !this.#keepable.has(id)) {
      this.#keepable.add(id);
      this.#ids.reserve(id);
    }
  }

  /** The source id when it was reserved and is still free; else a new id from the name. */
  #idFor(sourceId: string | undefined, name: string, fallback: string): string {
    if (sourceId !== undefined && this.#keepable.has(sourceId) && !this.#kept.has(sourceId)) {
      this.#kept.add(sourceId);
      return sourceId;
    }
    return this.#ids.allocate(name, fallback);
  }

  /** The model's id, title, description and people, from `summary` and `detail`. */
  #readModelInfo(root: JsonRecord): ModelInfoInput {
    const summary = recordOr(field(root, 'summary'));
    const detail = recordOr(field(root, 'detail'));
    const givenTitle = clean(field(summary, 'title'));
    if (givenTitle === undefined) {
      this.#note(['summary', 'title'], 'model title', 'missing or empty; the model is titled "Threat Dragon model"');
    }
    const title = this.#limited(givenTitle ?? 'Threat Dragon model', MAX_NAME, ['summary', 'title'], 'model title');
    const description = textOf(field(summary, 'description'));
    const owners = this.#readPeople(summary, detail);
    return {
      id: modelIdOf(title),
      title,
      ...(description === undefined
        ? {}
        : { description: this.#limited(description, MAX_TEXT, ['summary', 'description'], 'model description') }),
      ...(owners.length > 0 ? { owners } : {}),
    };
  }

  /** Owner, contributors and reviewer as the model's owners, each with its Threat Dragon role. */
  #readPeople(summary: JsonRecord, detail: JsonRecord): { name: string; role: string }[] {
    const people: { name: string; role: string }[] = [];
    const add = (value: unknown, role: string, path: readonly PathSegment[]): void => {
      if (value === undefined || value === '') return;
      const name = clean(value);
      if (name === undefined) {
        this.#note(path, `${role} ${JSON.stringify(value).slice(0, 100)}`, 'not a name; left out');
        return;
      }
      people.push({ name: this.#limited(name, 200, path, `${role} name`), role });
    };
    add(field(summary, 'owner'), 'owner', ['summary', 'owner']);
    const contributors = field(detail, 'contributors');
    if (Array.isArray(contributors)) {
      contributors.forEach((contributor, index) => {
        const path = ['detail', 'contributors', index];
        add(isRecord(contributor) ? field(contributor, 'name') : contributor, 'contributor', path);
      });
    } else if (contributors !== undefined) {
      this.#note(['detail', 'contributors'], 'contributors', 'not a list; left out');
    }
    add(field(detail, 'reviewer'), 'reviewer', ['detail', 'reviewer']);
    return people;
  }

  /** Text cut to `max` characters, with a note when it was longer. */
  #limited(value: string, max: number, path: readonly PathSegment[], what: string): string {
    if (value.length <= max) return value;
    this.#note(path, `${what} of ${value.length} characters`, `cut to the ${max} characters Parapet allows`);
    return value.slice(0, max);
  }

  /** One diagram: its nodes, flows and lines, then its view. */
  #readDiagram(diagram: unknown, path: readonly PathSegment[], index: number): void {
    if (!isRecord(diagram)) {
      this.#note(path, 'diagram', 'not an object; left out');
      return;
    }
    const cellsPath = [...path, 'cells'];
    const rawCells = field(diagram, 'cells');
    if (rawCells !== undefined && !Array.isArray(rawCells)) this.#note(cellsPath, 'cells', 'not a list; left out');
    const cells = Array.isArray(rawCells) ? rawCells : [];
    const title = clean(field(diagram, 'title')) ?? `Diagram ${index + 1}`;
    const description = textOf(field(diagram, 'description'));
    const view: DiagramView = {
      title,
      path,
      ...(description === undefined ? {} : { description: description.slice(0, MAX_TEXT) }),
      include: [],
      layout: {},
    };
    this.#noteDiagramType(diagram, path);
    const drawing = new Drawing();
    const sorted = this.#sortCells(cells, cellsPath);
    for (const { cell, cellPath } of sorted.boxes) this.#readBox(cell, cellPath, drawing);
    for (const { cell, cellPath, shape } of sorted.elements) this.#readElement(cell, cellPath, shape, drawing);
    this.#placeInBoxes(drawing, path);
    for (const { cell, cellPath } of sorted.flows) this.#readFlow(cell, cellPath, drawing);
    const lines = sorted.lines.flatMap(({ cell, cellPath }) => this.#readLine(cell, cellPath, drawing));
    this.#convertLines(lines, drawing, path);
    const included = new Set<string>();
    const show = (id: string, rect: Rect | undefined): void => {
      if (included.has(id)) return;
      included.add(id);
      view.include.push(id);
      if (rect !== undefined) view.layout[id] = rect;
    };
    for (const entry of drawing.boxes) show(entry.item.id, entry.geometry && rectOf(entry.geometry));
    for (const zone of drawing.zones) show(zone.id, zone.box);
    for (const entry of drawing.elements) show(entry.item.id, entry.geometry && rectOf(entry.geometry));
    this.#views.push(view);
  }

  /** Notes the diagram's method when it is not STRIDE (Parapet's default rule pack). */
  #noteDiagramType(diagram: JsonRecord, path: readonly PathSegment[]): void {
    const type = clean(field(diagram, 'diagramType'));
    if (type === undefined || type.toUpperCase() === 'STRIDE') return;
    const reason =
      type.toUpperCase() === 'LINDDUN'
        ? 'Parapet chooses methods per model, not per diagram: add `settings.rulePacks: [stride, linddun]` for privacy threats'
        : 'Parapet has STRIDE and LINDDUN rule packs; the diagram is imported as a plain view';
    this.#note([...path, 'diagramType'], `diagram type ${JSON.stringify(type)}`, reason);
  }

  /** The diagram's cells by kind, in their order; cells that become nothing are noted here. */
  #sortCells(
    cells: readonly unknown[],
    cellsPath: readonly PathSegment[],
  ): {
    boxes: { cell: JsonRecord; cellPath: PathSegment[] }[];
    elements: { cell: JsonRecord; cellPath: PathSegment[]; shape: ElementShape }[];
    flows: { cell: JsonRecord; cellPath: PathSegment[] }[];
    lines: { cell: JsonRecord; cellPath: PathSegment[] }[];
  } {
    const sorted = {
      boxes: [] as { cell: JsonRecord; cellPath: PathSegment[] }[],
      elements: [] as { cell: JsonRecord; cellPath: PathSegment[]; shape: ElementShape }[],
      flows: [] as { cell: JsonRecord; cellPath: PathSegment[] }[],
      lines: [] as { cell: JsonRecord; cellPath: PathSegment[] }[],
    };
    cells.forEach((cell, index) => {
      const cellPath = [...cellsPath, index];
      if (!isRecord(cell)) {
        this.#note(cellPath, 'cell', 'not an object; left out');
        return;
      }
      const shape = shapeOf(cell);
      if (shape !== undefined && Object.hasOwn(ELEMENT_SHAPES, shape)) {
        sorted.elements.push({ cell, cellPath, shape: shape as ElementShape });
      } else if (shape === BOX_SHAPE.shape) sorted.boxes.push({ cell, cellPath });
      else if (shape === 'flow') sorted.flows.push({ cell, cellPath });
      else if (shape !== undefined && LINE_SHAPES.has(shape)) sorted.lines.push({ cell, cellPath });
      else if (shape === TEXT_SHAPE) {
        const words = clean(field(recordOr(field(cell, 'data')), 'name')) ?? clean(attrText(cell)) ?? '';
        this.#note(cellPath, `text block ${JSON.stringify(words.slice(0, 200))}`, 'Parapet models hold no free text');
      } else {
        this.#note(cellPath, `cell of shape ${JSON.stringify(shape ?? null)}`, 'not a Threat Dragon shape; left out');
      }
    });
    return sorted;
  }

  /** The cell's `data`, noting when it is there but not an object. */
  #dataOf(cell: JsonRecord, cellPath: readonly PathSegment[]): JsonRecord {
    const data = field(cell, 'data');
    if (data !== undefined && !isRecord(data)) {
      this.#note([...cellPath, 'data'], `cell data ${JSON.stringify(data).slice(0, 100)}`, 'not an object; ignored');
    }
    return recordOr(data);
  }

  /**
   * The item a cell id already names when the cell is that item drawn again on another diagram (same shape);
   * notes a second drawing that says something else, and a cell id used twice on one diagram.
   */
  #drawnAgain(cell: JsonRecord, cellPath: readonly PathSegment[], shape: string, drawing: Drawing): Item | undefined {
    const cellId = cellIdOf(cell);
    if (cellId === undefined) return undefined;
    if (drawing.byCellId.has(cellId)) {
      this.#note(cellPath, `cell id ${JSON.stringify(cellId)}`, 'used twice on this diagram; read as a separate item');
      return undefined;
    }
    const item = this.#items.get(cellId);
    if (item === undefined) return undefined;
    if (item.shape !== shape) {
      this.#note(cellPath, `cell id ${JSON.stringify(cellId)}`, `already a ${item.shape}; read as a separate item`);
      return undefined;
    }
    if (signatureOf(recordOr(field(cell, 'data'))) !== item.signature) {
      this.#note(
        cellPath,
        `second drawing of "${item.name}"`,
        'its properties differ; those of its first drawing kept',
      );
    }
    drawing.byCellId.set(cellId, item);
    return item;
  }

  /** Registers a new item under its cell id on this diagram and across diagrams. */
  #register(cell: JsonRecord, item: Item, drawing: Drawing): void {
    const cellId = cellIdOf(cell);
    if (cellId === undefined) return;
    drawing.byCellId.set(cellId, item);
    if (!this.#items.has(cellId)) this.#items.set(cellId, item);
  }

  /** A trust boundary box: a boundary, its members found later by geometry. */
  #readBox(cell: JsonRecord, cellPath: readonly PathSegment[], drawing: Drawing): void {
    const geometry = this.#geometryOf(cell, cellPath, BOX_SHAPE);
    const again = this.#drawnAgain(cell, cellPath, BOX_SHAPE.shape, drawing);
    if (again !== undefined) {
      drawing.add('boxes', again, geometry, cellPath);
      return;
    }
    const data = this.#dataOf(cell, cellPath);
    this.#noteUnknownKeys(data, cellPath, BOX_SHAPE.shape);
    const name = this.#nameOf(cell, data, cellPath, 'Trust Boundary');
    const cellId = cellIdOf(cell);
    const id = this.#idFor(cellId, name, 'trust-boundary');
    const description = this.#descriptionOf(data, cellPath);
    const boundary: BoundaryInput = {
      id,
      name,
      ...(description === undefined ? {} : { description }),
      kind: 'network',
      origin: this.#origin(cellPath, cellId),
    };
    this.#note(
      cellPath,
      `trust boundary "${name}"`,
      'Threat Dragon boundaries have no kind or trust level: kind network',
    );
    this.#addBoundary(boundary);
    const item: Item = { family: 'boundary', shape: BOX_SHAPE.shape, id, name, signature: signatureOf(data), boundary };
    this.#register(cell, item, drawing);
    drawing.add('boxes', item, geometry, cellPath);
    this.#holders.push({ cell, path: cellPath, item });
  }

  /** An actor, process or store: an element with its properties. */
  #readElement(cell: JsonRecord, cellPath: readonly PathSegment[], shape: ElementShape, drawing: Drawing): void {
    const defaults = ELEMENT_SHAPES[shape];
    const geometry = this.#geometryOf(cell, cellPath, defaults);
    const again = this.#drawnAgain(cell, cellPath, shape, drawing);
    if (again !== undefined) {
      drawing.add('elements', again, geometry, cellPath);
      return;
    }
    const data = this.#dataOf(cell, cellPath);
    this.#noteUnknownKeys(data, cellPath, shape);
    const defaultName = shape === 'actor' ? 'Actor' : shape === 'process' ? 'Process' : 'Store';
    const name = this.#nameOf(cell, data, cellPath, defaultName);
    const cellId = cellIdOf(cell);
    const id = this.#idFor(cellId, name, shape);
    const description = this.#descriptionOf(data, cellPath);
    const element: ElementInput = {
      id,
      name,
      ...(description === undefined ? {} : { description }),
      kind: defaults.kind,
      origin: this.#origin(cellPath, cellId),
    };
    this.#readElementFlags(element, data, cellPath, shape);
    this.#readOutOfScope(element, data, cellPath);
    this.#elements.push(element);
    const item: Item = { family: 'element', shape, id, name, signature: signatureOf(data), element };
    this.#register(cell, item, drawing);
    drawing.add('elements', item, geometry, cellPath);
    this.#holders.push({ cell, path: cellPath, item });
  }

  /** The shape's flags as the closest Parapet fields: type, security, assets stored, controls or tags. */
  #readElementFlags(
    element: ElementInput,
    data: JsonRecord,
    cellPath: readonly PathSegment[],
    shape: ElementShape,
  ): void {
    const at = (key: string): PathSegment[] => [...cellPath, 'data', key];
    const tags: string[] = [];
    if (shape === 'actor' && this.#flag(data, 'providesAuthentication', cellPath)) {
      element.type = 'identity-provider';
      this.#note(at('providesAuthentication'), 'actor flag providesAuthentication', 'read as type identity-provider');
    }
    if (shape === 'process') {
      if (this.#flag(data, 'isWebApplication', cellPath)) element.type = 'web-app';
      for (const key of ['handlesCardPayment', 'handlesGoodsOrServices'] as const) {
        if (this.#flag(data, key, cellPath)) {
          tags.push(TAGS[key]);
          this.#note(at(key), `process flag ${key}`, `no Parapet field says this: kept as tag ${TAGS[key]}`);
        }
      }
      this.#readPrivilegeLevel(data, at('privilegeLevel'), tags);
    }
    if (shape === 'store') this.#readStoreFlags(element, data, cellPath, tags);
    if (element.type === undefined) {
      const guessed = guessType(element.name, element.kind);
      if (guessed !== undefined) {
        element.type = guessed;
        this.#note(
          [...cellPath, 'data', 'name'],
          `type of "${element.name}"`,
          `Threat Dragon has no technology types; "${guessed}" guessed from the name: check it`,
        );
      }
    }
    if (tags.length > 0) element.tags = tags;
  }

  /** A process's free-text privilege level, kept as a tag. */
  #readPrivilegeLevel(data: JsonRecord, path: readonly PathSegment[], tags: string[]): void {
    const value = field(data, 'privilegeLevel');
    if (value === undefined || value === '') return;
    const level = clean(value);
    if (level === undefined) {
      this.#note(path, `privilege level ${JSON.stringify(value).slice(0, 100)}`, 'not text; ignored');
      return;
    }
    const tag = `${TAGS.privilegeLevelPrefix}${level}`.slice(0, MAX_TAG);
    tags.push(tag);
    this.#note(path, `privilege level "${level.slice(0, 200)}"`, `no Parapet field says this: kept as tag ${tag}`);
  }

  /** A store's flags: log (type), encrypted (encryption at rest), signed, credentials and inventory (assets). */
  #readStoreFlags(element: ElementInput, data: JsonRecord, cellPath: readonly PathSegment[], tags: string[]): void {
    const at = (key: string): PathSegment[] => [...cellPath, 'data', key];
    const isLog = this.#flag(data, 'isALog', cellPath);
    if (isLog) element.type = 'log-store';
    if (this.#flag(data, 'isEncrypted', cellPath)) element.security = { encryptionAtRest: true };
    if (this.#flag(data, 'isSigned', cellPath)) {
      if (isLog) element.controls = ['tamper-evident-logs'];
      else {
        tags.push(TAGS.isSigned);
        this.#note(at('isSigned'), 'store flag isSigned', `no Parapet field says this: kept as tag ${TAGS.isSigned}`);
      }
    }
    for (const key of ['storesCredentials', 'storesInventory'] as const) {
      if (!this.#flag(data, key, cellPath)) continue;
      const holders = this.#flagAssetHolders.get(key) ?? [];
      holders.push(element);
      this.#flagAssetHolders.set(key, holders);
      this.#note(at(key), `store flag ${key}`, `read as storing the asset "${FLAG_ASSETS[key].name}"`);
    }
  }

  /** `outOfScope` with its reason (Parapet needs one), and a reason given without the mark. */
  #readOutOfScope(target: ElementInput | FlowInput, data: JsonRecord, cellPath: readonly PathSegment[]): void {
    const reason = textOf(field(data, 'reasonOutOfScope'));
    if (this.#flag(data, 'outOfScope', cellPath)) {
      target.outOfScope = { reason: (reason ?? DEFAULT_OUT_OF_SCOPE_REASON).slice(0, MAX_TEXT) };
    } else if (reason !== undefined) {
      this.#note(
        [...cellPath, 'data', 'reasonOutOfScope'],
        'reason out of scope',
        'given without the out-of-scope mark',
      );
    }
  }

  /** A boolean flag: true only for `true`; anything but a boolean is noted. */
  #flag(data: JsonRecord, key: string, cellPath: readonly PathSegment[]): boolean {
    const value = field(data, key);
    if (value === undefined || typeof value === 'boolean') return value === true;
    this.#note(
      [...cellPath, 'data', key],
      `${key} ${JSON.stringify(value).slice(0, 100)}`,
      'not true or false; ignored',
    );
    return false;
  }

  /** Notes `data` keys this shape does not have (anything Threat Dragon would not write). */
  #noteUnknownKeys(data: JsonRecord, cellPath: readonly PathSegment[], shape: string): void {
    const known = DATA_KEYS[shape] ?? [];
    for (const key of Object.keys(data)) {
      if (known.includes(key) || BOOKKEEPING_KEYS.has(key)) continue;
      this.#note(
        [...cellPath, 'data', key],
        `property ${JSON.stringify(key)}`,
        'not a Threat Dragon property; ignored',
      );
    }
  }

  /** The cell's name: `data.name`, else its label, else the shape's default name (noted). */
  #nameOf(cell: JsonRecord, data: JsonRecord, cellPath: readonly PathSegment[], fallback: string): string {
    const name = clean(field(data, 'name')) ?? clean(attrText(cell)) ?? clean(labelText(cell));
    if (name === undefined) {
      this.#note([...cellPath, 'data', 'name'], 'name', `missing or empty; named "${fallback}"`);
      return fallback;
    }
    return this.#limited(name, MAX_NAME, [...cellPath, 'data', 'name'], 'name');
  }

  #descriptionOf(data: JsonRecord, cellPath: readonly PathSegment[]): string | undefined {
    const description = textOf(field(data, 'description'));
    return description === undefined
      ? undefined
      : this.#limited(description, MAX_TEXT, [...cellPath, 'data', 'description'], 'description');
  }

  /** A node's box: position (required) and size (the shape's default when missing). */
  #geometryOf(
    cell: JsonRecord,
    cellPath: readonly PathSegment[],
    defaults: { readonly width: number; readonly height: number },
  ): Omit<Box, 'id'> | undefined {
    const position = recordOr(field(cell, 'position'));
    const x = finite(field(position, 'x'));
    const y = finite(field(position, 'y'));
    if (x === undefined || y === undefined) {
      this.#note([...cellPath, 'position'], 'position', 'missing or not numbers: not placed, boundary unknown');
      return undefined;
    }
    const size = recordOr(field(cell, 'size'));
    const width = finite(field(size, 'width'));
    const height = finite(field(size, 'height'));
    return {
      x,
      y,
      width: width !== undefined && width > 0 ? width : defaults.width,
      height: height !== undefined && height > 0 ? height : defaults.height,
    };
  }

  /** Each element's boundary and each box's parent, from the boxes' geometry on this diagram. */
  #placeInBoxes(drawing: Drawing, diagramPath: readonly PathSegment[]): void {
    const boxes = drawing.boxes.flatMap((entry) => (entry.geometry === undefined ? [] : [entry.geometry]));
    if (boxes.length === 0) return;
    const elements = drawing.elements.flatMap((entry) => (entry.geometry === undefined ? [] : [entry.geometry]));
    if (elements.length * boxes.length + boxes.length * boxes.length > MAX_CONTAINMENT_WORK) {
      this.#fail(
        diagramPath,
        `${boxes.length} trust boundary boxes and ${elements.length} elements on one diagram: more than Parapet places by geometry`,
      );
    }
    drawing.placement = containment(elements, boxes);
    for (const entry of drawing.elements) {
      const boundary = drawing.placement.elementBoundary.get(entry.item.id);
      if (boundary !== undefined) this.#placeItem(entry.item, boundary, entry.path, undefined);
    }
    for (const entry of drawing.boxes) {
      const parent = drawing.placement.boundaryParent.get(entry.item.id);
      if (parent !== undefined) this.#placeItem(entry.item, parent, entry.path, undefined);
    }
  }

  /**
   * Puts an element in a boundary (or a boundary in a parent), unless an earlier diagram placed it elsewhere;
   * `replacing` is a placement this diagram made that the new one refines (a box a zone lies in).
   */
  #placeItem(item: Item, boundary: string, path: readonly PathSegment[], replacing: string | undefined): void {
    if (item.boundary !== undefined && this.#isInside(boundary, item.id)) {
      const reason = 'another diagram draws it the other way round: left where the first diagram put it';
      this.#note(path, `"${item.name}" drawn inside "${boundary}"`, reason);
    } else if (item.placedIn === undefined || item.placedIn === replacing) {
      item.placedIn = boundary;
      if (item.element !== undefined) item.element.boundary = boundary;
      if (item.boundary !== undefined && boundary !== item.id) item.boundary.parent = boundary;
    } else if (item.placedIn !== boundary) {
      this.#note(path, `"${item.name}" drawn inside "${boundary}"`, `an earlier diagram put it in "${item.placedIn}"`);
    }
  }

  /** Whether `boundary` is `ancestor` or lies inside it (through the parents set so far). */
  #isInside(boundary: string, ancestor: string): boolean {
    const seen = new Set<string>();
    for (let current: string | undefined = boundary; current !== undefined && !seen.has(current);) {
      if (current === ancestor) return true;
      seen.add(current);
      current = this.#boundaryById.get(current)?.parent;
    }
    return false;
  }

  /** A flow between two elements on this diagram; an edge to a free point or to anything else is noted. */
  #readFlow(cell: JsonRecord, cellPath: readonly PathSegment[], drawing: Drawing): void {
    const data = this.#dataOf(cell, cellPath);
    const label = clean(field(data, 'name')) ?? clean(labelText(cell)) ?? 'unnamed';
    const from = this.#flowEnd(cell, cellPath, 'source', label, drawing);
    const to = this.#flowEnd(cell, cellPath, 'target', label, drawing);
    if (from === undefined || to === undefined || from === to) {
      if (from !== undefined && from === to) {
        this.#note(
          cellPath,
          `flow "${label}"`,
          'goes from an element to itself, which Parapet does not allow; left out',
        );
      }
      this.#noteLostThreats(data, cellPath, `flow "${label}"`);
      return;
    }
    const again = this.#drawnAgain(cell, cellPath, 'flow', drawing);
    if (again !== undefined) {
      drawing.flows.push({ item: again, from, to, cell });
      return;
    }
    this.#noteUnknownKeys(data, cellPath, 'flow');
    const givenName = clean(field(data, 'name')) ?? clean(labelText(cell));
    const name =
      givenName === undefined ? undefined : this.#limited(givenName, MAX_NAME, [...cellPath, 'data', 'name'], 'name');
    const cellId = cellIdOf(cell);
    const id = this.#idFor(cellId, name ?? `${from.name} to ${to.name}`, 'flow');
    const description = this.#descriptionOf(data, cellPath);
    const flow: FlowInput = {
      id,
      from: from.id,
      to: to.id,
      ...(name === undefined ? {} : { name }),
      ...(description === undefined ? {} : { description }),
      origin: this.#origin(cellPath, cellId),
    };
    this.#readFlowFlags(flow, data, cellPath);
    this.#readOutOfScope(flow, data, cellPath);
    this.#flows.push(flow);
    const item: Item = { family: 'flow', shape: 'flow', id, name: name ?? id, signature: signatureOf(data), flow };
    this.#register(cell, item, drawing);
    drawing.flows.push({ item, from, to, cell });
    this.#holders.push({ cell, path: cellPath, item });
  }

  /** A flow's protocol, encryption, direction and public-network flag. */
  #readFlowFlags(flow: FlowInput, data: JsonRecord, cellPath: readonly PathSegment[]): void {
    const at = (key: string): PathSegment[] => [...cellPath, 'data', key];
    const protocolText = field(data, 'protocol');
    if (protocolText !== undefined && protocolText !== '') {
      const protocol = typeof protocolText === 'string' ? protocolOf(protocolText) : undefined;
      if (protocol === undefined) {
        const what = `protocol ${JSON.stringify(protocolText).slice(0, 100)}`;
        this.#note(at('protocol'), what, 'not a protocol Parapet names; left unstated');
      } else {
        flow.protocol = protocol;
        const written = typeof protocolText === 'string' ? protocolText : '';
        if (!sameProtocolName(written, PROTOCOL_NAMES[protocol]) && !sameProtocolName(written, protocol)) {
          this.#note(at('protocol'), `protocol "${written.slice(0, 100)}"`, `read as ${protocol}`);
        }
      }
    }
    if (this.#flag(data, 'isEncrypted', cellPath)) {
      const implied = flow.protocol === undefined ? undefined : ENCRYPTED_PROTOCOLS[flow.protocol];
      flow.encryption = implied ?? 'tls';
      if (implied === undefined) {
        this.#note(
          at('isEncrypted'),
          'flow flag isEncrypted',
          'Threat Dragon does not say how: read as encryption tls',
        );
      }
    }
    if (this.#flag(data, 'isBidirectional', cellPath)) flow.bidirectional = true;
    if (this.#flag(data, 'isPublicNetwork', cellPath)) {
      flow.tags = [TAGS.isPublicNetwork];
      this.#note(
        at('isPublicNetwork'),
        'flow flag isPublicNetwork',
        `Parapet derives crossings from boundaries: kept as tag ${TAGS.isPublicNetwork}`,
      );
    }
  }

  /** The element at one end of an edge on this diagram, or undefined (noted) when the end is anything else. */
  #flowEnd(
    cell: JsonRecord,
    cellPath: readonly PathSegment[],
    end: 'source' | 'target',
    label: string,
    drawing: Drawing,
  ): Item | undefined {
    const value = field(cell, end);
    const cellId = typeof value === 'string' ? value : isRecord(value) ? field(value, 'cell') : undefined;
    const path = [...cellPath, end];
    if (typeof cellId !== 'string') {
      const point =
        isRecord(value) && finite(field(value, 'x')) !== undefined && finite(field(value, 'y')) !== undefined;
      const reason = point ? 'is a free point on the canvas, not an element' : 'is missing';
      this.#note(path, `${end} of flow "${label}"`, `${reason}: the edge is not a flow; left out`);
      return undefined;
    }
    const item = drawing.byCellId.get(cellId);
    if (item === undefined || item.family !== 'element') {
      const reason =
        item === undefined
          ? `names cell ${JSON.stringify(cellId.slice(0, 100))}, not on this diagram`
          : `is a ${item.family === 'flow' ? 'flow' : 'trust boundary'}`;
      this.#note(path, `${end} of flow "${label}"`, `${reason}, not an element: the edge is not a flow; left out`);
      return undefined;
    }
    return item;
  }

  /** Notes the threats of a cell that could not become an item. */
  #noteLostThreats(data: JsonRecord, cellPath: readonly PathSegment[], owner: string): void {
    const threats = field(data, 'threats');
    if (!Array.isArray(threats)) return;
    threats.forEach((threat, index) => {
      const title = isRecord(threat) ? (clean(field(threat, 'title')) ?? 'untitled') : 'untitled';
      this.#note([...cellPath, 'data', 'threats', index], `threat "${title}"`, `on ${owner}, which is not imported`);
    });
  }

  /** A trust boundary line as a polyline: its ends (points, or the centres of cells it is attached to) and bends. */
  #readLine(cell: JsonRecord, cellPath: readonly PathSegment[], drawing: Drawing): Line[] {
    const data = this.#dataOf(cell, cellPath);
    const name = clean(field(data, 'name')) ?? clean(labelText(cell));
    const key = cellIdOf(cell) ?? pathText(cellPath);
    this.#noteLostThreats(data, cellPath, `trust boundary line "${name ?? key}"`);
    const start = this.#linePoint(field(cell, 'source'), drawing);
    const end = this.#linePoint(field(cell, 'target'), drawing);
    const vertices = field(cell, 'vertices');
    const bends = Array.isArray(vertices) ? vertices.map(pointOf) : [];
    if (start === undefined || end === undefined || bends.some((point) => point === undefined)) {
      this.#note(cellPath, `trust boundary line "${name ?? key}"`, 'its points are missing or not numbers; left out');
      return [];
    }
    return [
      { key, ...(name === undefined ? {} : { name }), path: cellPath, points: [start, ...(bends as Point[]), end] },
    ];
  }

  #linePoint(value: unknown, drawing: Drawing): Point | undefined {
    if (!isRecord(value)) return undefined;
    const cellId = field(value, 'cell');
    if (typeof cellId === 'string') {
      const item = drawing.byCellId.get(cellId);
      const geometry = item === undefined ? undefined : drawing.geometry.get(item);
      return geometry === undefined ? undefined : centreOf(geometry);
    }
    return pointOf(value);
  }

  /**
   * Turns the diagram's trust boundary lines into zones: the groups of elements the lines cut apart (by the
   * flows that cross them), except the group(s) holding external entities, which are outside.
   */
  #convertLines(lines: readonly Line[], drawing: Drawing, diagramPath: readonly PathSegment[]): void {
    if (lines.length === 0) return;
    const paths = drawing.flows.map((flow) => {
      const from = drawing.geometry.get(flow.from);
      const to = drawing.geometry.get(flow.to);
      if (from === undefined || to === undefined) return undefined;
      const bends = field(flow.cell, 'vertices');
      const points = Array.isArray(bends) ? bends.map(pointOf).filter((point) => point !== undefined) : [];
      return [centreOf(from), ...points, centreOf(to)];
    });
    const flowSegments = paths.reduce((sum, path) => sum + (path === undefined ? 0 : path.length - 1), 0);
    const lineSegments = lines.reduce((sum, line) => sum + line.points.length - 1, 0);
    if (flowSegments * lineSegments > MAX_CROSSING_WORK) {
      for (const line of lines) {
        this.#note(line.path, `trust boundary line "${line.name ?? line.key}"`, 'too many points to convert; left out');
      }
      return;
    }
    const flows = drawing.flows.map((flow, index) => {
      const path = paths[index];
      const crosses =
        path === undefined ? [] : lines.filter((line) => pathCrosses(path, line.points)).map((line) => line.key);
      return { from: flow.from.id, to: flow.to.id, crosses };
    });
    const elements = drawing.elements.map((entry) => ({
      id: entry.item.id,
      external: entry.item.element?.kind === 'external',
    }));
    const zones = zonesFromLines(elements, flows);
    const linesByKey = new Map(lines.map((line) => [line.key, line]));
    const nodes = new Map(drawing.elements.map((entry) => [entry.item.id, entry]));
    const made = zones.flatMap((zone) => this.#makeZone(zone, linesByKey, nodes, drawing));
    this.#drawZones(made, drawing, diagramPath);
    const zonesByLine = new Map<Line, Zone[]>();
    for (const zone of made) {
      for (const line of zone.lines) {
        const list = zonesByLine.get(line);
        if (list === undefined) zonesByLine.set(line, [zone]);
        else list.push(zone);
      }
    }
    for (const line of lines) this.#noteLineConversion(line, zonesByLine.get(line) ?? []);
  }

  /** One zone as a boundary of kind network holding its members (inside their common box, if they share one). */
  #makeZone(
    zone: { members: string[]; lines: string[] },
    linesByKey: ReadonlyMap<string, Line>,
    nodes: ReadonlyMap<string, DrawnNode>,
    drawing: Drawing,
  ): Zone[] {
    const members = zone.members.flatMap((id) => {
      const entry = nodes.get(id);
      return entry === undefined ? [] : [entry];
    });
    const boxOf = (node: DrawnNode): string | undefined => drawing.placement?.elementBoundary.get(node.item.id);
    const shared = new Set(members.map(boxOf)).size === 1;
    const parent = shared && members[0] !== undefined ? boxOf(members[0]) : undefined;
    const joining = members.filter((member) => shared || boxOf(member) === undefined);
    const zoneLines = zone.lines.flatMap((key) => {
      const line = linesByKey.get(key);
      return line === undefined ? [] : [line];
    });
    const first = joining[0];
    if (first === undefined) return [];
    const lineName = zoneLines.find((line) => line.name !== undefined)?.name;
    const name = (
      lineName !== undefined && !this.#boundaryNames.has(lineName)
        ? lineName
        : `${lineName === undefined ? 'Zone' : `${lineName}: zone`} of ${first.item.name}`
    ).slice(0, MAX_NAME);
    const id = this.#ids.allocate(name, 'zone');
    const drawnAs = listOf(zoneLines.map((line) => `"${line.name ?? line.key}"`));
    const boundary: BoundaryInput = {
      id,
      name,
      description: `Drawn in Threat Dragon as the trust boundary line(s) ${drawnAs}; its members are the elements the line(s) cut off from the rest.`,
      kind: 'network',
      ...(parent === undefined ? {} : { parent }),
      origin: this.#origin(zoneLines[0]?.path ?? [], zone.lines.join(',')),
    };
    this.#addBoundary(boundary);
    const item: Item = { family: 'boundary', shape: 'zone', id, name, signature: '', boundary };
    for (const member of joining) this.#placeItem(member.item, id, member.path, boxOf(member));
    const joined = new Set(joining);
    for (const member of members) {
      if (joined.has(member)) continue;
      this.#note(
        member.path,
        `"${member.item.name}" cut off by trust boundary line(s) ${drawnAs}`,
        `it is drawn inside a trust boundary box: kept there, not in the zone "${name}"`,
      );
    }
    return [{ id, item, members: joining, lines: zoneLines, ...(parent === undefined ? {} : { parent }) }];
  }

  #addBoundary(boundary: BoundaryInput): void {
    this.#boundaries.push(boundary);
    this.#boundaryById.set(boundary.id, boundary);
    this.#boundaryNames.add(boundary.name);
  }

  /**
   * Gives each zone a box around its members on the view (inside its parent box) when every such box holds
   * exactly its members, so that the drawing says what the model says; otherwise no zone of the diagram gets one.
   */
  #drawZones(zones: readonly Zone[], drawing: Drawing, diagramPath: readonly PathSegment[]): void {
    drawing.zones.push(...zones);
    if (zones.length === 0) return;
    const what = 'zones from trust boundary lines';
    if (zones.some((zone) => zone.members.some((member) => member.geometry === undefined))) {
      this.#note(diagramPath, what, 'a member has no position: no boxes on the view');
      return;
    }
    const placed = drawing.elements.filter((entry) => entry.geometry !== undefined).length;
    if (placed * (drawing.boxes.length + zones.length) > MAX_CONTAINMENT_WORK) {
      this.#note(diagramPath, what, 'too many to check their boxes: no boxes on the view');
      return;
    }
    const boxGeometry = new Map(drawing.boxes.map((entry) => [entry.item.id, entry.geometry]));
    for (const zone of zones) {
      const around = surround(
        zone.members.flatMap((member) => (member.geometry === undefined ? [] : [member.geometry])),
      );
      const parentBox = zone.parent === undefined ? undefined : boxGeometry.get(zone.parent);
      if (around !== undefined) zone.box = parentBox === undefined ? around : clip(around, parentBox);
    }
    const zoneOf = new Map(zones.flatMap((zone) => zone.members.map((member) => [member.item, zone.id] as const)));
    const elementBoundary = new Map<string, string>();
    for (const entry of drawing.elements) {
      const boundary = zoneOf.get(entry.item) ?? drawing.placement?.elementBoundary.get(entry.item.id);
      if (boundary !== undefined) elementBoundary.set(entry.item.id, boundary);
    }
    const boundaryParent = new Map(drawing.placement?.boundaryParent ?? []);
    for (const zone of zones) if (zone.parent !== undefined) boundaryParent.set(zone.id, zone.parent);
    const elements = drawing.elements.flatMap((entry) => (entry.geometry === undefined ? [] : [entry.geometry]));
    const boxes = [
      ...drawing.boxes.flatMap((entry) => (entry.geometry === undefined ? [] : [entry.geometry])),
      ...zones.flatMap((zone) => (zone.box === undefined ? [] : [{ ...zone.box, id: zone.id }])),
    ];
    const problems = membershipProblems(elements, boxes, { elementBoundary, boundaryParent });
    if (problems.length > 0) {
      for (const zone of zones) delete zone.box;
      this.#note(diagramPath, what, `no boxes on the view, since ${problems[0] ?? ''}`);
    }
  }

  /** Says how a line was converted: the zones it bounds, or that it separates nothing. */
  #noteLineConversion(line: Line, zones: readonly Zone[]): void {
    const what = `trust boundary line "${line.name ?? line.key}"`;
    if (zones.length === 0) {
      this.#note(line.path, what, 'no flow crosses it between otherwise separate groups of elements: not converted');
      return;
    }
    const list = zones.map((zone) => `"${zone.item.name}" (${listOf(zone.members.map((member) => member.item.name))})`);
    this.#note(line.path, what, `Parapet boundaries are zones: converted to the zone(s) ${list.join('; ')}`);
  }

  /** The threats on one cell: manual threats with decisions and mitigations, or decisions on generated ones. */
  #readThreats(holder: ThreatHolder): void {
    const data = recordOr(field(holder.cell, 'data'));
    const threats = field(data, 'threats');
    const listPath = [...holder.path, 'data', 'threats'];
    if (threats === undefined) return;
    if (!Array.isArray(threats)) {
      this.#note(listPath, 'threats', 'not a list; left out');
      return;
    }
    threats.forEach((threat, index) => {
      const path = [...listPath, index];
      if (!isRecord(threat)) this.#note(path, 'threat', 'not an object; left out');
      else this.#readThreat(threat, path, holder.item);
    });
  }

  /** One threat. */
  #readThreat(threat: JsonRecord, path: readonly PathSegment[], target: Item): void {
    const sourceId = threatIdOf(threat);
    if (sourceId !== undefined) {
      const key = `${target.id}\u0000${sourceId}`;
      if (this.#threatKeys.has(key)) {
        this.#note(path, `threat ${JSON.stringify(sourceId)}`, 'the same threat on a second drawing; read once');
        return;
      }
      this.#threatKeys.add(key);
    }
    const generated = sourceId === undefined ? undefined : GENERATED_THREAT_ID.exec(sourceId);
    if (generated !== null && generated !== undefined && generated[2] === target.id) {
      this.#readGeneratedThreat(threat, path, sourceId as string);
      return;
    }
    for (const key of Object.keys(threat)) {
      if (!THREAT_KEYS.has(key)) this.#note([...path, key], `threat property ${JSON.stringify(key)}`, 'not read');
    }
    const givenTitle = clean(field(threat, 'title'));
    if (givenTitle === undefined)
      this.#note([...path, 'title'], 'threat title', `missing; titled "Threat to ${target.name}"`);
    const title = this.#limited(givenTitle ?? `Threat to ${target.name}`, MAX_NAME, [...path, 'title'], 'threat title');
    const id = this.#idFor(sourceId, title, 'threat');
    const category = this.#categoryOf(threat, path);
    const description = this.#threatDescription(threat, path);
    const impact = this.#impactOf(threat, path);
    const record: ThreatInput = {
      id,
      title,
      category,
      target: target.id,
      ...(description === undefined ? {} : { description }),
      ...(impact === undefined ? {} : { impact }),
      origin: this.#origin(path, sourceId),
    };
    this.#threats.push(record);
    this.#noteNumberAndScore(threat, path);
    const { decision, mitigation } = this.#readDecision(threat, path, record);
    if (mitigation !== undefined) {
      this.#pendingMitigations.push({
        text: mitigation,
        threat: record,
        decision,
        implemented: decision.status === 'mitigated',
        origin: this.#origin([...path, 'mitigation'], sourceId === undefined ? undefined : `${sourceId}/mitigation`),
      });
    }
  }

  /**
   * A threat Parapet generated and exported (`<rule-id>@<target-id>` on its own target): the analysis finds it
   * again, so only a decision other than open is kept.
   */
  #readGeneratedThreat(threat: JsonRecord, path: readonly PathSegment[], id: string): void {
    const mitigation = field(threat, 'mitigation');
    const marker = typeof mitigation === 'string' ? DECISION_MARKER.exec(mitigation.trim()) : null;
    const decision =
      marker === null
        ? this.#statusOf(threat, path)
        : { status: marker[1] as DecisionStatus, justification: marker[2]?.trim() || 'Recorded by Parapet.' };
    if (decision.status === 'open') {
      this.#note(
        path,
        `threat ${JSON.stringify(id)}`,
        'generated by a Parapet rule, which finds it again: not imported',
      );
      return;
    }
    this.#decisions.push({
      threat: id,
      status: decision.status,
      justification: decision.justification.slice(0, MAX_TEXT),
    });
    this.#note(
      path,
      `threat ${JSON.stringify(id)}`,
      `generated by a Parapet rule: only its status (${decision.status}) imported`,
    );
  }

  /** The category from the threat's type (and a note when its method has no Parapet category). */
  #categoryOf(threat: JsonRecord, path: readonly PathSegment[]): ThreatInput['category'] {
    const type = clean(field(threat, 'type')) ?? '';
    const { category, approximate } = categoryOfType(type);
    if (approximate !== undefined) {
      this.#note([...path, 'type'], `threat type ${JSON.stringify(type)}`, approximate);
    }
    const modelType = clean(field(threat, 'modelType'));
    if (modelType !== undefined && modelType !== TYPE_BY_CATEGORY[category].modelType && approximate === undefined) {
      this.#note(
        [...path, 'modelType'],
        `threat method "${modelType}"`,
        `Parapet keeps the category (${category}) only`,
      );
    }
    return category;
  }

  #threatDescription(threat: JsonRecord, path: readonly PathSegment[]): string | undefined {
    const description = textOf(field(threat, 'description'));
    if (description === PLACEHOLDER_DESCRIPTION) {
      this.#note([...path, 'description'], 'threat description', "Threat Dragon's placeholder text; left out");
      return undefined;
    }
    return description === undefined
      ? undefined
      : this.#limited(description, MAX_TEXT, [...path, 'description'], 'threat description');
  }

  /** The impact from the severity (likelihood stays unstated), with a note; odd severities are noted and dropped. */
  #impactOf(threat: JsonRecord, path: readonly PathSegment[]): ThreatInput['impact'] {
    const severity = field(threat, 'severity');
    if (severity === undefined) return undefined;
    const impact = typeof severity === 'string' ? impactOfSeverity(severity) : undefined;
    const what = `threat severity ${JSON.stringify(severity).slice(0, 100)}`;
    if (impact === undefined) {
      this.#note([...path, 'severity'], what, 'not a Threat Dragon severity; impact left unstated');
      return undefined;
    }
    if (impact === 'unrated') return undefined;
    this.#note([...path, 'severity'], what, `read as impact ${impact}; likelihood left unstated`);
    return impact;
  }

  #noteNumberAndScore(threat: JsonRecord, path: readonly PathSegment[]): void {
    const number = field(threat, 'number');
    if (number !== undefined) {
      this.#note(
        [...path, 'number'],
        `threat number ${JSON.stringify(number).slice(0, 30)}`,
        'Parapet names threats by id',
      );
    }
    const score = field(threat, 'score');
    if (score !== undefined && score !== '') {
      this.#note(
        [...path, 'score'],
        `threat score ${JSON.stringify(score).slice(0, 100)}`,
        'Parapet rates threats itself',
      );
    }
  }

  /** The status as a decision status and its justification; odd or missing values are open (noted). */
  #statusOf(threat: JsonRecord, path: readonly PathSegment[]): { status: DecisionStatus; justification: string } {
    const status = field(threat, 'status');
    const known = typeof status === 'string' ? decisionOfStatus(status) : undefined;
    if (known === 'open') return { status: known, justification: 'Status Open in Threat Dragon.' };
    if (known === 'mitigated') return { status: known, justification: 'Marked Mitigated in Threat Dragon.' };
    if (known === 'false-positive') {
      return { status: known, justification: 'Marked N/A (not applicable) in Threat Dragon.' };
    }
    const shown = status === undefined ? 'none' : JSON.stringify(status).slice(0, 100);
    this.#note([...path, 'status'], `threat status ${shown}`, 'not a Threat Dragon status; read as open');
    return { status: 'open', justification: `Threat Dragon status ${shown}, not one it defines; read as open.` };
  }

  /**
   * The threat's decision from its status (or from a decision recorded in its mitigation text by Parapet's
   * export); returns the mitigation text left once that record and placeholders are taken out.
   */
  #readDecision(
    threat: JsonRecord,
    path: readonly PathSegment[],
    record: ThreatInput,
  ): { decision: DecisionInput; mitigation: string | undefined } {
    const raw = field(threat, 'mitigation');
    let mitigation = typeof raw === 'string' ? raw.trim() : undefined;
    if (raw !== undefined && typeof raw !== 'string') {
      this.#note([...path, 'mitigation'], `mitigation ${JSON.stringify(raw).slice(0, 100)}`, 'not text; left out');
    }
    const marker = mitigation === undefined ? null : DECISION_MARKER.exec(mitigation);
    let decision: DecisionInput;
    if (marker !== null && mitigation !== undefined) {
      mitigation = mitigation.slice(0, marker.index).trim();
      const why = marker[2]?.trim();
      decision = {
        threat: record.id,
        status: marker[1] as DecisionStatus,
        justification: (why || 'Recorded when the model was exported to Threat Dragon.').slice(0, MAX_TEXT),
      };
    } else {
      const { status, justification } = this.#statusOf(threat, path);
      decision = { threat: record.id, status, justification };
    }
    this.#decisions.push(decision);
    if (mitigation === PLACEHOLDER_MITIGATION) {
      this.#note([...path, 'mitigation'], 'threat mitigation', "Threat Dragon's placeholder text; left out");
      return { decision, mitigation: undefined };
    }
    return { decision, mitigation: mitigation === '' ? undefined : mitigation };
  }

  /** Gives each mitigation read from a threat its id (after every threat has one) and links it. */
  #allocateMitigations(): void {
    for (const pending of this.#pendingMitigations) {
      const text = pending.text.slice(0, MAX_TEXT);
      const title = mitigationTitleOf(text);
      const id = this.#ids.allocate(title, 'mitigation');
      this.#mitigations.push({
        id,
        title,
        ...(text === title ? {} : { description: text }),
        status: pending.implemented ? 'implemented' : 'proposed',
        appliesTo: [pending.threat.target],
        origin: pending.origin,
      });
      pending.threat.mitigations = [id];
      if (pending.implemented) pending.decision.mitigations = [id];
    }
  }

  /** The assets standing for the store flags, and the elements storing them. */
  #makeFlagAssets(): AssetInput[] {
    const assets: AssetInput[] = [];
    for (const key of ['storesCredentials', 'storesInventory'] as const) {
      const holders = this.#flagAssetHolders.get(key);
      if (holders === undefined) continue;
      const { name, kind } = FLAG_ASSETS[key];
      const id = this.#ids.allocate(name, 'asset');
      assets.push({
        id,
        name,
        kind,
        description: `Threat Dragon marks these stores "${key}".`,
        origin: { format: FORMAT, file: this.#source.file },
      });
      for (const element of holders) element.stores = [...(element.stores ?? []), id];
    }
    return assets;
  }

  /** One view per diagram, ids allocated last. */
  #makeViews(): ViewInput[] {
    return this.#views.map((view) => ({
      id: this.#ids.allocate(view.title, 'diagram'),
      name: view.title.slice(0, MAX_NAME),
      ...(view.description === undefined ? {} : { description: view.description }),
      include: view.include,
      ...(Object.keys(view.layout).length === 0 ? {} : { layout: view.layout }),
    }));
  }

  /** One note for what Threat Dragon keeps for its editor only, and for its counters and version. */
  #noteEditorBookkeeping(root: JsonRecord, diagrams: number): void {
    const version = field(root, 'version');
    if (version !== undefined) {
      this.#note(
        ['version'],
        `Threat Dragon version ${JSON.stringify(version).slice(0, 30)}`,
        'a property of the tool, not of the model',
      );
    }
    const detail = recordOr(field(root, 'detail'));
    const counters = ['diagramTop', 'threatTop'].filter((key) => field(detail, key) !== undefined);
    const summaryId = field(recordOr(field(root, 'summary')), 'id');
    if (counters.length > 0 || summaryId !== undefined) {
      this.#note(
        ['detail'],
        'Threat Dragon counters (summary.id, diagramTop, threatTop)',
        'numbering of the editor; Parapet names items by id',
      );
    }
    if (diagrams > 0) {
      this.#note(
        ['detail', 'diagrams'],
        'drawing details (styles, ports, z-order, labels, flow bends, thumbnails, diagram versions, hasOpenThreats flags)',
        'presentation that Threat Dragon recomputes; the views keep positions and sizes only',
      );
    }
  }
}

/** A zone made from trust boundary lines. */
interface Zone {
  readonly id: string;
  readonly item: Item;
  readonly members: readonly DrawnNode[];
  readonly lines: readonly Line[];
  readonly parent?: string;
  box?: Rect;
}

/** A node drawn on a diagram, with its geometry when it has one. */
interface DrawnNode {
  readonly item: Item;
  readonly geometry?: Box;
  readonly path: readonly PathSegment[];
}

/** What one diagram holds while it is read. */
class Drawing {
  readonly byCellId = new Map<string, Item>();
  readonly boxes: DrawnNode[] = [];
  readonly elements: DrawnNode[] = [];
  readonly flows: { item: Item; from: Item; to: Item; cell: JsonRecord }[] = [];
  readonly zones: Zone[] = [];
  /** Geometry of the items drawn here, by item. */
  readonly geometry = new Map<Item, Box>();
  placement: ReturnType<typeof containment> | undefined;

  /** Adds a node drawn on this diagram (an item drawn twice here keeps its first geometry). */
  add(
    list: 'boxes' | 'elements',
    item: Item,
    geometry: Omit<Box, 'id'> | undefined,
    path: readonly PathSegment[],
  ): void {
    const box = geometry === undefined ? undefined : { ...geometry, id: item.id };
    this[list].push({ item, path, ...(box === undefined ? {} : { geometry: box }) });
    if (box !== undefined && !this.geometry.has(item)) this.geometry.set(item, box);
  }
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property (never one inherited from Object.prototype). */
function field(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function recordOr(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}

/** A string with surrounding space removed, or undefined when empty or not a string. */
function textOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A name on one line: runs of white space (Threat Dragon labels break lines) become one space. */
function clean(value: unknown): string | undefined {
  return typeof value === 'string' ? textOf(value.replace(/\s+/g, ' ')) : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function pointOf(value: unknown): Point | undefined {
  if (!isRecord(value)) return undefined;
  const x = finite(field(value, 'x'));
  const y = finite(field(value, 'y'));
  return x === undefined || y === undefined ? undefined : { x, y };
}

function centreOf(box: Omit<Box, 'id'>): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

function rectOf(box: Box): Rect {
  return { x: box.x, y: box.y, width: box.width, height: box.height };
}

/** Whether any segment of the flow's path crosses the line. */
function pathCrosses(path: readonly Point[], line: readonly Point[]): boolean {
  for (let i = 0; i + 1 < path.length; i++) {
    if (crossesPolyline(path[i] as Point, path[i + 1] as Point, line)) return true;
  }
  return false;
}

function cellIdOf(cell: JsonRecord): string | undefined {
  const id = field(cell, 'id');
  return typeof id === 'string' && id !== ''
    ? id
    : typeof id === 'number' && Number.isFinite(id)
      ? String(id)
      : undefined;
}

function threatIdOf(threat: JsonRecord): string | undefined {
  const id = field(threat, 'id') ?? field(threat, 'threatId');
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The cell's shape, from `shape` or else from `data.type`; the old "broundary" spelling read as the curve. */
function shapeOf(cell: JsonRecord): string | undefined {
  const shape = field(cell, 'shape');
  if (typeof shape === 'string' && shape !== '')
    return shape === 'trust-broundary-curve' ? 'trust-boundary-curve' : shape;
  const type = field(recordOr(field(cell, 'data')), 'type');
  return typeof type === 'string' && Object.hasOwn(SHAPE_BY_DATA_TYPE, type) ? SHAPE_BY_DATA_TYPE[type] : undefined;
}

/** The label drawn on a node (`attrs.text.text`, or a box's `attrs.headerText.text`). */
function attrText(cell: JsonRecord): unknown {
  const attrs = recordOr(field(cell, 'attrs'));
  return field(recordOr(field(attrs, 'text')), 'text') ?? field(recordOr(field(attrs, 'headerText')), 'text');
}

/** The first label of an edge, in either way the drawing library writes labels. */
function labelText(cell: JsonRecord): unknown {
  const labels = field(cell, 'labels');
  const first: unknown = Array.isArray(labels) ? labels[0] : undefined;
  if (typeof first === 'string') return first;
  const attrs = recordOr(field(recordOr(first), 'attrs'));
  return field(recordOr(field(attrs, 'labelText')), 'text') ?? field(recordOr(field(attrs, 'text')), 'text');
}

/** A cell's data without its threats and bookkeeping, to compare two drawings of one item. */
function signatureOf(data: JsonRecord): string {
  const kept = Object.keys(data)
    .filter((key) => key !== 'threats' && !BOOKKEEPING_KEYS.has(key))
    .sort()
    .map((key) => [key, data[key]]);
  return JSON.stringify(kept);
}

/** UUIDs, which Threat Dragon gives every cell and threat: valid ids, but unreadable ones. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a source id is worth keeping as the Parapet id: valid, not a UUID, and holding a letter. */
function isReadableId(id: string): boolean {
  return ID_PATTERN.test(id) && !UUID.test(id) && /[A-Za-z]/.test(id);
}

/** The model id from its title: lower-case letters, digits and `-`. */
function modelIdOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return slug === '' ? 'threat-dragon-model' : slug;
}

function sameProtocolName(written: string, name: string): boolean {
  return written.toLowerCase().replace(/[^a-z0-9]+/g, '') === name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Names for a note: all of a few, the first five of many. */
function listOf(names: readonly string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/** `{ [key]: list }` when the list has items, else nothing (so that empty sections are left out). */
function nonEmpty<K extends string, T>(key: K, list: readonly T[]): { [P in K]?: T[] } {
  return list.length === 0 ? {} : ({ [key]: [...list] } as { [P in K]?: T[] });
}
