import { analyze, threatModelSchema, type PathSegment, type ThreatModelInput } from '@parapet/core';
import { IdAllocator, slug } from '../../ids.js';
import { ImportError, type ImportResult, type Unmapped } from '../../ImportResult.js';
import { pathText, type StructuredSource } from '../../source.js';
import { readYaml } from './readYaml.js';
import { translateRiskId, type ImportedLink, type ImportedRisk, type RiskIdContext } from './riskTracking.js';
import {
  AUTHENTICATIONS,
  AUTHORIZATIONS,
  BOUNDARY_KINDS,
  CONFIDENTIALITY,
  ELEMENT_KINDS,
  IMPACTS,
  LIKELIHOODS,
  PROTOCOLS,
  RATINGS,
  RISK_STATUSES,
  STRIDE_CATEGORIES,
  TECHNOLOGIES,
  TECHNOLOGY_TAGS,
} from './tables.js';

type ModelInfoInput = ThreatModelInput['model'];
type ElementInput = NonNullable<ThreatModelInput['elements']>[number];
type FlowInput = NonNullable<ThreatModelInput['flows']>[number];
type BoundaryInput = NonNullable<ThreatModelInput['boundaries']>[number];
type AssetInput = NonNullable<ThreatModelInput['assets']>[number];
type ThreatInput = NonNullable<ThreatModelInput['threats']>[number];
type MitigationInput = NonNullable<ThreatModelInput['mitigations']>[number];
type DecisionInput = NonNullable<ThreatModelInput['decisions']>[number];
type QuestionInput = NonNullable<ThreatModelInput['questions']>[number];
type OwnerInput = NonNullable<ModelInfoInput['owners']>[number];
type Path = readonly PathSegment[];
type Fields = Readonly<Record<string, unknown>>;

const FORMAT = 'threagile';
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ASVS = /^V?\d+(\.\d+){1,2}$/;
/** Limits of Parapet's text fields (see packages/core/src/schema). */
const MAX = { name: 500, text: 100_000, short: 200, tag: 100, ticket: 500, question: 10_000, link: 1_000 } as const;

/** Top-level keys read by the importer; any other key is listed in unmapped. */
const ROOT_KEYS = new Set([
  'title',
  'date',
  'author',
  'contributors',
  'application_description',
  'business_overview',
  'business_criticality',
  'questions',
  'data_assets',
  'technical_assets',
  'trust_boundaries',
  'shared_runtimes',
  'individual_risk_categories',
  'risk_tracking',
]);
/** Top-level keys Parapet has no place for, with the reason given in unmapped. */
const ROOT_UNMAPPED: Readonly<Record<string, string>> = {
  threagile_version: "the version of Threagile's format; the model is Parapet format 1",
  includes: 'included files are not imported: import each file on its own',
  management_summary_comment: 'Parapet has no field for a report summary comment',
  technical_overview: 'Parapet has no field for a technical overview',
  abuse_cases: 'Parapet has no abuse case section (threats need a target and a STRIDE category)',
  security_requirements: 'Parapet has no requirements section',
  tags_available: 'Parapet has no list of allowed tags; the tags in use are kept on the items',
};
/** Fields of a technical asset read by the importer; the rest are listed in unmapped. */
const ASSET_FIELDS = new Set([
  'id',
  'description',
  'type',
  'technology',
  'technologies',
  'tags',
  'internet',
  'encryption',
  'owner',
  'multi_tenant',
  'redundant',
  'custom_developed_parts',
  'out_of_scope',
  'justification_out_of_scope',
  'data_assets_stored',
  'data_assets_processed',
  'communication_links',
  'confidentiality',
  'integrity',
  'availability',
]);
const LINK_FIELDS = new Set([
  'target',
  'description',
  'protocol',
  'authentication',
  'authorization',
  'tags',
  'vpn',
  'data_assets_sent',
  'data_assets_received',
]);
const DATA_ASSET_FIELDS = new Set([
  'id',
  'description',
  'tags',
  'owner',
  'confidentiality',
  'integrity',
  'availability',
]);
const BOUNDARY_FIELDS = new Set([
  'id',
  'description',
  'type',
  'tags',
  'technical_assets_inside',
  'trust_boundaries_nested',
]);
const RUNTIME_FIELDS = new Set(['id', 'description', 'tags', 'technical_assets_running']);
const CATEGORY_FIELDS = new Set([
  'id',
  'description',
  'cheat_sheet',
  'action',
  'mitigation',
  'stride',
  'cwe',
  'asvs',
  'risks_identified',
]);
const RISK_FIELDS = new Set([
  'exploitation_likelihood',
  'exploitation_impact',
  'most_relevant_data_asset',
  'most_relevant_technical_asset',
  'most_relevant_communication_link',
  'most_relevant_trust_boundary',
  'most_relevant_shared_runtime',
]);
const TRACKING_FIELDS = new Set(['status', 'justification', 'ticket', 'date', 'checked_by']);
/** Why a field Parapet has no place for is left out, by field name. */
const FIELD_REASONS: Readonly<Record<string, string>> = {
  usage: 'Parapet does not distinguish business from devops use',
  size: 'Parapet has no size of a technical asset',
  machine: 'Parapet has no machine type (physical, virtual, container, serverless) on elements',
  used_as_client_by_human: 'Parapet has no field for a client used by a person',
  data_formats_accepted: 'Parapet cannot state the payload formats an element accepts',
  diagram_tweak_order: 'a diagram layout hint',
  diagram_tweak_weight: 'a diagram layout hint',
  diagram_tweak_constraint: 'a diagram layout hint',
  ip_filtered: 'Parapet has no field for IP filtering on a flow',
  readonly: 'Parapet cannot state that a flow only reads',
  origin: "Parapet has no field for an asset's origin",
  quantity: 'Parapet counts records as a number; Threagile gives only a class (very-few ... very-many)',
  justification_cia_rating: 'Parapet has no field for the reasoning behind a rating',
  impact: 'Parapet has no field for the impact text of a risk category',
  check: 'Parapet has no field for the check text of a risk category',
  function: 'Parapet has no field for the function (business-side, architecture ...) of a risk category',
  detection_logic: 'Parapet has no field for detection logic',
  risk_assessment: 'Parapet has no field for the risk assessment text',
  false_positives: 'Parapet has no field for the false positive text',
  model_failure_possible_reason: 'Parapet has no such flag',
  severity: 'Parapet derives severity from likelihood and impact',
  data_breach_probability: 'Parapet has no data breach probability',
  data_breach_technical_assets: 'Parapet has no list of technical assets a data breach reaches',
};

/** One entry of a Threagile mapping section (`data_assets`, `technical_assets` ...): its title and fields. */
interface Entry {
  readonly title: string;
  readonly fields: Fields;
  readonly path: Path;
  /** Its `id`, or one made from the title when absent. */
  readonly threagileId: string;
}

