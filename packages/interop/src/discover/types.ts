import type { DiscoverySource } from '../ImportResult.js';

/**
 * How one resource relates to another, as a reader finds it in the source:
 * - `flow`: this resource sends to or calls the other (an env var naming another service, a `links` entry, an
 *   ingress rule of a security group that lets the other in reversed accordingly, a Lambda event source...).
 * - `member-of`: this resource sits inside the other (a service on a compose network, a Deployment in a
 *   namespace, an instance in a subnet or security group, a subnet in a VPC).
 * - `stores-in`: this resource keeps data in the other (a service mounting a volume).
 * - `exposed-by`: the other makes this resource reachable (a Kubernetes Service or Ingress in front of a
 *   Deployment, a load balancer in front of instances).
 * - `uses-secret`: this resource reads the other, a secret (a Kubernetes Secret, a Secrets Manager secret).
 */
export type RelationKind = 'flow' | 'member-of' | 'stores-in' | 'exposed-by' | 'uses-secret';

export interface Relation {
  readonly kind: RelationKind;
  /** The address of the other resource (see SourceResource.address). */
  readonly to: string;
  readonly protocol?: string;
  readonly port?: number;
  /** Where the relation is written, when not on the resource's own line. */
  readonly line?: number;
  /** Why the reader thinks so, in words: `environment variable REDIS_HOST=redis`. */
  readonly evidence: string;
}

/** One resource read from infrastructure code, before mapping to Parapet items. */
export interface SourceResource {
  readonly source: DiscoverySource;
  /** Its type in the source: `service`, `network`, `volume` (compose), `Deployment`, `Service` (Kubernetes), `aws_db_instance`, `AWS::RDS::DBInstance`. */
  readonly type: string;
  /** Its name in the source: the compose service name, `metadata.name`, the Terraform or CloudFormation logical name. */
  readonly name: string;
  /** Unique among all resources of one discovery: `services.vote`, `Deployment/default/vote`, `aws_db_instance.main`. */
  readonly address: string;
  readonly file: string;
  /** 1-based line where the resource is written. */
  readonly line: number;
  /** Its settings as read (plain JSON values), for mapping rules to match on and fill templates from. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Reachability the reader can tell by itself: published ports, an Ingress, a public IP, an internet-facing load balancer. */
  readonly exposure?: 'internet' | 'internal';
  readonly relations: readonly Relation[];
  /** What the reader saw on this resource and could not express as attributes or relations (a bind mount, host networking...): each goes to `unmapped`. */
  readonly notes?: readonly SourceNote[];
}

/** Something a reader saw and did not turn into a resource or relation; it goes to `unmapped` as it is. */
export interface SourceNote {
  /** Where it is in the source, as a path: `services.vote.volumes[0]`. */
  readonly at: string;
  readonly line?: number;
  /** What it is, in words: `bind mount ./vote -> /usr/local/app`. */
  readonly what: string;
  /** Why it is not in the model. */
  readonly reason: string;
}

/**
 * A rule of a mapping file: which resources it maps, and to what. Rules are tried in order (a user's
 * mapping files before the built-in ones) and the first that matches a resource wins. Templates in string
 * values (`{name}`, `{attributes.image}`, `{type}`) are filled from the resource; a template naming an
 * absent attribute leaves the field out.
 */
export interface MappingRule {
  /** Resource types it applies to: exact names or globs with `*` (`aws_lb*`, `AWS::RDS::*`). */
  readonly type: string | readonly string[];
  /** Conditions on attributes, all of which must hold: a dotted path into `attributes` -> a glob or a list of globs its (string) value must match. */
  readonly when?: Readonly<Record<string, string | readonly string[]>>;
  /** The resource becomes an element. */
  readonly element?: {
    readonly kind: 'process' | 'datastore' | 'external';
    readonly type?: string;
    readonly technology?: string;
    readonly name?: string;
    readonly tags?: readonly string[];
  };
  /** The resource becomes a trust boundary. */
  readonly boundary?: { readonly kind: string; readonly name?: string; readonly trustLevel?: number };
  /** The resource becomes an asset (a secret, a bucket's contents...). */
  readonly asset?: { readonly kind: string; readonly name?: string; readonly classification?: string };
  /**
   * The resource only stands in front of others (a Kubernetes Service): it becomes nothing itself, and
   * relations to it go to the resources it exposes (and they take its exposure).
   */
  readonly passThrough?: true;
  /** The resource is left out on purpose; the reason goes to the unmapped list. */
  readonly ignore?: string;
}

/** A mapping file: the rules for one source kind. Users add their own with `--mapping <file>`. */
export interface MappingFile {
  readonly source: DiscoverySource;
  readonly rules: readonly MappingRule[];
  /** The file's name (a user's path, or `@parapet/interop/mappings/<source>.yaml`), for the reasons in `unmapped`. */
  readonly name?: string;
  /** The line each rule starts on, in the order of `rules`. */
  readonly lines?: readonly number[];
}

/** One input file of a discovery. */
export interface DiscoveryInput {
  readonly file: string;
  readonly text: string;
}
