/** The kinds of element a data flow diagram knows. */
export const ELEMENT_KINDS = ['process', 'datastore', 'external'] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];

/** One entry of the technology catalog: an element type, the DFD kind it usually is, and what it is. */
export interface TechnologyType {
  readonly kind: ElementKind;
  readonly title: string;
}

/**
 * The technology catalog: every value `elements[].type` accepts. Rules match on these types; the
 * `kind` is the DFD shape the type usually takes (a model may say otherwise).
 */
export const TECHNOLOGIES = {
  'web-app': { kind: 'process', title: 'Web application (server side)' },
  'single-page-app': { kind: 'process', title: 'Single-page application running in a browser' },
  'web-server': { kind: 'process', title: 'Web server serving static content' },
  api: { kind: 'process', title: 'HTTP or RPC API' },
  'api-gateway': { kind: 'process', title: 'API gateway' },
  service: { kind: 'process', title: 'Back-end service' },
  function: { kind: 'process', title: 'Serverless function' },
  worker: { kind: 'process', title: 'Background worker or consumer' },
  'batch-job': { kind: 'process', title: 'Scheduled or batch job' },
  'identity-provider': { kind: 'process', title: 'Identity provider (OIDC, SAML)' },
  'load-balancer': { kind: 'process', title: 'Load balancer' },
  'reverse-proxy': { kind: 'process', title: 'Reverse proxy' },
  cdn: { kind: 'process', title: 'Content delivery network' },
  waf: { kind: 'process', title: 'Web application firewall' },
  firewall: { kind: 'process', title: 'Network firewall' },
  vpn: { kind: 'process', title: 'VPN gateway' },
  'service-mesh': { kind: 'process', title: 'Service mesh proxy' },
  'container-orchestrator': { kind: 'process', title: 'Container orchestrator (Kubernetes control plane)' },
  'container-runtime': { kind: 'process', title: 'Container or pod runtime' },
  vm: { kind: 'process', title: 'Virtual machine' },
  'ci-runner': { kind: 'process', title: 'CI/CD runner' },
  'ci-server': { kind: 'process', title: 'CI/CD orchestrator' },
  'build-tool': { kind: 'process', title: 'Build tool or package manager' },
  'deployment-tool': { kind: 'process', title: 'Deployment tool (GitOps controller, deploy script)' },
  monitoring: { kind: 'process', title: 'Monitoring and alerting system' },
  siem: { kind: 'process', title: 'Security information and event management' },
  'email-service': { kind: 'process', title: 'E-mail sending or receiving service' },
  'payment-provider': { kind: 'external', title: 'Payment service provider' },
  'third-party-service': { kind: 'external', title: 'Third-party service reached over the network' },
  'mobile-app': { kind: 'process', title: 'Mobile application on a user device' },
  'desktop-app': { kind: 'process', title: 'Desktop application' },
  'iot-device': { kind: 'process', title: 'IoT or embedded device' },
  browser: { kind: 'external', title: 'Web browser' },
  user: { kind: 'external', title: 'Human user' },
  'admin-user': { kind: 'external', title: 'Human user with privileged access' },
  database: { kind: 'datastore', title: 'Relational or document database' },
  cache: { kind: 'datastore', title: 'In-memory cache' },
  'object-store': { kind: 'datastore', title: 'Object storage (S3 bucket, blob container)' },
  'file-store': { kind: 'datastore', title: 'File system or network share' },
  queue: { kind: 'datastore', title: 'Message queue' },
  'event-bus': { kind: 'datastore', title: 'Event bus or stream (Kafka, Kinesis)' },
  'search-index': { kind: 'datastore', title: 'Search index' },
  'log-store': { kind: 'datastore', title: 'Log storage' },
  backup: { kind: 'datastore', title: 'Backup storage' },
  'data-warehouse': { kind: 'datastore', title: 'Data warehouse or lake' },
  'source-repository': { kind: 'datastore', title: 'Source code repository' },
  'artifact-registry': { kind: 'datastore', title: 'Artifact or package registry' },
  'container-registry': { kind: 'datastore', title: 'Container image registry' },
  vault: { kind: 'datastore', title: 'Secrets vault' },
  kms: { kind: 'process', title: 'Key management service or HSM' },
  directory: { kind: 'datastore', title: 'Directory (LDAP, Active Directory)' },
  'mobile-storage': { kind: 'datastore', title: 'On-device storage of a mobile app' },
  'browser-storage': { kind: 'datastore', title: 'Browser storage (cookies, local storage)' },
  other: { kind: 'process', title: 'Anything the catalog does not name' },
} as const satisfies Record<string, TechnologyType>;

export type TechnologyId = keyof typeof TECHNOLOGIES;
export const TECHNOLOGY_IDS = Object.keys(TECHNOLOGIES) as [TechnologyId, ...TechnologyId[]];
