// @ts-check
// A Parapet model (as bench/generateModel.js makes them) written as a Threagile model, for timing the Threagile
// importer on large inputs: technical assets with their communication links, trust boundaries and data assets.
// Threagile has fewer values than Parapet for most fields; the tables below pick the nearest one, so that the
// Threagile importer brings back an equivalent model (same elements, flows, boundaries, assets and membership).

import { stringify } from 'yaml';

/** @typedef {import('@parapet/core').ThreatModelInput} ThreatModelInput */
/** @typedef {NonNullable<ThreatModelInput['elements']>[number]} ElementInput */
/** @typedef {NonNullable<ThreatModelInput['flows']>[number]} FlowInput */
/** @typedef {NonNullable<ThreatModelInput['boundaries']>[number]} BoundaryInput */
/** @typedef {NonNullable<ThreatModelInput['assets']>[number]} AssetInput */

/** Parapet technology type -> Threagile technology. */
/** @type {Record<string, string>} */
const TECHNOLOGY = {
  'web-app': 'web-application',
  'single-page-app': 'web-application',
  'web-server': 'web-server',
  api: 'web-service-rest',
  'api-gateway': 'gateway',
  service: 'application-server',
  function: 'function',
  worker: 'event-listener',
  'batch-job': 'batch-processing',
  'identity-provider': 'identity-provider',
  'load-balancer': 'load-balancer',
  'reverse-proxy': 'reverse-proxy',
  cdn: 'reverse-proxy',
  waf: 'waf',
  firewall: 'ips',
  vpn: 'gateway',
  'service-mesh': 'service-mesh',
  'container-orchestrator': 'container-platform',
  'container-runtime': 'container-platform',
  vm: 'unknown-technology',
  'ci-runner': 'build-pipeline',
  'ci-server': 'build-pipeline',
  'build-tool': 'build-pipeline',
  'deployment-tool': 'build-pipeline',
  monitoring: 'monitoring',
  siem: 'monitoring',
  'email-service': 'mail-server',
  'payment-provider': 'web-service-rest',
  'third-party-service': 'web-service-rest',
  'mobile-app': 'mobile-app',
  'desktop-app': 'desktop',
  'iot-device': 'iot-device',
  browser: 'browser',
  user: 'client-system',
  'admin-user': 'client-system',
  database: 'database',
  cache: 'database',
  'object-store': 'file-server',
  'file-store': 'file-server',
  queue: 'message-queue',
  'event-bus': 'message-queue',
  'search-index': 'search-index',
  'log-store': 'database',
  backup: 'file-server',
  'data-warehouse': 'data-lake',
  'source-repository': 'sourcecode-repository',
  'artifact-registry': 'artifact-registry',
  'container-registry': 'artifact-registry',
  vault: 'vault',
  kms: 'hsm',
  directory: 'identity-store-ldap',
  'mobile-storage': 'local-file-system',
  'browser-storage': 'local-file-system',
  other: 'unknown-technology',
};

/** Parapet protocol -> Threagile protocol, as [in clear, encrypted]. */
/** @type {Record<string, readonly [string, string]>} */
const PROTOCOL = {
  https: ['http', 'https'],
  http: ['http', 'https'],
  http2: ['http', 'https'],
  grpc: ['http', 'https'],
  graphql: ['http', 'https'],
  soap: ['http', 'https'],
  'cloud-api': ['http', 'https'],
  websocket: ['ws', 'wss'],
  tcp: ['binary', 'binary-encrypted'],
  udp: ['binary', 'binary-encrypted'],
  tls: ['binary', 'binary-encrypted'],
  dns: ['binary', 'binary-encrypted'],
  kerberos: ['binary', 'binary-encrypted'],
  rdp: ['binary', 'binary-encrypted'],
  kafka: ['binary', 'binary-encrypted'],
  nats: ['binary', 'binary-encrypted'],
  amqp: ['binary', 'binary-encrypted'],
  mqtt: ['mqtt', 'mqtt'],
  ssh: ['ssh', 'ssh'],
  sftp: ['sftp', 'sftp'],
  ftp: ['ftp', 'ftps'],
  smtp: ['smtp', 'smtp-encrypted'],
  imap: ['imap', 'imap-encrypted'],
  ldap: ['ldap', 'ldaps'],
  ldaps: ['ldap', 'ldaps'],
  sql: ['sql-access-protocol', 'sql-access-protocol-encrypted'],
  postgres: ['jdbc', 'jdbc-encrypted'],
  mysql: ['jdbc', 'jdbc-encrypted'],
  mongodb: ['nosql-access-protocol', 'nosql-access-protocol-encrypted'],
  redis: ['nosql-access-protocol', 'nosql-access-protocol-encrypted'],
  memcached: ['nosql-access-protocol', 'nosql-access-protocol-encrypted'],
  nfs: ['nfs', 'nfs'],
  smb: ['smb', 'smb-encrypted'],
  ipc: ['inter-process-communication', 'inter-process-communication'],
  'in-process': ['in-process-library-call', 'in-process-library-call'],
  file: ['local-file-access', 'local-file-access'],
  human: ['unknown-protocol', 'unknown-protocol'],
  other: ['unknown-protocol', 'unknown-protocol'],
};

