// @ts-check
// Synthetic threat models for the benchmark: deterministic for a given size and seed, valid, and free of
// warnings (every element takes part in a flow, every asset is stored or carried, every flow states its
// authentication and encryption).

import { stringify } from 'yaml';
import { CONTROLS, TECHNOLOGIES } from '@parapet/core';

/** @typedef {import('@parapet/core').ThreatModelInput} ThreatModelInput */
/** @typedef {import('@parapet/core').TechnologyId} TechnologyId */
/** @typedef {import('@parapet/core').ControlId} ControlId */
/** @typedef {NonNullable<ThreatModelInput['boundaries']>[number]} BoundaryInput */
/** @typedef {NonNullable<ThreatModelInput['elements']>[number]} ElementInput */
/** @typedef {NonNullable<ThreatModelInput['flows']>[number]} FlowInput */
/** @typedef {NonNullable<ThreatModelInput['assets']>[number]} AssetInput */
/** @typedef {NonNullable<ThreatModelInput['actors']>[number]} ActorInput */
/** @typedef {NonNullable<FlowInput['protocol']>} Protocol */
/** @typedef {NonNullable<FlowInput['authentication']>} Authentication */
/** @typedef {NonNullable<FlowInput['encryption']>} Encryption */

/**
 * @typedef {object} GenerateOptions
 * @property {number} elements Number of elements (N). Flows are about 3N, boundaries N/20, assets N/10.
 * @property {number} [seed] PRNG seed; the same seed and size give the same model. Default 1.
 */

/**
 * mulberry32: a tiny, fast 32-bit PRNG. Returns a function giving floats in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Element types and their relative frequency. Edge, user-device and third-party types are placed specially. */
/** @type {readonly [TechnologyId, number][]} */
const TYPE_WEIGHTS = [
  ['service', 14],
  ['api', 10],
  ['web-app', 4],
  ['worker', 6],
  ['function', 4],
  ['batch-job', 2],
  ['identity-provider', 1],
  ['email-service', 1],
  ['monitoring', 1],
  ['siem', 0.5],
  ['kms', 1],
  ['ci-runner', 0.5],
  ['container-orchestrator', 0.5],
  ['api-gateway', 2],
  ['load-balancer', 2],
  ['reverse-proxy', 1],
  ['cdn', 1],
  ['waf', 1],
  ['database', 10],
  ['cache', 5],
  ['queue', 4],
  ['event-bus', 2],
  ['object-store', 3],
  ['search-index', 1],
  ['log-store', 1],
  ['file-store', 1],
  ['data-warehouse', 1],
  ['vault', 1],
  ['directory', 0.5],
  ['backup', 0.5],
  ['source-repository', 0.5],
  ['container-registry', 0.5],
  ['user', 3],
  ['browser', 2],
  ['admin-user', 1],
  ['payment-provider', 1],
  ['third-party-service', 2],
  ['single-page-app', 2],
  ['mobile-app', 2],
  ['mobile-storage', 0.5],
  ['browser-storage', 0.5],
];
const TYPE_TOTAL = TYPE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

/** Types that sit at the edge (in a DMZ). */
const EDGE_TYPES = new Set(['api-gateway', 'load-balancer', 'reverse-proxy', 'cdn', 'waf']);
/** Types that live on a user's device. */
const DEVICE_TYPES = new Set(['single-page-app', 'mobile-app', 'mobile-storage', 'browser-storage']);
/** Types outside the organisation: the internet or a third party. */
const INTERNET_TYPES = new Set(['user', 'browser']);
const THIRD_PARTY_TYPES = new Set(['payment-provider', 'third-party-service']);

