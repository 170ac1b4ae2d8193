import { ID_PATTERN, type Threat, type ThreatModelInput } from '@parapet/core';
import { ImportError, type ImportResult } from '../../ImportResult.js';
import { readStructured } from '../../source.js';
import { readApplicationInfo } from './importApplicationInfo.js';
import { ImportContext, type Path } from './ImportContext.js';
import { readMetadata, type EntityKind, type MetadataValues } from './importMetadata.js';
import { describeValue, isRecord, ownField, quote } from './sourceValues.js';
import {
  CATEGORY_OF_LETTER,
  clip,
  DECISION_OF_THREAT_STATUS,
  firstWords,
  FORMAT,
  GOAL_TAG_PREFIX,
  IMPACT_OF_PRIORITY,
  MITIGATION_STATUS_OF,
  PARAPET_ID_KEY,
  WILL_NOT_ACTION_TAG,
} from './threatComposerFormat.js';
import {
  impactStandIn,
  renderStatement,
  sourceWithArticle,
  statementKey,
  titleFromStatement,
} from './threatStatement.js';

type ThreatInput = NonNullable<ThreatModelInput['threats']>[number];
type MitigationInput = NonNullable<ThreatModelInput['mitigations']>[number];
type AssumptionInput = NonNullable<ThreatModelInput['assumptions']>[number];
type AssetInput = NonNullable<ThreatModelInput['assets']>[number];
type ElementInput = NonNullable<ThreatModelInput['elements']>[number];
type DecisionInput = NonNullable<ThreatModelInput['decisions']>[number];
type Item = Readonly<Record<string, unknown>>;

/** Keys at the top of a Threat Composer file that tell it apart from other JSON. */
const RECOGNISED_KEYS = ['schema', 'applicationInfo', 'threats', 'mitigations', 'assumptions'];
const TOP_LEVEL_KEYS = new Set([
  ...RECOGNISED_KEYS,
  'architecture',
  'dataflow',
  'assumptionLinks',
  'mitigationLinks',
  'brainstorm',
  'workspace',
]);
// `displayedStatement` (older files) is the statement split into display tokens: the same text as `statement`.
const THREAT_KEYS = new Set([
  'id',
  'numericId',
  'displayOrder',
  'metadata',
  'tags',
  'threatSource',
  'prerequisites',
  'threatAction',
  'threatImpact',
  'impactedGoal',
  'impactedAssets',
  'statement',
  'customTemplate',
  'status',
  'displayedStatement',
]);
const MITIGATION_KEYS = new Set(['id', 'numericId', 'displayOrder', 'metadata', 'tags', 'content', 'status']);
const ASSUMPTION_KEYS = new Set(['id', 'numericId', 'displayOrder', 'metadata', 'tags', 'content']);
const MITIGATION_LINK_KEYS = new Set(['mitigationId', 'linkedId']);
const ASSUMPTION_LINK_KEYS = new Set(['type', 'assumptionId', 'linkedId']);

/** Limits of Parapet's schema. */
const TITLE_MAX = 500;
const TEXT_MAX = 100_000;
const ASSUMPTION_MAX = 10_000;
const REF_MAX = 1000;

/** Parapet categories guessed from an impacted goal when a threat has no STRIDE letter. */
const CATEGORY_OF_GOAL: ReadonlyMap<string, Threat['category']> = new Map([
  ['confidentiality', 'information-disclosure'],
  ['integrity', 'tampering'],
  ['availability', 'denial-of-service'],
]);
const DEFAULT_CATEGORY: Threat['category'] = 'tampering';

interface ThreatEntry {
  readonly kind: 'threat';
  readonly threat: ThreatInput;
  readonly mitigations: Set<string>;
}
interface MitigationEntry {
  readonly kind: 'mitigation';
  readonly mitigation: MitigationInput;
  readonly reduces: Set<string>;
}
interface AssumptionEntry {
  readonly kind: 'assumption';
  readonly assumption: AssumptionInput;
  readonly about: Set<string>;
}
type Entry = ThreatEntry | MitigationEntry | AssumptionEntry;