/** Parapet authentication -> Threagile authentication. */
/** @type {Record<string, string>} */
const AUTHENTICATION = {
  none: 'none',
  password: 'credentials',
  mfa: 'two-factor',
  'api-key': 'token',
  token: 'token',
  jwt: 'token',
  oauth2: 'token',
  oidc: 'token',
  saml: 'token',
  mtls: 'client-certificate',
  certificate: 'client-certificate',
  kerberos: 'credentials',
  'session-cookie': 'session-id',
  iam: 'token',
  hmac: 'credentials',
  'ssh-key': 'client-certificate',
  other: 'externalized',
};

/** Parapet boundary kind -> Threagile trust boundary type (internet zones are not boundaries in Threagile). */
/** @type {Record<string, string>} */
const BOUNDARY_TYPE = {
  network: 'network-on-prem',
  dmz: 'network-cloud-security-group',
  'cloud-account': 'network-cloud-provider',
  vpc: 'network-virtual-lan',
  subnet: 'network-virtual-lan',
  cluster: 'execution-environment',
  namespace: 'network-policy-namespace-isolation',
  host: 'execution-environment',
  container: 'execution-environment',
  execution: 'execution-environment',
  physical: 'network-on-prem',
  organisational: 'network-on-prem',
  'third-party': 'network-dedicated-hoster',
  'user-device': 'network-on-prem',
  other: 'network-on-prem',
};

/** Parapet need (low..critical) -> Threagile integrity / availability rating. */
/** @type {Record<string, string>} */
const RATING = { low: 'operational', medium: 'important', high: 'critical', critical: 'mission-critical' };
/** Parapet classification -> Threagile confidentiality. */
/** @type {Record<string, string>} */
const CONFIDENTIALITY = {
  public: 'public',
  internal: 'internal',
  confidential: 'confidential',
  restricted: 'strictly-confidential',
};
const CONFIDENTIALITY_ORDER = ['public', 'internal', 'restricted', 'confidential', 'strictly-confidential'];
const RATING_ORDER = ['archive', 'operational', 'important', 'critical', 'mission-critical'];
/** Parapet business criticality -> Threagile business criticality. */
/** @type {Record<string, string>} */
const CRITICALITY = { low: 'operational', medium: 'important', high: 'critical', critical: 'mission-critical' };

/**
 * Map keys unique within one mapping: Threagile names items by their titles, which Parapet does not require
 * to be unique; a repeated title gets the item's id appended.
 * @returns {(title: string, id: string) => string}
 */
function uniqueTitles() {
  /** @type {Set<string>} */
  const used = new Set();
  return (title, id) => {
    let key = title.trim() === '' ? id : title;
    if (used.has(key)) key = `${title} (${id})`;
    for (let n = 2; used.has(key); n++) key = `${title} (${id} ${n})`;
    used.add(key);
    return key;
  };
}

/**
 * The Threagile confidentiality, integrity and availability of a data asset.
 * @param {AssetInput} asset
 */
function assetRatings(asset) {
  const fromNeed = /** @type {Record<string, string>} */ ({
    low: 'internal',
    medium: 'restricted',
    high: 'confidential',
    critical: 'strictly-confidential',
  });
  const confidentiality =
    asset.classification !== undefined
      ? (CONFIDENTIALITY[asset.classification] ?? 'internal')
      : (fromNeed[asset.needs?.confidentiality ?? 'low'] ?? 'internal');
  return {
    confidentiality,
    integrity: RATING[asset.needs?.integrity ?? 'low'] ?? 'operational',
    availability: RATING[asset.needs?.availability ?? 'low'] ?? 'operational',
  };
}

