import type { ThreatModelInput } from '@parapet/core';

// How Threagile's enumerations read in Parapet. Threagile's scales have five steps where Parapet's have four;
// where two Threagile values land on one Parapet value, the importer lists the item in `unmapped`.

type ElementInput = NonNullable<ThreatModelInput['elements']>[number];
type FlowInput = NonNullable<ThreatModelInput['flows']>[number];
type BoundaryInput = NonNullable<ThreatModelInput['boundaries']>[number];
type AssetInput = NonNullable<ThreatModelInput['assets']>[number];
export type TechnologyType = NonNullable<ElementInput['type']>;
export type Protocol = NonNullable<FlowInput['protocol']>;
export type Encryption = NonNullable<FlowInput['encryption']>;
export type Authentication = NonNullable<FlowInput['authentication']>;
export type Authorization = NonNullable<FlowInput['authorization']>;
export type BoundaryKind = NonNullable<BoundaryInput['kind']>;
export type Need = NonNullable<NonNullable<AssetInput['needs']>['confidentiality']>;
export type Classification = NonNullable<AssetInput['classification']>;
type Level = NonNullable<NonNullable<ThreatModelInput['threats']>[number]['likelihood']>;
type DecisionStatus = NonNullable<ThreatModelInput['decisions']>[number]['status'];
type ThreatCategory = NonNullable<ThreatModelInput['threats']>[number]['category'];

/** Threagile technical asset type -> Parapet element kind. */
export const ELEMENT_KINDS: Readonly<Record<string, ElementInput['kind']>> = {
  'external-entity': 'external',
  process: 'process',
  datastore: 'datastore',
};

/**
 * Threagile technology -> Parapet technology type (the original stays in `technology`). Threagile's list is
 * longer and partly finer (two kinds of identity store, SOAP and REST services); the nearest catalog type is
 * taken, `other` where the catalog has nothing close.
 */
export const TECHNOLOGIES: Readonly<Record<string, TechnologyType>> = {
  'client-system': 'desktop-app',
  browser: 'browser',
  desktop: 'desktop-app',
  'mobile-app': 'mobile-app',
  'devops-client': 'desktop-app',
  'web-server': 'web-server',
  'web-application': 'web-app',
  'application-server': 'service',
  database: 'database',
  'file-server': 'file-store',
  'local-file-system': 'file-store',
  erp: 'service',
  cms: 'web-app',
  'web-service-rest': 'api',
  'web-service-soap': 'api',
  ejb: 'service',
  'search-index': 'search-index',
  'search-engine': 'search-index',
  'service-registry': 'service',
  'reverse-proxy': 'reverse-proxy',
  'load-balancer': 'load-balancer',
  'build-pipeline': 'ci-server',
  'sourcecode-repository': 'source-repository',
  'artifact-registry': 'artifact-registry',
  'code-inspection-platform': 'other',
  monitoring: 'monitoring',
  'ldap-server': 'directory',
  'container-platform': 'container-orchestrator',
  'batch-processing': 'batch-job',
  'event-listener': 'worker',
  'identity-provider': 'identity-provider',
  'identity-store-ldap': 'directory',
  'identity-store-database': 'database',
  tool: 'other',
  cli: 'desktop-app',
  task: 'batch-job',
  function: 'function',
  gateway: 'api-gateway',
  'iot-device': 'iot-device',
  'message-queue': 'queue',
  'stream-processing': 'worker',
  'service-mesh': 'service-mesh',
  'data-lake': 'data-warehouse',
  'report-engine': 'service',
  ai: 'service',
  'mail-server': 'email-service',
  vault: 'vault',
  hsm: 'kms',
  waf: 'waf',
  ids: 'monitoring',
  ips: 'firewall',
  scheduler: 'batch-job',
  mainframe: 'other',
  'block-storage': 'file-store',
  library: 'other',
};

/**
 * Technologies whose nature Parapet states with a tag rather than a type: a service registry is a service
 * that rules recognise by the tag `service-registry`.
 */
export const TECHNOLOGY_TAGS: Readonly<Record<string, string>> = { 'service-registry': 'service-registry' };