/** A threat's grammar fields as the file gives them (trimmed; blank ones absent). */
interface Grammar {
  readonly source: string | undefined;
  readonly prerequisites: string | undefined;
  readonly action: string | undefined;
  readonly impact: string | undefined;
  readonly statementText: string | undefined;
  readonly goals: readonly string[];
  readonly assetNames: readonly string[];
}

/**
 * Imports an AWS Threat Composer file (`.tc.json`): the application becomes the model information and one
 * process element standing for it, threats become threats written by hand (with their statement, category,
 * impact, decision and impacted assets), mitigations and assumptions follow with their links. Threat Composer
 * ids are kept in `origin.ref`. Throws ImportError only when the text is not JSON or not a Threat Composer file.
 *
 * @example
 * const { model, unmapped } = importThreatComposer(readFileSync('app.tc.json', 'utf8'), 'app.tc.json');
 */
export function importThreatComposer(text: string, file: string): ImportResult {
  const source = readStructured(text, file, 'json');
  const root = source.data;
  if (!isRecord(root)) {
    throw new ImportError(
      `not a Threat Composer file: the top level is ${describeValue(root)}, not an object`,
      file,
      1,
      1,
    );
  }
  if (!RECOGNISED_KEYS.some((key) => Object.hasOwn(root, key))) {
    throw new ImportError(
      `not a Threat Composer file: none of ${RECOGNISED_KEYS.map((key) => `"${key}"`).join(', ')} at the top level`,
      file,
      1,
      1,
    );
  }
  return new ThreatComposerImport(new ImportContext(source), root).run();
}

/** One import: the state shared while the sections of the file are read, in order. */
class ThreatComposerImport {
  readonly #context: ImportContext;
  readonly #root: Item;
  /** Parapet ids kept from an earlier export, by the item that carries them. */
  readonly #keptIds = new Map<Item, string>();
  /** Items by Threat Composer id, for the links. */
  readonly #entries = new Map<string, Entry>();
  readonly #threats: ThreatEntry[] = [];
  readonly #mitigations: MitigationEntry[] = [];
  readonly #assumptions: AssumptionEntry[] = [];
  readonly #decisions: DecisionInput[] = [];
  readonly #assets: AssetInput[] = [];
  readonly #assetIds = new Map<string, string>();
  #applicationId = '';

  constructor(context: ImportContext, root: Item) {
    this.#context = context;
    this.#root = root;
  }

