import type {
  Analysis,
  AnalyzedThreat,
  Assumption,
  Decision,
  Level,
  Mitigation,
  Threat,
  ThreatModel,
} from '@parapet/core';
import type { ExportResult, Unmapped } from '../../ImportResult.js';
import { describeModel, type DiagramInfo } from './exportDescriptions.js';
import { UuidAllocator } from './stableUuid.js';
import {
  clip,
  FORMAT,
  GOAL_TAG_PREFIX,
  LETTER_OF_CATEGORY,
  LIMITS,
  PARAPET_ID_KEY,
  PARAPET_TITLE_KEY,
  WILL_NOT_ACTION_TAG,
} from './threatComposerFormat.js';
import { impactStandIn, renderStatement, sourceWithoutArticle, titleFromStatement } from './threatStatement.js';

/** One metadata entry of a Threat Composer item. */
interface TcMetadata {
  readonly key: string;
  readonly value: string | readonly string[];
}

/** The fields threats, mitigations and assumptions share. */
interface TcEntity {
  id: string;
  numericId: number;
  displayOrder: number;
  metadata?: TcMetadata[];
  tags?: string[];
}

/** The grammar fields and statement of a Threat Composer threat. */
interface TcStatement {
  threatSource?: string;
  prerequisites?: string;
  threatAction?: string;
  threatImpact?: string;
  impactedGoal?: string[];
  impactedAssets?: string[];
  statement?: string;
}

/** A Threat Composer threat. */
interface TcThreat extends TcEntity, TcStatement {
  status: string;
}

/** What one exported threat is made of, before it is written in Threat Composer's layout. */
interface ThreatParts {
  readonly parapetId: string;
  readonly index: number;
  /** Where the threat is in the model or the analysis, for notes. */
  readonly at: string;
  readonly category: Threat['category'];
  readonly status: Decision['status'];
  readonly comments?: string;
  readonly level?: Level;
  /** The Parapet title, when the statement does not give it back. */
  readonly title?: string;
  readonly tags: string[];
  readonly fields: TcStatement;
}

/** A Threat Composer mitigation or assumption. */
interface TcContentItem extends TcEntity {
  content: string;
  status?: string;
}

/** Threat Composer's `architecture` and `dataflow`. */
interface TcDiagram {
  description?: string;
  image?: string;
}

/** A Threat Composer file, schema 1. */
interface TcFile {
  schema: 1;
  applicationInfo: { name: string; description?: string };
  architecture?: TcDiagram;
  dataflow?: TcDiagram;
  assumptions: TcContentItem[];
  mitigations: TcContentItem[];
  assumptionLinks: { type: 'Threat' | 'Mitigation'; assumptionId: string; linkedId: string }[];
  mitigationLinks: { mitigationId: string; linkedId: string }[];
  threats: TcThreat[];
}

/** Options of exportThreatComposer. */
export interface ExportThreatComposerOptions {
  /** The model's analysis: when given, generated threats are exported too, and statuses are the analysed ones. */
  readonly analysis?: Analysis;
}

/** Threat Composer's threat status for each Parapet status; the ones it has no word for become resolved. */
const THREAT_STATUS_OF: Readonly<Record<Decision['status'], string>> = {
  open: 'threatIdentified',
  mitigated: 'threatResolved',
  'false-positive': 'threatResolvedNotUseful',
  accepted: 'threatResolved',
  transferred: 'threatResolved',
  avoided: 'threatResolved',
};

/** Threat Composer's mitigation status for each Parapet one (verified is noted: it has no such status). */
const MITIGATION_STATUS_OF: Readonly<Record<Mitigation['status'], string>> = {
  proposed: 'mitigationIdentified',
  planned: 'mitigationInProgress',
  implemented: 'mitigationResolved',
  verified: 'mitigationResolved',
};

/** Threat Composer's Priority for each level (the very- levels are noted). */
const PRIORITY_OF: Readonly<Record<Level, string>> = {
  'very-low': 'Low',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  'very-high': 'High',
};