/** A Threagile protocol read as a Parapet protocol and the encryption it implies. */
export interface ProtocolReading {
  readonly protocol?: Protocol;
  readonly encryption: Encryption;
}

/**
 * Threagile protocol -> Parapet protocol and encryption. Threagile folds encryption into the protocol name
 * (`jdbc-encrypted`); Parapet states it apart. `unknown-protocol` states nothing about the protocol.
 */
export const PROTOCOLS: Readonly<Record<string, ProtocolReading>> = {
  'unknown-protocol': { encryption: 'none' },
  http: { protocol: 'http', encryption: 'none' },
  https: { protocol: 'https', encryption: 'tls' },
  ws: { protocol: 'websocket', encryption: 'none' },
  wss: { protocol: 'websocket', encryption: 'tls' },
  'reverse-proxy-web-protocol': { protocol: 'http', encryption: 'none' },
  'reverse-proxy-web-protocol-encrypted': { protocol: 'https', encryption: 'tls' },
  mqtt: { protocol: 'mqtt', encryption: 'none' },
  jdbc: { protocol: 'sql', encryption: 'none' },
  'jdbc-encrypted': { protocol: 'sql', encryption: 'tls' },
  odbc: { protocol: 'sql', encryption: 'none' },
  'odbc-encrypted': { protocol: 'sql', encryption: 'tls' },
  'sql-access-protocol': { protocol: 'sql', encryption: 'none' },
  'sql-access-protocol-encrypted': { protocol: 'sql', encryption: 'tls' },
  'nosql-access-protocol': { protocol: 'other', encryption: 'none' },
  'nosql-access-protocol-encrypted': { protocol: 'other', encryption: 'tls' },
  binary: { protocol: 'tcp', encryption: 'none' },
  'binary-encrypted': { protocol: 'tcp', encryption: 'tls' },
  text: { protocol: 'tcp', encryption: 'none' },
  'text-encrypted': { protocol: 'tcp', encryption: 'tls' },
  ssh: { protocol: 'ssh', encryption: 'ssh' },
  'ssh-tunnel': { protocol: 'ssh', encryption: 'ssh' },
  smtp: { protocol: 'smtp', encryption: 'none' },
  'smtp-encrypted': { protocol: 'smtp', encryption: 'tls' },
  pop3: { protocol: 'other', encryption: 'none' },
  'pop3-encrypted': { protocol: 'other', encryption: 'tls' },
  imap: { protocol: 'imap', encryption: 'none' },
  'imap-encrypted': { protocol: 'imap', encryption: 'tls' },
  ftp: { protocol: 'ftp', encryption: 'none' },
  ftps: { protocol: 'ftp', encryption: 'tls' },
  sftp: { protocol: 'sftp', encryption: 'ssh' },
  scp: { protocol: 'ssh', encryption: 'ssh' },
  ldap: { protocol: 'ldap', encryption: 'none' },
  ldaps: { protocol: 'ldaps', encryption: 'tls' },
  jms: { protocol: 'other', encryption: 'none' },
  nfs: { protocol: 'nfs', encryption: 'none' },
  smb: { protocol: 'smb', encryption: 'none' },
  'smb-encrypted': { protocol: 'smb', encryption: 'application' },
  'local-file-access': { protocol: 'file', encryption: 'none' },
  nrpe: { protocol: 'other', encryption: 'none' },
  xmpp: { protocol: 'other', encryption: 'none' },
  iiop: { protocol: 'other', encryption: 'none' },
  'iiop-encrypted': { protocol: 'other', encryption: 'tls' },
  jrmp: { protocol: 'other', encryption: 'none' },
  'jrmp-encrypted': { protocol: 'other', encryption: 'tls' },
  'in-process-library-call': { protocol: 'in-process', encryption: 'none' },
  'inter-process-communication': { protocol: 'ipc', encryption: 'none' },
  'container-spawning': { protocol: 'other', encryption: 'none' },
};

/**
 * Threagile authentication -> Parapet authentication. `externalized` (authentication done by something else,
 * e.g. a gateway) has no Parapet value and reads as `other`.
 */