/**
 * Reads a Threagile model (YAML) into a Parapet model: data assets become assets, technical assets elements,
 * communication links flows, trust boundaries (and shared runtimes where they fit) boundaries, individual
 * risks manual threats, and risk tracking decisions on the Parapet threats that cover the same ground.
 * Everything else is listed in `unmapped`. Throws ImportError when the text is not a Threagile model at all.
 *
 * @example
 * const { model, unmapped } = importThreagile(text, 'threagile.yaml');
 */
export function importThreagile(text: string, file: string): ImportResult {
  return new ThreagileImport(readYaml(text, file)).run();
}

/** A plain mapping (not a list), or undefined. */
function asFields(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}

/** A field of a mapping, own keys only. */
function get(fields: Fields, key: string): unknown {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

/** A short account of a value for messages, never recursing (values may be huge or cyclic). */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `"${value.length > 80 ? `${value.slice(0, 80)}...` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === 'object' ? `a mapping of ${Object.keys(value).length} keys` : typeof value;
}

/** Whether a value says nothing (absent, empty text, empty list or mapping, false). */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Threagile titles carry HTML (`<b>...</b>`): the text without tags. */
function stripTags(text: string): string {
  return text
    .replace(/<[^<>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Threagile's id of a communication link: `<source id>>` and the title lower-cased, runs of non-alphanumerics as `-`. */
function linkId(sourceId: string, title: string): string {
  return `${sourceId}>${title
    .toLowerCase()
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`;
}

/** One import: reads the parsed file section by section into the model, noting what does not fit. */
class ThreagileImport {
  readonly #source: StructuredSource;
  readonly #file: string;
  readonly #ids = new IdAllocator();
  readonly #unmapped: Unmapped[] = [];
  readonly #elements: ElementInput[] = [];
  readonly #flows: FlowInput[] = [];
  readonly #boundaries: BoundaryInput[] = [];
  readonly #assets: AssetInput[] = [];
  readonly #threats: ThreatInput[] = [];
  readonly #mitigations: MitigationInput[] = [];
  readonly #decisions: DecisionInput[] = [];
  readonly #questions: QuestionInput[] = [];
  /** Imported items by Threagile id. */
  readonly #elementById = new Map<string, ElementInput>();
  readonly #assetById = new Map<string, AssetInput>();
  readonly #boundaryById = new Map<string, BoundaryInput>();
  readonly #links: ImportedLink[] = [];
  readonly #linkById = new Map<string, ImportedLink>();
  readonly #individualCategories = new Set<string>();
  readonly #individualRisks: ImportedRisk[] = [];

  constructor(source: StructuredSource) {
    this.#source = source;
    this.#file = source.file;
  }

  run(): ImportResult {
    const root = asFields(this.#source.data);
    if (!root) {
      throw new ImportError(
        `not a Threagile model: the file holds ${describe(this.#source.data)}, not a mapping`,
        this.#file,
        1,
      );
    }
    if (!['threagile_version', 'technical_assets', 'data_assets'].some((key) => Object.hasOwn(root, key))) {
      throw new ImportError(
        'not a Threagile model: it has none of threagile_version, technical_assets and data_assets',
        this.#file,
        1,
      );
    }
    const info = this.#modelInfo(root);
    const technicalAssets = this.#entries(root, 'technical_assets');
    const trustBoundaries = this.#entries(root, 'trust_boundaries');
    const dataAssets = this.#entries(root, 'data_assets');
    const runtimes = this.#entries(root, 'shared_runtimes');
    const categories = this.#entries(root, 'individual_risk_categories');
    // Ids in the order that keeps the most meaningful ones: elements, boundaries, assets first.
    for (const entry of technicalAssets) this.#element(entry);
    for (const entry of trustBoundaries) this.#trustBoundary(entry);
    for (const entry of dataAssets) this.#asset(entry);
    this.#placeElements(trustBoundaries);
    this.#sharedRuntimes(runtimes);
    for (const entry of technicalAssets) this.#communicationLinks(entry);
    this.#assetReferences(technicalAssets);
    for (const entry of categories) this.#riskCategory(entry);
    this.#riskTracking(root);
    this.#readQuestions(root);
    this.#rootLeftovers(root);
    this.#unmapped.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    return { format: FORMAT, model: this.#model(info), unmapped: this.#unmapped };
  }

  /** The model as built so far, with the sections that have items. */
  #model(info: ModelInfoInput, withDecisions = true): ThreatModelInput {
    const model: ThreatModelInput = { parapet: 1, model: info };
    if (this.#boundaries.length > 0) model.boundaries = this.#boundaries;
    if (this.#elements.length > 0) model.elements = this.#elements;
    if (this.#flows.length > 0) model.flows = this.#flows;
    if (this.#assets.length > 0) model.assets = this.#assets;
    if (this.#mitigations.length > 0) model.mitigations = this.#mitigations;
    if (this.#threats.length > 0) model.threats = this.#threats;
    if (withDecisions && this.#decisions.length > 0) model.decisions = this.#decisions;
    if (this.#questions.length > 0) model.questions = this.#questions;
    return model;
  }

  // --- Reading values -------------------------------------------------------------------------------------

  #note(path: Path, what: string, reason: string): void {
    this.#unmapped.push({ at: pathText(path), file: this.#file, line: this.#source.line(path), what, reason });
  }

  #origin(path: Path, ref: string): NonNullable<ElementInput['origin']> {
    const file = this.#file.slice(0, MAX.link) || 'input';
    return { format: FORMAT, file, line: this.#source.line(path), ref: ref.slice(0, MAX.link) || 'item' };
  }

  /** A text field (numbers and booleans written as text), trimmed, cut to `max`; undefined when empty or of another type. */
  #text(fields: Fields, key: string, path: Path, max: number): string | undefined {
    const value = get(fields, key);
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      this.#note([...path, key], `${key} (${describe(value)})`, 'expected text; left out');
      return undefined;
    }
    const text = String(value).trim();
    if (text === '') return undefined;
    if (text.length <= max) return text;
    this.#note([...path, key], `${key} of ${text.length} characters`, `Parapet takes at most ${max}: cut`);
    return text.slice(0, max);
  }

  /** A true/false field; undefined when absent or of another type (noted). */
  #flag(fields: Fields, key: string, path: Path): boolean | undefined {
    const value = get(fields, key);
    if (value === null || value === undefined || typeof value === 'boolean') return value ?? undefined;
    this.#note([...path, key], `${key} (${describe(value)})`, 'expected true or false; left out');
    return undefined;
  }

  /** A list field; an empty list when absent, and when of another type (noted). */
  #list(fields: Fields, key: string, path: Path): readonly unknown[] {
    const value = get(fields, key);
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.#note([...path, key], `${key} (${describe(value)})`, 'expected a list; left out');
    return [];
  }

  /** The texts of a list field (ids, tags); other items are noted. */
  #texts(fields: Fields, key: string, path: Path): string[] {
    const out: string[] = [];
    this.#list(fields, key, path).forEach((item, i) => {
      if (typeof item === 'string' || typeof item === 'number') {
        if (String(item).trim() !== '') out.push(String(item).trim());
      } else if (item !== null) {
        this.#note([...path, key, i], `${key} item (${describe(item)})`, 'expected an id or a name; left out');
      }
    });
    return out;
  }

  /** Tags as Parapet takes them (1-100 characters each, no repeats). */
  #tags(fields: Fields, path: Path): string[] | undefined {
    const tags = [...new Set(this.#texts(fields, 'tags', path))].filter((tag, i) => {
      if (tag.length <= MAX.tag) return true;
      this.#note(
        [...path, 'tags', i],
        `tag of ${tag.length} characters`,
        `Parapet tags are at most ${MAX.tag}: left out`,
      );
      return false;
    });
    return tags.length > 0 ? tags : undefined;
  }

  /** A value of an enumerated field through a table; an unknown value is noted. */
  #choice<T>(fields: Fields, key: string, path: Path, table: Readonly<Record<string, T>>): T | undefined {
    const value = get(fields, key);
    if (value === null || value === undefined || value === '') return undefined;
    const found = typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;
    if (found === undefined)
      this.#note([...path, key], `${key} ${describe(value)}`, 'not a value Threagile defines; left out');
    return found;
  }

  /**
   * Notes every field of an item that the importer does not read, unless it says nothing: absent, empty,
   * false, or `usage: business` (the ordinary case; `devops` is noted).
   */
  #leftovers(fields: Fields, path: Path, read: ReadonlySet<string>, kind: string): void {
    for (const key in fields) {
      const value = get(fields, key);
      if (read.has(key) || isEmpty(value) || (key === 'usage' && value === 'business')) continue;
      const reason = FIELD_REASONS[key] ?? `not a field of a Threagile ${kind} that Parapet has a place for`;
      this.#note([...path, key], `${key} ${describe(value)}`, reason);
    }
  }

  /**
   * The entries of a mapping section (`title: {fields}`), with YAML merge keys (`<<: *anchor`) applied. An
   * entry that is not a mapping is noted and skipped.
   */
  #entries(root: Fields, section: string): Entry[] {
    const value = get(root, section);
    if (value === null || value === undefined) return [];
    const map = asFields(value);
    if (!map) {
      this.#note([section], `${section} (${describe(value)})`, 'expected a mapping of titles to items; left out');
      return [];
    }
    return this.#mapEntries(map, [section]);
  }

  #mapEntries(map: Fields, path: Path): Entry[] {
    const entries: Entry[] = [];
    for (const title in map) {
      const value = get(map, title);
      const itemPath = [...path, title];
      const fields = this.#merged(value, itemPath);
      if (!fields) {
        this.#note(itemPath, `${path.join('.')} entry "${title}" (${describe(value)})`, 'expected a mapping; left out');
        continue;
      }
      const id = get(fields, 'id');
      const threagileId = typeof id === 'string' && id.trim() !== '' ? id.trim() : title;
      entries.push({ title, fields, path: itemPath, threagileId });
    }
    return entries;
  }

  /** A mapping with its `<<` merge keys applied (explicit keys win; earlier merged mappings win over later). */
  #merged(value: unknown, path: Path, depth = 0): Fields | undefined {
    const fields = asFields(value);
    if (!fields || !Object.hasOwn(fields, '<<')) return fields;
    const merge = fields['<<'];
    const sources = Array.isArray(merge) ? merge : [merge];
    const result: Record<string, unknown> = {};
    const copy = (from: Fields): void => {
      for (const [key, item] of Object.entries(from)) if (key !== '<<' && key !== '__proto__') result[key] = item;
    };
    for (let i = sources.length - 1; i >= 0; i--) {
      const source = depth < 8 ? this.#merged(sources[i], path, depth + 1) : undefined;
      if (source) copy(source);
      else this.#note([...path, '<<'], `merge key (${describe(sources[i])})`, 'not a mapping to merge; left out');
    }
    copy(fields);
    return result;
  }

  // --- Model information ----------------------------------------------------------------------------------

  #modelInfo(root: Fields): ModelInfoInput {
    const title = this.#text(root, 'title', [], MAX.name) ?? 'Threagile model';
    const info: ModelInfoInput = { id: slug(title) || 'threagile-model', title };
    const description = this.#overview(root, 'application_description');
    if (description !== undefined) info.description = description;
    const date = get(root, 'date');
    if (typeof date === 'string' && DATE.test(date)) info.updated = date;
    else if (!isEmpty(date)) this.#note(['date'], `date ${describe(date)}`, 'not a date written YYYY-MM-DD; left out');
    const owners = [...this.#people(get(root, 'author'), ['author'], 'author'), ...this.#contributors(root)];
    if (owners.length > 0) info.owners = owners;
    const purpose = this.#overview(root, 'business_overview');
    const criticality = this.#choice(root, 'business_criticality', [], RATINGS);
    if (criticality?.approximate) {
      this.#note(['business_criticality'], 'business criticality "archive"', 'read as low, like operational');
    }
    if (purpose !== undefined || criticality !== undefined) {
      info.businessContext = {};
      if (purpose !== undefined) info.businessContext.purpose = purpose;
      if (criticality !== undefined) info.businessContext.criticality = criticality.need;
    }
    return info;
  }

  /** The description of an overview section (`business_overview`, `application_description`); its images are noted. */
  #overview(root: Fields, key: string): string | undefined {
    const value = get(root, key);
    if (isEmpty(value)) return undefined;
    const fields = asFields(value);
    if (!fields) {
      this.#note([key], `${key} (${describe(value)})`, 'expected a mapping with a description; left out');
      return undefined;
    }
    this.#leftovers(fields, [key], new Set(['description']), 'overview');
    return this.#text(fields, 'description', [key], MAX.text);
  }

  #contributors(root: Fields): OwnerInput[] {
    return this.#list(root, 'contributors', []).flatMap((person, i) =>
      this.#people(person, ['contributors', i], 'contributor'),
    );
  }

  /** An author or contributor as a model owner (name, contact as e-mail); the homepage is noted. */
  #people(value: unknown, path: Path, role: string): OwnerInput[] {
    if (isEmpty(value)) return [];
    const fields = asFields(value);
    const name = fields ? this.#text(fields, 'name', path, MAX.short) : undefined;
    if (!fields || name === undefined) {
      this.#note(path, `${role} (${describe(value)})`, 'expected a mapping with a name; left out');
      return [];
    }
    const owner: OwnerInput = { name, role };
    const contact = this.#text(fields, 'contact', path, 320);
    if (contact !== undefined) owner.email = contact;
    this.#leftovers(fields, path, new Set(['name', 'contact']), role);
    return [owner];
  }

  // --- Technical assets -----------------------------------------------------------------------------------

  /** A technical asset as an element (its links become flows later, once every element has its id). */
  #element(entry: Entry): void {
    const { fields, path } = entry;
    if (this.#elementById.has(entry.threagileId)) {
      this.#note([...path, 'id'], `technical asset id "${entry.threagileId}" used twice`, 'references go to the first');
    }
    const element: ElementInput = {
      id: this.#ids.keepOrAllocate(entry.threagileId, entry.title),
      name: stripTags(entry.title).slice(0, MAX.name) || entry.threagileId.slice(0, MAX.name),
      kind: 'process',
      origin: this.#origin(path, entry.threagileId),
    };
    const description = this.#text(fields, 'description', path, MAX.text);
    if (description !== undefined) element.description = description;
    this.#technology(element, fields, path);
    const kind = this.#choice(fields, 'type', path, ELEMENT_KINDS);
    if (kind !== undefined) element.kind = kind;
    else if (isEmpty(get(fields, 'type'))) this.#note(path, 'technical asset without a type', 'read as a process');
    const internet = this.#flag(fields, 'internet', path);
    if (internet !== undefined) element.exposure = internet ? 'internet' : 'internal';
    const security = this.#security(fields, path);
    if (security) element.security = security;
    const owner = this.#text(fields, 'owner', path, MAX.short);
    if (owner !== undefined) element.owner = owner;
    const tags = this.#tags(fields, path);
    if (tags) element.tags = [...new Set([...(element.tags ?? []), ...tags])];
    const justification = this.#text(fields, 'justification_out_of_scope', path, MAX.text);
    if (this.#flag(fields, 'out_of_scope', path)) {
      element.outOfScope = { reason: justification ?? 'out of scope in the Threagile model' };
    } else if (justification !== undefined) {
      this.#note(
        [...path, 'justification_out_of_scope'],
        `justification "${justification.slice(0, 80)}"`,
        'the asset is in scope: a justification for leaving it out has no place',
      );
    }
    this.#ratingNote(fields, path, 'technical asset', 'Parapet rates elements by the assets they store and process');
    this.#leftovers(fields, path, ASSET_FIELDS, 'technical asset');
    this.#elements.push(element);
    if (!this.#elementById.has(entry.threagileId)) this.#elementById.set(entry.threagileId, element);
  }

  /** The catalog type from Threagile's technology (or first of `technologies`), the original kept as text. */
  #technology(element: ElementInput, fields: Fields, path: Path): void {
    const single = get(fields, 'technology');
    const names = [
      ...(typeof single === 'string' && single !== '' ? [single] : []),
      ...this.#texts(fields, 'technologies', path),
    ];
    if (names.length === 0) return;
    element.technology = names.join(', ').slice(0, MAX.short);
    const known = names.find((name) => Object.hasOwn(TECHNOLOGIES, name));
    if (known !== undefined) {
      element.type = TECHNOLOGIES[known];
      const tag = TECHNOLOGY_TAGS[known];
      if (tag !== undefined) element.tags = [tag];
    } else if (!names.includes('unknown-technology')) {
      this.#note(
        [...path, 'technology'],
        `technology "${names.join(', ')}"`,
        'not a Threagile technology; no type given',
      );
    }
  }

  /** The security properties Parapet has: encryption at rest, multi-tenancy, redundancy, custom development. */
  #security(fields: Fields, path: Path): ElementInput['security'] {
    const security: NonNullable<ElementInput['security']> = {};
    const encryption = get(fields, 'encryption');
    if (encryption === 'none') security.encryptionAtRest = false;
    else if (encryption === 'transparent') security.encryptionAtRest = true;
    else if (typeof encryption === 'string' && encryption.startsWith('data-with-')) {
      security.encryptionAtRest = true;
      this.#note(
        [...path, 'encryption'],
        `encryption "${encryption}"`,
        'read as encryptionAtRest: true; Parapet does not state the key scheme',
      );
    } else if (!isEmpty(encryption)) {
      this.#note(
        [...path, 'encryption'],
        `encryption ${describe(encryption)}`,
        'not a value Threagile defines; left out',
      );
    }
    const multiTenant = this.#flag(fields, 'multi_tenant', path);
    if (multiTenant !== undefined) security.multiTenant = multiTenant;
    const redundant = this.#flag(fields, 'redundant', path);
    if (redundant !== undefined) security.redundancy = redundant;
    const custom = this.#flag(fields, 'custom_developed_parts', path);
    if (custom !== undefined) security.customDeveloped = custom;
    return Object.keys(security).length > 0 ? security : undefined;
  }

  /** Notes the confidentiality / integrity / availability rating of a technical asset (no such field in Parapet). */
  #ratingNote(fields: Fields, path: Path, kind: string, reason: string): void {
    const parts = ['confidentiality', 'integrity', 'availability'].flatMap((key) => {
      const value = get(fields, key);
      return typeof value === 'string' && value !== '' ? [`${key} ${value}`] : [];
    });
    if (parts.length > 0) this.#note([...path, 'confidentiality'], `${kind} rating: ${parts.join(', ')}`, reason);
  }

  // --- Data assets ----------------------------------------------------------------------------------------

  /** A data asset as an asset: classification and needs from Threagile's ratings (tables.ts gives the scales). */
  #asset(entry: Entry): void {
    const { fields, path } = entry;
    if (this.#assetById.has(entry.threagileId)) {
      this.#note([...path, 'id'], `data asset id "${entry.threagileId}" used twice`, 'references go to the first');
    }
    const asset: AssetInput = {
      id: this.#ids.keepOrAllocate(entry.threagileId, entry.title),
      name: stripTags(entry.title).slice(0, MAX.name) || entry.threagileId.slice(0, MAX.name),
      kind: 'data',
      origin: this.#origin(path, entry.threagileId),
    };
    const description = this.#text(fields, 'description', path, MAX.text);
    if (description !== undefined) asset.description = description;
    const needs: NonNullable<AssetInput['needs']> = {};
    const confidentiality = this.#choice(fields, 'confidentiality', path, CONFIDENTIALITY);
    if (confidentiality) {
      asset.classification = confidentiality.classification;
      needs.confidentiality = confidentiality.need;
      if (confidentiality.approximate) {
        this.#note(
          [...path, 'confidentiality'],
          'confidentiality "restricted"',
          'read as classification confidential, need medium',
        );
      }
    }
    for (const key of ['integrity', 'availability'] as const) {
      const rating = this.#choice(fields, key, path, RATINGS);
      if (!rating) continue;
      needs[key] = rating.need;
      if (rating.approximate) this.#note([...path, key], `${key} "archive"`, 'read as low, like operational');
    }
    if (Object.keys(needs).length > 0) asset.needs = needs;
    const owner = this.#text(fields, 'owner', path, MAX.short);
    if (owner !== undefined) asset.owner = owner;
    const tags = this.#tags(fields, path);
    if (tags) asset.tags = tags;
    this.#leftovers(fields, path, DATA_ASSET_FIELDS, 'data asset');
    this.#assets.push(asset);
    if (!this.#assetById.has(entry.threagileId)) this.#assetById.set(entry.threagileId, asset);
  }

  /** Asset ids for a list of Threagile data asset ids; unknown ones are noted. */
  #assetIds(fields: Fields, key: string, path: Path): string[] {
    const ids: string[] = [];
    for (const name of this.#texts(fields, key, path)) {
      const asset = this.#assetById.get(name);
      if (asset) {
        if (!ids.includes(asset.id)) ids.push(asset.id);
      } else {
        this.#note([...path, key], `data asset "${name}"`, 'no data asset has this id; left out');
      }
    }
    return ids;
  }

  /**
   * Stored assets become `stores`. Processed assets Parapet derives from the flows: those an element neither
   * stores nor exchanges over a flow are noted.
   */
  #assetReferences(entries: readonly Entry[]): void {
    const carried = new Map<string, Set<string>>();
    for (const flow of this.#flows) {
      for (const end of [flow.from, flow.to]) {
        const set = carried.get(end) ?? new Set<string>();
        for (const id of flow.data ?? []) set.add(id);
        carried.set(end, set);
      }
    }
    const done = new Set<ElementInput>();
    for (const entry of entries) {
      const element = this.#elementById.get(entry.threagileId);
      if (!element || done.has(element)) continue;
      done.add(element);
      const stores = this.#assetIds(entry.fields, 'data_assets_stored', entry.path);
      if (stores.length > 0) element.stores = stores;
      const exchanged = carried.get(element.id);
      const loose = this.#assetIds(entry.fields, 'data_assets_processed', entry.path).filter(
        (id) => !stores.includes(id) && !exchanged?.has(id),
      );
      if (loose.length > 0) {
        this.#note(
          [...entry.path, 'data_assets_processed'],
          `processed data assets ${loose.join(', ')}`,
          'Parapet derives processing from flows, and no flow of this element carries them',
        );
      }
    }
  }

  // --- Trust boundaries and shared runtimes ---------------------------------------------------------------

  #trustBoundary(entry: Entry): void {
    const { fields, path } = entry;
    if (this.#boundaryById.has(entry.threagileId)) {
      this.#note([...path, 'id'], `trust boundary id "${entry.threagileId}" used twice`, 'references go to the first');
    }
    const kind = this.#choice(fields, 'type', path, BOUNDARY_KINDS);
    const boundary: BoundaryInput = {
      id: this.#ids.keepOrAllocate(entry.threagileId, entry.title),
      name: stripTags(entry.title).slice(0, MAX.name) || entry.threagileId.slice(0, MAX.name),
      kind: kind ?? 'network',
      origin: this.#origin(path, entry.threagileId),
    };
    const description = this.#text(fields, 'description', path, MAX.text);
    if (description !== undefined) boundary.description = description;
    const tags = this.#tags(fields, path);
    if (tags) boundary.tags = tags;
    this.#leftovers(fields, path, BOUNDARY_FIELDS, 'trust boundary');
    this.#boundaries.push(boundary);
    if (!this.#boundaryById.has(entry.threagileId)) this.#boundaryById.set(entry.threagileId, boundary);
  }

  /**
   * Nesting (`trust_boundaries_nested` sets the parent) and membership (`technical_assets_inside` sets an
   * element's boundary). A boundary nested in two, an element inside two unrelated boundaries and nesting
   * cycles are noted: the first wins, the innermost for an element inside nested boundaries.
   */
  #placeElements(entries: readonly Entry[]): void {
    const nestedPath = new Map<BoundaryInput, Path>();
    const nestedOrder = new Map<BoundaryInput, number>();
    for (const entry of entries) {
      const parent = this.#boundaryById.get(entry.threagileId);
      if (!parent) continue;
      for (const name of this.#texts(entry.fields, 'trust_boundaries_nested', entry.path)) {
        const child = this.#boundaryById.get(name);
        const at = [...entry.path, 'trust_boundaries_nested'];
        if (!child || child === parent) {
          this.#note(
            at,
            `nested trust boundary "${name}"`,
            child ? 'a boundary cannot nest in itself' : 'no trust boundary has this id',
          );
        } else if (child.parent !== undefined && child.parent !== parent.id) {
          this.#note(at, `nested trust boundary "${name}"`, `already nested in ${child.parent}; kept there`);
        } else {
          child.parent = parent.id;
          nestedPath.set(child, at);
          nestedOrder.set(child, nestedOrder.size);
        }
      }
    }
    this.#breakCycles(nestedPath, nestedOrder);
    for (const entry of entries) {
      const boundary = this.#boundaryById.get(entry.threagileId);
      if (!boundary) continue;
      for (const name of this.#texts(entry.fields, 'technical_assets_inside', entry.path)) {
        this.#place(name, boundary, [...entry.path, 'technical_assets_inside']);
      }
    }
  }

  /** Puts an element in a boundary, keeping the innermost of nested ones; an unrelated second boundary is noted. */
  #place(name: string, boundary: BoundaryInput, at: Path): void {
    const element = this.#elementById.get(name);
    if (!element) {
      this.#note(at, `technical asset "${name}"`, 'no technical asset has this id; left out');
      return;
    }
    const current = element.boundary;
    if (current === undefined || this.#isInside(boundary.id, current)) {
      element.boundary = boundary.id;
    } else if (!this.#isInside(current, boundary.id)) {
      this.#note(
        at,
        `technical asset "${name}" in trust boundary ${boundary.id}`,
        `also inside ${current}, which is not nested with it, and an element has one boundary: kept ${current}`,
      );
    }
  }

  /** Whether boundary `inner` is `outer` or nested (at any depth) in it. */
  #isInside(inner: string, outer: string): boolean {
    const byId = this.#boundaryIndex();
    let current: string | undefined = inner;
    for (let steps = 0; current !== undefined && steps <= this.#boundaries.length; steps++) {
      if (current === outer) return true;
      current = byId.get(current)?.parent;
    }
    return false;
  }

  #boundaryIndexCache: Map<string, BoundaryInput> | undefined;
  #boundaryIndex(): Map<string, BoundaryInput> {
    return (this.#boundaryIndexCache ??= new Map(this.#boundaries.map((b) => [b.id, b])));
  }

  /**
   * Removes the nesting written last in each nesting cycle (a in b in a), noting it. Linear: each boundary is
   * walked once.
   */
  #breakCycles(nestedPath: ReadonlyMap<BoundaryInput, Path>, nestedOrder: ReadonlyMap<BoundaryInput, number>): void {
    const byId = this.#boundaryIndex();
    const state = new Map<string, 'visiting' | 'done'>();
    for (const start of this.#boundaries) {
      const chain: BoundaryInput[] = [];
      let current: BoundaryInput | undefined = start;
      while (current && !state.has(current.id)) {
        state.set(current.id, 'visiting');
        chain.push(current);
        current = current.parent === undefined ? undefined : byId.get(current.parent);
      }
      if (current && state.get(current.id) === 'visiting') {
        const cycle = chain.slice(chain.indexOf(current));
        const cut = cycle.reduce((latest, b) =>
          (nestedOrder.get(b) ?? -1) > (nestedOrder.get(latest) ?? -1) ? b : latest,
        );
        this.#note(
          nestedPath.get(cut) ?? ['trust_boundaries'],
          `trust boundary ${cut.id} nested in ${cut.parent ?? ''}`,
          'nesting cycle: this nesting is left out',
        );
        delete cut.parent;
      }
      for (const boundary of chain) state.set(boundary.id, 'done');
    }
  }

  /**
   * A shared runtime becomes a boundary of kind host around the assets it runs, inside their trust boundary,
   * when they all sit in the same trust boundary (or none) and in no other runtime: an element has one
   * boundary, and its trust boundary decides its trust. Otherwise the runtime is noted with the conflict.
   */
  #sharedRuntimes(entries: readonly Entry[]): void {
    const inRuntime = new Map<string, string>();
    for (const entry of entries) {
      const { fields, path } = entry;
      const members: ElementInput[] = [];
      for (const name of this.#texts(fields, 'technical_assets_running', path)) {
        const element = this.#elementById.get(name);
        if (element) members.push(element);
        else
          this.#note(
            [...path, 'technical_assets_running'],
            `technical asset "${name}"`,
            'no technical asset has this id; left out',
          );
      }
      const zones = [...new Set(members.map((element) => element.boundary ?? '(none)'))];
      const taken = members.filter((element) => inRuntime.has(element.id)).map((element) => element.id);
      if (zones.length > 1 || taken.length > 0 || this.#boundaryById.has(entry.threagileId)) {
        const conflict =
          zones.length > 1
            ? `its assets sit in different trust boundaries (${zones.join(', ')})`
            : taken.length > 0
              ? `${taken.join(', ')} already run in another shared runtime`
              : 'a trust boundary has the same id';
        this.#note(
          path,
          `shared runtime "${entry.title}" running ${members.map((m) => m.id).join(', ')}`,
          `not a boundary: ${conflict}, and an element has one boundary; the trust boundaries are kept`,
        );
        continue;
      }
      const boundary: BoundaryInput = {
        id: this.#ids.keepOrAllocate(entry.threagileId, entry.title),
        name: stripTags(entry.title).slice(0, MAX.name) || entry.threagileId.slice(0, MAX.name),
        kind: 'host',
        origin: this.#origin(path, entry.threagileId),
      };
      const description = this.#text(fields, 'description', path, MAX.text);
      if (description !== undefined) boundary.description = description;
      const zone = members[0]?.boundary;
      if (zone !== undefined) boundary.parent = zone;
      const tags = this.#tags(fields, path);
      if (tags) boundary.tags = tags;
      this.#leftovers(fields, path, RUNTIME_FIELDS, 'shared runtime');
      this.#boundaries.push(boundary);
      this.#boundaryIndexCache?.set(boundary.id, boundary);
      this.#boundaryById.set(entry.threagileId, boundary);
      for (const element of members) {
        element.boundary = boundary.id;
        inRuntime.set(element.id, boundary.id);
      }
    }
  }

  // --- Communication links --------------------------------------------------------------------------------

  #communicationLinks(entry: Entry): void {
    const source = this.#elementById.get(entry.threagileId);
    const value = get(entry.fields, 'communication_links');
    if (!source || isEmpty(value)) return;
    const links = asFields(value);
    if (!links) {
      this.#note(
        [...entry.path, 'communication_links'],
        `communication_links (${describe(value)})`,
        'expected a mapping of titles to links; left out',
      );
      return;
    }
    for (const link of this.#mapEntries(links, [...entry.path, 'communication_links'])) {
      this.#flow(entry.threagileId, source, link);
    }
  }

  /** A communication link as a flow from its asset to its target. */
  #flow(sourceId: string, source: ElementInput, link: Entry): void {
    const { fields, path, title } = link;
    const threagileId = linkId(sourceId, title);
    const targetName = this.#text(fields, 'target', path, MAX.link);
    const target = targetName === undefined ? undefined : this.#elementById.get(targetName);
    if (!target || target === source) {
      const reason = !targetName
        ? 'it names no target'
        : target
          ? 'it goes from an asset to itself'
          : `no technical asset has the id "${targetName}"`;
      this.#note(path, `communication link "${title}"`, `${reason}; left out`);
      return;
    }
    const flow: FlowInput = {
      id: this.#ids.allocate(`${sourceId} ${title}`, 'flow'),
      from: source.id,
      to: target.id,
      origin: this.#origin(path, threagileId),
    };
    const name = stripTags(title).slice(0, MAX.name);
    if (name !== '') flow.name = name;
    const description = this.#text(fields, 'description', path, MAX.text);
    if (description !== undefined) flow.description = description;
    this.#protocol(flow, fields, path);
    const authentication = this.#choice(fields, 'authentication', path, AUTHENTICATIONS);
    if (authentication !== undefined) flow.authentication = authentication;
    if (get(fields, 'authentication') === 'externalized') {
      this.#note(
        [...path, 'authentication'],
        'authentication "externalized"',
        'read as other: Parapet has no value for authentication done elsewhere',
      );
    }
    const authorization = this.#choice(fields, 'authorization', path, AUTHORIZATIONS);
    if (authorization !== undefined) flow.authorization = authorization;
    const data = [
      ...this.#assetIds(fields, 'data_assets_sent', path),
      ...this.#assetIds(fields, 'data_assets_received', path),
    ];
    if (data.length > 0) flow.data = [...new Set(data)];
    const tags = this.#tags(fields, path);
    if (tags) flow.tags = tags;
    this.#leftovers(fields, path, LINK_FIELDS, 'communication link');
    this.#flows.push(flow);
    const imported: ImportedLink = { threagileId, source: sourceId, target: targetName ?? '', flow };
    this.#links.push(imported);
    if (!this.#linkById.has(threagileId)) this.#linkById.set(threagileId, imported);
  }

  /** Protocol and encryption from Threagile's protocol, `vpn` where the protocol itself is in clear. */
  #protocol(flow: FlowInput, fields: Fields, path: Path): void {
    const reading = this.#choice(fields, 'protocol', path, PROTOCOLS);
    const vpn = this.#flag(fields, 'vpn', path);
    if (reading) {
      if (reading.protocol !== undefined) flow.protocol = reading.protocol;
      if (reading.protocol === 'other') {
        this.#note(
          [...path, 'protocol'],
          `protocol ${describe(get(fields, 'protocol'))}`,
          'Parapet has no such protocol: read as other',
        );
      }
      if (reading.protocol !== undefined) flow.encryption = reading.encryption;
    }
    if (vpn) {
      if (flow.encryption === undefined || flow.encryption === 'none') flow.encryption = 'vpn';
      else
        this.#note(
          [...path, 'vpn'],
          'vpn true',
          `the flow is encrypted (${flow.encryption}) and Parapet states one encryption: the VPN is left out`,
        );
    }
  }

  // --- Individual risks -----------------------------------------------------------------------------------

  /**
   * An individual risk category: each identified risk becomes a manual threat on the most specific item it
   * names (link, technical asset, trust boundary, shared runtime); the category's mitigation text becomes a
   * proposed mitigation of those threats.
   */
  #riskCategory(entry: Entry): void {
    const { fields, path } = entry;
    this.#individualCategories.add(entry.threagileId);
    const stride = get(fields, 'stride');
    const category =
      typeof stride === 'string' && STRIDE_CATEGORIES.has(stride) ? (stride as ThreatInput['category']) : undefined;
    const risks = asFields(get(fields, 'risks_identified'));
    if (!category) {
      this.#note(
        [...path, 'stride'],
        `risk category "${entry.title}" with stride ${describe(stride)}`,
        'a threat needs a STRIDE category: its risks are left out',
      );
      return;
    }
    const threats: ThreatInput[] = [];
    for (const risk of risks ? this.#mapEntries(risks, [...path, 'risks_identified']) : []) {
      const threat = this.#threat(entry, risk, category);
      if (threat) threats.push(threat);
    }
    if (!risks && !isEmpty(get(fields, 'risks_identified'))) {
      this.#note(
        [...path, 'risks_identified'],
        `risks_identified (${describe(get(fields, 'risks_identified'))})`,
        'expected a mapping of risks; left out',
      );
    }
    const mitigationText = this.#text(fields, 'mitigation', path, MAX.text);
    const action = this.#text(fields, 'action', path, MAX.name);
    if (mitigationText !== undefined && threats.length > 0) {
      const mitigation: MitigationInput = {
        id: this.#ids.allocate(`${entry.threagileId} mitigation`, 'mitigation'),
        title: action ?? `Mitigate ${stripTags(entry.title)}`.slice(0, MAX.name),
        description: mitigationText,
        status: 'proposed',
        appliesTo: [...new Set(threats.map((threat) => threat.target))],
        reduces: threats.map((threat) => threat.id),
        origin: this.#origin([...path, 'mitigation'], entry.threagileId),
      };
      this.#mitigations.push(mitigation);
      for (const threat of threats) threat.mitigations = [mitigation.id];
    } else if (action !== undefined) {
      this.#note([...path, 'action'], `action "${action}"`, 'no mitigation text or no threat to attach it to');
    }
    if (threats.length === 0) {
      this.#note(
        path,
        `risk category "${entry.title}"`,
        'none of its risks names an imported item: no threat to describe',
      );
    }
    this.#leftovers(fields, path, CATEGORY_FIELDS, 'risk category');
  }

  /** One identified risk as a manual threat, or undefined (noted) when it names nothing imported. */
  #threat(category: Entry, risk: Entry, stride: ThreatInput['category']): ThreatInput | undefined {
    const { fields, path } = risk;
    const named = (key: string): string | undefined => this.#text(fields, key, path, MAX.link);
    const link = named('most_relevant_communication_link');
    const asset = named('most_relevant_technical_asset');
    const trust = named('most_relevant_trust_boundary');
    const runtime = named('most_relevant_shared_runtime');
    const data = named('most_relevant_data_asset');
    const riskId = [category.threagileId, asset, link, trust, runtime, data]
      .filter((part) => part !== undefined)
      .join('@');
    const target =
      (link !== undefined ? this.#linkById.get(link)?.flow.id : undefined) ??
      (asset !== undefined ? this.#elementById.get(asset)?.id : undefined) ??
      (trust !== undefined ? this.#boundaryById.get(trust)?.id : undefined) ??
      (runtime !== undefined ? this.#boundaryById.get(runtime)?.id : undefined);
    if (target === undefined) {
      this.#note(
        path,
        `risk "${stripTags(risk.title)}"`,
        'it names no imported link, technical asset, trust boundary or shared runtime: a threat needs a target',
      );
      return undefined;
    }
    const threat: ThreatInput = {
      id: this.#ids.allocate(`${category.threagileId} ${asset ?? link ?? trust ?? runtime ?? ''}`, 'threat'),
      title: (stripTags(risk.title) || stripTags(category.title)).slice(0, MAX.name) || category.threagileId,
      category: stride,
      target,
      origin: this.#origin(path, riskId),
    };
    const description = this.#text(category.fields, 'description', category.path, MAX.text);
    if (description !== undefined) threat.description = description;
    if (data !== undefined) {
      const dataAsset = this.#assetById.get(data);
      if (dataAsset) threat.assets = [dataAsset.id];
      else
        this.#note(
          [...path, 'most_relevant_data_asset'],
          `data asset "${data}"`,
          'no data asset has this id; left out',
        );
    }
    const likelihood = this.#choice(fields, 'exploitation_likelihood', path, LIKELIHOODS);
    if (likelihood !== undefined) threat.likelihood = likelihood;
    const impact = this.#choice(fields, 'exploitation_impact', path, IMPACTS);
    if (impact !== undefined) threat.impact = impact;
    const references = this.#references(category);
    if (references) threat.references = references;
    this.#leftovers(fields, path, RISK_FIELDS, 'identified risk');
    this.#threats.push(threat);
    this.#individualRisks.push({ category: category.threagileId, riskId, threatId: threat.id });
    return threat;
  }

  /** CWE, ASVS (when it is a requirement id) and the cheat sheet link of a risk category. */
  #references(category: Entry): ThreatInput['references'] {
    const { fields, path } = category;
    const references: NonNullable<ThreatInput['references']> = {};
    const cwe = get(fields, 'cwe');
    if (typeof cwe === 'number' && Number.isInteger(cwe) && cwe > 0) references.cwe = [`CWE-${cwe}`];
    else if (!isEmpty(cwe)) this.#note([...path, 'cwe'], `cwe ${describe(cwe)}`, 'not a CWE number; left out');
    const asvs = this.#text(fields, 'asvs', path, MAX.link);
    if (asvs !== undefined && ASVS.test(asvs)) references.asvs = [asvs];
    else if (asvs !== undefined) {
      this.#note([...path, 'asvs'], `asvs "${asvs}"`, 'not an ASVS requirement id (like V6.2.1); left out');
    }
    const cheatSheet = this.#text(fields, 'cheat_sheet', path, MAX.link);
    if (cheatSheet !== undefined) references.links = [cheatSheet];
    return Object.keys(references).length > 0 ? references : undefined;
  }

  // --- Risk tracking --------------------------------------------------------------------------------------

  /**
   * Risk tracking entries as decisions on the Parapet threats their risk ids translate to (riskTracking.ts):
   * precise ids first, then wildcards, as Threagile applies them; a threat decided once keeps its first
   * decision. Ids that translate to nothing are noted, never written as decisions that could only be stale.
   */
  #riskTracking(root: Fields): void {
    const value = get(root, 'risk_tracking');
    if (isEmpty(value)) return;
    const tracking = asFields(value);
    if (!tracking) {
      this.#note(['risk_tracking'], `risk_tracking (${describe(value)})`, 'expected a mapping of risk ids; left out');
      return;
    }
    const context = this.#riskContext();
    const keys = Object.keys(tracking);
    const ordered = [...keys.filter((key) => !key.includes('*')), ...keys.filter((key) => key.includes('*'))];
    const decided = new Set<string>();
    for (const riskId of ordered) {
      const path = ['risk_tracking', riskId];
      const fields = this.#merged(get(tracking, riskId), path);
      if (!fields) {
        this.#note(
          path,
          `risk tracking of "${riskId}" (${describe(get(tracking, riskId))})`,
          'expected a mapping; left out',
        );
        continue;
      }
      const status = this.#choice(fields, 'status', path, RISK_STATUSES);
      if (!status) {
        this.#note(path, `risk tracking of "${riskId}"`, 'it has no valid status; left out');
        continue;
      }
      const translation = translateRiskId(riskId.trim(), context);
      if (!translation.ok) {
        this.#note(
          path,
          `risk tracking of "${riskId}" (${String(get(fields, 'status'))})`,
          `no decision: ${translation.reason}`,
        );
        continue;
      }
      if (translation.pending) {
        this.#note(
          path,
          `risk tracking of "${riskId}"`,
          `decided on ${translation.threats.join(', ')}, which Parapet does not find in the imported model yet: the decision applies once the model states what makes it arise`,
        );
      }
      if (status.approximate) {
        this.#note(
          [...path, 'status'],
          `status "${String(get(fields, 'status'))}"`,
          'Parapet has no such status: the decision is open',
        );
      }
      const fresh = translation.threats.filter((threat) => !decided.has(threat));
      if (fresh.length < translation.threats.length) {
        this.#note(
          path,
          `risk tracking of "${riskId}"`,
          `${translation.threats.length - fresh.length} of its threats already have a decision from an earlier entry; kept that one`,
        );
      }
      for (const threat of fresh) {
        decided.add(threat);
        this.#decisions.push(this.#decision(threat, status.status, fields, path));
      }
      this.#leftovers(fields, path, TRACKING_FIELDS, 'risk tracking entry');
    }
  }

  #decision(threat: string, status: DecisionInput['status'], fields: Fields, path: Path): DecisionInput {
    const decision: DecisionInput = { threat, status };
    const justification = this.#text(fields, 'justification', path, MAX.text);
    if (justification !== undefined) decision.justification = justification;
    const ticket = this.#text(fields, 'ticket', path, MAX.ticket);
    if (ticket !== undefined) decision.ticket = ticket;
    const owner = this.#text(fields, 'checked_by', path, MAX.short);
    if (owner !== undefined) decision.owner = owner;
    const date = get(fields, 'date');
    if (typeof date === 'string' && DATE.test(date)) decision.decided = date;
    else if (!isEmpty(date))
      this.#note([...path, 'date'], `date ${describe(date)}`, 'not a date written YYYY-MM-DD; left out');
    return decision;
  }

  /** What risk id translation needs, with the analysis of the imported model run once, when first asked. */
  #riskContext(): RiskIdContext {
    let known: ReadonlySet<string> | undefined | null = null;
    const knownThreats = (): ReadonlySet<string> | undefined => {
      if (known === null) known = this.#analyzeThreats();
      return known;
    };
    return {
      elements: this.#elementById,
      links: this.#links,
      linkById: this.#linkById,
      boundaries: this.#boundaryById,
      individualCategories: this.#individualCategories,
      individualRisks: this.#individualRisks,
      knownThreats,
    };
  }

  /** The ids of the threats Parapet finds (or rules out by a control) in the model imported so far. */
  #analyzeThreats(): ReadonlySet<string> | undefined {
    const parsed = threatModelSchema.safeParse(this.#model({ id: 'threagile-import', title: 'import' }, false));
    if (!parsed.success) return undefined;
    try {
      const analysis = analyze(parsed.data);
      return new Set([...analysis.threats.map((t) => t.id), ...analysis.suppressed.map((t) => t.id)]);
    } catch {
      // An analysis failure is Parapet's problem, not the file's: the wildcards are then noted, not expanded.
      return undefined;
    }
  }

  // --- Questions and the rest -----------------------------------------------------------------------------

  /** Questions with their answers; an empty answer ("") means unanswered. */
  #readQuestions(root: Fields): void {
    const value = get(root, 'questions');
    if (isEmpty(value)) return;
    const questions = asFields(value);
    if (!questions) {
      this.#note(
        ['questions'],
        `questions (${describe(value)})`,
        'expected a mapping of questions to answers; left out',
      );
      return;
    }
    for (const [text, answer] of Object.entries(questions)) {
      const path = ['questions', text];
      const question: QuestionInput = {
        id: this.#ids.allocate(text, 'question'),
        text: text.trim().slice(0, MAX.question) || 'question',
        status: 'open',
      };
      if (text.length > MAX.question)
        this.#note(path, `question of ${text.length} characters`, `Parapet takes at most ${MAX.question}: cut`);
      const answerText = this.#text({ answer }, 'answer', path, MAX.text);
      if (answerText !== undefined) {
        question.status = 'answered';
        question.answer = answerText;
      }
      this.#questions.push(question);
    }
  }

  /** Top-level keys the importer does not read: noted with the reason Parapet has no place for them. */
  #rootLeftovers(root: Fields): void {
    for (const [key, value] of Object.entries(root)) {
      if (ROOT_KEYS.has(key) || isEmpty(value)) continue;
      const reason =
        ROOT_UNMAPPED[key] ??
        (key.startsWith('diagram_tweak') ? 'a diagram layout hint' : 'not a Threagile field Parapet has a place for');
      this.#note([key], `${key} ${describe(value)}`, reason);
    }
  }
}
