import { BOUNDARY_KINDS, LEVELS, TECHNOLOGIES, type Level, type ThreatModel } from '@parapet/core';

/**
 * The vocabulary shared by the OTM importer and exporter: how OTM's 0-100 numbers, free-text states,
 * categories, trust zone types and component types correspond to Parapet's fixed levels and enums.
 *
 * Numbers to levels: each level stands for one point on the 0-100 scale; a number reads as the level of the
 * nearest point (a tie goes to the higher level), and a level is written as its point, so that an exported
 * number always reads back as the same level.
 * - likelihood and impact: very-low 10, low 30, medium 50, high 70, very-high 90 (so 0-19, 20-39, 40-59, 60-79, 80-100);
 * - confidentiality, integrity and availability needs: low 25, medium 50, high 75, critical 100
 *   (so 0-37, 38-62, 63-87, 88-100).
 */

export type Need = 'low' | 'medium' | 'high' | 'critical';
export type ElementKind = 'process' | 'datastore' | 'external';
export type TechnologyType = keyof typeof TECHNOLOGIES;
export type BoundaryKind = NonNullable<NonNullable<ThreatModel['boundaries']>[number]['kind']>;
export type DecisionStatus = NonNullable<ThreatModel['decisions']>[number]['status'];
export type MitigationStatus = NonNullable<ThreatModel['mitigations']>[number]['status'];
export type ThreatCategory = NonNullable<ThreatModel['threats']>[number]['category'];

const LEVEL_POINTS: readonly (readonly [Level, number])[] = [
  ['very-low', 10],
  ['low', 30],
  ['medium', 50],
  ['high', 70],
  ['very-high', 90],
];
const NEED_POINTS: readonly (readonly [Need, number])[] = [
  ['low', 25],
  ['medium', 50],
  ['high', 75],
  ['critical', 100],
];

/** The entry whose point is nearest to the value; a tie goes to the later (higher) entry. */
function nearest<T>(points: readonly (readonly [T, number])[], value: number): T {
  let best = points[0] as readonly [T, number];
  for (const point of points) {
    if (Math.abs(point[1] - value) <= Math.abs(best[1] - value)) best = point;
  }
  return best[0];
}

/** A 0-100 likelihood or impact as one of Parapet's five levels. */
export function levelOf(value: number): Level {
  return nearest(LEVEL_POINTS, value);
}

/** The 0-100 number a level is written as. */
export function levelNumber(level: Level): number {
  return LEVEL_POINTS.find(([name]) => name === level)?.[1] ?? 50;
}

/** A 0-100 confidentiality, integrity or availability value as a Parapet need. */
export function needOf(value: number): Need {
  return nearest(NEED_POINTS, value);
}

/** The 0-100 number a need is written as. */
export function needNumber(need: Need): number {
  return NEED_POINTS.find(([name]) => name === need)?.[1] ?? 50;
}

/** Whether a level name is one of Parapet's five. */
export function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

/** Lower-cased letters and digits only: `Partly-Mitigated`, `partly_mitigated` and `PARTLYMITIGATED` match. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A threat instance state read as a decision, and whether the reading is exact. */
export interface StateReading<T> {
  readonly value: T;
  readonly exact: boolean;
}

const DECISION_OF_STATE: ReadonlyMap<string, StateReading<DecisionStatus>> = new Map([
  ['exposed', { value: 'open', exact: true }],
  ['expose', { value: 'open', exact: true }],
  ['open', { value: 'open', exact: true }],
  ['notmitigated', { value: 'open', exact: true }],
  ['partlymitigated', { value: 'open', exact: false }],
  ['partlymitigate', { value: 'open', exact: false }],
  ['partiallymitigated', { value: 'open', exact: false }],
  ['hidden', { value: 'open', exact: false }],
  ['mitigated', { value: 'mitigated', exact: true }],
  ['mitigate', { value: 'mitigated', exact: true }],
  ['accepted', { value: 'accepted', exact: true }],
  ['accept', { value: 'accepted', exact: true }],
  ['notapplicable', { value: 'false-positive', exact: false }],
  ['na', { value: 'false-positive', exact: false }],
  ['falsepositive', { value: 'false-positive', exact: true }],
  ['transferred', { value: 'transferred', exact: true }],
  ['transfer', { value: 'transferred', exact: true }],
  ['avoided', { value: 'avoided', exact: true }],
  ['avoid', { value: 'avoided', exact: true }],
] as const);

