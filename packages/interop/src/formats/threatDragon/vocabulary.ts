// The words Threat Dragon v2 writes (threat types, statuses, severities, protocols, shapes) and the Parapet
// values they stand for, in both directions, so that the importer and the exporter agree.

import type { Decision, Flow, Level, Threat } from '@parapet/core';

export type ThreatCategory = Threat['category'];
export type DecisionStatus = Decision['status'];
export type Protocol = NonNullable<Flow['protocol']>;

/** The format name in `origin.format` and `ImportResult.format`. */
export const FORMAT = 'threat-dragon';

/** The Threat Dragon version written into exported files (the structure follows its v2 sample files). */
export const EXPORT_VERSION = '2.3.0';

/** Node shapes that become elements, with the element kind, the `data.type` and the default size. */
export const ELEMENT_SHAPES = {
  actor: { kind: 'external', type: 'tm.Actor', width: 160, height: 80 },
  process: { kind: 'process', type: 'tm.Process', width: 100, height: 100 },
  store: { kind: 'datastore', type: 'tm.Store', width: 160, height: 80 },
} as const;
export type ElementShape = keyof typeof ELEMENT_SHAPES;

/** The trust boundary box shape; its default size when a file leaves it out. */
export const BOX_SHAPE = { shape: 'trust-boundary-box', type: 'tm.BoundaryBox', width: 500, height: 400 } as const;

/** Shapes of trust boundary lines: the second is a typo older Threat Dragon versions wrote, still read by it. */
export const LINE_SHAPES: ReadonlySet<string> = new Set(['trust-boundary-curve', 'trust-broundary-curve']);

/** `data.type` values naming each kind of cell, for cells whose `shape` is missing or unknown. */
export const SHAPE_BY_DATA_TYPE: Readonly<Record<string, string>> = {
  'tm.Actor': 'actor',
  'tm.Process': 'process',
  'tm.Store': 'store',
  'tm.Flow': 'flow',
  'tm.BoundaryBox': 'trust-boundary-box',
  'tm.Boundary': 'trust-boundary-curve',
  'tm.Text': 'td-text-block',
};

/** Text Threat Dragon puts in new threats as a prompt; it carries no content of its own. */
export const PLACEHOLDER_DESCRIPTION = 'Provide a description for this threat';
export const PLACEHOLDER_MITIGATION = 'Provide remediation for this threat or a reason if status is N/A';

/** The reason given to items Threat Dragon marks out of scope without saying why (Parapet needs one). */
export const DEFAULT_OUT_OF_SCOPE_REASON = 'marked out of scope in Threat Dragon';

/** Threat Dragon's STRIDE and LINDDUN threat type names for each Parapet category (exact equivalents). */
export const TYPE_BY_CATEGORY: Readonly<Record<ThreatCategory, { type: string; modelType: 'STRIDE' | 'LINDDUN' }>> = {
  spoofing: { type: 'Spoofing', modelType: 'STRIDE' },
  tampering: { type: 'Tampering', modelType: 'STRIDE' },
  repudiation: { type: 'Repudiation', modelType: 'STRIDE' },
  'information-disclosure': { type: 'Information disclosure', modelType: 'STRIDE' },
  'denial-of-service': { type: 'Denial of service', modelType: 'STRIDE' },
  'elevation-of-privilege': { type: 'Elevation of privilege', modelType: 'STRIDE' },
  linking: { type: 'Linkability', modelType: 'LINDDUN' },
  identifying: { type: 'Identifiability', modelType: 'LINDDUN' },
  'non-repudiation': { type: 'Non-repudiation', modelType: 'LINDDUN' },
  detecting: { type: 'Detectability', modelType: 'LINDDUN' },
  'data-disclosure': { type: 'Disclosure of information', modelType: 'LINDDUN' },
  unawareness: { type: 'Unawareness', modelType: 'LINDDUN' },
  'non-compliance': { type: 'Non-compliance', modelType: 'LINDDUN' },
};

/**
 * Threat types of Threat Dragon's other methods (CIA, DIE, PLOT4ai), which Parapet has no category for, with
 * the closest Parapet category and why.
 */
const APPROXIMATE_TYPES: Readonly<Record<string, { category: ThreatCategory; why: string }>> = {
  confidentiality: { category: 'information-disclosure', why: 'a loss of confidentiality is information disclosure' },
  integrity: { category: 'tampering', why: 'a loss of integrity is tampering' },
  availability: { category: 'denial-of-service', why: 'a loss of availability is denial of service' },
  distributed: { category: 'denial-of-service', why: 'DIE "distributed" is about single points of failure' },
  immutable: { category: 'tampering', why: 'DIE "immutable" is about components changed in place' },
  ephemeral: {
    category: 'elevation-of-privilege',
    why: 'DIE "ephemeral" is about long-lived components an attacker can hold on to',
  },
  'technique processes': { category: 'tampering', why: 'PLOT4ai technique and process flaws corrupt results' },
  accessibility: { category: 'denial-of-service', why: 'PLOT4ai accessibility is about people kept from the system' },
  'identifiability linkability': {
    category: 'identifying',
    why: 'PLOT4ai identifiability and linkability is closest to LINDDUN identifying',
  },
  security: { category: 'tampering', why: 'PLOT4ai security covers poisoning and adversarial input' },
  safety: { category: 'denial-of-service', why: 'PLOT4ai safety is about the system failing to work safely' },
  'ethics human rights': {
    category: 'non-compliance',
    why: 'PLOT4ai ethics and human rights is closest to LINDDUN non-compliance',
  },
};