/**
 * Writes a model as an AWS Threat Composer file (`.tc.json`, schema 1): the model information as the
 * application, architecture and data flow descriptions (the diagram listed as text), threats written by hand
 * (and, with the analysis, generated ones) with their statements, STRIDE letter, priority and status,
 * mitigations and assumptions with their links. Ids are UUIDs derived from Parapet ids (or the Threat Composer
 * ids an import kept), so the same model always gives the same file. Pure: no randomness, no clock.
 */
export function exportThreatComposer(model: ThreatModel, options: ExportThreatComposerOptions = {}): ExportResult {
  return new ThreatComposerExport(model, options.analysis).run();
}

/** One export: the ids handed out and the notes gathered while the sections are written. */
class ThreatComposerExport {
  readonly #model: ThreatModel;
  readonly #analysis: Analysis | undefined;
  readonly #unmapped: Unmapped[] = [];
  readonly #uuids = new UuidAllocator();
  /** Threat Composer ids of exported threats, mitigations and assumptions, by Parapet id. */
  readonly #threatIds = new Map<string, string>();
  readonly #mitigationIds = new Map<string, string>();
  readonly #assumptionIds = new Map<string, string>();
  readonly #analysed: ReadonlyMap<string, AnalyzedThreat>;
  readonly #decisions = new Map<string, Decision>();
  readonly #assetNames: ReadonlyMap<string, string>;
  /** Elements an import from Threat Composer made to stand for the application. */
  readonly #standIns: ReadonlySet<string>;
  /** Assets some exported threat names. */
  readonly #usedAssets = new Set<string>();

  constructor(model: ThreatModel, analysis: Analysis | undefined) {
    this.#model = model;
    this.#analysis = analysis;
    this.#analysed = new Map((analysis?.threats ?? []).map((threat) => [threat.id, threat]));
    for (const decision of model.decisions ?? []) {
      if (!this.#decisions.has(decision.threat)) this.#decisions.set(decision.threat, decision);
    }
    this.#assetNames = new Map((model.assets ?? []).map((asset) => [asset.id, asset.name]));
    this.#standIns = new Set(
      (model.elements ?? []).filter((element) => element.origin?.format === FORMAT).map((element) => element.id),
    );
  }