/**
 * The decision a threat instance state (IriusRisk's exposed, mitigated, partly-mitigated, accepted,
 * not-applicable, hidden; OTM leaves the values free) stands for; undefined for an unknown state.
 */
export function decisionOfState(state: string): StateReading<DecisionStatus> | undefined {
  return DECISION_OF_STATE.get(squash(state));
}

const STATE_OF_DECISION: Readonly<Record<DecisionStatus, string>> = {
  open: 'exposed',
  mitigated: 'mitigated',
  accepted: 'accepted',
  'false-positive': 'not-applicable',
  transferred: 'transferred',
  avoided: 'avoided',
};

/** The threat instance state a decision status is written as. */
export function stateOfDecision(status: DecisionStatus): string {
  return STATE_OF_DECISION[status];
}

/** Threat states IriusRisk defines; other states are written as Parapet names them. */
export const IRIUSRISK_THREAT_STATES: ReadonlySet<string> = new Set([
  'exposed',
  'mitigated',
  'accepted',
  'not-applicable',
]);

/** A mitigation instance state: a status, or `unlinked` when the mitigation does not address the threat. */
export type MitigationReading = StateReading<MitigationStatus | 'unlinked'>;

const STATUS_OF_MITIGATION_STATE: ReadonlyMap<string, MitigationReading> = new Map([
  ['implemented', { value: 'implemented', exact: true }],
  ['verified', { value: 'verified', exact: true }],
  ['testpassed', { value: 'verified', exact: false }],
  ['required', { value: 'planned', exact: true }],
  ['planned', { value: 'planned', exact: true }],
  ['inprogress', { value: 'planned', exact: false }],
  ['recommended', { value: 'proposed', exact: true }],
  ['proposed', { value: 'proposed', exact: true }],
  ['rejected', { value: 'unlinked', exact: false }],
  ['notapplicable', { value: 'unlinked', exact: false }],
  ['na', { value: 'unlinked', exact: false }],
] as const);

/**
 * The mitigation status a mitigation instance state (IriusRisk's required, recommended, implemented,
 * rejected, not-applicable) stands for; undefined for an unknown state.
 */
export function statusOfMitigationState(state: string): MitigationReading | undefined {
  return STATUS_OF_MITIGATION_STATE.get(squash(state));
}

const MITIGATION_STATE_OF_STATUS: Readonly<Record<MitigationStatus, string>> = {
  proposed: 'recommended',
  planned: 'required',
  implemented: 'implemented',
  verified: 'verified',
};

/** The mitigation instance state a mitigation status is written as. */
export function mitigationStateOf(status: MitigationStatus): string {
  return MITIGATION_STATE_OF_STATUS[status];
}

const CATEGORY_WORDS: Readonly<Record<ThreatCategory, string>> = {
  spoofing: 'Spoofing',
  tampering: 'Tampering',
  repudiation: 'Repudiation',
  'information-disclosure': 'Information Disclosure',
  'denial-of-service': 'Denial of Service',
  'elevation-of-privilege': 'Elevation of Privilege',
  linking: 'Linking',
  identifying: 'Identifying',
  'non-repudiation': 'Non-repudiation',
  detecting: 'Detecting',
  'data-disclosure': 'Data Disclosure',
  unawareness: 'Unawareness',
  'non-compliance': 'Non-compliance',
};

const CATEGORY_OF_WORD: ReadonlyMap<string, ThreatCategory> = new Map<string, ThreatCategory>([
  ...(Object.keys(CATEGORY_WORDS) as ThreatCategory[]).map(
    (category) => [squash(CATEGORY_WORDS[category]), category] as const,
  ),
  ['elevationofprivileges', 'elevation-of-privilege'],
  ['linkability', 'linking'],
  ['identifiability', 'identifying'],
  ['detectability', 'detecting'],
  ['disclosureofinformation', 'data-disclosure'],
  ['noncompliant', 'non-compliance'],
]);

