import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import type { Level } from '../schema/common.js';
import type { Decision } from '../schema/Decision.js';
import type { MITIGATION_STATUSES } from '../schema/Mitigation.js';
import type { Rule } from '../schema/Rule.js';
import type { ThreatCategory, Threat } from '../schema/Threat.js';

/** What a threat is about. */
export interface ThreatTarget {
  readonly section: 'elements' | 'flows' | 'assets' | 'actors' | 'boundaries';
  readonly id: string;
  readonly name: string;
  /** For flows: the elements at either end. */
  readonly from?: string;
  readonly to?: string;
}

/** One fact that made a rule fire: in words, the condition, and the values it read. */
export interface WhyFact {
  readonly text: string;
  readonly expression?: string;
  readonly facts: Readonly<Record<string, unknown>>;
}

/** A recommended mitigation (from the catalog) or one the model links to the threat. */
export interface Reference {
  readonly id: string;
  readonly title: string;
  readonly asvs: readonly string[];
  readonly source: 'catalog' | 'model';
  readonly status?: (typeof MITIGATION_STATUSES)[number];
}

export type ThreatStatus = Decision['status'];

/** A threat found by a rule or written by hand, with its reasons and its standing. */
export interface AnalyzedThreat {
  /** `<rule-id>@<target-id>` for generated threats; the model's id for threats written by hand. */
  readonly id: string;
  /** The rule that found it; null for threats written by hand. */
  readonly ruleId: string | null;
  readonly title: string;
  readonly description: string;
  readonly category: ThreatCategory;
  readonly target: ThreatTarget;
  status: ThreatStatus;
  /** Why the status is what it is (a decision, a mitigation in place, an expired acceptance). */
  statusReason?: string;
  decision?: Decision & { readonly expired: boolean };
  readonly likelihood: Level;
  readonly impact: Level;
  readonly severity: Level;
  /** How likelihood, impact and severity were arrived at, step by step. */
  readonly rating: readonly string[];
  readonly why: readonly WhyFact[];
  /** Changes to the model, any one of which stops the threat arising; the first is the smallest. */
  readonly clearsWhen: readonly string[];
  readonly references: NonNullable<Rule['references']>;
  /** Recommended by the rule (catalog), then linked in the model. */
  mitigations: readonly Reference[];
  /** Assets the target handles. */
  readonly assets: readonly string[];
  readonly statement?: NonNullable<Threat['statement']>;
}

/** A threat a rule found that a control in place or an assumption rules out. */
export interface SuppressedThreat {
  readonly id: string;
  readonly ruleId: string;
  readonly target: ThreatTarget;
  readonly reason: string;
}

/** The result of analyzing a model. */
export interface Analysis {
  /** Threats found, ordered by target (elements, flows, assets, actors, boundaries, in model order) then id. */
  readonly threats: readonly AnalyzedThreat[];
  /** Threats ruled out by controls or assumptions, with the reason: nothing disappears silently. */
  readonly suppressed: readonly SuppressedThreat[];
  readonly diagnostics: readonly Diagnostic[];
  /** How many rules ran (built-in rules of the packs asked for, and the model's and files' own). */
  readonly rules: number;
}