/**
 * Threagile's quantity class for a record count.
 * @param {number | undefined} quantity
 */
function quantityClass(quantity) {
  if (quantity === undefined) return 'many';
  if (quantity <= 1_000) return 'very-few';
  if (quantity <= 100_000) return 'few';
  if (quantity <= 10_000_000) return 'many';
  return 'very-many';
}

/**
 * The highest of some ratings on a Threagile scale.
 * @param {readonly string[]} order
 * @param {Iterable<string>} values
 * @param {string} floor
 */
function highest(order, values, floor) {
  let best = order.indexOf(floor);
  for (const value of values) best = Math.max(best, order.indexOf(value));
  return /** @type {string} */ (order[best]);
}

/**
 * The Threagile communication link for a Parapet flow.
 * @param {FlowInput} flow
 * @param {ElementInput | undefined} source
 */
function communicationLink(flow, source) {
  const encrypted = flow.encryption !== undefined && flow.encryption !== 'none' && flow.encryption !== 'vpn';
  const protocols = PROTOCOL[flow.protocol ?? 'other'] ?? ['unknown-protocol', 'unknown-protocol'];
  const personal =
    flow.authorization === 'ownership' || flow.authorization === 'scopes' || flow.authorization === 'abac';
  const devops = ['ci-runner', 'ci-server', 'build-tool', 'deployment-tool'].includes(source?.type ?? '');
  return {
    target: flow.to,
    description: flow.description ?? flow.name ?? flow.id,
    protocol: encrypted ? protocols[1] : protocols[0],
    authentication: AUTHENTICATION[flow.authentication ?? 'none'] ?? 'none',
    authorization:
      flow.authorization === undefined || flow.authorization === 'none'
        ? 'none'
        : personal
          ? 'end-user-identity-propagation'
          : 'technical-user',
    tags: flow.tags ?? [],
    vpn: flow.encryption === 'vpn',
    ip_filtered: false,
    readonly: false,
    usage: devops ? 'devops' : 'business',
    data_assets_sent: flow.data ?? [],
    data_assets_received: [],
  };
}

/**
 * A Parapet model written as Threagile YAML: every element as a technical asset (its outgoing flows as its
 * communication links), every boundary but the internet zones as a trust boundary (nesting and membership
 * kept), every asset as a data asset. Deterministic: the same model gives the same text.
 *
 * @param {ThreatModelInput} model
 * @returns {string}
 */