/** Keywords of other category schemes (IriusRisk's, CAPEC-style) and the STRIDE category nearest to them. */
const CLOSEST_CATEGORY: readonly (readonly [RegExp, ThreatCategory])[] = [
  [/authoriz|authoris|accesscontrol|privilege|permission/, 'elevation-of-privilege'],
  [/authentic|identity|impersonat|credential|session|spoof/, 'spoofing'],
  [/audit|logging|traceab|accountab/, 'repudiation'],
  [/availab|denial|^dos$|ddos|flood|exhaust/, 'denial-of-service'],
  [/confidential|disclos|leak|exposure|privacy|encrypt|dataprotection|sensitive|crypto/, 'information-disclosure'],
  [/integrity|inject|tamper|validat|modif|forgery/, 'tampering'],
];

/** The category a threat gets when none of its categories says anything Parapet can use. */
export const DEFAULT_CATEGORY: ThreatCategory = 'tampering';

/** A category word read as a Parapet category: exact for STRIDE and LINDDUN names, else the closest by keyword. */
export function categoryOf(word: string): StateReading<ThreatCategory> | undefined {
  const key = squash(word);
  const exact = CATEGORY_OF_WORD.get(key);
  if (exact !== undefined) return { value: exact, exact: true };
  const closest = CLOSEST_CATEGORY.find(([pattern]) => pattern.test(key));
  return closest === undefined ? undefined : { value: closest[1], exact: false };
}

/** The word a category is written as in OTM `categories`. */
export function categoryWord(category: ThreatCategory): string {
  return CATEGORY_WORDS[category];
}

/** A CWE reference (`CWE-79`, `cwe_79`, `79`) as Parapet writes it, or undefined when it is not one. */
export function cweOf(text: string): string | undefined {
  const match = /^\s*(?:cwe)?[\s_-]*0*(\d{1,7})\s*$/i.exec(text);
  return match?.[1] === undefined ? undefined : `CWE-${Number(match[1])}`;
}

const BOUNDARY_KIND_SET: ReadonlySet<string> = new Set(BOUNDARY_KINDS);

/** A text as its lower-cased words joined by `-`, with a `-` at each end: `AWS RDS` becomes `-aws-rds-`. */
export function tokens(text: string): string {
  return `-${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}-`;
}

/** Words of trust zone types and names, and the boundary kind they suggest (first match wins). */
const ZONE_KIND_WORDS: readonly (readonly [RegExp, BoundaryKind])[] = [
  [/-internet-|^-(public|world|external|untrusted)-$/, 'internet'],
  [/-(vpc|vnet|virtual-network)-/, 'vpc'],
  [/-subnets?-/, 'subnet'],
  [/-(cluster|kubernetes|k8s)-/, 'cluster'],
  [/-namespace-/, 'namespace'],
  [/-(container|docker|pod)-/, 'container'],
  [/-(host|vm|virtual-machine|server)-/, 'host'],
  [/-(cloud|aws|azure|gcp|account|subscription)-/, 'cloud-account'],
  [/-(dmz|perimeter|edge|public)-/, 'dmz'],
  [/-(third-party|partner|saas|vendor|supplier)-/, 'third-party'],
  [/-(device|mobile|browser|client|user|endpoint)-/, 'user-device'],
  [/-(physical|datacenter|data-center|office|premises|on-premises)-/, 'physical'],
  [/-(organisation|organization|company|corporate|enterprise)-/, 'organisational'],
  [/-(private|internal|trusted|intranet|secure|secured|network|lan|zone)-/, 'network'],
];

/** A trust zone's type (or, without one, its name) read as a boundary kind; exact when it names a kind. */
export function boundaryKindOf(text: string): StateReading<BoundaryKind> {
  const lower = text.trim().toLowerCase();
  if (BOUNDARY_KIND_SET.has(lower)) return { value: lower as BoundaryKind, exact: true };
  const words = tokens(text);
  const found = ZONE_KIND_WORDS.find(([pattern]) => pattern.test(words));
  return { value: found?.[1] ?? 'other', exact: false };
}