  /** Reads the whole file and puts the model together. */
  run(): ImportResult {
    this.#checkVersion();
    this.#reserveParapetIds();
    const { info, name } = readApplicationInfo(this.#context, this.#root);
    const application = this.#applicationElement(name ?? 'Application');
    this.#eachItem('threats', 'threat', (item, path) => this.#readThreat(item, path));
    this.#eachItem('mitigations', 'mitigation', (item, path) => this.#readMitigation(item, path));
    this.#eachItem('assumptions', 'assumption', (item, path) => this.#readAssumption(item, path));
    this.#readMitigationLinks();
    this.#readAssumptionLinks();
    this.#noteOtherSections();
    const model: ThreatModelInput = { parapet: 1, model: info, elements: [application] };
    if (this.#assets.length > 0) model.assets = this.#assets;
    if (this.#mitigations.length > 0) model.mitigations = this.#mitigations.map(finishMitigation);
    if (this.#threats.length > 0) model.threats = this.#threats.map(finishThreat);
    if (this.#decisions.length > 0) model.decisions = this.#decisions;
    if (this.#assumptions.length > 0) model.assumptions = this.#assumptions.map(finishAssumption);
    return { format: FORMAT, model, unmapped: this.#context.unmapped };
  }

  /** Reports a schema version other than 1 (the only one there is) and a missing or malformed one. */
  #checkVersion(): void {
    const version = ownField(this.#root, 'schema');
    if (version === 1) return;
    const what =
      version === undefined
        ? 'no schema version'
        : `schema version ${typeof version === 'number' ? version : describeValue(version)}`;
    this.#context.note(
      ['schema'],
      what,
      'this importer reads version 1: read as version 1, and what it does not know is listed here',
    );
  }

  /**
   * Reserves the Parapet ids an earlier export wrote as `custom:parapetId`, before any id is allocated, so that
   * a model exported and read back keeps its ids (and the decisions on them).
   */
  #reserveParapetIds(): void {
    for (const section of ['threats', 'mitigations', 'assumptions']) {
      const items = ownField(this.#root, section);
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        if (!isRecord(item)) continue;
        const id = findParapetId(item);
        if (id !== undefined && ID_PATTERN.test(id) && !this.#context.ids.has(id)) {
          this.#context.ids.reserve(id);
          this.#keptIds.set(item, id);
        }
      }
    }
  }

  /** The one process element that stands for the application, which every threat targets. */
  #applicationElement(name: string): ElementInput {
    const path = ['applicationInfo', 'name'];
    const elementName = clip(name, TITLE_MAX);
    this.#applicationId = this.#context.ids.allocate(elementName, 'application');
    this.#context.note(
      path,
      `the application ${quote(name)}`,
      `Threat Composer has no diagram and its threats are about the application: one process element, "${this.#applicationId}", stands for it and every threat targets it`,
    );
    return {
      id: this.#applicationId,
      name: elementName,
      kind: 'process',
      origin: this.#context.origin(path, 'applicationInfo'),
    };
  }

  /** Calls `read` for each object in a top-level list; anything else in it is reported. */
  #eachItem(section: string, kind: EntityKind, read: (item: Item, path: Path) => void): void {
    this.#context.list(ownField(this.#root, section), [section], section).forEach((item, index) => {
      const path = [section, index];
      if (isRecord(item)) read(item, path);
      else this.#context.note(path, `${kind} that is ${describeValue(item)}`, 'not an object: skipped');
    });
  }

  /** A threat: statement, title, category, impact, assets, tags, decision. */
  #readThreat(item: Item, path: Path): void {
    const context = this.#context;
    context.noteUnknownKeys(item, path, THREAT_KEYS, 'threat');
    const ref = this.#readRef(item, path, 'threat');
    const metadata = readMetadata(context, item, path, 'threat');
    const grammar = this.#readGrammar(item, path);
    const id = this.#itemId(item, metadata, path, 'threat', 't', grammar.action ?? grammar.statementText);
    const statement = this.#statement(path, grammar);
    const title =
      metadata.parapetTitle ??
      (statement ? titleFromStatement(statement.source, statement.action) : undefined) ??
      grammar.statementText ??
      `Threat ${ref ?? id}`;
    const threat: ThreatInput = {
      id,
      title: context.fit(title, TITLE_MAX, path, 'threat title'),
      category: this.#category(metadata, grammar.goals, path),
      target: this.#applicationId,
      origin: context.origin(path, ref),
    };
    if (statement) threat.statement = statement;
    if (metadata.comments.length > 0) {
      threat.description = context.fit(metadata.comments.join('\n\n'), TEXT_MAX, path, 'Comments');
    }
    const assetIds = grammar.assetNames.map((name, index) => this.#assetId(name, [...path, 'impactedAssets', index]));
    if (assetIds.length > 0) threat.assets = [...new Set(assetIds)];
    const level = this.#impact(metadata);
    if (level !== undefined) threat.impact = level;
    const tags = [...context.tags(item, path), ...this.#goalTags(grammar.goals, path)];
    if (tags.length > 0) threat.tags = tags;
    this.#readThreatStatus(item, path, id);
    this.#noteNumbers(item, path, 'threat', id);
    const entry: ThreatEntry = { kind: 'threat', threat, mitigations: new Set() };
    this.#threats.push(entry);
    this.#register(ref, entry);
  }

  /**
   * A threat's grammar fields and statement text. A custom template is reported, and so is a statement text
   * that is not what the fields render to (Parapet keeps the fields, and renders from them).
   */
  #readGrammar(item: Item, path: Path): Grammar {
    const context = this.#context;
    const field = (key: string, what: string): string | undefined =>
      context.text(ownField(item, key), [...path, key], what);
    const grammar: Grammar = {
      source: field('threatSource', 'threat source'),
      prerequisites: field('prerequisites', 'prerequisites'),
      action: field('threatAction', 'threat action'),
      impact: field('threatImpact', 'threat impact'),
      statementText: field('statement', 'statement'),
      goals: context.textList(ownField(item, 'impactedGoal'), [...path, 'impactedGoal'], 'impacted goal'),
      assetNames: context.textList(ownField(item, 'impactedAssets'), [...path, 'impactedAssets'], 'impacted asset'),
    };
    const customTemplate = field('customTemplate', 'custom template');
    if (customTemplate !== undefined) {
      context.note(
        [...path, 'customTemplate'],
        `custom template ${quote(customTemplate)}`,
        'Parapet writes statements in the standard grammar only',
      );
    }
    const { source, prerequisites, action, impact, statementText } = grammar;
    if (source === undefined || action === undefined || statementText === undefined) return grammar;
    const rendered = renderStatement({
      threatSource: source,
      ...(prerequisites === undefined ? {} : { prerequisites }),
      threatAction: action,
      ...(impact === undefined ? {} : { threatImpact: impact }),
      impactedGoal: grammar.goals,
      impactedAssets: grammar.assetNames,
    });
    if (statementKey(rendered) !== statementKey(statementText)) {
      context.note(
        [...path, 'statement'],
        `statement text ${quote(statementText)}`,
        'differs from its fields (a custom template or an edit): Parapet keeps the fields',
      );
    }
    return grammar;
  }

