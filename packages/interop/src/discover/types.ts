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
}