  /** Writes the file, its sections in the order Threat Composer writes them. */
  run(): ExportResult {
    const application = this.#applicationSections();
    const manual = this.#model.threats ?? [];
    const generated = (this.#analysis?.threats ?? [])
      .map((threat, position) => ({ threat, at: `analysis.threats[${position}]` }))
      .filter(({ threat }) => threat.ruleId !== null);
    this.#allocateIds(
      manual,
      generated.map(({ threat }) => threat),
    );
    const threats = [
      ...manual.map((threat, index) => this.#manualThreat(threat, index)),
      ...generated.map(({ threat, at }, index) => this.#generatedThreat(threat, manual.length + index, at)),
    ];
    if (generated.length > 0) {
      this.#note(
        'analysis.threats',
        `${generated.length} generated threats`,
        'written with their title as the statement and their description, reasons, ways to clear them and references in Comments; their target, likelihood and rating have no Threat Composer field',
      );
    }
    const assumptions = (this.#model.assumptions ?? []).map((item, index) => this.#assumption(item, index));
    const mitigations = (this.#model.mitigations ?? []).map((item, index) => this.#mitigation(item, index));
    const file: TcFile = {
      schema: 1,
      ...application,
      assumptions,
      mitigations,
      assumptionLinks: this.#assumptionLinks(),
      mitigationLinks: this.#mitigationLinks(),
      threats,
    };
    this.#noteDecisions();
    this.#noteAssets();
    this.#noteOtherSections();
    return { format: FORMAT, text: `${JSON.stringify(file, null, 2)}\n`, unmapped: this.#unmapped };
  }

  /**
   * Hands out the Threat Composer ids: the ones an import kept in `origin.ref` when they are UUIDs, the others
   * derived from the Parapet ids, before any item is written so that links can name items written later.
   */
  #allocateIds(manual: readonly Threat[], generated: readonly AnalyzedThreat[]): void {
    for (const threat of manual) {
      this.#threatIds.set(threat.id, this.#uuids.keepOrDerive(keptRef(threat), `threat:${threat.id}`));
    }
    for (const threat of generated) this.#threatIds.set(threat.id, this.#uuids.derive(`threat:${threat.id}`));
    for (const item of this.#model.mitigations ?? []) {
      this.#mitigationIds.set(item.id, this.#uuids.keepOrDerive(keptRef(item), `mitigation:${item.id}`));
    }
    for (const item of this.#model.assumptions ?? []) {
      this.#assumptionIds.set(item.id, this.#uuids.keepOrDerive(keptRef(item), `assumption:${item.id}`));
    }
  }

  /** Records something the model holds that Threat Composer cannot (`at` is a path in the model). */
  #note(at: string, what: string, reason: string): void {
    this.#unmapped.push({ at, what, reason });
  }

  /** A text cut to a Threat Composer limit, with a note when it had to be cut. */
  #fit(text: string, max: number, at: string, what: string): string {
    if (text.length <= max) return text;
    this.#note(at, `${what} (${text.length} characters)`, `Threat Composer allows ${max} characters: cut`);
    return clip(text, max);
  }

  /** The file's start: applicationInfo, architecture, dataflow; model information it cannot hold is noted. */
  #applicationSections(): Pick<TcFile, 'applicationInfo' | 'architecture' | 'dataflow'> {
    const info = this.#model.model;
    const descriptions = describeModel(this.#model, (at, what, reason) => this.#note(at, what, reason));
    const name = this.#fit(info.title, LIMITS.applicationName, 'model.title', 'title');
    const description =
      descriptions.application === undefined
        ? undefined
        : this.#fit(descriptions.application, LIMITS.description, 'model.description', 'description');
    const architecture = this.#diagram(descriptions.architecture, 'architecture');
    const dataflow = this.#diagram(descriptions.dataflow, 'dataflow');
    const unheld: [string, unknown][] = [
      ['version', info.version],
      ['updated', info.updated],
      ['owners', info.owners],
      ['riskAppetite', info.riskAppetite],
      ['settings', info.settings],
    ];
    for (const [key, value] of unheld) {
      if (value !== undefined) this.#note(`model.${key}`, `model ${key}`, 'Threat Composer has no field for it');
    }
    this.#note('model.id', `model id "${info.id}"`, 'Threat Composer files carry no model id');
    return {
      applicationInfo: { name, ...(description === undefined ? {} : { description }) },
      ...(architecture === undefined ? {} : { architecture }),
      ...(dataflow === undefined ? {} : { dataflow }),
    };
  }

  /** `architecture` or `dataflow`, when there is anything to say. */
  #diagram(diagram: DiagramInfo, key: string): TcDiagram | undefined {
    const description =
      diagram.description === undefined
        ? undefined
        : this.#fit(diagram.description, LIMITS.description, 'model.description', `${key} description`);
    if (description === undefined && diagram.image === undefined) return undefined;
    return {
      ...(description === undefined ? {} : { description }),
      ...(diagram.image === undefined ? {} : { image: diagram.image }),
    };
  }

  /**
   * A threat in Threat Composer's layout: ids, metadata (Comments, Priority, STRIDE, Parapet id and title), tags,
   * the grammar fields and statement, status. Built in this key order, which the written JSON keeps.
   */
  #writeThreat(parts: ThreatParts): TcThreat {
    const { at, category, status } = parts;
    const metadata: TcMetadata[] = [];
    if (parts.comments !== undefined) {
      metadata.push({ key: 'Comments', value: this.#fit(parts.comments, LIMITS.content, at, 'comments') });
    }
    if (parts.level !== undefined) metadata.push(this.#priority(parts.level, at));
    const letter = LETTER_OF_CATEGORY.get(category);
    if (letter === undefined) {
      this.#note(
        `${at}.category`,
        `category ${category}`,
        'a LINDDUN category: Threat Composer knows STRIDE letters only, so no STRIDE metadata is written',
      );
    } else {
      metadata.push({ key: 'STRIDE', value: [letter] });
    }
    metadata.push({ key: PARAPET_ID_KEY, value: parts.parapetId });
    if (parts.title !== undefined) metadata.push({ key: PARAPET_TITLE_KEY, value: parts.title });
    if (status === 'accepted' || status === 'transferred' || status === 'avoided') {
      this.#note(
        at,
        `status ${status}`,
        'Threat Composer threats are identified, resolved or resolved as not useful: written as threatResolved',
      );
    }
    return {
      id: this.#threatIds.get(parts.parapetId) ?? this.#uuids.derive(`threat:${parts.parapetId}`),
      numericId: parts.index + 1,
      displayOrder: parts.index + 1,
      metadata,
      ...(parts.tags.length > 0 ? { tags: parts.tags } : {}),
      ...parts.fields,
      status: THREAT_STATUS_OF[status],
    };
  }