/** Words of component types that make a component a container of others, and the boundary kind it becomes. */
const CONTAINER_KIND_WORDS: readonly (readonly [RegExp, BoundaryKind])[] = [
  [/-(vpc|vnet|virtual-network)-/, 'vpc'],
  [/-subnets?-/, 'subnet'],
  [/-namespace-/, 'namespace'],
  [/-(pod|container|docker|task)-/, 'container'],
  [/-(cluster|kubernetes|k8s|eks|aks|gke|ecs|swarm)-/, 'cluster'],
  [/-(ec2|vm|virtual-machine|instance|host|node)-/, 'host'],
  [/-(account|subscription|resource-group|tenant)-/, 'cloud-account'],
  [/-(network|security-group|zone|segment)-/, 'network'],
  [/-(empty-component|group|boundary)-/, 'other'],
];

/**
 * The boundary kind a component of this type becomes when it holds other components: only types that name
 * a container (cluster, pod, VM, VPC...). Undefined for other types: such a component stays an element.
 */
export function containerKindOf(type: string): BoundaryKind | undefined {
  const words = tokens(type);
  return CONTAINER_KIND_WORDS.find(([pattern]) => pattern.test(words))?.[1];
}

/** Words of component types (IriusRisk's library, startleft's mappings, plain words) and the technology type. */
const TECHNOLOGY_WORDS: readonly (readonly [RegExp, TechnologyType | ElementKind])[] = [
  [/-web-?client-|-browser-/, 'browser'],
  [/-mobile-/, 'mobile-app'],
  [/-desktop-/, 'desktop-app'],
  [/-(admin|administrator)-/, 'admin-user'],
  [/-(user|users|actor|person|customer|human|employee|staff)-/, 'user'],
  [/-api-?gateway-|-apigw-/, 'api-gateway'],
  [/-load-?balancer-|-(elb|alb|nlb)-|-elastic-load-balancing-/, 'load-balancer'],
  [/-(reverse-)?proxy-/, 'reverse-proxy'],
  [/-(cdn|cloudfront|akamai)-/, 'cdn'],
  [/-waf-/, 'waf'],
  [/-firewall-/, 'firewall'],
  [/-vpn-/, 'vpn'],
  [/-(kms|hsm)-|-key-?management-/, 'kms'],
  [/-secrets?-|-vault-/, 'vault'],
  [/-(ldap|directory)-/, 'directory'],
  [/-(cognito|identity|idp|auth0|okta|keycloak|oauth|oauth2|sso)-/, 'identity-provider'],
  [/-(lambda|function|functions|faas)-/, 'function'],
  [/-(redis|memcache|memcached|elasticache|cache)-/, 'cache'],
  [/-(s3|bucket|blob|object-?storage|object-?store)-/, 'object-store'],
  [/-(sqs|queue|rabbitmq|activemq|mq|service-?bus)-/, 'queue'],
  [/-(kafka|kinesis|sns|event-?bus|eventbridge|stream|pubsub|pub-sub)-/, 'event-bus'],
  [/-(elasticsearch|opensearch|search|solr)-/, 'search-index'],
  [/-(siem|splunk|sentinel)-/, 'siem'],
  [/-(cloudwatch|monitoring|monitor|prometheus|grafana|datadog)-/, 'monitoring'],
  [/-(log|logs|logging|log-?store)-/, 'log-store'],
  [/-(backup|backups|glacier)-/, 'backup'],
  [/-data-?warehouse-|-data-?lake-|-(redshift|bigquery|snowflake)-/, 'data-warehouse'],
  [
    /-(database|db|rds|aurora|dynamodb|postgres|postgresql|mysql|mariadb|mongodb|mongo|sql|oracle|cosmosdb)-/,
    'database',
  ],
  [/-(ecr|container-registry|docker-registry)-/, 'container-registry'],
  [/-(registry|artifact|artifacts|nexus|artifactory)-/, 'artifact-registry'],
  [/-(git|github|gitlab|repository|repo)-/, 'source-repository'],
  [/-(efs|nfs|file-?system|file-?share|file-?store|storage)-/, 'file-store'],
  [/-(kubernetes|k8s|eks|aks|gke|ecs|orchestrator)-/, 'container-orchestrator'],
  [/-(docker|container|pod)-/, 'container-runtime'],
  [/-(ec2|vm|virtual-machine)-/, 'vm'],
  [/-(email|e-mail|smtp|ses|sendgrid|mail)-/, 'email-service'],
  [/-(payment|payments|stripe|adyen|paypal)-/, 'payment-provider'],
  [/-(jenkins|pipeline|ci|cd)-|-github-actions-|-gitlab-ci-/, 'ci-server'],
  [/-(spa|react|angular|vue|frontend)-|-single-page-?app-/, 'single-page-app'],
  [/-web-?server-|-(nginx|apache|tomcat|iis)-/, 'web-server'],
  [/-web-?(app|application|service|site)-|-website-/, 'web-app'],
  [/-(api|rest|graphql|grpc)-/, 'api'],
  [/-(worker|consumer)-/, 'worker'],
  [/-(batch|job|cron)-/, 'batch-job'],
  [/-(iot|device|sensor)-/, 'iot-device'],
  [/-(third-party|saas|external)-/, 'third-party-service'],
  [/-client-/, 'external'],
  [/-(microservice|service|backend|application|app|server)-/, 'service'],
  [/-(code|class|library|module|component)-/, 'process'],
];

