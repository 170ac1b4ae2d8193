import type { Decision, Mitigation, Threat } from '@parapet/core';

/** The format name in ImportResult, ExportResult and `origin.format`. */
export const FORMAT = 'threat-composer';

/** Lengths Threat Composer's own schema allows (threat-composer-v1.schema.json). */
export const LIMITS = {
  /** applicationInfo.name. */
  applicationName: 200,
  /** Each threat grammar field, impacted goal and impacted asset. */
  field: 200,
  /** A mitigation's or an assumption's content, and a Comments value. */
  content: 1000,
  /** The application, architecture and data flow descriptions. */
  description: 100_000,
  /** The rendered threat statement. */
  statement: 1400,
  tag: 30,
  /** A metadata key. */
  metadataKey: 50,
  /** An image given as a URL. */
  imageUrl: 2048,
} as const;

/** STRIDE letters of Threat Composer's `STRIDE` metadata and the Parapet categories they stand for. */
export const CATEGORY_OF_LETTER: ReadonlyMap<string, Threat['category']> = new Map([
  ['S', 'spoofing'],
  ['T', 'tampering'],
  ['R', 'repudiation'],
  ['I', 'information-disclosure'],
  ['D', 'denial-of-service'],
  ['E', 'elevation-of-privilege'],
]);

/** The STRIDE letter of a Parapet category; LINDDUN categories have none. */
export const LETTER_OF_CATEGORY: ReadonlyMap<Threat['category'], string> = new Map(
  [...CATEGORY_OF_LETTER].map(([letter, category]) => [category, letter]),
);

/** Threat Composer's `Priority` values and the Parapet threat impact each one becomes. */
export const IMPACT_OF_PRIORITY: ReadonlyMap<string, NonNullable<Threat['impact']>> = new Map([
  ['High', 'high'],
  ['Medium', 'medium'],
  ['Low', 'low'],
]);

/** Threat statuses and the decision each one becomes. */
export const DECISION_OF_THREAT_STATUS: ReadonlyMap<string, Decision['status']> = new Map([
  ['threatIdentified', 'open'],
  ['threatResolved', 'mitigated'],
  ['threatResolvedNotUseful', 'false-positive'],
]);

/** Mitigation statuses and the Parapet status each one becomes (will-not-action is also tagged). */
export const MITIGATION_STATUS_OF: ReadonlyMap<string, Mitigation['status']> = new Map([
  ['mitigationIdentified', 'proposed'],
  ['mitigationInProgress', 'planned'],
  ['mitigationResolved', 'implemented'],
  ['mitigationResolvedWillNotAction', 'proposed'],
]);

/** The tag that marks a mitigation Threat Composer records as "resolved, will not action". */
export const WILL_NOT_ACTION_TAG = 'will-not-action';

/** Prefix of the tags that hold a threat's impacted goals (`goal:confidentiality`). */
export const GOAL_TAG_PREFIX = 'goal:';

/** Custom metadata Parapet writes so that a model read back keeps its ids and threat titles. */
export const PARAPET_ID_KEY = 'custom:parapetId';
export const PARAPET_TITLE_KEY = 'custom:parapetTitle';

/** Headings under which the architecture and data flow descriptions are kept in the model description. */
export const ARCHITECTURE_HEADING = '## Architecture';
export const DATAFLOW_HEADING = '## Data flow';
export const ARCHITECTURE_IMAGE_LABEL = 'Architecture diagram';
export const DATAFLOW_IMAGE_LABEL = 'Data flow diagram';

/** The image URLs Threat Composer accepts (its REGEX_CONTENT_IMAGE_URL). */
export const IMAGE_URL_PATTERN =
  /^https?:\/\/(www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b([-a-zA-Z0-9()@:%_+.~#?&/=]*)$/i;

/** Text cut to at most `max` characters, at a word boundary when there is one, ending in an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The first few words of a text, for readable ids. */
export function firstWords(text: string, count = 6): string {
  return text.split(/\s+/).filter(Boolean).slice(0, count).join(' ');
}