  /**
   * Parapet's statement from the grammar fields. Parapet needs a source, an action and an impact: without
   * `threatImpact` the impacted goals and assets stand in for it ("reduced integrity of ..."), and without any
   * of them the statement is left out (the title keeps the text).
   */
  #statement(path: Path, fields: Grammar): ThreatInput['statement'] {
    const { source, prerequisites, action, impact } = fields;
    if (source === undefined || action === undefined) {
      if (source !== undefined || action !== undefined || prerequisites !== undefined || impact !== undefined) {
        this.#context.note(
          path,
          `threat statement without a ${source === undefined ? 'threat source' : 'threat action'}`,
          "Parapet's statement needs both: the text is kept as the title only",
        );
      }
      return undefined;
    }
    const standIn = impactStandIn(fields.goals, fields.assetNames);
    const parapetImpact = impact ?? standIn;
    if (parapetImpact === undefined) {
      this.#context.note(
        path,
        'threat statement without an impact, impacted goal or impacted asset',
        "Parapet's statement needs an impact: the text is kept as the title only",
      );
      return undefined;
    }
    if (impact === undefined) {
      this.#context.note(
        [...path, 'threatImpact'],
        'no threat impact',
        `Parapet's statement needs one: the impacted goals and assets stand in for it ("${parapetImpact}")`,
      );
    }
    return {
      source: sourceWithArticle(source),
      ...(prerequisites === undefined ? {} : { prerequisites }),
      action,
      impact: parapetImpact,
    };
  }

  /**
   * The threat's category from its first STRIDE letter (the others are reported). Without one, Parapet still
   * needs a category: it is guessed from the impacted goal, and reported for review.
   */
  #category(metadata: MetadataValues, goals: readonly string[], path: Path): Threat['category'] {
    const [first, ...others] = metadata.stride;
    const category = first === undefined ? undefined : CATEGORY_OF_LETTER.get(first);
    if (category !== undefined) {
      if (others.length > 0) {
        this.#context.note(
          metadata.stridePath ?? path,
          `STRIDE categories ${metadata.stride.join(', ')}`,
          `Parapet gives a threat one category: ${category}, from the first letter`,
        );
      }
      return category;
    }
    const goal = goals.find((name) => CATEGORY_OF_GOAL.has(name.toLowerCase()));
    const guessed =
      goal === undefined ? DEFAULT_CATEGORY : (CATEGORY_OF_GOAL.get(goal.toLowerCase()) ?? DEFAULT_CATEGORY);
    this.#context.note(
      path,
      'no STRIDE category',
      `Parapet needs one: set to ${guessed} ${goal === undefined ? 'by default' : `from the impacted goal "${goal}"`}; review it`,
    );
    return guessed;
  }

  /** The threat's impact from its Priority (High, Medium, Low); another value is reported. */
  #impact(metadata: MetadataValues): ThreatInput['impact'] {
    if (metadata.priority === undefined) return undefined;
    const level = IMPACT_OF_PRIORITY.get(metadata.priority.value);
    if (level === undefined) {
      this.#context.note(
        metadata.priority.path,
        `Priority ${quote(metadata.priority.value)}`,
        'not High, Medium or Low: no impact set',
      );
    }
    return level;
  }

  /** Tags holding the impacted goals (`goal:confidentiality`), which Parapet threats have no field for. */
  #goalTags(goals: readonly string[], path: Path): string[] {
    if (goals.length === 0) return [];
    const tags = [...new Set(goals.map((goal) => clip(`${GOAL_TAG_PREFIX}${goal}`, 100)))];
    this.#context.note(
      [...path, 'impactedGoal'],
      `impacted goals ${quote(goals.join(', '))}`,
      `Parapet threats have no impacted-goal field: kept as the tags ${tags.join(', ')}`,
    );
    return tags;
  }

  /** The decision a threat's status stands for; an unknown status is reported, a missing one means open. */
  #readThreatStatus(item: Item, path: Path, threatId: string): void {
    const status = this.#context.text(ownField(item, 'status'), [...path, 'status'], 'status');
    if (status === undefined) return;
    const decision = DECISION_OF_THREAT_STATUS.get(status);
    if (decision === undefined) {
      this.#context.note(
        [...path, 'status'],
        `status ${quote(status)}`,
        'not a Threat Composer threat status: no decision recorded',
      );
      return;
    }
    this.#decisions.push({ threat: threatId, status: decision });
  }

  /** The asset id for an impacted asset, creating the asset the first time its name (in any case) appears. */
  #assetId(name: string, path: Path): string {
    const key = name.toLowerCase();
    const known = this.#assetIds.get(key);
    if (known !== undefined) return known;
    const assetName = this.#context.fit(name, TITLE_MAX, path, 'impacted asset');
    const id = this.#context.ids.allocate(assetName, 'asset');
    this.#assetIds.set(key, id);
    this.#assets.push({ id, name: assetName, origin: this.#context.origin(path, clip(name, REF_MAX)) });
    return id;
  }

  /** A mitigation: its content as the title, Comments as the description, its status. */
  #readMitigation(item: Item, path: Path): void {
    const context = this.#context;
    context.noteUnknownKeys(item, path, MITIGATION_KEYS, 'mitigation');
    const ref = this.#readRef(item, path, 'mitigation');
    const metadata = readMetadata(context, item, path, 'mitigation');
    const content = context.text(ownField(item, 'content'), [...path, 'content'], 'content');
    const id = this.#itemId(item, metadata, path, 'mitigation', 'm', content);
    const tags = context.tags(item, path);
    const mitigation: MitigationInput = {
      id,
      title:
        content === undefined
          ? this.#untitled(path, 'mitigation', ref ?? id)
          : context.fit(content, TITLE_MAX, [...path, 'content'], 'content'),
      origin: context.origin(path, ref),
    };
    if (metadata.comments.length > 0)
      mitigation.description = context.fit(metadata.comments.join('\n\n'), TEXT_MAX, path, 'Comments');
    const status = context.text(ownField(item, 'status'), [...path, 'status'], 'status');
    if (status !== undefined) {
      const mapped = MITIGATION_STATUS_OF.get(status);
      if (mapped === undefined) {
        context.note(
          [...path, 'status'],
          `status ${quote(status)}`,
          'not a Threat Composer mitigation status: left as proposed',
        );
      } else {
        mitigation.status = mapped;
      }
      if (status === 'mitigationResolvedWillNotAction') {
        tags.push(WILL_NOT_ACTION_TAG);
        context.note(
          [...path, 'status'],
          'status mitigationResolvedWillNotAction',
          `Parapet has no "will not action" status: proposed (not in place, so it reduces nothing in the analysis) with the tag "${WILL_NOT_ACTION_TAG}"`,
        );
      }
    }
    if (tags.length > 0) mitigation.tags = tags;
    this.#noteNumbers(item, path, 'mitigation', id);
    const entry: MitigationEntry = { kind: 'mitigation', mitigation, reduces: new Set() };
    this.#mitigations.push(entry);
    this.#register(ref, entry);
  }

  /** An assumption: its content as the text, Comments as the notes. */
  #readAssumption(item: Item, path: Path): void {
    const context = this.#context;
    context.noteUnknownKeys(item, path, ASSUMPTION_KEYS, 'assumption');
    const ref = this.#readRef(item, path, 'assumption');
    const metadata = readMetadata(context, item, path, 'assumption');
    const content = context.text(ownField(item, 'content'), [...path, 'content'], 'content');
    const id = this.#itemId(item, metadata, path, 'assumption', 'a', content);
    const assumption: AssumptionInput = {
      id,
      text:
        content === undefined
          ? this.#untitled(path, 'assumption', ref ?? id)
          : context.fit(content, ASSUMPTION_MAX, [...path, 'content'], 'content'),
      origin: context.origin(path, ref),
    };
    if (metadata.comments.length > 0)
      assumption.notes = context.fit(metadata.comments.join('\n\n'), TEXT_MAX, path, 'Comments');
    const tags = context.tags(item, path);
    if (tags.length > 0) assumption.tags = tags;
    this.#noteNumbers(item, path, 'assumption', id);
    const entry: AssumptionEntry = { kind: 'assumption', assumption, about: new Set() };
    this.#assumptions.push(entry);
    this.#register(ref, entry);
  }

  /** A stand-in title for an item without content, reported. */
  #untitled(path: Path, kind: EntityKind, name: string): string {
    this.#context.note(
      [...path, 'content'],
      `${kind} without content`,
      `Parapet needs a text: "${kind} ${name}" stands in`,
    );
    return `${kind} ${name}`;
  }

  /**
   * The Parapet id of an item: the one an earlier export wrote when it is still free, else a readable one
   * made from the first words of `text` after a prefix ("t-read-local-storage"), or from the kind when there is
   * no text. A kept id that cannot be used (a generated threat's, or one used twice) is reported.
   */
  #itemId(
    item: Item,
    metadata: MetadataValues,
    path: Path,
    kind: EntityKind,
    prefix: string,
    text: string | undefined,
  ): string {
    const kept = this.#keptIds.get(item);
    if (kept !== undefined) return kept;
    const id = this.#context.ids.allocate(text === undefined ? undefined : `${prefix} ${firstWords(text)}`, kind);
    if (metadata.parapetId !== undefined) {
      const reason = metadata.parapetId.includes('@')
        ? `a threat a Parapet rule generated: imported as a threat written by hand, "${id}"`
        : `not a valid Parapet id or used twice: imported as "${id}"`;
      this.#context.note(path, `${PARAPET_ID_KEY} ${quote(metadata.parapetId)}`, reason);
    }
    return id;
  }

  /** Makes an item reachable by its Threat Composer id for the links (the first item with an id keeps it). */
  #register(ref: string | undefined, entry: Entry): void {
    if (ref !== undefined && !this.#entries.has(ref)) this.#entries.set(ref, entry);
  }

  /** The item's Threat Composer id, for `origin.ref` and links; a missing, malformed or repeated one is reported. */
  #readRef(item: Item, path: Path, kind: EntityKind): string | undefined {
    const value = ownField(item, 'id');
    const idPath = [...path, 'id'];
    if (typeof value !== 'string' || value.trim() === '' || value.length > REF_MAX) {
      const what =
        value === undefined
          ? `${kind} without an id`
          : `${kind} id that is ${typeof value === 'string' ? `${value.length} characters long` : describeValue(value)}`;
      this.#context.note(idPath, what, 'links cannot name it: imported without origin.ref');
      return undefined;
    }
    if (this.#entries.has(value)) {
      this.#context.note(
        idPath,
        `${kind} id ${quote(value)} used again`,
        'links with this id go to the first item that has it',
      );
    }
    return value;
  }

  /** Reports the display number and order of an item, which Parapet has no fields for. */
  #noteNumbers(item: Item, path: Path, kind: EntityKind, id: string): void {
    const numericId = ownField(item, 'numericId');
    const displayOrder = ownField(item, 'displayOrder');
    if (numericId === undefined && displayOrder === undefined) return;
    const number = (value: unknown): string => (typeof value === 'number' ? String(value) : describeValue(value));
    const what = [
      numericId === undefined ? undefined : `${kind} number ${number(numericId)}`,
      displayOrder === undefined ? undefined : `display order ${number(displayOrder)}`,
    ].filter((part): part is string => part !== undefined);
    this.#context.note(path, what.join(', '), `Parapet has no display numbers: imported as "${id}", in file order`);
  }

  /** `mitigationLinks`: a mitigation linked to a threat reduces it (both sides name each other). */
  #readMitigationLinks(): void {
    this.#eachLink(
      'mitigationLinks',
      MITIGATION_LINK_KEYS,
      'mitigationId',
      'mitigation',
      (mitigation, linked, path) => {
        if (mitigation.kind !== 'mitigation') return;
        if (linked.kind === 'threat') {
          linked.mitigations.add(mitigation.mitigation.id);
          mitigation.reduces.add(linked.threat.id);
        } else {
          this.#context.note(
            path,
            `link from mitigation "${mitigation.mitigation.id}" to ${linked.kind} "${entryId(linked)}"`,
            `Parapet mitigations reduce threats only: the link to an ${linked.kind} is not kept`,
          );
        }
      },
    );
  }

  /**
   * `assumptionLinks`. A Parapet assumption names the items it concerns (`about`) and the threats it rules out
   * (`excludes`); a Threat Composer link does not rule a threat out, so a linked threat's target and assets are
   * added to `about` and the link itself is reported. Links to mitigations have no place.
   */
  #readAssumptionLinks(): void {
    this.#eachLink(
      'assumptionLinks',
      ASSUMPTION_LINK_KEYS,
      'assumptionId',
      'assumption',
      (assumption, linked, path, item) => {
        if (assumption.kind !== 'assumption') return;
        const type = ownField(item, 'type');
        const mismatch =
          typeof type === 'string' && type.toLowerCase() !== linked.kind ? ` (the link says ${quote(type)})` : '';
        const what = `link from assumption "${assumption.assumption.id}" to ${linked.kind} "${entryId(linked)}"${mismatch}`;
        if (linked.kind === 'threat') {
          assumption.about.add(linked.threat.target);
          for (const asset of linked.threat.assets ?? []) assumption.about.add(asset);
          this.#context.note(
            path,
            what,
            "a Parapet assumption names the threats it rules out, and this link does not rule the threat out: the threat's target and assets are added to the assumption's about instead",
          );
        } else {
          this.#context.note(path, what, `Parapet assumptions do not link to ${linked.kind}s: not kept`);
        }
      },
    );
  }

  /**
   * Calls `apply` for each well-formed link of a list whose `ownerKey` names an item of kind `ownerKind` and
   * whose `linkedId` names any item; malformed and dangling links are reported.
   */
  #eachLink(
    section: 'mitigationLinks' | 'assumptionLinks',
    known: ReadonlySet<string>,
    ownerKey: string,
    ownerKind: EntityKind,
    apply: (owner: Entry, linked: Entry, path: Path, item: Item) => void,
  ): void {
    this.#context.list(ownField(this.#root, section), [section], section).forEach((item, index) => {
      const path = [section, index];
      if (!isRecord(item)) {
        this.#context.note(path, `link that is ${describeValue(item)}`, 'not an object: skipped');
        return;
      }
      this.#context.noteUnknownKeys(item, path, known, 'link');
      const ownerId = ownField(item, ownerKey);
      const linkedId = ownField(item, 'linkedId');
      if (typeof ownerId !== 'string' || typeof linkedId !== 'string') {
        this.#context.note(
          path,
          `link whose ${typeof ownerId !== 'string' ? ownerKey : 'linkedId'} is ${describeValue(typeof ownerId !== 'string' ? ownerId : linkedId)}`,
          'not an id: skipped',
        );
        return;
      }
      const owner = this.#entries.get(ownerId);
      const linked = this.#entries.get(linkedId);
      if (owner?.kind !== ownerKind || linked === undefined) {
        const missing =
          owner?.kind !== ownerKind
            ? `${ownerKey} ${quote(ownerId)} names no ${ownerKind}`
            : `linkedId ${quote(linkedId)} names nothing`;
        this.#context.note(
          path,
          `link from ${quote(ownerId)} to ${quote(linkedId)}`,
          `${missing} in the file: skipped`,
        );
        return;
      }
      apply(owner, linked, path, item);
    });
  }

  /** Reports the sections Parapet has no place for (brainstorm, workspace) and keys Threat Composer does not define. */
  #noteOtherSections(): void {
    const brainstorm = this.#context.record(ownField(this.#root, 'brainstorm'), ['brainstorm'], 'brainstorm');
    if (brainstorm) {
      for (const [key, value] of Object.entries(brainstorm)) {
        const count = Array.isArray(value) ? `${value.length} ` : '';
        this.#context.note(
          ['brainstorm', key],
          `brainstorm ${count}${key}`,
          'ideas not yet made into threats, mitigations or assumptions: Parapet has no place for them',
        );
      }
    }
    if (ownField(this.#root, 'workspace') !== undefined) {
      this.#context.note(
        ['workspace'],
        'workspace settings',
        'Threat Composer workspace settings: not part of a Parapet model',
      );
    }
    this.#context.noteUnknownKeys(this.#root, [], TOP_LEVEL_KEYS, 'top-level');
  }
}