  /** A threat written by hand, with its statement in the grammar fields when it has one. */
  #manualThreat(threat: Threat, index: number): TcThreat {
    const at = `threats[${index}]`;
    const analysed = this.#analysed.get(threat.id);
    const goals = (threat.tags ?? [])
      .filter((tag) => tag.startsWith(GOAL_TAG_PREFIX))
      .map((tag) => tag.slice(GOAL_TAG_PREFIX.length));
    const assets = (threat.assets ?? []).map((id) => {
      this.#usedAssets.add(id);
      return this.#fit(this.#assetNames.get(id) ?? id, LIMITS.field, `${at}.assets`, `asset name "${id}"`);
    });
    const statement = threat.statement;
    const fields: TcStatement = statement
      ? this.#statementFields(statement, goals, assets, at)
      : {
          ...(goals.length > 0 ? { impactedGoal: goals } : {}),
          ...(assets.length > 0 ? { impactedAssets: assets } : {}),
          statement: this.#fit(threat.title, LIMITS.statement, `${at}.title`, 'title'),
        };
    const level = threat.impact ?? analysed?.severity;
    this.#noteThreatFields(threat, at);
    return this.#writeThreat({
      parapetId: threat.id,
      index,
      at,
      category: threat.category,
      status: analysed?.status ?? this.#decisions.get(threat.id)?.status ?? 'open',
      ...(threat.description === undefined ? {} : { comments: threat.description }),
      ...(level === undefined ? {} : { level }),
      ...(statement && threat.title !== titleFromStatement(statement.source, statement.action)
        ? { title: threat.title }
        : {}),
      tags: this.#tags(
        threat.tags?.filter((tag) => !tag.startsWith(GOAL_TAG_PREFIX)),
        at,
      ),
      fields,
    });
  }

  /**
   * The grammar fields of a Parapet statement: the source without its article (Threat Composer adds it), the
   * impact left out when it only stands in for the goals and assets (as an import writes it), and the rendered
   * statement.
   */
  #statementFields(
    statement: NonNullable<Threat['statement']>,
    goals: string[],
    assets: string[],
    at: string,
  ): TcStatement {
    const field = (text: string, key: string): string =>
      this.#fit(text, LIMITS.field, `${at}.statement.${key}`, `statement ${key}`);
    const threatSource = field(sourceWithoutArticle(statement.source), 'source');
    const prerequisites = statement.prerequisites ? field(statement.prerequisites, 'prerequisites') : undefined;
    const threatAction = field(statement.action, 'action');
    const threatImpact =
      statement.impact === impactStandIn(goals, assets) ? undefined : field(statement.impact, 'impact');
    const rendered = renderStatement({
      threatSource,
      ...(prerequisites === undefined ? {} : { prerequisites }),
      threatAction,
      ...(threatImpact === undefined ? {} : { threatImpact }),
      impactedGoal: goals,
      impactedAssets: assets,
    });
    return {
      threatSource,
      ...(prerequisites === undefined ? {} : { prerequisites }),
      threatAction,
      ...(threatImpact === undefined ? {} : { threatImpact }),
      ...(goals.length > 0 ? { impactedGoal: goals } : {}),
      ...(assets.length > 0 ? { impactedAssets: assets } : {}),
      statement: this.#fit(rendered, LIMITS.statement, at, 'statement'),
    };
  }

  /** A generated threat: its title as the statement, the reasons and ways to clear it in Comments. */
  #generatedThreat(threat: AnalyzedThreat, index: number, at: string): TcThreat {
    const assets = threat.assets.map((id) =>
      this.#fit(this.#assetNames.get(id) ?? id, LIMITS.field, at, `asset name "${id}"`),
    );
    return this.#writeThreat({
      parapetId: threat.id,
      index,
      at,
      category: threat.category,
      status: threat.status,
      comments: generatedComments(threat),
      level: threat.severity,
      tags: [],
      fields: {
        ...(assets.length > 0 ? { impactedAssets: assets } : {}),
        statement: this.#fit(threat.title, LIMITS.statement, at, 'title'),
      },
    });
  }

  /** The Priority entry for a level (very-low and very-high have no Priority of their own and are noted). */
  #priority(level: Level, at: string): TcMetadata {
    const priority = PRIORITY_OF[level];
    if (level === 'very-low' || level === 'very-high') {
      this.#note(at, `level ${level}`, `Threat Composer priorities are High, Medium and Low: written as ${priority}`);
    }
    return { key: 'Priority', value: priority };
  }

  /** Tags Threat Composer accepts (at most 30 characters); longer ones are noted and left out. */
  #tags(tags: readonly string[] | undefined, at: string): string[] {
    return (tags ?? []).filter((tag) => {
      if (tag.length <= LIMITS.tag) return true;
      this.#note(`${at}.tags`, `tag "${tag}"`, `Threat Composer tags are at most ${LIMITS.tag} characters: left out`);
      return false;
    });
  }

  /** Notes the fields of a threat written by hand that Threat Composer has no place for. */
  #noteThreatFields(threat: Threat, at: string): void {
    const fields = [
      this.#standIns.has(threat.target) ? undefined : `target "${threat.target}"`,
      threat.likelihood === undefined ? undefined : `likelihood ${threat.likelihood}`,
      threat.actors?.length ? `actors ${threat.actors.join(', ')}` : undefined,
      threat.references === undefined ? undefined : 'references',
    ].filter((field): field is string => field !== undefined);
    if (fields.length > 0) {
      this.#note(
        at,
        `${fields.join(', ')} of threat ${threat.id}`,
        'Threat Composer threats are about the whole application and have no such fields',
      );
    }
  }

  /** A mitigation: title as content, description as Comments, status. */
  #mitigation(mitigation: Mitigation, index: number): TcContentItem {
    const at = `mitigations[${index}]`;
    const willNotAction = mitigation.tags?.includes(WILL_NOT_ACTION_TAG) === true && mitigation.status === 'proposed';
    const metadata: TcMetadata[] = [];
    if (mitigation.description !== undefined) {
      metadata.push({
        key: 'Comments',
        value: this.#fit(mitigation.description, LIMITS.content, `${at}.description`, 'description'),
      });
    }
    metadata.push({ key: PARAPET_ID_KEY, value: mitigation.id });
    const tags = this.#tags(
      mitigation.tags?.filter((tag) => !(willNotAction && tag === WILL_NOT_ACTION_TAG)),
      at,
    );
    const result: TcContentItem = {
      id: this.#mitigationIds.get(mitigation.id) ?? this.#uuids.derive(`mitigation:${mitigation.id}`),
      numericId: index + 1,
      displayOrder: index + 1,
      metadata,
      ...(tags.length > 0 ? { tags } : {}),
      content: this.#fit(mitigation.title, LIMITS.content, `${at}.title`, 'title'),
      status: willNotAction ? 'mitigationResolvedWillNotAction' : MITIGATION_STATUS_OF[mitigation.status],
    };
    if (mitigation.status === 'verified') {
      this.#note(
        `${at}.status`,
        'status verified',
        'Threat Composer has no verified status: written as mitigationResolved',
      );
    }
    const fields = ['appliesTo', 'cost', 'owner', 'ticket', 'due', 'references'].filter(
      (key) => mitigation[key as keyof Mitigation] !== undefined,
    );
    if (fields.length > 0)
      this.#note(
        at,
        `${fields.join(', ')} of mitigation ${mitigation.id}`,
        'Threat Composer mitigations have no such fields',
      );
    return result;
  }

  /** An assumption: text as content, notes as Comments. */
  #assumption(assumption: Assumption, index: number): TcContentItem {
    const at = `assumptions[${index}]`;
    const metadata: TcMetadata[] = [];
    if (assumption.notes !== undefined) {
      metadata.push({ key: 'Comments', value: this.#fit(assumption.notes, LIMITS.content, `${at}.notes`, 'notes') });
    }
    metadata.push({ key: PARAPET_ID_KEY, value: assumption.id });
    const tags = this.#tags(assumption.tags, at);
    const result: TcContentItem = {
      id: this.#assumptionIds.get(assumption.id) ?? this.#uuids.derive(`assumption:${assumption.id}`),
      numericId: index + 1,
      displayOrder: index + 1,
      metadata,
      ...(tags.length > 0 ? { tags } : {}),
      content: this.#fit(assumption.text, LIMITS.content, `${at}.text`, 'text'),
    };
    const fields = [
      assumption.about?.length ? `about ${assumption.about.join(', ')}` : undefined,
      assumption.status === 'unverified' ? undefined : `status ${assumption.status}`,
      assumption.owner === undefined ? undefined : `owner`,
    ].filter((field): field is string => field !== undefined);
    if (fields.length > 0)
      this.#note(
        at,
        `${fields.join(', ')} of assumption ${assumption.id}`,
        'Threat Composer assumptions have no such fields',
      );
    return result;
  }

  /**
   * Links between mitigations and threats: from threats' `mitigations`, mitigations' `reduces` and, with the
   * analysis, the mitigations the analysis found for each threat (rule ids included). Each pair once.
   */
  #mitigationLinks(): TcFile['mitigationLinks'] {
    const links: TcFile['mitigationLinks'] = [];
    const seen = new Set<string>();
    const link = (mitigation: string, threat: string): void => {
      const mitigationId = this.#mitigationIds.get(mitigation);
      const linkedId = this.#threatIds.get(threat);
      if (mitigationId === undefined || linkedId === undefined || seen.has(`${mitigationId} ${linkedId}`)) return;
      seen.add(`${mitigationId} ${linkedId}`);
      links.push({ mitigationId, linkedId });
    };
    for (const threat of this.#model.threats ?? [])
      for (const mitigation of threat.mitigations ?? []) link(mitigation, threat.id);
    const ruleIds = new Set((this.#analysis?.threats ?? []).map((threat) => threat.ruleId));
    (this.#model.mitigations ?? []).forEach((mitigation, index) => {
      (mitigation.reduces ?? []).forEach((name, position) => {
        if (this.#threatIds.has(name)) link(mitigation.id, name);
        else if (!ruleIds.has(name)) {
          this.#note(
            `mitigations[${index}].reduces[${position}]`,
            `reduces "${name}"`,
            this.#analysis === undefined
              ? 'a generated threat or rule: export with the analysis to link the threats it generates'
              : 'names no threat the analysis found: no link written',
          );
        }
      });
    });
    for (const threat of this.#analysis?.threats ?? []) {
      for (const reference of threat.mitigations) if (reference.source === 'model') link(reference.id, threat.id);
    }
    return links;
  }

  /**
   * Links from assumptions to the threats they exclude. In Threat Composer a link only relates the two (it does
   * not rule the threat out), so each is noted; exclusions of rules or of threats not exported are noted too.
   */
  #assumptionLinks(): TcFile['assumptionLinks'] {
    const links: TcFile['assumptionLinks'] = [];
    (this.#model.assumptions ?? []).forEach((assumption, index) => {
      const assumptionId = this.#assumptionIds.get(assumption.id);
      (assumption.excludes ?? []).forEach((name, position) => {
        const at = `assumptions[${index}].excludes[${position}]`;
        const linkedId = this.#threatIds.get(name);
        if (assumptionId !== undefined && linkedId !== undefined) {
          links.push({ type: 'Threat', assumptionId, linkedId });
          this.#note(
            at,
            `excludes "${name}"`,
            'written as a link between the assumption and the threat: Threat Composer links do not rule threats out',
          );
        } else {
          this.#note(
            at,
            `excludes "${name}"`,
            'a rule, or a threat not in the file (excluded threats are not in the analysis): Threat Composer has nothing to link it to',
          );
        }
      });
    });
    return links;
  }

  /** Notes decisions on threats not in the file, and what a decision holds besides its status. */
  #noteDecisions(): void {
    (this.#model.decisions ?? []).forEach((decision, index) => {
      const at = `decisions[${index}]`;
      if (!this.#threatIds.has(decision.threat)) {
        this.#note(
          at,
          `decision ${decision.status} on "${decision.threat}"`,
          'the threat is not in the file (a generated threat needs the analysis, and a suppressed one is not exported)',
        );
        return;
      }
      const fields = ['justification', 'owner', 'ticket', 'decided', 'expires', 'mitigations'].filter(
        (key) => decision[key as keyof Decision] !== undefined,
      );
      if (fields.length > 0) {
        this.#note(
          at,
          `${fields.join(', ')} of the decision on ${decision.threat}`,
          'Threat Composer records a threat status only',
        );
      }
    });
  }

  /** Notes assets no exported threat names, and the details of the others that Threat Composer cannot hold. */
  #noteAssets(): void {
    for (const threat of this.#analysis?.threats ?? []) {
      if (threat.ruleId !== null) for (const id of threat.assets) this.#usedAssets.add(id);
    }
    (this.#model.assets ?? []).forEach((asset, index) => {
      const details = [
        'description',
        'classification',
        'personal',
        'needs',
        'quantity',
        'value',
        'regulations',
        'owner',
        'tags',
      ].filter((key) => asset[key as keyof typeof asset] !== undefined);
      if (asset.kind !== 'data' && asset.origin?.format !== FORMAT) details.unshift('kind');
      if (!this.#usedAssets.has(asset.id)) {
        this.#note(
          `assets[${index}]`,
          `asset ${asset.id}`,
          'no exported threat names it, and Threat Composer keeps assets only as impacted assets of threats',
        );
      } else if (details.length > 0) {
        this.#note(
          `assets[${index}]`,
          `${details.join(', ')} of asset ${asset.id}`,
          'Threat Composer keeps an impacted asset as a name only',
        );
      }
    });
  }

  /** Notes the sections Threat Composer has nothing for. */
  #noteOtherSections(): void {
    const sections: [string, readonly unknown[] | undefined][] = [
      ['actors', this.#model.actors],
      ['questions', this.#model.questions],
      ['sessions', this.#model.sessions],
      ['attackTrees', this.#model.attackTrees],
      ['rules', this.#model.rules],
      ['views', this.#model.views],
    ];
    for (const [name, items] of sections) {
      if (items && items.length > 0) this.#note(name, `${items.length} ${name}`, 'Threat Composer has no such section');
    }
  }
}

/** The Threat Composer id an import kept in `origin.ref`, when the item came from Threat Composer. */
function keptRef(item: {
  readonly origin?: { readonly format: string; readonly ref?: string | undefined } | undefined;
}): string | undefined {
  return item.origin?.format === FORMAT ? item.origin.ref : undefined;
}

/** The Comments of a generated threat: description, why it arises, what clears it, references. */
function generatedComments(threat: AnalyzedThreat): string {
  const parts = [threat.description];
  if (threat.why.length > 0) parts.push(['Why:', ...threat.why.map((fact) => `- ${fact.text}`)].join('\n'));
  if (threat.clearsWhen.length > 0)
    parts.push(['Clears when (any one):', ...threat.clearsWhen.map((change) => `- ${change}`)].join('\n'));
  const references = [
    ...(threat.references.cwe ?? []),
    ...(threat.references.capec ?? []),
    ...(threat.references.attack ?? []),
    ...(threat.references.asvs ?? []),
    ...(threat.references.links ?? []),
  ];
  if (references.length > 0) parts.push(`References: ${references.join(', ')}`);
  parts.push(`Parapet rule ${threat.ruleId ?? ''}, threat ${threat.id}.`);
  return parts.filter((part) => part !== '').join('\n\n');
}