const DOMAINS = (
  'orders billing payments catalog inventory shipping search accounts profiles notifications reporting analytics ' +
  'pricing reviews recommendations loyalty fraud identity audit ledger invoices subscriptions support content media ' +
  'messaging scheduling compliance onboarding partners returns warehouse tax refunds sessions documents telemetry ' +
  'exports imports checkout'
).split(' ');
const TEAMS = [
  'team-commerce',
  'team-platform',
  'team-identity',
  'team-data',
  'team-payments',
  'team-growth',
  'team-sre',
  'team-security',
];
const LANGUAGES = ['Node.js 20', 'Go 1.22', 'Java 21 / Spring Boot', 'Python 3.12', 'Kotlin / Ktor', '.NET 8', 'Rust'];
/** @type {Partial<Record<TechnologyId, string[]>>} */
const PRODUCTS = {
  database: ['PostgreSQL 16', 'MySQL 8', 'MongoDB 7', 'Amazon Aurora'],
  cache: ['Redis 7', 'Memcached 1.6', 'Valkey 8'],
  queue: ['RabbitMQ 3.13', 'Amazon SQS', 'NATS JetStream'],
  'event-bus': ['Apache Kafka 3.7', 'Amazon Kinesis'],
  'object-store': ['Amazon S3', 'Azure Blob Storage', 'MinIO'],
  'search-index': ['OpenSearch 2', 'Elasticsearch 8'],
  'log-store': ['Loki', 'CloudWatch Logs'],
  'api-gateway': ['Kong 3', 'AWS API Gateway'],
  'load-balancer': ['AWS ALB', 'HAProxy 2.9'],
  'reverse-proxy': ['nginx 1.25', 'Envoy'],
  cdn: ['CloudFront', 'Fastly'],
  waf: ['AWS WAF', 'Cloudflare WAF'],
  vault: ['HashiCorp Vault', 'AWS Secrets Manager'],
  kms: ['AWS KMS', 'Google Cloud KMS'],
  'identity-provider': ['Keycloak 24', 'Okta', 'Auth0'],
};

/** @type {Record<'process' | 'datastore' | 'external', ControlId[]>} */
const CONTROL_POOL = {
  process: controls(
    'input-validation output-encoding rate-limiting audit-logging monitoring alerting least-privilege ' +
      'rbac object-level-authorization secrets-manager patching hardening dependency-scanning sast ' +
      'code-review container-scanning network-segmentation egress-filtering autoscaling redundancy ' +
      'parameterized-queries security-headers csrf-protection session-timeout idempotency-keys',
  ),
  datastore: controls(
    'encryption-at-rest backups key-rotation least-privilege audit-logging private-endpoint ' +
      'network-segmentation retention-policy data-masking disaster-recovery redundancy monitoring',
  ),
  external: controls('mfa sso strong-passwords account-lockout captcha security-training'),
};
/**
 * Control ids from a space-separated list, checked against the catalog.
 * @param {string} list
 * @returns {ControlId[]}
 */
function controls(list) {
  const ids = list.split(' ');
  for (const id of ids) if (!(id in CONTROLS)) throw new Error(`bench: control "${id}" is not in the catalog`);
  return /** @type {ControlId[]} */ (ids);
}

/**
 * Kinds of the boundaries of the 4-level tree, by level, taken in turn: accounts, then networks (every third a
 * DMZ), then subnets and clusters, then hosts and namespaces.
 * @type {readonly (readonly NonNullable<BoundaryInput['kind']>[])[]}
 */