/** What a component type reads as: a technology type and its kind, or only a kind. */
export interface ComponentReading {
  readonly type?: TechnologyType;
  readonly kind: ElementKind;
  /** True when the type is a Parapet technology type or kind word as it is. */
  readonly exact: boolean;
  /** What matched: the type, a tag (`tag "postgres"`), or nothing (the kind is the default, process). */
  readonly from: 'type' | `tag "${string}"` | 'nothing';
}

/** Whether a text is a Parapet element kind word. */
function isKind(text: string): text is ElementKind {
  return text === 'process' || text === 'datastore' || text === 'external';
}

/** Whether a text is a Parapet technology type. */
export function isTechnology(text: string): text is TechnologyType {
  return Object.hasOwn(TECHNOLOGIES, text);
}

/** The technology type or kind the first matching keyword gives a text, if any. */
function matchWords(text: string): TechnologyType | ElementKind | undefined {
  const words = tokens(text);
  return words === '--' ? undefined : TECHNOLOGY_WORDS.find(([pattern]) => pattern.test(words))?.[1];
}

/**
 * A component type read as an element kind and technology type: a Parapet type or kind word as it is, else
 * the first keyword of the type that matches, else of a tag. The `external` tag makes the element external
 * (IriusRisk's convention).
 */
export function readComponentType(type: string, tags: readonly string[]): ComponentReading {
  const external = tags.some((tag) => tag.trim().toLowerCase() === 'external');
  const lower = type.trim().toLowerCase();
  if (isKind(lower)) return { kind: lower, exact: true, from: 'type' };
  if (isTechnology(lower)) {
    return { type: lower, kind: external ? 'external' : TECHNOLOGIES[lower].kind, exact: true, from: 'type' };
  }
  let found = matchWords(type);
  let from: ComponentReading['from'] = 'type';
  for (const tag of tags) {
    if (found !== undefined) break;
    found = matchWords(tag);
    from = `tag "${tag}"`;
  }
  if (found === undefined) return { kind: external ? 'external' : 'process', exact: false, from: 'nothing' };
  if (isKind(found)) return { kind: external ? 'external' : found, exact: false, from };
  return { type: found, kind: external ? 'external' : TECHNOLOGIES[found].kind, exact: false, from };
}

/** A threat statement (source, prerequisites, action, impact). */
export interface Statement {
  readonly source: string;
  readonly prerequisites?: string | undefined;
  readonly action: string;
  readonly impact: string;
}

/**
 * A threat statement as one text, the description an OTM threat gets when the Parapet threat has only a
 * statement: `An anonymous shopper who can submit a voucher injects SQL into it. Impact: vouchers are minted.`
 */
export function statementText(statement: Statement): string {
  const who =
    statement.prerequisites === undefined ? statement.source : `${statement.source} ${statement.prerequisites}`;
  return `${who} ${statement.action}. Impact: ${statement.impact}`;
}