/** Lower-case letters and digits of a threat type, words separated by one space ("Non-compliance" -> "non compliance"). */
function typeKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const EXACT_TYPES: ReadonlyMap<string, ThreatCategory> = new Map(
  Object.entries(TYPE_BY_CATEGORY).map(([category, entry]) => [typeKey(entry.type), category as ThreatCategory]),
);

/** Words in a free-text threat type that point to a STRIDE category, tried in order. */
const TYPE_KEYWORDS: readonly (readonly [RegExp, ThreatCategory])[] = [
  [/spoof|imperson|authenticat/, 'spoofing'],
  [/tamper|modif|integrity|inject/, 'tampering'],
  [/repudiat|audit/, 'repudiation'],
  [/disclos|leak|confidential|expos|privacy/, 'information-disclosure'],
  [/denial|\bdos\b|availab|exhaust/, 'denial-of-service'],
  [/privilege|elevat|escalat/, 'elevation-of-privilege'],
];

/**
 * The Parapet category for a Threat Dragon threat type: exact for STRIDE and LINDDUN names, the closest for
 * the other methods (with why), a keyword guess or tampering for anything else.
 */
export function categoryOfType(type: string): { category: ThreatCategory; approximate?: string } {
  const key = typeKey(type);
  const exact = EXACT_TYPES.get(key);
  if (exact !== undefined) return { category: exact };
  const close = APPROXIMATE_TYPES[key];
  if (close !== undefined && Object.hasOwn(APPROXIMATE_TYPES, key)) {
    return { category: close.category, approximate: `imported as ${close.category}: ${close.why}` };
  }
  for (const [pattern, category] of TYPE_KEYWORDS) {
    if (pattern.test(key)) return { category, approximate: `not a known type; imported as ${category} from its words` };
  }
  return { category: 'tampering', approximate: 'not a known type; imported as tampering: set the right category' };
}

/** Threat Dragon statuses (as written, lower-cased without spaces) and the decision each becomes. */
const STATUS_DECISIONS: Readonly<Record<string, DecisionStatus>> = {
  open: 'open',
  mitigated: 'mitigated',
  notapplicable: 'false-positive',
  'n/a': 'false-positive',
  na: 'false-positive',
};

/** The decision status for a Threat Dragon threat status, or undefined when the value is not one it writes. */
export function decisionOfStatus(status: string): DecisionStatus | undefined {
  const key = status.toLowerCase().replace(/[\s_-]+/g, '');
  return Object.hasOwn(STATUS_DECISIONS, key) ? STATUS_DECISIONS[key] : undefined;
}

/** The Threat Dragon status for a Parapet threat status; statuses it has no word for take the nearest. */
export const STATUS_BY_DECISION: Readonly<Record<DecisionStatus, 'Open' | 'Mitigated' | 'NotApplicable'>> = {
  open: 'Open',
  mitigated: 'Mitigated',
  'false-positive': 'NotApplicable',
  accepted: 'Open',
  transferred: 'Mitigated',
  avoided: 'NotApplicable',
};

/** Threat Dragon severities and the impact level each becomes. */
const SEVERITY_LEVELS: Readonly<Record<string, Level>> = {
  critical: 'very-high',
  high: 'high',
  medium: 'medium',
  low: 'low',
};

/** Severities that say "not rated yet": no impact, nothing lost. */
const UNRATED_SEVERITIES: ReadonlySet<string> = new Set(['', 'tbd']);

/** The impact for a Threat Dragon severity: a level, 'unrated', or undefined for a value it does not write. */
export function impactOfSeverity(severity: string): Level | 'unrated' | undefined {
  const key = severity.trim().toLowerCase();
  if (UNRATED_SEVERITIES.has(key)) return 'unrated';
  return Object.hasOwn(SEVERITY_LEVELS, key) ? SEVERITY_LEVELS[key] : undefined;
}

/** The Threat Dragon severity for a Parapet level (very-low has no word of its own). */
export const SEVERITY_BY_LEVEL: Readonly<Record<Level, string>> = {
  'very-low': 'Low',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  'very-high': 'Critical',
};