export const AUTHENTICATIONS: Readonly<Record<string, Authentication>> = {
  none: 'none',
  credentials: 'password',
  'session-id': 'session-cookie',
  token: 'token',
  'client-certificate': 'certificate',
  'two-factor': 'mfa',
  externalized: 'other',
};

/**
 * Threagile authorization -> Parapet authorization. A technical user is authorized by the roles of its
 * service account (`rbac`); end-user identity propagation lets the target decide per user (`ownership`, what
 * Parapet's identity-propagation rule accepts). Threagile 1.0 wrote `enduser-identity-propagation`, later
 * versions `end-user-identity-propagation`: both are read.
 */
export const AUTHORIZATIONS: Readonly<Record<string, Authorization>> = {
  none: 'none',
  'technical-user': 'rbac',
  'enduser-identity-propagation': 'ownership',
  'end-user-identity-propagation': 'ownership',
};

/** Threagile trust boundary type -> Parapet boundary kind. */
export const BOUNDARY_KINDS: Readonly<Record<string, BoundaryKind>> = {
  'network-on-prem': 'network',
  'network-dedicated-hoster': 'network',
  'network-virtual-lan': 'subnet',
  'network-cloud-provider': 'cloud-account',
  'network-cloud-security-group': 'network',
  'network-policy-namespace-isolation': 'namespace',
  'execution-environment': 'execution',
};

/**
 * Threagile confidentiality -> Parapet classification and confidentiality need. Threagile orders public <
 * internal < restricted < confidential < strictly-confidential; Parapet's classification has four steps with
 * `restricted` on top, so Threagile's `strictly-confidential` is Parapet's `restricted`, and Threagile's
 * `restricted` (between internal and confidential) reads as `confidential` (approximate: listed in unmapped).
 */
export const CONFIDENTIALITY: Readonly<
  Record<string, { classification: Classification; need: Need; approximate?: true }>
> = {
  public: { classification: 'public', need: 'low' },
  internal: { classification: 'internal', need: 'low' },
  restricted: { classification: 'confidential', need: 'medium', approximate: true },
  confidential: { classification: 'confidential', need: 'high' },
  'strictly-confidential': { classification: 'restricted', need: 'critical' },
};

/**
 * Threagile integrity / availability (and business criticality) -> Parapet need: archive and operational both
 * read as low (archive approximate: listed in unmapped), important medium, critical high, mission-critical
 * critical.
 */
export const RATINGS: Readonly<Record<string, { need: Need; approximate?: true }>> = {
  archive: { need: 'low', approximate: true },
  operational: { need: 'low' },
  important: { need: 'medium' },
  critical: { need: 'high' },
  'mission-critical': { need: 'critical' },
};

/** Threagile exploitation likelihood -> Parapet likelihood. */
export const LIKELIHOODS: Readonly<Record<string, Level>> = {
  unlikely: 'low',
  likely: 'medium',
  'very-likely': 'high',
  frequent: 'very-high',
};

/** Threagile exploitation impact -> Parapet impact. */
export const IMPACTS: Readonly<Record<string, Level>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  'very-high': 'very-high',
};

/** Threagile's STRIDE values are Parapet's categories, spelled the same. */
export const STRIDE_CATEGORIES: ReadonlySet<string> = new Set<ThreatCategory>([
  'spoofing',
  'tampering',
  'repudiation',
  'information-disclosure',
  'denial-of-service',
  'elevation-of-privilege',
]);

/**
 * Threagile risk tracking status -> Parapet decision status. `in-discussion` and `in-progress` have no
 * Parapet status: they read as `open` (approximate: listed in unmapped; work under way belongs in a
 * mitigation with status `planned`).
 */
export const RISK_STATUSES: Readonly<Record<string, { status: DecisionStatus; approximate?: true }>> = {
  unchecked: { status: 'open' },
  'in-discussion': { status: 'open', approximate: true },
  accepted: { status: 'accepted' },
  'in-progress': { status: 'open', approximate: true },
  mitigated: { status: 'mitigated' },
  'false-positive': { status: 'false-positive' },
};