const LEVEL_KINDS = [
  ['cloud-account', 'cloud-account', 'cloud-account', 'organisational'],
  ['dmz', 'vpc', 'network'],
  ['subnet', 'cluster'],
  ['host', 'namespace', 'namespace'],
];
/** @type {readonly Authentication[]} */
const SERVICE_AUTH = ['jwt', 'oauth2', 'mtls', 'token', 'api-key', 'iam'];
/** @type {Partial<Record<Protocol, number>>} */
const PORTS = {
  https: 443,
  http2: 443,
  graphql: 443,
  websocket: 443,
  grpc: 50051,
  postgres: 5432,
  mysql: 3306,
  mongodb: 27017,
  sql: 1433,
  redis: 6379,
  memcached: 11211,
  amqp: 5672,
  kafka: 9092,
  nats: 4222,
  mqtt: 8883,
  ldaps: 636,
  ssh: 22,
  sftp: 22,
  smtp: 587,
  nfs: 2049,
  smb: 445,
  'cloud-api': 443,
  tcp: 5140,
};
/** @type {readonly [string, string][]} */
const ASSET_NAMES = [
  ['personal-data', 'customer profiles'],
  ['personal-data', 'shipping addresses'],
  ['data', 'order history'],
  ['data', 'product catalog'],
  ['credential', 'user passwords'],
  ['credential', 'service API keys'],
  ['key', 'signing keys'],
  ['key', 'encryption keys'],
  ['data', 'invoices'],
  ['money', 'payment balances'],
  ['configuration', 'feature flags'],
  ['code', 'deployment artifacts'],
  ['data', 'audit trail'],
  ['personal-data', 'support tickets'],
  ['data', 'price lists'],
  ['personal-data', 'payment card data'],
  ['data', 'analytics events'],
  ['service', 'checkout availability'],
];
const VERBS = ['read', 'write', 'sync', 'publish', 'fetch', 'update', 'query', 'stream', 'submit', 'export'];

/**
 * Generates a valid synthetic threat model with N elements, about 3N flows, N/20 nested boundaries (3-4
 * levels deep), N/10 assets and 10 actors. Pure and deterministic: no Math.random, no clock.
 *
 * @param {GenerateOptions} options
 * @returns {ThreatModelInput}
 */
