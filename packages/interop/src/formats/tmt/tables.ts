import { TECHNOLOGIES, type TechnologyId, type ThreatModelInput } from '@parapet/core';

type Flow = NonNullable<ThreatModelInput['flows']>[number];
type Boundary = NonNullable<ThreatModelInput['boundaries']>[number];
type Threat = NonNullable<ThreatModelInput['threats']>[number];
type Decision = NonNullable<ThreatModelInput['decisions']>[number];
export type ElementKind = 'process' | 'datastore' | 'external';
export type Protocol = NonNullable<Flow['protocol']>;
export type BoundaryKind = NonNullable<Boundary['kind']>;
export type ThreatCategory = Threat['category'];
export type DecisionStatus = Decision['status'];
export type Level = NonNullable<Threat['impact']>;

/** A table's entry for a key read from the file (own entries only: `constructor` is not an entry). */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** What a Threat Modeling Tool stencil is, by the generic type its knowledge-base type derives from. */
export type GenericRole = ElementKind | 'flow' | 'border-boundary' | 'line-boundary' | 'annotation';

/** The tool's generic types (the roots of every knowledge base's type tree). */
export const GENERIC_ROLES: Readonly<Record<string, GenericRole>> = {
  'GE.P': 'process',
  'GE.EI': 'external',
  'GE.DS': 'datastore',
  'GE.DF': 'flow',
  'GE.TB.B': 'border-boundary',
  'GE.TB.L': 'line-boundary',
  'GE.A': 'annotation',
};

/**
 * Technology types for the stencils of the tool's core template (`TMCore`), where the stencil says clearly
 * what it is. Stencils absent here (OS Process, Thread, runtimes...) name no technology Parapet has.
 */
const STENCIL_TECHNOLOGIES: Readonly<Record<string, TechnologyId>> = {
  'SE.P.TMCore.ThickClient': 'desktop-app',
  'SE.P.TMCore.BrowserClient': 'single-page-app',
  'SE.P.TMCore.WebServer': 'web-server',
  'SE.P.TMCore.Modern': 'desktop-app',
  'SE.P.TMCore.Win32Service': 'service',
  'SE.P.TMCore.WebApp': 'web-app',
  'SE.P.TMCore.WebSvc': 'api',
  'SE.P.TMCore.VM': 'vm',
  'SE.EI.TMCore.Browser': 'browser',
  'SE.EI.TMCore.AuthProvider': 'identity-provider',
  'SE.EI.TMCore.WebApp': 'third-party-service',
  'SE.EI.TMCore.WebSvc': 'third-party-service',
  'SE.EI.TMCore.User': 'user',
  'SE.EI.TMCore.Megasevrice': 'third-party-service',
  'SE.DS.TMCore.CloudStorage': 'object-store',
  'SE.DS.TMCore.SQL': 'database',
  'SE.DS.TMCore.NoSQL': 'database',
  'SE.DS.TMCore.FS': 'file-store',
  'SE.DS.TMCore.ConfigFile': 'file-store',
  'SE.DS.TMCore.Cache': 'cache',
  'SE.DS.TMCore.HTML5LS': 'browser-storage',
  'SE.DS.TMCore.Cookie': 'browser-storage',
};

/**
 * For stencils of other templates (Azure, custom): words in the knowledge-base type name that say clearly
 * what it is. A match counts only when the technology's usual kind is the element's kind.
 */
const NAME_TECHNOLOGIES: readonly (readonly [RegExp, TechnologyId])[] = [
  [/\b(sql|database|cosmos ?db|mongo ?db|postgre(s|sql)|mysql|mariadb)\b/i, 'database'],
  [/\b(cache|redis|memcached)\b/i, 'cache'],
  [/\b(queue|service bus)\b/i, 'queue'],
  [/\b(event hubs?|event grid|kafka)\b/i, 'event-bus'],
  [/\b(blob|object storage|cloud storage|s3 bucket)\b/i, 'object-store'],
  [/\b(file system|file share|files?)\b/i, 'file-store'],
  [/\b(key vault|secrets? manager)\b/i, 'vault'],
  [/\b(api management|api gateway)\b/i, 'api-gateway'],
  [/\b(web app(lication)?|app service)\b/i, 'web-app'],
  [/\b(web api|web service|rest api|api app)\b/i, 'api'],
  [/\b(functions?|lambda)\b/i, 'function'],
  [/\b(load balancer|application gateway)\b/i, 'load-balancer'],
  [/\b(firewall)\b/i, 'firewall'],
  [/\b(cdn|content delivery)\b/i, 'cdn'],
  [/\b(virtual machine)\b/i, 'vm'],
  [/\b(iot|device)\b/i, 'iot-device'],
  [/\b(mobile)\b/i, 'mobile-app'],
  [/\b(identity provider|azure ad|active directory|entra)\b/i, 'identity-provider'],
  [/\b(browser)\b/i, 'browser'],
  [/\b(human user|user)\b/i, 'user'],
];