/** The `custom:parapetId` value in an item's metadata, without reporting anything (reading does that). */
function findParapetId(item: Item): string | undefined {
  const metadata = ownField(item, 'metadata');
  if (!Array.isArray(metadata)) return undefined;
  for (const entry of metadata) {
    if (isRecord(entry) && ownField(entry, 'key') === PARAPET_ID_KEY) {
      const value = ownField(entry, 'value');
      return typeof value === 'string' ? value.trim() : undefined;
    }
  }
  return undefined;
}

/** The Parapet id of an entry, for messages. */
function entryId(entry: Entry): string {
  switch (entry.kind) {
    case 'threat':
      return entry.threat.id;
    case 'mitigation':
      return entry.mitigation.id;
    case 'assumption':
      return entry.assumption.id;
  }
}

/** A threat with the mitigations its links name. */
function finishThreat(entry: ThreatEntry): ThreatInput {
  return entry.mitigations.size === 0 ? entry.threat : { ...entry.threat, mitigations: [...entry.mitigations] };
}

/** A mitigation with the threats its links name. */
function finishMitigation(entry: MitigationEntry): MitigationInput {
  return entry.reduces.size === 0 ? entry.mitigation : { ...entry.mitigation, reduces: [...entry.reduces] };
}

/** An assumption with the items its links to threats concern. */
function finishAssumption(entry: AssumptionEntry): AssumptionInput {
  return entry.about.size === 0 ? entry.assumption : { ...entry.assumption, about: [...entry.about] };
}