export function generateModel({ elements: n, seed = 1 }) {
  if (!Number.isInteger(n) || n < 10) throw new Error(`generateModel: elements must be an integer >= 10, got ${n}`);
  const random = mulberry32(seed);
  /** @param {number} k */
  const int = (k) => Math.floor(random() * k);
  /** @template T @param {readonly T[]} list @returns {T} */
  const pick = (list) => /** @type {T} */ (list[int(list.length)]);
  /** @param {number} p */
  const chance = (p) => random() < p;
  /**
   * Distinct items from a list (fresh array each time: shared arrays would become YAML aliases).
   * @template T @param {readonly T[]} list @param {number} count @returns {T[]}
   */
  const sample = (list, count) => {
    /** @type {T[]} */
    const out = [];
    for (let tries = 0; out.length < Math.min(count, list.length) && tries < count * 4; tries++) {
      const item = pick(list);
      if (!out.includes(item)) out.push(item);
    }
    return out;
  };

  // --- Boundaries: three outside zones, then a 4-level tree (account > network > subnet/cluster > namespace/host).
  const boundaryCount = Math.max(7, Math.round(n / 20));
  /** @type {BoundaryInput[]} */
  const boundaries = [
    {
      id: 'zone-internet',
      name: 'Internet',
      description: 'Anyone on the public internet.',
      kind: 'internet',
      trustLevel: 0,
    },
    {
      id: 'zone-user-device',
      name: 'User devices',
      description: 'Phones and browsers of customers.',
      kind: 'user-device',
      trustLevel: 10,
    },
    {
      id: 'zone-third-party',
      name: 'Third parties',
      description: 'SaaS and partner services.',
      kind: 'third-party',
      trustLevel: 20,
    },
  ];
  const rest = boundaryCount - boundaries.length;
  const l1 = Math.max(1, Math.round(rest * 0.04));
  const l2 = Math.max(1, Math.round(rest * 0.12));
  const l3 = Math.max(1, Math.round(rest * 0.3));
  const l4 = Math.max(1, rest - l1 - l2 - l3);
  /** @type {string[][]} */
  const levels = [[], [], [], []];
  /** Root (level-1) boundary of each tree boundary, for locality of flows. */
  /** @type {Map<string, string>} */
  const rootOf = new Map();
  /** @type {string[]} DMZ boundaries (level 2). */
  const dmzs = [];
  /** @type {string[]} Boundaries that hold internal elements (levels 3 and 4). */
  const inner = [];
  let boundaryIndex = 0;
  /**
   * @param {number} level 0-based
   * @param {number} count
   */
  const addLevel = (level, count) => {
    for (let j = 0; j < count; j++) {
      const parents = level === 0 ? [] : /** @type {string[]} */ (levels[level - 1]);
      const parent = level === 0 ? undefined : /** @type {string} */ (parents[j % parents.length]);
      const kinds = /** @type {readonly BoundaryInput['kind'][]} */ (LEVEL_KINDS[level]);
      const kind = /** @type {BoundaryInput['kind']} */ (kinds[j % kinds.length]);
      const isDmz = kind === 'dmz';
      const id = `zone-${kind}-${++boundaryIndex}`;
      const domain = pick(DOMAINS);
      /** @type {BoundaryInput} */
      const boundary = { id, name: `${domain} ${kind} ${boundaryIndex}`, kind };
      if (chance(0.5)) boundary.description = `${kind} for the ${domain} workloads`;
      // Levels 1-3 state their trust; about a third of level 4 inherits it from the parent.
      if (level < 3 || !chance(0.35)) {
        boundary.trustLevel = isDmz ? 40 : level === 0 ? 60 : Math.min(100, 60 + level * 8 + int(8));
      }
      if (parent !== undefined) boundary.parent = parent;
      if (chance(0.3)) boundary.tags = [pick(['prod', 'staging', 'shared']), `region-${pick(['eu', 'us', 'ap'])}`];
      boundaries.push(boundary);
      /** @type {string[]} */ (levels[level]).push(id);
      rootOf.set(id, parent === undefined ? id : /** @type {string} */ (rootOf.get(parent)));
      if (isDmz) dmzs.push(id);
      else if (level >= 2) inner.push(id);
    }
  };
  addLevel(0, l1);
  addLevel(1, l2);
  addLevel(2, l3);
  addLevel(3, l4);
  if (inner.length === 0) throw new Error('generateModel: no inner boundaries');
  if (dmzs.length === 0) dmzs.push(/** @type {string} */ (levels[1]?.[0]));

  // --- Assets.
  const assetCount = Math.max(1, Math.round(n / 10));
  /** @type {AssetInput[]} */
  const assets = [];
  for (let i = 0; i < assetCount; i++) {
    const [kind, label] = pick(ASSET_NAMES);
    const domain = pick(DOMAINS);
    const personal = kind === 'personal-data';
    /** @type {AssetInput} */
    const asset = {
      id: `asset-${i + 1}`,
      name: `${domain} ${label}`,
      kind: /** @type {AssetInput['kind']} */ (kind),
      classification:
        personal || kind === 'credential' || kind === 'key'
          ? 'restricted'
          : pick(['internal', 'confidential', 'public']),
    };
    if (personal) asset.personal = true;
    asset.needs = {
      confidentiality: pick(['low', 'medium', 'high', 'critical']),
      integrity: pick(['medium', 'high', 'critical']),
      availability: pick(['low', 'medium', 'high']),
    };
    if (chance(0.5)) asset.quantity = 1000 * (1 + int(5000));
    if (chance(0.3)) asset.value = { amount: 5 + int(200), currency: pick(['EUR', 'USD']), per: 'record' };
    if (personal) asset.regulations = label === 'payment card data' ? ['GDPR', 'PCI-DSS'] : ['GDPR'];
    asset.owner = pick(TEAMS);
    assets.push(asset);
  }
  const assetIds = assets.map((a) => a.id);

  // --- Elements.
  /** @returns {TechnologyId} */
  const pickType = () => {
    let r = random() * TYPE_TOTAL;
    for (const [type, weight] of TYPE_WEIGHTS) {
      r -= weight;
      if (r < 0) return type;
    }
    return 'service';
  };
  /** The first few are fixed so that even tiny models have every shape. @type {TechnologyId[]} */
  const FIRST = ['service', 'database', 'user', 'api-gateway', 'api', 'payment-provider', 'single-page-app'];
  /** @type {ElementInput[]} */
  const elements = [];
  /** @type {Map<string, number[]>} non-external elements by boundary */
  const targetsByBoundary = new Map();
  /** @type {Map<string, number[]>} non-external elements by root boundary */
  const targetsByRoot = new Map();
  /** @type {Map<string, number[]>} processes by boundary */
  const processesByBoundary = new Map();
  /** @type {number[]} */ const processes = [];
  /** @type {number[]} */ const targets = [];
  /** @type {number[]} */ const entryPoints = [];
  /** @type {number[]} */ const thirdParties = [];
  /** @type {<K, V>(map: Map<K, V[]>, key: K, value: V) => void} */
  const push = (map, key, value) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (let i = 0; i < n; i++) {
    const type = FIRST[i] ?? pickType();
    const kind = TECHNOLOGIES[type].kind;
    const domain = pick(DOMAINS);
    const boundary = INTERNET_TYPES.has(type)
      ? 'zone-internet'
      : THIRD_PARTY_TYPES.has(type)
        ? 'zone-third-party'
        : DEVICE_TYPES.has(type)
          ? 'zone-user-device'
          : EDGE_TYPES.has(type)
            ? pick(dmzs)
            : pick(inner);
    /** @type {ElementInput} */
    const element = {
      id: `${type}-${i + 1}`,
      name: `${domain} ${type.replace(/-/g, ' ')} ${i + 1}`,
      kind,
      type,
    };
    if (chance(0.4)) element.description = `${TECHNOLOGIES[type].title} for ${domain}.`;
    const products = PRODUCTS[type];
    if (products) element.technology = pick(products);
    else if (kind === 'process' && !DEVICE_TYPES.has(type)) element.technology = pick(LANGUAGES);
    // Anonymous internet users sit outside every boundary now and then (trust 0).
    if (!(type === 'user' && chance(0.3))) element.boundary = boundary;
    element.exposure =
      boundary === 'zone-internet' || boundary === 'zone-user-device'
        ? 'internet'
        : boundary === 'zone-third-party'
          ? 'partner'
          : EDGE_TYPES.has(type)
            ? 'internet'
            : pick(['internal', 'internal', 'private']);
    if (kind === 'process') {
      element.security = {
        authentication: pick(SERVICE_AUTH),
        authorization: pick(['rbac', 'scopes', 'ownership', 'iam-policy', 'abac']),
        inputValidation: chance(0.8),
        outputEncoding: chance(0.6),
        logging: chance(0.9),
        monitoring: chance(0.7),
        hardening: chance(0.5),
        secretsHandling: pick(['vault', 'kms', 'platform', 'environment']),
        customDeveloped: chance(0.7),
      };
      if (type === 'web-app' || type === 'single-page-app') element.security.sessionManagement = true;
      if (chance(0.1)) element.security.adminInterface = true;
      if (chance(0.3)) element.security.multiTenant = true;
    } else if (kind === 'datastore') {
      element.security = {
        authentication: pick(['password', 'iam', 'certificate', 'mtls']),
        authorization: pick(['rbac', 'acl', 'iam-policy']),
        encryptionAtRest: chance(0.85),
        logging: chance(0.7),
        backups: chance(0.8),
        redundancy: chance(0.5),
      };
      element.stores = sample(assetIds, 1 + int(3));
    } else if (chance(0.5)) {
      element.security = { authentication: pick(['password', 'mfa', 'oidc', 'saml']) };
    }
    element.controls = sample(CONTROL_POOL[kind], kind === 'external' ? 1 + int(2) : 2 + int(4));
    element.owner = pick(TEAMS);
    element.tags = [domain, pick(['tier-1', 'tier-2', 'tier-3'])];
    elements.push(element);

    if (kind !== 'external' && !DEVICE_TYPES.has(type)) {
      targets.push(i);
      if (element.boundary !== undefined) {
        push(targetsByBoundary, element.boundary, i);
        push(targetsByRoot, rootOf.get(element.boundary) ?? element.boundary, i);
      }
    }
    if (THIRD_PARTY_TYPES.has(type)) thirdParties.push(i);
    if (kind === 'process' && !DEVICE_TYPES.has(type)) {
      processes.push(i);
      if (element.boundary !== undefined) push(processesByBoundary, element.boundary, i);
      if (EDGE_TYPES.has(type) || type === 'web-app' || type === 'api') entryPoints.push(i);
    }
  }
  if (entryPoints.length === 0) entryPoints.push(...processes);

  // --- Flows: first one per element (so that every element takes part in one), then random ones with locality.
  /** @param {number} index @returns {ElementInput} */
  const el = (index) => /** @type {ElementInput} */ (elements[index]);
  /**
   * Something a process calls: usually in its own boundary, else in the same account, else anywhere.
   * @param {number} from
   */
  const pickTarget = (from) => {
    const boundary = el(from).boundary;
    if (thirdParties.length > 0 && chance(0.03)) return pick(thirdParties);
    const r = random();
    /** @type {number[] | undefined} */
    let pool = targets;
    if (boundary !== undefined && r < 0.55) pool = targetsByBoundary.get(boundary);
    else if (boundary !== undefined && r < 0.8) pool = targetsByRoot.get(rootOf.get(boundary) ?? boundary);
    for (let tries = 0; tries < 8; tries++) {
      const to = pick(pool && pool.length > 1 ? pool : targets);
      if (to !== from) return to;
    }
    return from === targets[0] ? /** @type {number} */ (targets[1]) : /** @type {number} */ (targets[0]);
  };
  /**
   * A process that calls a data store.
   * @param {number} to
   */
  const pickCaller = (to) => {
    const element = el(to);
    const local = element.boundary === undefined ? undefined : processesByBoundary.get(element.boundary);
    for (let tries = 0; tries < 8; tries++) {
      const from = pick(local && local.length > 0 && chance(0.7) ? local : processes);
      if (from !== to) return from;
    }
    return /** @type {number} */ (processes.find((p) => p !== to));
  };
  const deviceApps = elements.flatMap((e, i) => (e.type === 'single-page-app' || e.type === 'mobile-app' ? [i] : []));

  const flowTarget = 3 * n;
  /** @type {FlowInput[]} */
  const flows = [];
  /**
   * @param {number} from
   * @param {number} to
   */
  const addFlow = (from, to) => {
    const source = el(from);
    const target = el(to);
    const k = flows.length;
    const sameBoundary = source.boundary !== undefined && source.boundary === target.boundary;
    /** @type {Protocol} */
    let protocol;
    /** @type {Authentication} */
    let authentication;
    switch (target.type) {
      case 'database':
        protocol = pick(['postgres', 'mysql', 'mongodb', 'sql']);
        authentication = pick(['password', 'iam', 'certificate']);
        break;
      case 'data-warehouse':
        protocol = 'sql';
        authentication = pick(['password', 'iam']);
        break;
      case 'cache':
        protocol = pick(['redis', 'memcached']);
        authentication = pick(['password', 'token']);
        break;
      case 'queue':
        protocol = pick(['amqp', 'nats', 'mqtt']);
        authentication = pick(['password', 'mtls', 'token']);
        break;
      case 'event-bus':
        protocol = 'kafka';
        authentication = pick(['mtls', 'password']);
        break;
      case 'directory':
        protocol = 'ldaps';
        authentication = 'password';
        break;
      case 'file-store':
      case 'backup':
        protocol = pick(['nfs', 'smb', 'sftp']);
        authentication = pick(['kerberos', 'ssh-key', 'certificate']);
        break;
      case 'source-repository':
        protocol = 'ssh';
        authentication = 'ssh-key';
        break;
      case 'object-store':
      case 'vault':
      case 'kms':
      case 'container-registry':
        protocol = 'cloud-api';
        authentication = 'iam';
        break;
      case 'email-service':
        protocol = 'smtp';
        authentication = 'password';
        break;
      case 'browser-storage':
      case 'mobile-storage':
        protocol = 'in-process';
        authentication = 'none';
        break;
      default:
        if (source.kind === 'external' && (source.type === 'user' || source.type === 'browser')) {
          protocol = 'https';
          authentication = pick(['session-cookie', 'oidc', 'password', 'mfa']);
        } else if (DEVICE_TYPES.has(source.type ?? '')) {
          protocol = pick(['https', 'websocket', 'graphql']);
          authentication = pick(['jwt', 'oauth2']);
        } else {
          protocol = pick(['https', 'https', 'grpc', 'http2', 'graphql', 'websocket']);
          authentication = pick(SERVICE_AUTH);
        }
    }
    /** @type {Encryption} */
    const encryption =
      protocol === 'in-process'
        ? 'none'
        : authentication === 'mtls'
          ? 'mtls'
          : protocol === 'ssh' || protocol === 'sftp'
            ? 'ssh'
            : sameBoundary && chance(0.08)
              ? 'none'
              : 'tls';
    /** @type {string[]} */
    const data = [k < assetIds.length ? /** @type {string} */ (assetIds[k]) : pick(assetIds)];
    if (chance(0.35)) {
      const extra = pick(assetIds);
      if (!data.includes(extra)) data.push(extra);
    }
    /** @type {FlowInput} */
    const flow = {
      id: `flow-${k + 1}`,
      from: /** @type {string} */ (source.id),
      to: /** @type {string} */ (target.id),
      name: `${pick(VERBS)} ${String(target.tags?.[0] ?? 'data')}`,
      protocol,
    };
    const port = PORTS[protocol];
    if (port !== undefined) flow.port = port;
    flow.authentication = authentication;
    if (chance(0.6)) flow.authorization = pick(['rbac', 'scopes', 'iam-policy', 'acl']);
    flow.encryption = encryption;
    flow.data = data;
    if (protocol === 'websocket' || (protocol === 'grpc' && chance(0.3))) flow.bidirectional = true;
    if (chance(0.3))
      flow.controls = sample(
        ['rate-limiting', 'input-validation', 'message-signing', 'replay-protection', 'encryption-in-transit'],
        1 + int(2),
      );
    if (chance(0.15)) flow.tags = [pick(['sync', 'async', 'batch'])];
    flows.push(flow);
  };

  for (let i = 0; i < n; i++) {
    const element = el(i);
    if (element.kind === 'external') {
      if (element.type === 'browser' && deviceApps.length > 0 && chance(0.5)) addFlow(i, pick(deviceApps));
      else addFlow(i, pick(entryPoints));
    } else if (DEVICE_TYPES.has(element.type ?? '')) {
      // Apps on a device call an edge process; on-device storage is written by an app on the device.
      if (element.kind === 'datastore') addFlow(deviceApps.length > 0 ? pick(deviceApps) : pick(processes), i);
      else addFlow(i, pick(entryPoints));
    } else if (element.kind === 'datastore') {
      addFlow(pickCaller(i), i);
    } else {
      addFlow(i, pickTarget(i));
    }
  }
  while (flows.length < flowTarget) {
    const from = pick(processes);
    addFlow(from, pickTarget(from));
  }

  // --- Actors.
  const firstInner = /** @type {string} */ (inner[0]);
  const ciRunner = elements.find((e) => e.type === 'ci-runner')?.id;
  /** @type {ActorInput[]} */
  const actors = [
    {
      id: 'actor-opportunist',
      name: 'Opportunistic attacker',
      kind: 'external',
      capability: 'medium',
      resources: 'low',
      motivation: ['financial', 'curiosity'],
      startsIn: ['zone-internet'],
    },
    {
      id: 'actor-fraudster',
      name: 'Fraudster',
      kind: 'external',
      capability: 'medium',
      resources: 'medium',
      motivation: ['fraud', 'financial'],
      startsIn: ['zone-internet'],
    },
    {
      id: 'actor-organised-crime',
      name: 'Organised crime group',
      kind: 'external',
      capability: 'high',
      resources: 'high',
      motivation: ['financial'],
      startsIn: ['zone-internet'],
    },
    {
      id: 'actor-nation-state',
      name: 'State-sponsored group',
      kind: 'external',
      capability: 'critical',
      resources: 'critical',
      motivation: ['espionage'],
      startsIn: ['zone-internet', 'zone-third-party'],
    },
    {
      id: 'actor-compromised-partner',
      name: 'Compromised partner',
      kind: 'external',
      capability: 'medium',
      resources: 'medium',
      motivation: ['financial'],
      startsIn: ['zone-third-party'],
    },
    {
      id: 'actor-device-malware',
      name: 'Malware on a customer device',
      kind: 'external',
      capability: 'medium',
      resources: 'low',
      motivation: ['fraud'],
      startsIn: ['zone-user-device'],
    },
    {
      id: 'actor-hacktivist',
      name: 'Hacktivist',
      kind: 'external',
      capability: 'medium',
      resources: 'low',
      motivation: ['ideology', 'disruption'],
      startsIn: ['zone-internet'],
    },
    {
      id: 'actor-insider',
      name: 'Malicious insider',
      kind: 'internal',
      capability: 'high',
      resources: 'medium',
      motivation: ['revenge', 'financial'],
      startsIn: sample(inner, 3),
    },
    {
      id: 'actor-careless-admin',
      name: 'Careless administrator',
      kind: 'internal',
      capability: 'high',
      resources: 'low',
      motivation: ['accidental'],
      startsIn: [firstInner],
    },
    {
      id: 'actor-supply-chain',
      name: 'Supply-chain attacker',
      kind: 'external',
      capability: 'high',
      resources: 'high',
      motivation: ['espionage', 'financial'],
      startsIn: ciRunner ? [ciRunner] : ['zone-third-party'],
    },
  ];
  for (const actor of actors) actor.wants = sample(assetIds, 2);

  return {
    parapet: 1,
    model: {
      id: `synthetic-${n}`,
      title: `Synthetic model with ${n} elements`,
      description: `Generated by bench/generateModel.js (seed ${seed}) for performance measurements.`,
      version: '1.0.0',
      updated: '2025-01-01',
      owners: [{ name: 'Benchmark', role: 'generator' }],
      scope: { summary: 'A large, made-up online business.', in: ['all services'], out: ['physical security'] },
      businessContext: { purpose: 'Benchmark input', criticality: 'high', compliance: ['GDPR', 'PCI-DSS'] },
      settings: { rulePacks: ['stride'] },
    },
    boundaries,
    elements,
    flows,
    assets,
    actors,
  };
}

/**
 * The model as YAML text, the way people write it (block style).
 * @param {ThreatModelInput} model
 * @returns {string}
 */
export function toYaml(model) {
  return stringify(model, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/**
 * The model as JSON text (compact, as tools emit it).
 * @param {ThreatModelInput} model
 * @returns {string}
 */
export function toJson(model) {
  return JSON.stringify(model);
}

/**
 * Generates a model and returns its text in the given format.
 * @param {GenerateOptions & { format: 'json' | 'yaml' }} options
 * @returns {string}
 */
export function generateModelText(options) {
  const model = generateModel(options);
  return options.format === 'json' ? toJson(model) : toYaml(model);
}
