// Threat Dragon elements have no technology type; Parapet's rules match on one. A name such as "Message
// Queue" or "Customer Browser" says it plainly, so the importer proposes the type and says so in `unmapped`.

import type { Element } from '@parapet/core';

type ElementKind = Element['kind'];
type TechnologyType = NonNullable<Element['type']>;

/** Words in a name that name a catalog type, per element kind (only types of that kind), tried in order. */
const NAME_PATTERNS: Readonly<Record<ElementKind, readonly (readonly [RegExp, TechnologyType])[]>> = {
  external: [
    [/\bbrowsers?\b/, 'browser'],
    [/\b(admins?|administrators?|operators?)\b/, 'admin-user'],
    [/\b(payment|psp|card processor)\b/, 'payment-provider'],
    [/\b(users?|customers?|clients?|persons?|people|staff|employees?|visitors?|shoppers?|humans?)\b/, 'user'],
    [/\b(third[- ]party|partners?|saas|vendors?|external (api|service|system))\b/, 'third-party-service'],
  ],
  process: [
    [/\b(waf|web application firewall)\b/, 'waf'],
    [/\bfirewall\b/, 'firewall'],
    [/\bapi gateway\b/, 'api-gateway'],
    [/\bload balancer\b/, 'load-balancer'],
    [/\b(reverse )?proxy\b/, 'reverse-proxy'],
    [/\bcdn\b/, 'cdn'],
    [/\bvpn\b/, 'vpn'],
    [/\b(identity provider|idp|sso|authentication (server|service)|auth server)\b/, 'identity-provider'],
    [/\b(single[- ]page app(lication)?|spa)\b/, 'single-page-app'],
    [/\bmobile app(lication)?\b/, 'mobile-app'],
    [/\bdesktop app(lication)?\b/, 'desktop-app'],
    [/\bweb ?app(lication)?\b/, 'web-app'],
    [/\bweb ?server\b/, 'web-server'],
    [/\bworkers?\b/, 'worker'],
    [/\b(batch|cron|scheduled) (job|task)s?\b/, 'batch-job'],
    [/\b(lambda|serverless function|cloud function)\b/, 'function'],
    [/\bapis?\b/, 'api'],
    [/\b(micro)?services?\b/, 'service'],
  ],
  datastore: [
    [/\b(message queue|queues?|message broker|rabbitmq|sqs)\b/, 'queue'],
    [/\b(kafka|event bus|event stream)\b/, 'event-bus'],
    [/\b(cache|redis|memcached)\b/, 'cache'],
    [/\b(logs?|log store|audit trail)\b/, 'log-store'],
    [/\bbackups?\b/, 'backup'],
    [/\b(buckets?|object store(age)?|blob storage|s3)\b/, 'object-store'],
    [/\b(search index|elasticsearch|opensearch)\b/, 'search-index'],
    [/\b(vault|secrets? store|secrets? manager)\b/, 'vault'],
    [/\b(data warehouse|data lake)\b/, 'data-warehouse'],
    [/\b(ldap|active directory)\b/, 'directory'],
    [/\b(database|db|rdbms|sql|postgres(ql)?|mysql|mongo(db)?|dynamodb|datastore)\b/, 'database'],
    [/\b(config(uration)?|files?|file system|file share|share)\b/, 'file-store'],
    [/\b(repository|repo|git)\b/, 'source-repository'],
  ],
};

/** The catalog type an element's name points to, among types of the element's kind, if any. */
export function guessType(name: string, kind: ElementKind): TechnologyType | undefined {
  const text = name.toLowerCase();
  for (const [pattern, type] of NAME_PATTERNS[kind]) {
    if (pattern.test(text)) return type;
  }
  return undefined;
}