/** How each Parapet protocol is written in Threat Dragon's free-text protocol field. */
export const PROTOCOL_NAMES: Readonly<Record<Protocol, string>> = {
  https: 'HTTPS',
  http: 'HTTP',
  http2: 'HTTP/2',
  grpc: 'gRPC',
  websocket: 'WebSocket',
  graphql: 'GraphQL',
  soap: 'SOAP',
  tcp: 'TCP',
  udp: 'UDP',
  tls: 'TLS',
  ssh: 'SSH',
  sftp: 'SFTP',
  ftp: 'FTP',
  smtp: 'SMTP',
  imap: 'IMAP',
  dns: 'DNS',
  ldap: 'LDAP',
  ldaps: 'LDAPS',
  kerberos: 'Kerberos',
  amqp: 'AMQP',
  mqtt: 'MQTT',
  kafka: 'Kafka',
  nats: 'NATS',
  sql: 'SQL',
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  mongodb: 'MongoDB',
  redis: 'Redis',
  memcached: 'Memcached',
  nfs: 'NFS',
  smb: 'SMB',
  rdp: 'RDP',
  ipc: 'IPC',
  'in-process': 'In-process',
  file: 'File',
  'cloud-api': 'Cloud API',
  human: 'Human',
  other: 'Other',
};

/** Other spellings people type into Threat Dragon's protocol field, by their lower-case letters and digits. */
const PROTOCOL_ALIASES: Readonly<Record<string, Protocol>> = {
  https: 'https',
  httpsecure: 'https',
  h2: 'http2',
  ws: 'websocket',
  wss: 'websocket',
  websockets: 'websocket',
  ftps: 'ftp',
  smtps: 'smtp',
  imaps: 'imap',
  postgresql: 'postgres',
  psql: 'postgres',
  mongo: 'mongodb',
  cifs: 'smb',
  rest: 'https',
  restapi: 'https',
  jdbc: 'sql',
  odbc: 'sql',
  rabbitmq: 'amqp',
  inprocess: 'in-process',
  filesystem: 'file',
};

const PROTOCOL_BY_KEY: ReadonlyMap<string, Protocol> = new Map([
  ...Object.entries(PROTOCOL_NAMES).map(([protocol, name]) => [protocolKey(name), protocol as Protocol] as const),
  ...Object.entries(PROTOCOL_ALIASES),
]);

/** Lower-case letters and digits only: "HTTP/S" -> "https", "HTTP/2" -> "http2". */
function protocolKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** The Parapet protocol a Threat Dragon protocol text names, when it is recognisable. */
export function protocolOf(text: string): Protocol | undefined {
  return PROTOCOL_BY_KEY.get(protocolKey(text));
}

/** Protocols whose name says the traffic is encrypted, and how. */
export const ENCRYPTED_PROTOCOLS: Readonly<Partial<Record<Protocol, 'tls' | 'ssh'>>> = {
  https: 'tls',
  tls: 'tls',
  ldaps: 'tls',
  ssh: 'ssh',
  sftp: 'ssh',
};

/** Tags standing for Threat Dragon flags that no Parapet field holds (read back by the exporter). */
export const TAGS = {
  handlesCardPayment: 'td:handles-card-payment',
  handlesGoodsOrServices: 'td:handles-goods-or-services',
  isPublicNetwork: 'td:public-network',
  isSigned: 'td:signed',
  privilegeLevelPrefix: 'td:privilege-level:',
} as const;

/** Assets standing for the Threat Dragon store flags `storesCredentials` and `storesInventory`. */
export const FLAG_ASSETS = {
  storesCredentials: { name: 'Credentials', kind: 'credential' },
  storesInventory: { name: 'Inventory', kind: 'data' },
} as const;

/**
 * A decision Threat Dragon cannot hold (accepted, transferred, avoided) is written as the last paragraph of
 * the threat's mitigation text, `[Parapet decision: transferred] why`, and read back from there.
 */
export const DECISION_MARKER = /(?:^|\n\n)\[Parapet decision: (accepted|transferred|avoided)\] ?([^\n]*)$/;

/** The paragraph that records a decision Threat Dragon's statuses cannot hold. */
export function decisionMarker(status: DecisionStatus, justification: string | undefined): string {
  const why = justification === undefined ? '' : ` ${justification.replace(/\s+/g, ' ').trim()}`;
  return `[Parapet decision: ${status}]${why}`;
}

/** Generated Parapet threat ids, `<rule-id>@<target-id>`. */
export const GENERATED_THREAT_ID = /^([a-z0-9][a-z0-9.-]{0,99})@([A-Za-z0-9][A-Za-z0-9._-]{0,99})$/;

const MITIGATION_TITLE_LENGTH = 120;

/**
 * The title of a mitigation read from Threat Dragon's free text: its first line, cut at a word near 120
 * characters. The exporter writes the full text back when the title is this one.
 */
export function mitigationTitleOf(text: string): string {
  const firstLine = (text.split('\n')[0] ?? '').trim() || text.trim();
  if (firstLine.length <= MITIGATION_TITLE_LENGTH) return firstLine;
  const cut = firstLine.slice(0, MITIGATION_TITLE_LENGTH - 3);
  const space = cut.lastIndexOf(' ');
  return `${space > 40 ? cut.slice(0, space) : cut}...`;
}
