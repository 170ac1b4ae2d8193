import type { ControlId } from './controls.js';

/** One entry of the mitigation catalog: what to do, the controls it puts in place and the references that verify it. */
export interface MitigationCatalogEntry {
  /** Short, imperative: what to do. */
  readonly title: string;
  /** One or two sentences of concrete guidance. */
  readonly description: string;
  /** Controls (from `CONTROLS`) that the mitigation puts in place once done; empty when none fits. */
  readonly controls: readonly ControlId[];
  /** OWASP ASVS 5.0.0 requirement ids that verify the mitigation; empty where ASVS does not cover it. */
  readonly asvs: readonly string[];
  /** CWE ids of the weaknesses the mitigation addresses. */
  readonly cwe?: readonly string[];
}

/**
 * Parapet's mitigation catalog, keyed by a stable kebab-case id. Rules recommend mitigations by these ids;
 * each entry names the controls it puts in place (so a model that has them suppresses the threat) and the ASVS
 * 5.0.0 requirements that verify it. Descriptions are Parapet's own words.
 */
export const MITIGATION_CATALOG = {
  // Web applications
  'output-encoding': {
    title: 'Encode output for its context',
    description:
      'Escape untrusted data for the exact place it lands (HTML body, attribute, JavaScript, URL, header), preferably with an auto-escaping template engine, and insert plain text with textContent rather than innerHTML.',
    controls: ['output-encoding'],
    asvs: ['V1.2.1', 'V1.2.2', 'V1.2.3', 'V3.2.2'],
    cwe: ['CWE-79', 'CWE-116'],
  },
  'html-sanitization': {
    title: 'Sanitize rich content from users',
    description:
      'Pass user-supplied HTML, SVG and Markdown through a maintained sanitizer library with an allow-list of tags and attributes before storing or rendering it.',
    controls: ['input-validation', 'output-encoding'],
    asvs: ['V1.3.1', 'V1.3.4', 'V1.3.5'],
    cwe: ['CWE-79'],
  },
  'browser-security-headers': {
    title: 'Send browser security headers',
    description:
      'Set HSTS, a restrictive Content-Security-Policy with frame-ancestors, X-Content-Type-Options: nosniff and a Referrer-Policy on every response, at the application or the edge.',
    controls: ['security-headers'],
    asvs: ['V3.4.1', 'V3.4.3', 'V3.4.4', 'V3.4.6'],
    cwe: ['CWE-1021', 'CWE-319'],
  },
  'csrf-protection': {
    title: 'Protect state-changing requests from forgery',
    description:
      'Use SameSite cookies together with anti-CSRF tokens or strict Origin checks, and never change state on GET or other safe methods.',
    controls: ['csrf-protection'],
    asvs: ['V3.3.2', 'V3.5.1', 'V3.5.3'],
    cwe: ['CWE-352'],
  },
  'restrictive-cors': {
    title: 'Restrict cross-origin access',
    description:
      'Answer CORS requests only for an allow-list of trusted origins, never reflect the Origin header blindly, and never combine a wildcard with credentials.',
    controls: ['cors-policy'],
    asvs: ['V3.4.2', 'V3.5.2'],
    cwe: ['CWE-346', 'CWE-942'],
  },
  'secure-session-management': {
    title: 'Manage sessions securely',
    description:
      'Issue a fresh random session token at every login, keep it in a Secure, HttpOnly, SameSite cookie, and enforce idle and absolute timeouts and server-side invalidation at logout.',
    controls: ['session-timeout'],
    asvs: ['V7.2.4', 'V7.3.1', 'V7.3.2', 'V7.4.1'],
    cwe: ['CWE-384', 'CWE-613'],
  },
  'web-application-firewall': {
    title: 'Put a web application firewall in front of public entry points',
    description:
      'Filter traffic to internet-facing web applications and APIs through a WAF with managed rule sets, as a second layer behind secure code rather than instead of it.',
    controls: ['waf'],
    asvs: [],
  },
  'safe-file-upload': {
    title: 'Validate, scan and isolate uploaded files',
    description:
      'Check size, extension and content type of every upload, scan it for malware, store it outside the web root under a generated name, and never execute it.',
    controls: ['input-validation', 'antimalware'],
    asvs: ['V5.2.1', 'V5.2.2', 'V5.3.1', 'V5.4.3'],
    cwe: ['CWE-434', 'CWE-400'],
  },
  'ssrf-protection': {
    title: 'Allow-list outbound requests made for users',
    description:
      'When the server fetches a URL influenced by a user, check protocol, host and port against an allow-list, block internal address ranges and do not follow redirects.',
    controls: ['input-validation', 'egress-filtering'],
    asvs: ['V1.3.6', 'V13.2.5', 'V15.3.2'],
    cwe: ['CWE-918'],
  },
  'validate-redirects': {
    title: 'Redirect only to allowed destinations',
    description:
      'Accept redirect targets only from an allow-list of hosts or as relative paths, so the application cannot be used to send users to a phishing site.',
    controls: ['input-validation'],
    asvs: ['V3.7.2'],
    cwe: ['CWE-601'],
  },
  'generic-error-messages': {
    title: 'Hide internals from errors and production builds',
    description:
      'Return generic error messages, disable debug modes, and strip version banners, directory listings and test code from production deployments.',
    controls: ['hardening'],
    asvs: ['V16.5.1', 'V13.4.2', 'V13.4.6', 'V15.2.3'],
    cwe: ['CWE-209', 'CWE-497'],
  },
  'enforce-business-logic': {
    title: 'Enforce business rules and step order on the server',
    description:
      'Check on the server that multi-step flows run in order, that documented limits hold, and that operations on scarce resources are atomic so they cannot be skipped, repeated or double-booked.',
    controls: [],
    asvs: ['V2.3.1', 'V2.3.2', 'V2.3.3', 'V2.3.4'],
    cwe: ['CWE-841'],
  },

  // APIs
  'object-level-authorization': {
    title: 'Authorize access to every object',
    description:
      "On every request, check on the server that the caller may act on the specific record it names (and that it belongs to the caller's tenant), rather than trusting an id from the URL or body.",
    controls: ['object-level-authorization'],
    asvs: ['V8.2.2', 'V8.3.1', 'V8.4.1'],
    cwe: ['CWE-639', 'CWE-862'],
  },
  'function-level-authorization': {
    title: 'Deny by default at every function',
    description:
      'Give every endpoint and operation an explicit permission checked at a trusted service layer, and deny anything not granted, including administrative functions.',
    controls: ['rbac', 'least-privilege'],
    asvs: ['V8.1.1', 'V8.2.1', 'V8.3.1'],
    cwe: ['CWE-285', 'CWE-862'],
  },
  'prevent-mass-assignment': {
    title: 'Bind only the fields a request may set',
    description:
      'Map request bodies onto explicit allow-listed fields per operation (or dedicated input types) instead of binding them straight onto stored objects.',
    controls: ['input-validation'],
    asvs: ['V15.3.3', 'V8.2.3'],
    cwe: ['CWE-915'],
  },
  'return-only-needed-fields': {
    title: 'Return only the fields a client needs',
    description:
      'Shape API responses with explicit output types that leave out internal and sensitive fields, instead of serializing whole records and relying on the client to hide them.',
    controls: ['data-minimization'],
    asvs: ['V15.3.1', 'V8.2.3', 'V14.2.6'],
    cwe: ['CWE-213'],
  },
  'rate-limiting': {
    title: 'Limit request rates per client and account',
    description:
      'Apply quotas and rate limits per API key, user and source address to expensive and sensitive operations (for GraphQL, limit query depth and cost too), and return 429 when they are exceeded.',
    controls: ['rate-limiting'],
    asvs: ['V2.4.1', 'V4.3.1', 'V15.2.2'],
    cwe: ['CWE-770', 'CWE-799'],
  },
  'schema-input-validation': {
    title: 'Validate input against a schema on the server',
    description:
      'Check every request and message against a strict schema of types, formats, lengths and allowed values at the trusted service, rejecting anything unexpected; client-side checks are only for usability.',
    controls: ['input-validation'],
    asvs: ['V2.2.1', 'V2.2.2', 'V2.2.3'],
    cwe: ['CWE-20', 'CWE-602'],
  },
  'parameterized-queries': {
    title: 'Use parameterized queries',
    description:
      'Build every SQL, NoSQL and graph query with bound parameters or a safe ORM API, never by concatenating untrusted input into the query text.',
    controls: ['parameterized-queries'],
    asvs: ['V1.2.4'],
    cwe: ['CWE-89', 'CWE-943'],
  },
  'safe-os-commands': {
    title: 'Avoid building shell commands from input',
    description:
      'Prefer library calls to shelling out; when a process must be started, pass arguments as an array without a shell and validate them against an allow-list.',
    controls: ['input-validation'],
    asvs: ['V1.2.5'],
    cwe: ['CWE-78'],
  },
  'safe-deserialization': {
    title: 'Parse untrusted data safely',
    description:
      'Disable external entities in XML parsers and never deserialize untrusted data into arbitrary types; use data-only formats such as JSON with an allow-list of types.',
    controls: ['input-validation'],
    asvs: ['V1.5.1', 'V1.5.2'],
    cwe: ['CWE-502', 'CWE-611'],
  },
  'no-dynamic-code-execution': {
    title: 'Do not evaluate untrusted input as code',
    description:
      'Avoid eval, expression languages and templates built from user input; where untrusted code or templates must run, run them in a sandbox with no access to secrets or the network.',
    controls: ['sandboxing'],
    asvs: ['V1.3.2', 'V1.3.7'],
    cwe: ['CWE-94', 'CWE-95'],
  },
  'validate-tokens': {
    title: 'Verify every token before trusting it',
    description:
      'Check the signature of each JWT or assertion with keys from the expected issuer, allow only expected algorithms, and reject tokens that are expired or meant for another audience.',
    controls: [],
    asvs: ['V9.1.1', 'V9.1.2', 'V9.2.1', 'V9.2.3'],
    cwe: ['CWE-345', 'CWE-347'],
  },
  'signed-messages': {
    title: 'Sign high-value requests and messages',
    description:
      'Sign sensitive requests, webhooks and messages that pass through several systems, and have the receiver verify the signature, a nonce and a timestamp before acting.',
    controls: ['message-signing', 'replay-protection'],
    asvs: ['V4.1.5'],
    cwe: ['CWE-345', 'CWE-294'],
  },
  'idempotent-consumers': {
    title: 'Make retried operations and consumers idempotent',
    description:
      'Give each request or message a unique key and record processed keys, so a retry, redelivery or replay has no second effect.',
    controls: ['idempotency-keys', 'replay-protection'],
    asvs: [],
  },

  // Data stores and messaging
  'encrypt-data-at-rest': {
    title: 'Encrypt stored data',
    description:
      'Encrypt databases, volumes, backups and object storage with an approved authenticated cipher, with keys held in a key management service rather than next to the data.',
    controls: ['encryption-at-rest'],
    asvs: ['V11.3.2', 'V11.3.3', 'V14.2.4'],
    cwe: ['CWE-311', 'CWE-312'],
  },
  'least-privilege-service-identities': {
    title: 'Give each workload its own least-privilege identity',
    description:
      'Authenticate every service to the databases, message brokers and APIs it uses with its own credentials or workload identity, scoped to the tables, topics and operations it needs, never a default or shared admin account.',
    controls: ['least-privilege'],
    asvs: ['V13.2.1', 'V13.2.2', 'V13.2.3'],
    cwe: ['CWE-250', 'CWE-272'],
  },
  'backups-and-recovery': {
    title: 'Keep tested backups and a recovery plan',
    description:
      'Back up data to a separate account or location where it cannot be deleted by the same credentials, restore it regularly to prove it works, and keep redundant capacity for critical services.',
    controls: ['backups', 'disaster-recovery', 'redundancy'],
    asvs: [],
  },

  // Identity
  mfa: {
    title: 'Require multi-factor authentication',
    description:
      'Require a second factor such as a passkey, security key or authenticator app at login, with single-use, short-lived codes from a secure random source.',
    controls: ['mfa'],
    asvs: ['V6.3.3', 'V6.5.1', 'V6.5.3', 'V6.5.5'],
    cwe: ['CWE-308'],
  },
  'mfa-for-privileged-access': {
    title: 'Require phishing-resistant MFA for privileged access',
    description:
      'Require FIDO2 security keys or passkeys, not SMS or push codes, for administrators, operators and developers with production access, and ask again before highly sensitive operations.',
    controls: ['mfa', 'privileged-access-management'],
    asvs: ['V6.3.3', 'V7.5.3', 'V8.4.2'],
    cwe: ['CWE-308'],
  },
  'credential-stuffing-defense': {
    title: 'Slow down password guessing',
    description:
      'Throttle failed logins per account and per source, add a challenge or back-off after repeated failures, and rate-limit one-time code checks.',
    controls: ['account-lockout', 'rate-limiting', 'captcha'],
    asvs: ['V6.1.1', 'V6.3.1', 'V6.6.3'],
    cwe: ['CWE-307'],
  },
  'password-policy': {
    title: 'Enforce long passwords, block breached ones and hash them slowly',
    description:
      'Require passwords of at least 8 (preferably 15) characters without composition rules, reject common and breached ones, and store them only as hashes from a password hashing function such as Argon2id.',
    controls: ['strong-passwords'],
    asvs: ['V6.2.1', 'V6.2.4', 'V6.2.12', 'V11.4.2'],
    cwe: ['CWE-521', 'CWE-916'],
  },
  'secure-account-recovery': {
    title: 'Make account recovery as strong as login',
    description:
      'Do not use security questions or password hints; reset forgotten passwords through a process that does not bypass MFA, and re-prove identity when a factor is lost.',
    controls: [],
    asvs: ['V6.4.2', 'V6.4.3', 'V6.4.4'],
    cwe: ['CWE-640'],
  },
  'single-sign-on': {
    title: 'Centralize authentication in the identity provider',
    description:
      'Send every authentication pathway through one identity provider, validate the signature on its assertions, and check the authentication strength it reports for sensitive functions.',
    controls: ['sso'],
    asvs: ['V6.3.4', 'V6.8.2', 'V6.8.4'],
    cwe: ['CWE-287'],
  },
  'secure-oauth-flows': {
    title: 'Use the authorization code flow with PKCE',
    description:
      'Allow each OAuth client only the grants it needs, use the code flow with PKCE and state, and match redirect URIs exactly against pre-registered values.',
    controls: ['sso'],
    asvs: ['V10.2.1', 'V10.4.1', 'V10.4.4', 'V10.4.6'],
    cwe: ['CWE-601'],
  },
  'no-default-credentials': {
    title: 'Remove default accounts and credentials',
    description:
      'Disable or rename built-in accounts such as admin, root or sa, and change every vendor default password before a system goes live.',
    controls: ['hardening'],
    asvs: ['V6.3.2', 'V13.2.3'],
    cwe: ['CWE-798', 'CWE-1392'],
  },
  'prompt-deprovisioning': {
    title: 'Remove access promptly when people leave or change roles',
    description:
      'Tie accounts to the HR joiner-mover-leaver process, disable accounts and terminate their sessions on the day someone leaves, and review access rights regularly.',
    controls: ['least-privilege'],
    asvs: ['V7.4.2', 'V7.4.5'],
  },

  // Transport and cryptography
  'tls-everywhere': {
    title: 'Encrypt every connection with TLS',
    description:
      'Use TLS 1.2 or later for all external and internal connections, including databases, brokers and management interfaces, with certificate validation on and no plaintext fallback.',
    controls: ['encryption-in-transit'],
    asvs: ['V12.1.1', 'V12.2.1', 'V12.3.1', 'V12.3.2'],
    cwe: ['CWE-319', 'CWE-295'],
  },
  'mutual-tls-between-services': {
    title: 'Authenticate services to each other with mutual TLS',
    description:
      'Have internal services prove their identity with client certificates (for example through a service mesh) and check those certificates against a trusted internal CA.',
    controls: ['encryption-in-transit'],
    asvs: ['V12.1.3', 'V12.3.4', 'V12.3.5'],
    cwe: ['CWE-295', 'CWE-306'],
  },
  'approved-cryptography': {
    title: 'Use approved cryptography from vetted libraries',
    description:
      'Rely on well-known cryptographic libraries with approved algorithms (AES-GCM, SHA-2, a CSPRNG), never ECB, MD5 or home-made schemes.',
    controls: [],
    asvs: ['V11.2.1', 'V11.3.1', 'V11.4.1', 'V11.5.1'],
    cwe: ['CWE-327', 'CWE-338'],
  },

  // Secrets
  'secrets-in-vault': {
    title: 'Keep secrets in a vault',
    description:
      'Store passwords, API keys and key material in a secrets manager, fetch them at runtime with least-privilege access, keep them out of code, images and environment files, and scan commits for leaked ones.',
    controls: ['secrets-manager'],
    asvs: ['V13.3.1', 'V13.3.2'],
    cwe: ['CWE-798', 'CWE-522'],
  },
  'rotate-secrets': {
    title: 'Rotate keys and secrets on a schedule',
    description:
      'Document which secrets are critical and how long each may live, then rotate them automatically and immediately after any suspected exposure.',
    controls: ['key-rotation'],
    asvs: ['V11.1.1', 'V13.1.4', 'V13.3.4'],
    cwe: ['CWE-324'],
  },

  // Cloud and containers
  'network-segmentation': {
    title: 'Segment networks and allow only required traffic',
    description:
      'Place tiers and environments in separate networks or security groups, allow only the ports and peers each component needs, and reach data stores and brokers only through private endpoints.',
    controls: ['network-segmentation', 'private-endpoint'],
    asvs: [],
  },
  'egress-filtering': {
    title: 'Restrict outbound traffic to known destinations',
    description:
      'Route outbound traffic through a proxy or firewall that allows only the documented external services, which limits data exfiltration and command-and-control.',
    controls: ['egress-filtering'],
    asvs: ['V13.1.1', 'V13.2.4', 'V13.2.5'],
    cwe: ['CWE-918'],
  },
  'harden-configuration': {
    title: 'Harden hosts, containers and cloud accounts',
    description:
      'Apply a benchmark such as CIS to operating systems, container runtimes and cloud accounts, remove unneeded services and metadata, and replace servers from code rather than changing them in place.',
    controls: ['hardening', 'immutable-infrastructure'],
    asvs: ['V13.4.1', 'V13.4.3', 'V13.4.4', 'V13.4.5'],
  },
  'isolate-workloads': {
    title: 'Run workloads unprivileged and isolated',
    description:
      'Run containers and functions as non-root with a read-only file system, dropped capabilities and no host access, so a compromised workload cannot reach its neighbours.',
    controls: ['sandboxing', 'hardening', 'least-privilege'],
    asvs: [],
    cwe: ['CWE-250'],
  },
  'patch-management': {
    title: 'Patch systems and dependencies on a schedule',
    description:
      'Set remediation deadlines by severity for operating systems, runtimes and libraries, and track that every component stays within them.',
    controls: ['patching'],
    asvs: ['V15.1.1', 'V15.2.1'],
    cwe: ['CWE-1104', 'CWE-1395'],
  },
  'ddos-protection': {
    title: 'Absorb denial-of-service attacks',
    description:
      'Put public endpoints behind a provider with volumetric DDoS protection, and let capacity scale with load within cost limits.',
    controls: ['ddos-protection', 'autoscaling'],
    asvs: [],
    cwe: ['CWE-400'],
  },

  // CI/CD and supply chain
  'protected-branches': {
    title: 'Require reviewed, signed changes on protected branches',
    description:
      'Block direct pushes to release branches, require approval by a second person and passing checks before merge, and verify commit signatures.',
    controls: ['branch-protection', 'code-review', 'signed-commits'],
    asvs: [],
  },
  'signed-artifacts': {
    title: 'Sign build artifacts and verify them before deployment',
    description:
      'Sign images and packages in the pipeline with provenance (for example Sigstore and SLSA attestations), and have the deployment admit only artifacts whose signature checks out.',
    controls: ['signed-artifacts'],
    asvs: [],
    cwe: ['CWE-494', 'CWE-345'],
  },
  'pin-dependencies': {
    title: 'Pin dependencies by version and hash',
    description:
      'Commit lock files with integrity hashes, resolve packages only from the expected registries (guarding against dependency confusion), and use Subresource Integrity for scripts loaded from CDNs.',
    controls: ['pinned-dependencies'],
    asvs: ['V15.2.4', 'V3.6.1'],
    cwe: ['CWE-494', 'CWE-829'],
  },
  'dependency-scanning': {
    title: 'Track and scan third-party components and images',
    description:
      'Produce an SBOM for every build, scan dependencies and container images for known vulnerabilities continuously, and block releases with components past their remediation time frames.',
    controls: ['dependency-scanning', 'container-scanning', 'sbom'],
    asvs: ['V15.1.1', 'V15.1.2', 'V15.2.1'],
    cwe: ['CWE-1104', 'CWE-1395'],
  },
  'ephemeral-build-runners': {
    title: 'Build on fresh, isolated runners',
    description:
      'Run each pipeline job on a clean, single-use runner with short-lived, narrowly scoped credentials, so one job cannot poison or steal from the next.',
    controls: ['ephemeral-runners', 'least-privilege'],
    asvs: [],
  },
  'security-testing': {
    title: 'Test security in the pipeline and by penetration testers',
    description:
      'Run SAST on every change and DAST against a deployed test environment, failing the build on new high-severity findings, and commission independent penetration tests before major releases.',
    controls: ['sast', 'dast', 'pentest'],
    asvs: [],
  },

  // Mobile clients
  'certificate-pinning': {
    title: 'Pin the server key in mobile clients',
    description:
      'Pin the public key (or a backup set of keys) of the API in the mobile app, with a plan for rotation, so an interception proxy with a rogue CA cannot read traffic.',
    controls: ['certificate-pinning', 'encryption-in-transit'],
    asvs: [],
    cwe: ['CWE-295'],
  },
  'app-attestation': {
    title: 'Accept API calls only from genuine apps',
    description:
      'Use platform attestation (Play Integrity, App Attest) and rooted-device checks to raise the cost of scripted clients and tampered apps, without treating the client as trusted.',
    controls: ['app-attestation', 'root-detection'],
    asvs: [],
  },
  'secure-device-storage': {
    title: 'Keep secrets on devices in hardware-backed storage',
    description:
      'Store tokens and keys on mobile devices in the Keychain or Keystore backed by the secure enclave, never in plain preferences, files or logs.',
    controls: ['secure-enclave'],
    asvs: [],
    cwe: ['CWE-312', 'CWE-922'],
  },

  // Logging and monitoring
  'audit-logging': {
    title: 'Log security events with who, what, when and where',
    description:
      'Log authentication, authorization failures, administrative actions and control bypass attempts with actor, time, source and target, in a format the log platform can correlate.',
    controls: ['audit-logging'],
    asvs: ['V16.2.1', 'V16.3.1', 'V16.3.2', 'V16.3.3'],
    cwe: ['CWE-778'],
  },
  'protect-logs': {
    title: 'Ship logs off-host and protect them from tampering',
    description:
      'Encode log entries against injection, send them promptly to a separate log system, and make them append-only and readable only by those who need them.',
    controls: ['tamper-evident-logs'],
    asvs: ['V16.4.1', 'V16.4.2', 'V16.4.3'],
    cwe: ['CWE-117'],
  },
  'no-sensitive-data-in-logs': {
    title: 'Keep secrets and personal data out of logs and URLs',
    description:
      'Mask or drop credentials, tokens, payment data and personal data before logging, and never put them in URLs where proxies and browsers record them.',
    controls: ['data-masking'],
    asvs: ['V16.2.5', 'V14.2.1'],
    cwe: ['CWE-532', 'CWE-598'],
  },
  'security-monitoring': {
    title: 'Detect suspicious activity and alert a person',
    description:
      'Feed logs and network telemetry to detection rules and anomaly detection, and route alerts to someone on call with a runbook for responding.',
    controls: ['monitoring', 'alerting', 'intrusion-detection', 'anomaly-detection'],
    asvs: ['V16.3.4', 'V16.4.3'],
    cwe: ['CWE-778'],
  },
  'fraud-detection': {
    title: 'Score transactions for fraud',
    description:
      'Score payments and other high-value transactions on behaviour, device and history, and hold or step up authentication for risky ones.',
    controls: ['fraud-detection', 'anomaly-detection'],
    asvs: ['V8.2.4'],
  },

  // People
  'security-awareness-training': {
    title: 'Train people to recognize phishing and social engineering',
    description:
      'Give staff regular, short training with realistic phishing exercises, and make reporting a suspicious message easy and blame-free.',
    controls: ['security-training'],
    asvs: [],
  },
  'separation-of-duties': {
    title: 'Require two people for sensitive changes',
    description:
      'Split sensitive actions such as large payments, permission grants and production releases so one person requests and another approves.',
    controls: ['separation-of-duties', 'code-review'],
    asvs: ['V2.3.5'],
  },
  'privileged-access-management': {
    title: 'Grant privileged access just in time and record it',
    description:
      'Broker administrative access through a PAM tool or bastion that grants time-bound elevation on approval and records the session.',
    controls: ['privileged-access-management', 'audit-logging'],
    asvs: ['V8.4.2'],
    cwe: ['CWE-269'],
  },
  'insider-monitoring': {
    title: 'Watch for misuse by insiders',
    description:
      'Log access to sensitive data by staff, alert on unusual volumes or patterns, and use data loss prevention on the channels data could leave by.',
    controls: ['audit-logging', 'anomaly-detection', 'dlp'],
    asvs: ['V16.3.2'],
  },

  // Privacy (LINDDUN)
  'data-minimization': {
    title: 'Collect and keep only the data you need',
    description:
      'Classify personal and sensitive data, collect only the fields each purpose needs, and expose as little of it as possible during processing and in responses.',
    controls: ['data-minimization'],
    asvs: ['V14.1.1', 'V14.2.6', 'V11.7.2'],
    cwe: ['CWE-359'],
  },
  pseudonymization: {
    title: 'Pseudonymize identifiers',
    description:
      'Replace direct identifiers with pseudonyms or tokens in analytics, test data and data shared with other parties, and keep the mapping separately under strict access.',
    controls: ['pseudonymization', 'tokenization'],
    asvs: ['V14.2.4'],
    cwe: ['CWE-359'],
  },
  'limit-third-party-sharing': {
    title: 'Keep personal data away from trackers and third parties',
    description:
      'Send personal data to third parties only under a documented purpose and agreement, and keep it out of analytics, advertising and tracking scripts.',
    controls: ['data-minimization'],
    asvs: ['V14.2.3'],
    cwe: ['CWE-359'],
  },
  'consent-management': {
    title: 'Ask for consent and honour it',
    description:
      'Ask for specific, informed consent before processing that needs it, record it with its scope and time, and let people review and withdraw it as easily as they gave it.',
    controls: ['consent-management'],
    asvs: ['V10.7.2', 'V10.7.3', 'V14.2.8'],
  },
  'retention-policy': {
    title: 'Delete data when its retention period ends',
    description:
      'Give each kind of personal and sensitive data a retention period and delete or anonymize it automatically when that period ends, including in backups and logs.',
    controls: ['retention-policy'],
    asvs: ['V14.2.7'],
  },
  'privacy-transparency': {
    title: 'Tell people what you collect and why',
    description:
      'Publish a clear privacy notice, and show short notices where data is collected, saying what is collected, for which purpose, how long it is kept and who receives it.',
    controls: ['privacy-notice'],
    asvs: [],
  },
  'data-subject-rights': {
    title: 'Let people access, export, correct and erase their data',
    description:
      "Provide a verified self-service or request process for access, portability, correction and erasure, which reaches every store and processor that holds the person's data.",
    controls: ['data-subject-rights'],
    asvs: [],
  },
} as const satisfies Readonly<Record<string, MitigationCatalogEntry>>;

/** The id of an entry in the mitigation catalog. */
export type MitigationId = keyof typeof MITIGATION_CATALOG;

/**
 * The mitigation catalog entry for an id (exact, kebab-case), or undefined when there is none.
 *
 * @example
 * getMitigationCatalogEntry('parameterized-queries')?.cwe // ['CWE-89', 'CWE-943']
 * getMitigationCatalogEntry('tls-everywhere')?.controls // ['encryption-in-transit']
 * getMitigationCatalogEntry('no-such-mitigation') // undefined
 */
export function getMitigationCatalogEntry(id: string): MitigationCatalogEntry | undefined {
  return Object.hasOwn(MITIGATION_CATALOG, id) ? MITIGATION_CATALOG[id as MitigationId] : undefined;
}

/** Every id in the mitigation catalog, in catalog order. */
export const MITIGATION_IDS = Object.keys(MITIGATION_CATALOG) as [MitigationId, ...MitigationId[]];
