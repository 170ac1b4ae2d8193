// Reads Kubernetes manifests (multi-document YAML, or JSON, including `kind: List`) into source resources:
// workloads with their images and the Services their configuration names, the Services and Ingresses that
// expose them, their namespaces, the Secrets they read, and every other object as it is (for mapping rules
// to ignore or map). Secret values are never read: a Secret contributes the names of its keys only.
import type { PathSegment } from '@parapet/core';
import { ImportError } from '../ImportResult.js';
import { MAX_INPUT_BYTES, pathText } from '../source.js';
import {
  asList,
  asPort,
  asRecord,
  asText,
  describeReference,
  findHostReferences,
  imageAttributes,
  isHostVariable,
  type HostReference,
} from './compose.js';
import { parseWithPositions, PROTOCOL_VALUES, type PositionedSource } from './mappingFile.js';
import type { DiscoveryInput, Relation, SourceNote, SourceResource } from './types.js';

/** Kinds whose objects live outside namespaces: their addresses are `Kind/name`. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);

/** Kinds that run pods, and where their pod template is. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const PROTOCOLS: ReadonlySet<string> = new Set(PROTOCOL_VALUES);

/** One Kubernetes object read from a document (or from a List's items). */
interface ObjectEntry {
  readonly file: string;
  readonly source: PositionedSource;
  /** Its path in the document: empty, or `items[i]` in a List. */
  readonly path: readonly PathSegment[];
  readonly data: Record<string, unknown>;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  readonly line: number;
}

/** A workload while its relations are found. */
interface WorkloadDraft {
  readonly entry: ObjectEntry;
  readonly templatePath: readonly PathSegment[];
  readonly podSpec: Record<string, unknown>;
  readonly labels: Readonly<Record<string, string>>;
  readonly attributes: Record<string, unknown>;
  readonly relations: Relation[];
  readonly notes: SourceNote[];
  exposure?: 'internet' | 'internal';
}

/** A Service as the workloads' references need it. */
interface ServiceInfo {
  readonly entry: ObjectEntry;
  readonly ports: readonly { port: number; protocol?: string }[];
  readonly selector: Readonly<Record<string, string>>;
}

/** Everything read, indexed for the relations. */
interface ClusterIndex {
  readonly services: Map<string, ServiceInfo>;
  readonly configMaps: Map<string, Record<string, unknown>>;
  readonly workloads: WorkloadDraft[];
  /** `namespace\0key=value` -> the workloads whose pod template carries that label. */
  readonly workloadsByLabel: Map<string, WorkloadDraft[]>;
}

/**
 * Reads Kubernetes manifests into resources, one per object: type is the object's `kind`, the address
 * `Kind/namespace/name` (`Kind/name` for cluster-scoped kinds), the line the document's start. Workloads get
 * `member-of` their namespace (declared or not: an undeclared namespace becomes a resource of its own),
 * `exposed-by` the Services selecting their pods and the Ingresses routing to those Services, `flow` to the
 * Services their environment variables and ConfigMaps name, `uses-secret` to the Secrets they read, and
 * `stores-in` their PersistentVolumeClaims. Throws ImportError when a file is not YAML/JSON.
 */
export function readKubernetes(inputs: readonly DiscoveryInput[]): SourceResource[] {
  const entries = inputs.flatMap((input) => readObjects(input));
  const index = indexObjects(entries);
  for (const workload of index.workloads) readWorkloadRelations(index, workload);
  for (const service of index.services.values()) linkService(index, service);
  const ingresses = entries.filter((entry) => entry.kind === 'Ingress');
  for (const ingress of ingresses) linkIngress(index, ingress);
  const workloadsByEntry = new Map(index.workloads.map((workload) => [workload.entry, workload]));
  const resources = entries.map((entry) => {
    const workload = workloadsByEntry.get(entry);
    return workload ? finishWorkload(workload) : describeObject(index, entry);
  });
  return [...resources, ...implicitNamespaces(entries, resources)];
}