export function toThreagileYaml(model) {
  const elements = model.elements ?? [];
  const flows = model.flows ?? [];
  const boundaries = model.boundaries ?? [];
  const assets = model.assets ?? [];
  const assetById = new Map(assets.map((asset) => [asset.id, asset]));
  /** @type {Set<string>} */
  const tags = new Set();
  /** @param {readonly string[] | undefined} list */
  const useTags = (list) => {
    for (const tag of list ?? []) tags.add(tag);
    return list ? [...list] : [];
  };

  /** @type {Map<string, FlowInput[]>} */
  const outgoing = new Map();
  /** @type {Map<string, Set<string>>} assets carried by the flows of each element */
  const carried = new Map();
  for (const flow of flows) {
    const list = outgoing.get(flow.from);
    if (list) list.push(flow);
    else outgoing.set(flow.from, [flow]);
    for (const end of [flow.from, flow.to]) {
      const set = carried.get(end) ?? new Set();
      for (const id of flow.data ?? []) set.add(id);
      carried.set(end, set);
    }
  }

  const dataTitle = uniqueTitles();
  /** @type {Record<string, unknown>} */
  const dataAssets = {};
  for (const asset of assets) {
    dataAssets[dataTitle(asset.name, asset.id)] = {
      id: asset.id,
      description: asset.description ?? asset.name,
      usage: asset.kind === 'code' || asset.kind === 'configuration' ? 'devops' : 'business',
      tags: useTags(asset.tags),
      origin: '',
      owner: asset.owner ?? '',
      quantity: quantityClass(asset.quantity),
      ...assetRatings(asset),
      justification_cia_rating: '',
    };
  }

  const assetTitle = uniqueTitles();
  /** @type {Record<string, unknown>} */
  const technicalAssets = {};
  for (const element of elements) {
    const stored = element.stores ?? [];
    const processed = [...new Set([...stored, ...(carried.get(element.id) ?? [])])];
    const ratings = processed.flatMap((id) => {
      const asset = assetById.get(id);
      return asset ? [assetRatings(asset)] : [];
    });
    const linkTitle = uniqueTitles();
    /** @type {Record<string, unknown>} */
    const links = {};
    for (const flow of outgoing.get(element.id) ?? []) {
      useTags(flow.tags);
      links[linkTitle(flow.name ?? flow.id, flow.id)] = communicationLink(flow, element);
    }
    const security = element.security ?? {};
    const type = element.type ?? 'other';
    technicalAssets[assetTitle(element.name, element.id)] = {
      id: element.id,
      description: element.description ?? element.name,
      type: element.kind === 'external' ? 'external-entity' : element.kind,
      usage: ['ci-runner', 'ci-server', 'build-tool', 'deployment-tool'].includes(type) ? 'devops' : 'business',
      used_as_client_by_human: type === 'user' || type === 'admin-user' || type === 'browser',
      out_of_scope: element.outOfScope !== undefined,
      justification_out_of_scope: element.outOfScope?.reason ?? '',
      size: element.kind === 'external' ? 'system' : 'component',
      technology: TECHNOLOGY[type] ?? 'unknown-technology',
      tags: useTags(element.tags),
      internet: element.exposure === 'internet',
      machine: element.kind === 'external' ? 'physical' : 'virtual',
      encryption: security.encryptionAtRest ? 'transparent' : 'none',
      owner: element.owner ?? '',
      confidentiality: highest(
        CONFIDENTIALITY_ORDER,
        ratings.map((r) => r.confidentiality),
        'internal',
      ),
      integrity: highest(
        RATING_ORDER,
        ratings.map((r) => r.integrity),
        'operational',
      ),
      availability: highest(
        RATING_ORDER,
        ratings.map((r) => r.availability),
        'operational',
      ),
      justification_cia_rating: '',
      multi_tenant: security.multiTenant ?? false,
      redundant: security.redundancy ?? false,
      custom_developed_parts: security.customDeveloped ?? false,
      data_assets_processed: processed,
      data_assets_stored: [...stored],
      data_formats_accepted: element.kind === 'process' ? ['json'] : [],
      communication_links: links,
    };
  }

  // Internet zones are no trust boundary in Threagile: their members sit outside every boundary (internet: true).
  const kept = boundaries.filter((boundary) => boundary.kind !== 'internet');
  const keptIds = new Set(kept.map((boundary) => boundary.id));
  /** @type {Map<string, string[]>} */
  const inside = new Map();
  for (const element of elements) {
    if (element.boundary === undefined || !keptIds.has(element.boundary)) continue;
    const list = inside.get(element.boundary);
    if (list) list.push(element.id);
    else inside.set(element.boundary, [element.id]);
  }
  /** @type {Map<string, string[]>} */
  const nested = new Map();
  for (const boundary of kept) {
    if (boundary.parent === undefined || !keptIds.has(boundary.parent)) continue;
    const list = nested.get(boundary.parent);
    if (list) list.push(boundary.id);
    else nested.set(boundary.parent, [boundary.id]);
  }
  const boundaryTitle = uniqueTitles();
  /** @type {Record<string, unknown>} */
  const trustBoundaries = {};
  for (const boundary of kept) {
    trustBoundaries[boundaryTitle(boundary.name, boundary.id)] = {
      id: boundary.id,
      description: boundary.description ?? boundary.name,
      type: BOUNDARY_TYPE[boundary.kind ?? 'network'] ?? 'network-on-prem',
      tags: useTags(boundary.tags),
      technical_assets_inside: inside.get(boundary.id) ?? [],
      trust_boundaries_nested: nested.get(boundary.id) ?? [],
    };
  }

  const info = model.model;
  const document = {
    threagile_version: '1.0.0',
    title: info.title,
    date: info.updated ?? '2025-01-01',
    author: { name: info.owners?.[0]?.name ?? 'Parapet', homepage: '' },
    management_summary_comment: info.description ?? '',
    business_criticality: CRITICALITY[info.businessContext?.criticality ?? 'medium'] ?? 'important',
    business_overview: { description: info.businessContext?.purpose ?? '', images: [] },
    technical_overview: { description: info.scope?.summary ?? '', images: [] },
    questions: {},
    abuse_cases: {},
    security_requirements: {},
    tags_available: [...tags].sort(),
    data_assets: dataAssets,
    technical_assets: technicalAssets,
    trust_boundaries: trustBoundaries,
    shared_runtimes: {},
    individual_risk_categories: {},
    risk_tracking: {},
  };
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}