/** The technology a stencil type stands for, when its id or name says so clearly. */
export function technologyOf(
  typeId: string,
  typeName: string | undefined,
  kind: ElementKind,
): TechnologyId | undefined {
  const byId = lookup(STENCIL_TECHNOLOGIES, typeId);
  if (byId !== undefined) return byId;
  if (typeName === undefined) return undefined;
  for (const [pattern, technology] of NAME_TECHNOLOGIES) {
    if (pattern.test(typeName) && TECHNOLOGIES[technology].kind === kind) return technology;
  }
  return undefined;
}

/** A generic data store's "Store Type" choice as a technology. */
export const STORE_TYPES: Readonly<Record<string, TechnologyId>> = {
  'SQL Relational Database': 'database',
  'Non Relational Database': 'database',
  'File System': 'file-store',
  Configuration: 'file-store',
  Cache: 'cache',
  'HTML5 Storage': 'browser-storage',
  Cookie: 'browser-storage',
};

/** Protocols of the core template's data flow types. */
export const FLOW_PROTOCOLS: Readonly<Record<string, Protocol>> = {
  'SE.DF.TMCore.HTTP': 'http',
  'SE.DF.TMCore.HTTPS': 'https',
  'SE.DF.TMCore.SMB': 'smb',
  'SE.DF.TMCore.UDP': 'udp',
  'SE.DF.TMCore.NamedPipe': 'ipc',
  'SE.DF.TMCore.ALPC': 'ipc',
  'SE.DF.TMCore.IOCTL': 'ipc',
};

/** Boundary kinds of the core template's border boundary types; other types give `other`. */
export const BORDER_KINDS: Readonly<Record<string, BoundaryKind>> = {
  'SE.TB.B.TMCore.CorpNet': 'network',
  'SE.TB.B.TMCore.Sandbox': 'execution',
  'SE.TB.B.TMCore.IEB': 'execution',
  'SE.TB.B.TMCore.NonIEB': 'execution',
};

/** A threat category name as a Parapet category (STRIDE, and LINDDUN for privacy templates). */
export function categoryOf(name: string): ThreatCategory | undefined {
  return lookup(
    CATEGORIES,
    name
      .toLowerCase()
      .replace(/[^a-z]+/g, ' ')
      .trim(),
  );
}

const CATEGORIES: Readonly<Record<string, ThreatCategory>> = {
  spoofing: 'spoofing',
  tampering: 'tampering',
  repudiation: 'repudiation',
  'information disclosure': 'information-disclosure',
  'denial of service': 'denial-of-service',
  'elevation of privilege': 'elevation-of-privilege',
  'elevation of privileges': 'elevation-of-privilege',
  linkability: 'linking',
  linking: 'linking',
  identifiability: 'identifying',
  identifying: 'identifying',
  'non repudiation': 'non-repudiation',
  detectability: 'detecting',
  detecting: 'detecting',
  'disclosure of information': 'data-disclosure',
  'data disclosure': 'data-disclosure',
  unawareness: 'unawareness',
  'non compliance': 'non-compliance',
};

/** How a threat state of the tool becomes a decision status, and whether something is lost on the way. */
export interface StateMapping {
  readonly status: DecisionStatus;
  /** Set when the state says more than the status does. */
  readonly loss?: string;
}

/** The tool's threat states. */
export const STATES: Readonly<Record<string, StateMapping>> = {
  AutoGenerated: { status: 'open' },
  NotStarted: { status: 'open' },
  NeedsInvestigation: {
    status: 'open',
    loss: 'state "Needs Investigation" kept as an open decision; Parapet has no separate "needs investigation" status',
  },
  NotApplicable: { status: 'false-positive' },
  Mitigated: { status: 'mitigated' },
};

/** The tool's threat priorities as Parapet impact levels. */
export const PRIORITIES: Readonly<Record<string, Level>> = { High: 'high', Medium: 'medium', Low: 'low' };

/** Values of the tool's forgery protection attribute that name a protection in place. */
export const FORGERY_PROTECTIONS: ReadonlySet<string> = new Set([
  'ValidateAntiForgeryTokenAttribute',
  'ViewStateUserKey',
  'Nonce',
  'Other dynamic canary',
  'Static header not available to the browser',
]);