/** The objects of one file: each YAML document, or the items of a `List`. */
function readObjects(input: DiscoveryInput): ObjectEntry[] {
  if (input.text.length > MAX_INPUT_BYTES) {
    throw new ImportError(`the file is over the import limit of ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, input.file);
  }
  const isJson = /\.json$/i.test(input.file) || /^\s*[[{]/.test(input.text);
  const documents = isJson ? [{ text: input.text, lineOffset: 0 }] : splitDocuments(input.text);
  const entries: ObjectEntry[] = [];
  documents.forEach((document, documentIndex) => {
    const source = parseWithPositions(document.text, input.file, document.lineOffset);
    const root = asRecord(source.data);
    const items = root && /List$/.test(asText(root.kind) ?? '') && Array.isArray(root.items) ? root.items : undefined;
    if (items) {
      items.forEach((item, i) => entries.push(toEntry(input.file, source, ['items', i], item, documentIndex)));
    } else {
      entries.push(toEntry(input.file, source, [], source.data, documentIndex));
    }
  });
  return entries;
}

/** One document's text and the number of lines before it in the file. */
interface DocumentText {
  readonly text: string;
  readonly lineOffset: number;
}

/**
 * Splits a multi-document YAML text at its `---` markers (and after `...`), keeping each document's place in
 * the file. A marker starts a new document only once the current one holds content (so directives and
 * leading comments stay with the document they precede); documents of comments alone are dropped.
 */
export function splitDocuments(text: string): DocumentText[] {
  const lines = text.split('\n');
  const documents: DocumentText[] = [];
  let start = 0;
  let hasContent = false;
  let markerSeen = false;
  const close = (end: number): void => {
    if (hasContent) documents.push({ text: lines.slice(start, end).join('\n'), lineOffset: start });
    start = end;
    hasContent = false;
    markerSeen = false;
  };
  lines.forEach((line, i) => {
    if (/^---(\s|$)/.test(line)) {
      if (hasContent) close(i);
      // A marker after an empty document (`---` twice) starts afresh: the empty one is dropped.
      else if (markerSeen) start = i;
      markerSeen = true;
      if (/^---\s+[^\s#]/.test(line)) hasContent = true;
      return;
    }
    if (/^\.\.\.(\s|$)/.test(line)) {
      close(i + 1);
      return;
    }
    if (!hasContent && /^\s*[^\s#%]/.test(line)) hasContent = true;
  });
  close(lines.length);
  return documents;
}

/** An object of a document as an entry; a document that is not an object is kept under a type saying so. */
function toEntry(
  file: string,
  source: PositionedSource,
  path: readonly PathSegment[],
  value: unknown,
  documentIndex: number,
): ObjectEntry {
  const data = asRecord(value) ?? {};
  const metadata = asRecord(data.metadata) ?? {};
  const kind = typeof data.kind === 'string' && data.kind !== '' ? data.kind : '(not a Kubernetes object)';
  const line = source.locate(path).line;
  const name =
    asText(metadata.name) ?? `(unnamed document ${documentIndex + 1}${path.length > 0 ? ` ${pathText(path)}` : ''})`;
  const namespace = asText(metadata.namespace) ?? 'default';
  const scoped = CLUSTER_SCOPED.has(kind);
  const address =
    asText(metadata.name) === undefined
      ? `${kind}/${file}:${line}`
      : scoped
        ? `${kind}/${name}`
        : `${kind}/${namespace}/${name}`;
  return { file, source, path, data, kind, name, namespace: scoped ? '' : namespace, address, line };
}

/** Indexes Services, ConfigMaps and workloads (with their pod labels) for the relations. */
function indexObjects(entries: readonly ObjectEntry[]): ClusterIndex {
  const index: ClusterIndex = {
    services: new Map(),
    configMaps: new Map(),
    workloads: [],
    workloadsByLabel: new Map(),
  };
  for (const entry of entries) {
    if (entry.kind === 'Service') index.services.set(`${entry.namespace}/${entry.name}`, readService(entry));
    if (entry.kind === 'ConfigMap')
      index.configMaps.set(`${entry.namespace}/${entry.name}`, asRecord(entry.data.data) ?? {});
    const templatePath = POD_TEMPLATE_PATHS[entry.kind];
    if (templatePath === undefined) continue;
    const workload = startWorkload(entry, templatePath);
    index.workloads.push(workload);
    for (const [key, value] of Object.entries(workload.labels)) {
      const label = `${entry.namespace}\0${key}=${value}`;
      const list = index.workloadsByLabel.get(label);
      if (list) list.push(workload);
      else index.workloadsByLabel.set(label, [workload]);
    }
  }
  return index;
}

/** A Service's ports and selector. */
function readService(entry: ObjectEntry): ServiceInfo {
  const spec = asRecord(entry.data.spec) ?? {};
  const ports = asList(spec.ports).flatMap((item) => {
    const port = asPort(asRecord(item)?.port);
    const protocol = asText(asRecord(item)?.appProtocol)?.toLowerCase();
    if (port === undefined) return [];
    return [{ port, ...(protocol !== undefined && PROTOCOLS.has(protocol) && { protocol }) }];
  });
  return { entry, ports, selector: stringRecord(spec.selector) };
}

/** A mapping of strings (labels, selectors), leaving out what is not text; any key stays a key, `__proto__` too. */
function stringRecord(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(asRecord(value) ?? {}).flatMap(([key, item]) => {
      const text = asText(item);
      return text === undefined ? [] : [[key, text]];
    }),
  );
}

/** A workload's draft: its pod spec, labels, attributes from its containers, and its namespace. */
function startWorkload(entry: ObjectEntry, templatePath: readonly PathSegment[]): WorkloadDraft {
  let template: unknown = entry.data;
  for (const segment of templatePath) template = asRecord(template)?.[segment];
  const podSpec = asRecord(asRecord(template)?.spec) ?? {};
  const labels = stringRecord(asRecord(asRecord(template)?.metadata)?.labels);
  const containers = asList(podSpec.containers).map((container) => asRecord(container) ?? {});
  const images = containers.map((container) => asText(container.image)).filter((image) => image !== undefined);
  const spec = asRecord(entry.data.spec) ?? {};
  const attributes: Record<string, unknown> = {
    ...imageAttributes(images[0]),
    namespace: entry.namespace,
    ...(images.length > 0 && { images }),
    ...(Object.keys(labels).length > 0 && { labels }),
  };
  const replicas = asPort(spec.replicas);
  if (replicas !== undefined) attributes.replicas = replicas;
  const serviceAccount = asText(podSpec.serviceAccountName);
  if (serviceAccount !== undefined) attributes.serviceAccountName = serviceAccount;
  const draft: WorkloadDraft = {
    entry,
    templatePath: [...entry.path, ...templatePath],
    podSpec,
    labels,
    attributes,
    relations: [{ kind: 'member-of', to: `Namespace/${entry.namespace}`, evidence: `namespace ${entry.namespace}` }],
    notes: [],
  };
  return draft;
}

/** Reads a workload's containers (environment, ports), volumes and host settings into relations and notes. */
function readWorkloadRelations(index: ClusterIndex, workload: WorkloadDraft): void {
  const specPath = [...workload.templatePath, 'spec'];
  for (const group of ['initContainers', 'containers'] as const) {
    asList(workload.podSpec[group]).forEach((value, i) => {
      const container = asRecord(value) ?? {};
      const path = [...specPath, group, i];
      readContainerEnvironment(index, workload, container, path);
      readContainerPorts(workload, container, path);
      readPrivileges(workload, container, path);
    });
  }
  readPodVolumes(index, workload, specPath);
  readHostSettings(workload, specPath);
}

/** Flows and secret uses from a container's `env` and `envFrom`. */
function readContainerEnvironment(
  index: ClusterIndex,
  workload: WorkloadDraft,
  container: Record<string, unknown>,
  path: readonly PathSegment[],
): void {
  const namespace = workload.entry.namespace;
  asList(container.env).forEach((value, i) => {
    const variable = asRecord(value) ?? {};
    const name = asText(variable.name) ?? '';
    const at = [...path, 'env', i];
    const valueFrom = asRecord(variable.valueFrom);
    const literal = asText(variable.value);
    if (literal !== undefined) {
      addReferences(
        index,
        workload,
        findHostReferences(literal, isHostVariable(name)),
        at,
        `environment variable ${name}`,
      );
    }
    const secret = asRecord(valueFrom?.secretKeyRef);
    const secretName = asText(secret?.name);
    if (secretName !== undefined) {
      addRelation(workload, at, {
        kind: 'uses-secret',
        to: `Secret/${namespace}/${secretName}`,
        evidence: `environment variable ${name} from Secret ${secretName}`,
      });
    }
    const configMapRef = asRecord(valueFrom?.configMapKeyRef);
    const configMapName = asText(configMapRef?.name);
    const key = asText(configMapRef?.key);
    if (configMapName !== undefined && key !== undefined) {
      const data = readConfigMap(index, workload, configMapName, at);
      const configured = asText(data?.[key]);
      if (configured !== undefined) {
        const references = findHostReferences(configured, isHostVariable(name) || isHostVariable(key));
        addReferences(
          index,
          workload,
          references,
          at,
          `environment variable ${name} from ConfigMap ${configMapName} key ${key}`,
        );
      }
    }
  });
  asList(container.envFrom).forEach((value, i) => {
    const source = asRecord(value) ?? {};
    const at = [...path, 'envFrom', i];
    const secretName = asText(asRecord(source.secretRef)?.name);
    if (secretName !== undefined) {
      addRelation(workload, at, {
        kind: 'uses-secret',
        to: `Secret/${namespace}/${secretName}`,
        evidence: `envFrom Secret ${secretName}`,
      });
    }
    const configMapName = asText(asRecord(source.configMapRef)?.name);
    if (configMapName !== undefined) readWholeConfigMap(index, workload, configMapName, at, true);
  });
}

/** A ConfigMap's data by name in the workload's namespace; notes when the ConfigMap is not among the inputs. */
function readConfigMap(
  index: ClusterIndex,
  workload: WorkloadDraft,
  name: string,
  at: readonly PathSegment[],
): Record<string, unknown> | undefined {
  const data = index.configMaps.get(`${workload.entry.namespace}/${name}`);
  if (data === undefined) {
    addNote(
      workload,
      at,
      `ConfigMap ${name}`,
      'not among the inputs: its values could not be read for references to Services',
    );
  }
  return data;
}

/** Flows to the Services every value of a ConfigMap names (bare names only under host-like keys when `asEnvironment`). */
function readWholeConfigMap(
  index: ClusterIndex,
  workload: WorkloadDraft,
  name: string,
  at: readonly PathSegment[],
  asEnvironment: boolean,
): void {
  const data = readConfigMap(index, workload, name, at);
  for (const [key, value] of Object.entries(data ?? {})) {
    const text = asText(value);
    if (text === undefined) continue;
    const references = findHostReferences(text, asEnvironment && isHostVariable(key));
    addReferences(index, workload, references, at, `ConfigMap ${name} key ${key}`);
  }
}

/** Flows to the Services that host references name, with the evidence. */
function addReferences(
  index: ClusterIndex,
  workload: WorkloadDraft,
  references: readonly HostReference[],
  at: readonly PathSegment[],
  what: string,
): void {
  for (const reference of references) {
    const service = resolveService(index, reference.host, workload.entry.namespace);
    if (service === undefined) continue;
    const only = service.ports.length === 1 ? service.ports[0] : undefined;
    const port = reference.port ?? only?.port;
    const protocol = reference.protocol ?? only?.protocol;
    const portNote =
      reference.port === undefined && only !== undefined ? ` (the Service's only port, ${only.port})` : '';
    addRelation(workload, at, {
      kind: 'flow',
      to: service.entry.address,
      ...(port !== undefined && { port }),
      ...(protocol !== undefined && { protocol }),
      evidence: `${what} names Service ${service.entry.name} ${describeReference(reference)}${portNote}`,
    });
  }
}

/** The Service a host name reaches from a namespace: `name`, `name.ns`, `name.ns.svc`, `name.ns.svc.<cluster domain>`. */
function resolveService(index: ClusterIndex, host: string, namespace: string): ServiceInfo | undefined {
  const parts = host.toLowerCase().split('.');
  const name = parts[0] ?? '';
  if (parts.length === 1) return index.services.get(`${namespace}/${name}`);
  if (parts.length === 2 || parts[2] === 'svc') return index.services.get(`${parts[1] ?? ''}/${name}`);
  return undefined;
}

/** Containers' ports bound to the node (`hostPort`) expose the workload like a published port. */
function readContainerPorts(
  workload: WorkloadDraft,
  container: Record<string, unknown>,
  path: readonly PathSegment[],
): void {
  asList(container.ports).forEach((value, i) => {
    const hostPort = asPort(asRecord(value)?.hostPort);
    if (hostPort === undefined) return;
    workload.exposure = 'internet';
    addNote(
      workload,
      [...path, 'ports', i],
      `hostPort ${hostPort}`,
      'the container port is bound on the node: the workload is taken as exposed to the internet',
    );
  });
}

/** Notes a privileged container: the model has no field for it, and it matters. */
function readPrivileges(
  workload: WorkloadDraft,
  container: Record<string, unknown>,
  path: readonly PathSegment[],
): void {
  const context = asRecord(container.securityContext);
  if (context?.privileged === true) {
    addNote(
      workload,
      [...path, 'securityContext', 'privileged'],
      'privileged container',
      'the container has the powers of the node; the model has no field for it',
    );
  }
}

/** Secrets, ConfigMaps and PersistentVolumeClaims mounted as volumes; host paths and scratch space noted. */
function readPodVolumes(index: ClusterIndex, workload: WorkloadDraft, specPath: readonly PathSegment[]): void {
  const namespace = workload.entry.namespace;
  asList(workload.podSpec.volumes).forEach((value, i) => {
    const volume = asRecord(value) ?? {};
    const at = [...specPath, 'volumes', i];
    const name = asText(volume.name) ?? `volume ${i + 1}`;
    const secretName = asText(asRecord(volume.secret)?.secretName);
    if (secretName !== undefined) {
      addRelation(workload, at, {
        kind: 'uses-secret',
        to: `Secret/${namespace}/${secretName}`,
        evidence: `volume ${name} from Secret ${secretName}`,
      });
    }
    for (const projected of asList(asRecord(volume.projected)?.sources)) {
      const projectedSecret = asText(asRecord(asRecord(projected)?.secret)?.name);
      if (projectedSecret !== undefined) {
        addRelation(workload, at, {
          kind: 'uses-secret',
          to: `Secret/${namespace}/${projectedSecret}`,
          evidence: `projected volume ${name} from Secret ${projectedSecret}`,
        });
      }
    }
    const configMapName = asText(asRecord(volume.configMap)?.name);
    if (configMapName !== undefined) readWholeConfigMap(index, workload, configMapName, at, false);
    const claim = asText(asRecord(volume.persistentVolumeClaim)?.claimName);
    if (claim !== undefined) {
      addRelation(workload, at, {
        kind: 'stores-in',
        to: `PersistentVolumeClaim/${namespace}/${claim}`,
        protocol: 'file',
        evidence: `volume ${name} on PersistentVolumeClaim ${claim}`,
      });
    }
    const hostPath = asText(asRecord(volume.hostPath)?.path);
    if (hostPath !== undefined) {
      addNote(
        workload,
        at,
        `hostPath volume ${name} (${hostPath})`,
        'the pod reads or writes files of the node; the node is not modelled',
      );
    }
    if (volume.emptyDir !== undefined) {
      addNote(
        workload,
        at,
        `emptyDir volume ${name}`,
        'scratch space that lives and dies with the pod: part of the workload, not a separate data store',
      );
    }
  });
  const workloadSpec = asRecord(workload.entry.data.spec) ?? {};
  asList(workloadSpec.volumeClaimTemplates).forEach((value, i) => {
    const claim = asText(asRecord(asRecord(value)?.metadata)?.name);
    if (claim === undefined) return;
    addNote(
      workload,
      [...workload.entry.path, 'spec', 'volumeClaimTemplates', i],
      `volumeClaimTemplate ${claim}`,
      'each pod of the StatefulSet gets its own volume: kept with the workload (a stateful store), not a separate data store',
    );
  });
}

/** Host networking and namespaces, and image pull secrets, noted. */
function readHostSettings(workload: WorkloadDraft, specPath: readonly PathSegment[]): void {
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (workload.podSpec[key] === true) {
      addNote(
        workload,
        [...specPath, key],
        `${key}: true`,
        "the pod shares the node's namespaces; the model has no field for it, and its exposure is not inferred",
      );
    }
  }
  asList(workload.podSpec.imagePullSecrets).forEach((value, i) => {
    const name = asText(asRecord(value)?.name);
    if (name === undefined) return;
    addNote(
      workload,
      [...specPath, 'imagePullSecrets', i],
      `imagePullSecret ${name}`,
      'a registry credential the node uses to pull images, not one the workload reads',
    );
  });
}

/** `exposed-by` the Service from each workload its selector matches. */
function linkService(index: ClusterIndex, service: ServiceInfo): void {
  for (const workload of selectWorkloads(index, service)) {
    workload.relations.push({
      kind: 'exposed-by',
      to: service.entry.address,
      line: service.entry.line,
      ...(service.ports.length === 1 && service.ports[0] && { port: service.ports[0].port }),
      evidence: `Service ${service.entry.name} selects ${describeSelector(service.selector)}`,
    });
  }
}

/** The workloads in the Service's namespace whose pod labels include all of its selector. */
function selectWorkloads(index: ClusterIndex, service: ServiceInfo): WorkloadDraft[] {
  const pairs = Object.entries(service.selector);
  if (pairs.length === 0) return [];
  const namespace = service.entry.namespace;
  let smallest: readonly WorkloadDraft[] | undefined;
  for (const [key, value] of pairs) {
    const list = index.workloadsByLabel.get(`${namespace}\0${key}=${value}`) ?? [];
    if (smallest === undefined || list.length < smallest.length) smallest = list;
  }
  return (smallest ?? []).filter((workload) => pairs.every(([key, value]) => workload.labels[key] === value));
}

/** `app=vote, tier=front` for evidence texts. */
function describeSelector(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** `exposed-by` the Ingress from the workloads of each Service its rules and default backend route to. */
function linkIngress(index: ClusterIndex, ingress: ObjectEntry): void {
  const spec = asRecord(ingress.data.spec) ?? {};
  const backends = [spec.defaultBackend, spec.backend];
  for (const rule of asList(spec.rules)) {
    for (const path of asList(asRecord(asRecord(rule)?.http)?.paths)) backends.push(asRecord(path)?.backend);
  }
  const linked = new Set<WorkloadDraft>();
  for (const backend of backends) {
    const record = asRecord(backend);
    const serviceName = asText(asRecord(record?.service)?.name) ?? asText(record?.serviceName);
    if (serviceName === undefined) continue;
    const service = index.services.get(`${ingress.namespace}/${serviceName}`);
    for (const workload of service ? selectWorkloads(index, service) : []) {
      if (linked.has(workload)) continue;
      linked.add(workload);
      const port = asPort(asRecord(asRecord(record?.service)?.port)?.number) ?? asPort(record?.servicePort);
      workload.relations.push({
        kind: 'exposed-by',
        to: ingress.address,
        line: ingress.line,
        ...(port !== undefined && { port }),
        evidence: `Ingress ${ingress.name} routes to Service ${serviceName}`,
      });
    }
  }
}

/** The finished workload resource. */
function finishWorkload(workload: WorkloadDraft): SourceResource {
  const { entry } = workload;
  return {
    source: 'kubernetes',
    type: entry.kind,
    name: entry.name,
    address: entry.address,
    file: entry.file,
    line: entry.line,
    attributes: workload.attributes,
    ...(workload.exposure !== undefined && { exposure: workload.exposure }),
    relations: workload.relations,
    ...(workload.notes.length > 0 && { notes: workload.notes }),
  };
}

/** Any object that is not a workload: its attributes for mapping rules, and its exposure (Services, Ingresses). */
function describeObject(index: ClusterIndex, entry: ObjectEntry): SourceResource {
  const metadata = asRecord(entry.data.metadata) ?? {};
  const labels = stringRecord(metadata.labels);
  const attributes: Record<string, unknown> = {
    ...(entry.namespace !== '' && { namespace: entry.namespace }),
    ...(Object.keys(labels).length > 0 && { labels }),
    ...kindAttributes(entry),
  };
  const exposure = objectExposure(entry);
  const notes: SourceNote[] = [];
  if (entry.kind === 'NetworkPolicy') notes.push(describePolicy(index, entry));
  return {
    source: 'kubernetes',
    type: entry.kind,
    name: entry.name,
    address: entry.address,
    file: entry.file,
    line: entry.line,
    attributes,
    ...(exposure !== undefined && { exposure }),
    relations: [],
    ...(notes.length > 0 && { notes }),
  };
}

/** Attributes particular to a kind: a Service's type and ports, an Ingress's hosts, a Secret's key names. */
function kindAttributes(entry: ObjectEntry): Record<string, unknown> {
  const spec = asRecord(entry.data.spec) ?? {};
  switch (entry.kind) {
    case 'Service': {
      const externalName = asText(spec.externalName);
      return {
        serviceType: asText(spec.type) ?? 'ClusterIP',
        ports: readService(entry).ports,
        selector: stringRecord(spec.selector),
        ...(externalName !== undefined && { externalName }),
      };
    }
    case 'Ingress': {
      const hosts = asList(spec.rules).flatMap((rule) => {
        const host = asText(asRecord(rule)?.host);
        return host === undefined ? [] : [host];
      });
      const ingressClassName = asText(spec.ingressClassName);
      return { hosts, ...(ingressClassName !== undefined && { ingressClassName }) };
    }
    case 'Secret':
      // The names of the keys only: a Secret's values never leave the reader.
      return {
        secretType: asText(entry.data.type) ?? 'Opaque',
        keys: [...Object.keys(asRecord(entry.data.data) ?? {}), ...Object.keys(asRecord(entry.data.stringData) ?? {})],
      };
    case 'ConfigMap':
      return { keys: Object.keys(asRecord(entry.data.data) ?? {}) };
    default:
      return {};
  }
}

/** A Service's exposure from its type (LoadBalancer and NodePort reach outside the cluster); an Ingress's is the internet. */
function objectExposure(entry: ObjectEntry): 'internet' | 'internal' | undefined {
  if (entry.kind === 'Ingress') return 'internet';
  if (entry.kind !== 'Service') return undefined;
  const type = asText(asRecord(entry.data.spec)?.type) ?? 'ClusterIP';
  if (type === 'LoadBalancer' || type === 'NodePort') return 'internet';
  return type === 'ClusterIP' ? 'internal' : undefined;
}

/** A NetworkPolicy as a note: which workloads it selects and which directions it restricts. */
function describePolicy(index: ClusterIndex, entry: ObjectEntry): SourceNote {
  const spec = asRecord(entry.data.spec) ?? {};
  const selector = stringRecord(asRecord(spec.podSelector)?.matchLabels);
  const selected =
    Object.keys(selector).length === 0
      ? index.workloads.filter((workload) => workload.entry.namespace === entry.namespace)
      : selectWorkloads(index, { entry, ports: [], selector });
  const types = asList(spec.policyTypes)
    .map(asText)
    .filter((type) => type !== undefined);
  const names = selected.map((workload) => workload.entry.name);
  return {
    at: pathText([...entry.path, 'spec']) || 'spec',
    line: entry.line,
    what: `NetworkPolicy ${entry.name} (${types.join(', ') || 'Ingress'}) on ${names.length > 0 ? names.join(', ') : 'no workload among the inputs'}`,
    reason:
      'its rules are not modelled as flows or boundaries; the workloads it protects may carry the network-segmentation control once the rules are reviewed',
  };
}

/** Namespaces that workloads live in without a Namespace object among the inputs (`default` most often). */
function implicitNamespaces(entries: readonly ObjectEntry[], resources: readonly SourceResource[]): SourceResource[] {
  const declared = new Set(entries.filter((entry) => entry.kind === 'Namespace').map((entry) => entry.name));
  const implicit = new Map<string, SourceResource>();
  for (const resource of resources) {
    for (const relation of resource.relations) {
      if (relation.kind !== 'member-of' || !relation.to.startsWith('Namespace/')) continue;
      const name = relation.to.slice('Namespace/'.length);
      if (declared.has(name) || implicit.has(name)) continue;
      implicit.set(name, {
        source: 'kubernetes',
        type: 'Namespace',
        name,
        address: relation.to,
        file: resource.file,
        line: resource.line,
        attributes: { implicit: true },
        relations: [],
      });
    }
  }
  return [...implicit.values()];
}

/** Adds a relation written at a path of the workload's document. */
function addRelation(workload: WorkloadDraft, at: readonly PathSegment[], relation: Relation): void {
  workload.relations.push({ ...relation, line: workload.entry.source.locate(at).line });
}

/** Adds a note about a path of the workload's document. */
function addNote(workload: WorkloadDraft, at: readonly PathSegment[], what: string, reason: string): void {
  workload.notes.push({
    at: `${workload.entry.address} ${pathText(at)}`,
    line: workload.entry.source.locate(at).line,
    what,
    reason,
  });
}
