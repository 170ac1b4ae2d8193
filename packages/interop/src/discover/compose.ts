// Reads a docker-compose file (the Compose Specification: `services`, `networks`, `volumes`, `secrets`,
// `configs`) into source resources: services with their images, published ports, networks, volumes and the
// services they talk to, found in `links`, `depends_on` and environment variables that name another service.
// Also home of the small helpers the Kubernetes reader shares: safe accessors for untrusted parsed data,
// image names, and finding host names in configuration values.
import type { PathSegment } from '@parapet/core';
import { ImportError } from '../ImportResult.js';
import { pathText } from '../source.js';
import { parseWithPositions, type PositionedSource } from './mappingFile.js';
import type { DiscoveryInput, Relation, SourceNote, SourceResource } from './types.js';

/** A mapping of parsed data, or undefined when the value is anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A list of parsed data, or the empty list when the value is anything else. */
export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or a number or boolean written where a string is meant (`port: 80`), as text; else undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A TCP/UDP port number from a number or a string of digits, or undefined. */
export function asPort(value: unknown): number | undefined {
  const text = asText(value);
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

/** The image as written, its repository (without tag or digest) and the repository's last segment. */
export interface ImageName {
  readonly image: string;
  readonly imageRepository: string;
  readonly imageName: string;
}

/** Splits `docker.io/library/postgres:15@sha256:...` into repository `docker.io/library/postgres` and name `postgres`. */
export function parseImage(image: string): ImageName {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  const imageRepository = lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
  const imageName = imageRepository.slice(imageRepository.lastIndexOf('/') + 1);
  return { image, imageRepository, imageName };
}

/** The attributes an image gives a resource (for mapping rules), or none when there is no image. */
export function imageAttributes(image: string | undefined): Record<string, string> {
  return image === undefined || image === '' ? {} : { ...parseImage(image) };
}

/** A host named in a configuration value: in a URL, as `host:port`, or alone. */
export interface HostReference {
  readonly host: string;
  readonly port?: number;
  /** The flow protocol the URL's scheme implies, from Parapet's list. */
  readonly protocol?: string;
  readonly form: 'url' | 'host-port' | 'host';
}

/** URL schemes and the Parapet protocol each implies. */
const SCHEME_PROTOCOLS: Readonly<Record<string, string>> = {
  http: 'http',
  https: 'https',
  ws: 'websocket',
  wss: 'websocket',
  grpc: 'grpc',
  grpcs: 'grpc',
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  mongodb: 'mongodb',
  'mongodb+srv': 'mongodb',
  redis: 'redis',
  rediss: 'redis',
  memcached: 'memcached',
  amqp: 'amqp',
  amqps: 'amqp',
  mqtt: 'mqtt',
  mqtts: 'mqtt',
  kafka: 'kafka',
  nats: 'nats',
  ldap: 'ldap',
  ldaps: 'ldaps',
  smtp: 'smtp',
  smtps: 'smtp',
  imap: 'imap',
  imaps: 'imap',
  ftp: 'ftp',
  sftp: 'sftp',
  ssh: 'ssh',
  tcp: 'tcp',
  udp: 'udp',
  nfs: 'nfs',
  smb: 'smb',
};

const URL_PATTERN = /^(?:jdbc:)?([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#\s]*@)?([^/:?#@\s[\]]+)(?::(\d{1,5}))?/i;
const HOST_PORT_PATTERN = /^([a-z0-9][a-z0-9_.-]*):(\d{1,5})(?:\/\S*)?$/i;
const HOST_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/i;
const ASSIGNMENT_PATTERN = /^([a-z_][a-z0-9_.-]*)=(.*)$/i;
/** Variable names that hold a host (so a bare word in their value is one): `REDIS_HOST`, `DB_SERVER`, `BROKER`. */
const HOST_VARIABLE_PATTERN = /host|addr|server|url|uri|endpoint|dsn|broker|upstream|backend|peer|service/i;
/** Values longer than this are configuration files, scanned only for URLs and host:port. */
const MAX_SCANNED_LENGTH = 1_000_000;

/** Whether a variable's name says it holds a host name, so that a bare word in its value is read as one. */
export function isHostVariable(name: string): boolean {
  return HOST_VARIABLE_PATTERN.test(name);
}

/**
 * The hosts a configuration value names: URLs (`postgres://user@db:5432/x`, `jdbc:mysql://db/x`),
 * `host:port` and, when `bareHosts` (the variable's name says it holds a host), a bare word. Values are
 * split on white space, commas and semicolons, so lists (`kafka-1:9092,kafka-2:9092`) and connection strings
 * (`Server=db;Port=5432`) are read too. Linear in the value's length.
 */
export function findHostReferences(value: string, bareHosts: boolean): HostReference[] {
  const found: HostReference[] = [];
  const clipped = value.length > MAX_SCANNED_LENGTH ? value.slice(0, MAX_SCANNED_LENGTH) : value;
  // Interpolations (`${REDIS_HOST}`, `$HOST`) are unknown until run time: the tokens holding them are skipped.
  const text = clipped.replace(/\$\{[^}]*\}|\$\w+/g, '$');
  for (const raw of text.split(/[\s,;"'()<>{}|`]+/)) {
    if (raw === '' || raw.includes('$')) continue;
    const assignment = ASSIGNMENT_PATTERN.exec(raw);
    const token = assignment ? (assignment[2] ?? '') : raw;
    const bare = assignment ? isHostVariable(assignment[1] ?? '') : bareHosts;
    const reference = readHostToken(token, bare);
    if (reference) found.push(reference);
  }
  return found;
}

/** One token as a host reference, or undefined. */
function readHostToken(token: string, bare: boolean): HostReference | undefined {
  const url = URL_PATTERN.exec(token);
  if (url) {
    const protocol = SCHEME_PROTOCOLS[(url[1] ?? '').toLowerCase()];
    const port = asPort(url[3]);
    return {
      host: url[2] ?? '',
      form: 'url',
      ...(port !== undefined && { port }),
      ...(protocol !== undefined && { protocol }),
    };
  }
  const hostPort = HOST_PORT_PATTERN.exec(token);
  if (hostPort) {
    const port = asPort(hostPort[2]);
    return port === undefined ? undefined : { host: hostPort[1] ?? '', port, form: 'host-port' };
  }
  return bare && HOST_PATTERN.test(token) ? { host: token, form: 'host' } : undefined;
}

/** `in a URL`, `as host:port`, `as a host`, with the port when given: for evidence texts. */
export function describeReference(reference: HostReference): string {
  const form = reference.form === 'url' ? 'in a URL' : reference.form === 'host-port' ? 'as host:port' : 'as a host';
  return reference.port === undefined ? form : `${form}, port ${reference.port}`;
}

/** The service settings this reader reads; the others are listed in a note on the service. */
const READ_SERVICE_KEYS = new Set([
  'image',
  'build',
  'ports',
  'expose',
  'networks',
  'network_mode',
  'volumes',
  'links',
  'depends_on',
  'environment',
  'secrets',
  'labels',
  'profiles',
  'container_name',
  'hostname',
]);

/** Host addresses that only the machine itself reaches: a port published there is not exposed. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i;
/** A compose volume name (a volume source that is not a path). */
const VOLUME_NAME = /^[a-z0-9][a-z0-9_.-]*$/i;

/** A published port: on which host address (all when absent), which host port, which container port. */
interface PublishedPort {
  readonly hostIp?: string;
  readonly published?: string;
  readonly target: string;
  readonly protocol?: string;
}

/** What one service of the file contributes while it is read. */
interface ServiceDraft {
  readonly name: string;
  readonly path: readonly PathSegment[];
  readonly settings: Record<string, unknown>;
  readonly relations: Relation[];
  readonly notes: SourceNote[];
  readonly attributes: Record<string, unknown>;
  exposure?: 'internet' | 'internal';
}

/** Reading state: the file's positions and the host names that lead to each service. */
interface ComposeContext {
  readonly file: string;
  readonly source: PositionedSource;
  /** Lower-cased service names, container names, host names and aliases -> service name. */
  readonly hosts: Map<string, string>;
  readonly serviceNames: ReadonlySet<string>;
  /** Whether some service joins the `default` network without naming it. */
  usesDefaultNetwork: boolean;
  defaultNetworkLine?: number;
}

/**
 * Reads a docker-compose file into resources: each service (type `service`, address `services.<name>`), each
 * network (type `network`, including the implicit `default` when a service joins it), volume, secret and
 * config. Relations: `member-of` networks, `stores-in` named volumes, `flow` to services named in `links`,
 * `depends_on` and environment variables, `uses-secret` secrets. What a service holds that is not read (bind
 * mounts, host networking, settings of no use to a threat model) is listed in its notes. Throws ImportError
 * when the text is not YAML/JSON or has no `services` mapping.
 */
export function readCompose(input: DiscoveryInput): SourceResource[] {
  const source = parseWithPositions(input.text, input.file);
  const root = asRecord(source.data);
  if (!root) throw new ImportError('a docker-compose file is a mapping with a `services:` key', input.file, 1, 1);
  const services = asRecord(root.services);
  if (!services) {
    const where = source.locate(['services']);
    throw new ImportError(
      '`services` is not a mapping of service names to their settings',
      input.file,
      where.line,
      where.column,
    );
  }
  const context: ComposeContext = {
    file: input.file,
    source,
    hosts: new Map(),
    serviceNames: new Set(Object.keys(services)),
    usesDefaultNetwork: false,
  };
  const drafts = Object.entries(services).map(([name, value]) => startService(context, name, value));
  for (const draft of drafts) collectHostNames(context, draft);
  for (const draft of drafts) readServiceRelations(context, draft);
  const resources = drafts.map((draft) => finishService(context, draft));
  resources.push(...readNetworks(context, asRecord(root.networks)));
  resources.push(...readNamed(context, 'volumes', 'volume', asRecord(root.volumes), ['driver', 'external', 'name']));
  resources.push(...readNamed(context, 'secrets', 'secret', asRecord(root.secrets), ['external', 'name']));
  resources.push(...readNamed(context, 'configs', 'config', asRecord(root.configs), ['external', 'name']));
  const first = resources[0];
  if (first && root.include !== undefined) {
    resources[0] = { ...first, notes: [...(first.notes ?? []), includeNote(context)] };
  }
  return resources;
}

/** The note that the file includes others, which discovery reads only when they are given as inputs too. */
function includeNote(context: ComposeContext): SourceNote {
  return {
    at: 'include',
    line: context.source.locate(['include'], 'key').line,
    what: 'include of other compose files',
    reason: 'discovery reads only the files it is given: pass the included files as inputs too',
  };
}

/** A service's draft with its attributes, published ports and notes on what is not read. */
function startService(context: ComposeContext, name: string, value: unknown): ServiceDraft {
  const path = ['services', name];
  const settings = asRecord(value) ?? {};
  const draft: ServiceDraft = { name, path, settings, relations: [], notes: [], attributes: {} };
  if (value !== null && !asRecord(value)) {
    addNote(context, draft, path, `service ${name}`, 'its settings are not a mapping, so nothing of it is read');
  }
  const image = asText(settings.image);
  Object.assign(draft.attributes, imageAttributes(image));
  const build = asText(settings.build) ?? asText(asRecord(settings.build)?.context);
  if (build !== undefined) draft.attributes.build = build;
  copyText(draft.attributes, 'containerName', settings.container_name);
  copyText(draft.attributes, 'hostname', settings.hostname);
  const labels = readLabels(settings.labels);
  if (Object.keys(labels).length > 0) draft.attributes.labels = labels;
  const profiles = asList(settings.profiles)
    .map(asText)
    .filter((p) => p !== undefined);
  if (profiles.length > 0) draft.attributes.profiles = profiles;
  const environmentNames = readEnvironment(settings.environment).map((entry) => entry.name);
  if (environmentNames.length > 0) draft.attributes.environmentNames = environmentNames;
  readPorts(context, draft);
  const unread = Object.keys(settings).filter((key) => !READ_SERVICE_KEYS.has(key) && !key.startsWith('x-'));
  if (unread.length > 0) {
    addNote(
      context,
      draft,
      path,
      `settings of service ${name}: ${unread.join(', ')}`,
      'not read by discovery (the model has no field for them); review them by hand',
    );
  }
  return draft;
}

/** Copies a text value into attributes under a name, when it is text. */
function copyText(attributes: Record<string, unknown>, name: string, value: unknown): void {
  const text = asText(value);
  if (text !== undefined) attributes[name] = text;
}

/** Labels written as a mapping or as a list of `key=value`, as a mapping of strings. */
function readLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  const record = asRecord(value);
  if (record) {
    for (const [key, label] of Object.entries(record)) labels[key] = asText(label) ?? '';
  } else {
    for (const item of asList(value)) {
      const text = asText(item);
      if (text === undefined) continue;
      const equals = text.indexOf('=');
      labels[equals === -1 ? text : text.slice(0, equals)] = equals === -1 ? '' : text.slice(equals + 1);
    }
  }
  return labels;
}

/** One environment variable: its name, its value when written, and where it is in the file. */
interface EnvironmentEntry {
  readonly name: string;
  readonly value?: string;
  readonly path: readonly PathSegment[];
  readonly part: 'key' | 'value';
}

/** Environment variables written as a mapping or as a list of `NAME=value` (or `NAME` alone). */
function readEnvironment(value: unknown): EnvironmentEntry[] {
  const record = asRecord(value);
  if (record) {
    return Object.entries(record).map(([name, text]) => {
      const written = asText(text);
      return {
        name,
        path: ['environment', name],
        part: 'key' as const,
        ...(written !== undefined && { value: written }),
      };
    });
  }
  return asList(value).flatMap((item, i): EnvironmentEntry[] => {
    const text = asText(item);
    if (text === undefined) return [];
    const equals = text.indexOf('=');
    const path = ['environment', i];
    return equals === -1
      ? [{ name: text, path, part: 'value' }]
      : [{ name: text.slice(0, equals), value: text.slice(equals + 1), path, part: 'value' }];
  });
}

/** Reads `ports` (short and long syntax) and `expose`: the service's exposure and its published ports. */
function readPorts(context: ComposeContext, draft: ServiceDraft): void {
  const published = asList(draft.settings.ports).flatMap((entry, i) => {
    const port = readPublishedPort(entry);
    if (port === undefined) {
      addNote(
        context,
        draft,
        [...draft.path, 'ports', i],
        `port ${JSON.stringify(entry) ?? ''}`,
        'not a port mapping Docker accepts',
      );
    }
    return port === undefined ? [] : [port];
  });
  const expose = asList(draft.settings.expose)
    .map(asText)
    .filter((port) => port !== undefined);
  if (published.length > 0) draft.attributes.ports = published;
  if (expose.length > 0) draft.attributes.expose = expose;
  if (published.some((port) => port.hostIp === undefined || !LOOPBACK.test(port.hostIp))) draft.exposure = 'internet';
  else if (published.length > 0 || expose.length > 0) draft.exposure = 'internal';
}

/** One `ports` entry: `8080:80`, `127.0.0.1:9229:9229`, `[::1]:80:80/udp`, `80`, or `{ target, published, host_ip }`. */
function readPublishedPort(entry: unknown): PublishedPort | undefined {
  const long = asRecord(entry);
  if (long) {
    const target = asText(long.target);
    if (target === undefined) return undefined;
    const hostIp = asText(long.host_ip);
    const published = asText(long.published);
    const protocol = asText(long.protocol);
    return {
      target,
      ...(hostIp !== undefined && { hostIp }),
      ...(published !== undefined && { published }),
      ...(protocol !== undefined && { protocol }),
    };
  }
  const text = asText(entry);
  if (text === undefined || text === '') return undefined;
  const slash = text.lastIndexOf('/');
  const protocol = slash === -1 ? undefined : text.slice(slash + 1);
  const mapping = slash === -1 ? text : text.slice(0, slash);
  let hostIp: string | undefined;
  let rest = mapping;
  if (mapping.startsWith('[')) {
    const close = mapping.indexOf(']');
    if (close === -1) return undefined;
    hostIp = mapping.slice(0, close + 1);
    rest = mapping.slice(close + 2);
  }
  const parts = rest.split(':');
  const target = parts[parts.length - 1] ?? '';
  if (!/^\d+(-\d+)?$/.test(target)) return undefined;
  const published = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  if (hostIp === undefined && parts.length >= 3) hostIp = parts.slice(0, -2).join(':');
  return {
    target,
    ...(hostIp !== undefined && hostIp !== '' && { hostIp }),
    ...(published !== undefined && published !== '' && { published }),
    ...(protocol !== undefined && { protocol }),
  };
}

/** Registers the names other services may use for this one: its name, container name, host name, aliases. */
function collectHostNames(context: ComposeContext, draft: ServiceDraft): void {
  const names = [draft.name, asText(draft.settings.container_name), asText(draft.settings.hostname)];
  const networks = asRecord(draft.settings.networks);
  for (const network of Object.values(networks ?? {})) {
    for (const alias of asList(asRecord(network)?.aliases)) names.push(asText(alias));
  }
  for (const name of names) {
    if (name !== undefined && name !== '' && !context.hosts.has(name.toLowerCase())) {
      context.hosts.set(name.toLowerCase(), draft.name);
    }
  }
  for (const link of asList(draft.settings.links)) {
    const [service, alias] = (asText(link) ?? '').split(':');
    if (service && alias && context.serviceNames.has(service) && !context.hosts.has(alias.toLowerCase())) {
      context.hosts.set(alias.toLowerCase(), service);
    }
  }
}

/** Reads the relations of a service: networks, volumes, links, depends_on, environment, secrets. */
function readServiceRelations(context: ComposeContext, draft: ServiceDraft): void {
  readNetworkMembership(context, draft);
  readVolumes(context, draft);
  readLinks(context, draft);
  readDependencies(context, draft);
  readEnvironmentFlows(context, draft);
  readSecretUses(context, draft);
}

/** `member-of` each network the service joins (the implicit `default` when it names none). */
function readNetworkMembership(context: ComposeContext, draft: ServiceDraft): void {
  const mode = asText(draft.settings.network_mode);
  if (mode !== undefined) {
    addNote(
      context,
      draft,
      [...draft.path, 'network_mode'],
      `network_mode: ${mode}`,
      mode === 'host'
        ? 'the service shares the host network: every port it listens on is reachable wherever the host is; its boundary and exposure are not inferred'
        : 'the service shares another network stack; its boundary is not inferred',
    );
    return;
  }
  const networks = draft.settings.networks;
  const names = asRecord(networks) ? Object.keys(asRecord(networks) ?? {}) : asList(networks).map(asText);
  if (networks === undefined || names.length === 0) {
    context.usesDefaultNetwork = true;
    context.defaultNetworkLine ??= line(context, draft.path, 'key');
    draft.relations.push({
      kind: 'member-of',
      to: 'networks.default',
      evidence: 'joins the default network (no networks: given)',
    });
    return;
  }
  names.forEach((name, i) => {
    if (name === undefined) return;
    const at = Array.isArray(networks) ? [...draft.path, 'networks', i] : [...draft.path, 'networks', name];
    draft.relations.push({
      kind: 'member-of',
      to: `networks.${name}`,
      line: line(context, at, Array.isArray(networks) ? 'value' : 'key'),
      evidence: `networks: ${name}`,
    });
  });
}

/** `stores-in` named volumes; bind mounts, anonymous volumes and tmpfs are noted. */
function readVolumes(context: ComposeContext, draft: ServiceDraft): void {
  asList(draft.settings.volumes).forEach((entry, i) => {
    const at = [...draft.path, 'volumes', i];
    const mount = readMount(entry);
    if (mount.kind === 'volume') {
      draft.relations.push({
        kind: 'stores-in',
        to: `volumes.${mount.source}`,
        protocol: 'file',
        line: line(context, at),
        evidence: `volume ${mount.source} mounted at ${mount.target}`,
      });
      return;
    }
    const reason =
      mount.kind === 'bind'
        ? mount.source.endsWith('docker.sock')
          ? 'the Docker socket is mounted: the service controls the Docker daemon, and so the host; the host is not modelled'
          : 'a bind mount shares host files with the service; the host file system is not modelled'
        : mount.kind === 'anonymous'
          ? 'an anonymous volume keeps data Docker names itself; not modelled as a separate store'
          : 'not a mount discovery understands';
    addNote(context, draft, at, `${mount.kind} mount ${mount.source} -> ${mount.target}`, reason);
  });
}

/** A volume entry (short `source:target[:mode]` or long syntax) and what sort of mount it is. */
function readMount(entry: unknown): {
  kind: 'volume' | 'bind' | 'anonymous' | 'other';
  source: string;
  target: string;
} {
  const long = asRecord(entry);
  if (long) {
    const type = asText(long.type) ?? 'volume';
    const source = asText(long.source) ?? '';
    const target = asText(long.target) ?? '';
    if (type === 'volume') return { kind: source === '' ? 'anonymous' : 'volume', source, target };
    return { kind: type === 'bind' ? 'bind' : 'other', source: source || type, target };
  }
  const text = asText(entry) ?? '';
  const drive = /^[a-z]:[\\/]/i.test(text) ? 2 : 0;
  const colon = text.indexOf(':', drive);
  if (colon === -1) return { kind: 'anonymous', source: '(anonymous)', target: text };
  const source = text.slice(0, colon);
  const target = text.slice(colon + 1).split(':')[0] ?? '';
  return { kind: VOLUME_NAME.test(source) ? 'volume' : 'bind', source, target };
}

/** `flow` to each linked service. */
function readLinks(context: ComposeContext, draft: ServiceDraft): void {
  asList(draft.settings.links).forEach((link, i) => {
    const service = (asText(link) ?? '').split(':')[0] ?? '';
    addServiceFlow(context, draft, service, [...draft.path, 'links', i], 'value', `links: ${asText(link) ?? ''}`);
  });
  if (draft.settings.external_links !== undefined) {
    addNote(
      context,
      draft,
      [...draft.path, 'external_links'],
      'external_links',
      'links to containers outside this file are not modelled',
    );
  }
}

/** `flow` to each service it depends on, except on jobs that only run to completion before it starts. */
function readDependencies(context: ComposeContext, draft: ServiceDraft): void {
  const dependsOn = draft.settings.depends_on;
  const record = asRecord(dependsOn);
  const entries: [string, unknown, readonly PathSegment[], 'key' | 'value'][] = record
    ? Object.entries(record).map(([name, options]) => [name, options, [...draft.path, 'depends_on', name], 'key'])
    : asList(dependsOn).flatMap((item, i) => {
        const name = asText(item);
        return name === undefined ? [] : [[name, undefined, [...draft.path, 'depends_on', i], 'value']];
      });
  for (const [name, options, at, part] of entries) {
    const condition = asText(asRecord(options)?.condition);
    if (condition === 'service_completed_successfully') {
      addNote(
        context,
        draft,
        at,
        `depends_on ${name} (${condition})`,
        'a start order on a job that runs to completion, not a data flow',
      );
      continue;
    }
    addServiceFlow(context, draft, name, at, part, `depends_on: ${name}${condition ? ` (${condition})` : ''}`);
  }
}

/** `flow` to each service an environment variable names as a host, in a URL or as host:port. */
function readEnvironmentFlows(context: ComposeContext, draft: ServiceDraft): void {
  for (const entry of readEnvironment(draft.settings.environment)) {
    if (entry.value === undefined) continue;
    for (const reference of findHostReferences(entry.value, isHostVariable(entry.name))) {
      const service = context.hosts.get(reference.host.toLowerCase());
      if (service === undefined || service === draft.name) continue;
      draft.relations.push({
        kind: 'flow',
        to: `services.${service}`,
        ...(reference.port !== undefined && { port: reference.port }),
        ...(reference.protocol !== undefined && { protocol: reference.protocol }),
        line: line(context, [...draft.path, ...entry.path], entry.part),
        evidence: `environment variable ${entry.name} names service ${service} ${describeReference(reference)}`,
      });
    }
  }
  if (draft.settings.env_file !== undefined) {
    addNote(
      context,
      draft,
      [...draft.path, 'env_file'],
      'env_file',
      'environment files are not read: variables in them that name other services give no flow',
    );
  }
}

/** `uses-secret` for each secret the service is given. */
function readSecretUses(context: ComposeContext, draft: ServiceDraft): void {
  asList(draft.settings.secrets).forEach((entry, i) => {
    const name = asText(entry) ?? asText(asRecord(entry)?.source);
    if (name === undefined) return;
    draft.relations.push({
      kind: 'uses-secret',
      to: `secrets.${name}`,
      line: line(context, [...draft.path, 'secrets', i]),
      evidence: `secrets: ${name}`,
    });
  });
}

/** A flow to a service of the file, or a note when there is no such service. */
function addServiceFlow(
  context: ComposeContext,
  draft: ServiceDraft,
  service: string,
  at: readonly PathSegment[],
  part: 'key' | 'value',
  evidence: string,
): void {
  if (!context.serviceNames.has(service)) {
    addNote(context, draft, at, evidence, `no service "${service}" in this file`);
    return;
  }
  if (service === draft.name) return;
  draft.relations.push({ kind: 'flow', to: `services.${service}`, line: line(context, at, part), evidence });
}

/** The finished service resource. */
function finishService(context: ComposeContext, draft: ServiceDraft): SourceResource {
  return {
    source: 'docker-compose',
    type: 'service',
    name: draft.name,
    address: `services.${draft.name}`,
    file: context.file,
    line: line(context, draft.path, 'key'),
    attributes: draft.attributes,
    ...(draft.exposure !== undefined && { exposure: draft.exposure }),
    relations: draft.relations,
    ...(draft.notes.length > 0 && { notes: draft.notes }),
  };
}

/** Network resources: those declared, and `default` when a service joins it without it being declared. */
function readNetworks(context: ComposeContext, networks: Record<string, unknown> | undefined): SourceResource[] {
  const resources = readNamed(context, 'networks', 'network', networks, ['driver', 'internal', 'external', 'name']);
  if (context.usesDefaultNetwork && !(networks && 'default' in networks)) {
    resources.push({
      source: 'docker-compose',
      type: 'network',
      name: 'default',
      address: 'networks.default',
      file: context.file,
      line: context.defaultNetworkLine ?? 1,
      attributes: { implicit: true },
      relations: [],
    });
  }
  return resources;
}

/** Resources of a top-level section (`volumes`, `secrets`...), each with the listed settings as attributes. */
function readNamed(
  context: ComposeContext,
  section: string,
  type: string,
  entries: Record<string, unknown> | undefined,
  keys: readonly string[],
): SourceResource[] {
  return Object.entries(entries ?? {}).map(([name, value]) => {
    const settings = asRecord(value) ?? {};
    const attributes: Record<string, unknown> = {};
    for (const key of keys) {
      const setting = settings[key];
      if (typeof setting === 'string' || typeof setting === 'boolean') attributes[key] = setting;
      else if (asRecord(setting)) attributes[key] = true;
    }
    return {
      source: 'docker-compose',
      type,
      name,
      address: `${section}.${name}`,
      file: context.file,
      line: line(context, [section, name], 'key'),
      attributes,
      relations: [],
    };
  });
}

/** Adds a note about a service's setting at a path. */
function addNote(
  context: ComposeContext,
  draft: ServiceDraft,
  at: readonly PathSegment[],
  what: string,
  reason: string,
): void {
  draft.notes.push({ at: pathText(at), line: line(context, at, 'key'), what, reason });
}

/** The line of a path's key or value. */
function line(context: ComposeContext, path: readonly PathSegment[], part: 'key' | 'value' = 'value'): number {
  return context.source.locate(path, part).line;
}
