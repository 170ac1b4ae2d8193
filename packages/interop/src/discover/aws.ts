// AWS semantics shared by the Terraform and CloudFormation readers: what each resource type is (its role),
// membership in VPCs, subnets and security groups, security group rules as flows between the groups'
// members, load balancers and target groups, connecting resources (event sources, subscriptions,
// integrations), secrets, and exposure. The readers turn their files into drafts; finishAwsResources
// turns the drafts into source resources with relations.
import type { PathSegment } from '@parapet/core';
import { ImportError, type DiscoverySource } from '../ImportResult.js';
import { pathText } from '../source.js';
import { asPort, asRecord, asText } from './compose.js';
import type { Relation, SourceNote, SourceResource } from './types.js';
// ---------------------------------------------------------------------------------------------------------
// AWS semantics shared by the Terraform and CloudFormation readers
// ---------------------------------------------------------------------------------------------------------

/**
 * What a resource type is to the AWS semantics. Containers (`vpc`, `subnet`, `security-group`, `cluster`)
 * hold what names them; the others say how references from or to them are read. A type without a role is an
 * ordinary resource: what it names, it sends to (a flow).
 */
export type AwsRole =
  | 'vpc'
  | 'subnet'
  | 'security-group'
  | 'cluster'
  | 'subnet-group'
  | 'launch-template'
  | 'load-balancer'
  | 'listener'
  | 'listener-rule'
  | 'target-group'
  | 'target-attachment'
  | 'security-group-rule'
  | 'secret'
  | 'permission'
  | 'informational'
  | 'setting'
  | 'task-definition'
  | 'log-group'
  | 'module';

/** One reference a resource makes to another: where in its settings, and the other's address. */
export interface Reference {
  readonly path: readonly PathSegment[];
  readonly target: string;
}

/** A resource as a reader collected it, before the AWS semantics give it relations and exposure. */
export interface ResourceDraft {
  readonly source: DiscoverySource;
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly file: string;
  readonly line: number;
  /** Its settings as they go out (SourceResource.attributes). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Its settings as the semantics read them: the attributes, or for a plan its values with the configuration's constants. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Every other resource it names, and where. */
  readonly references: readonly Reference[];
  /** What the reader saw and could not express (added to by the semantics too). */
  readonly notes: SourceNote[];
}

/** A security group rule, wherever it is written (inline in the group or as a resource of its own). */
export interface SecurityGroupRule {
  /** The address of the group the rule belongs to, when the source names one among the inputs. */
  readonly group: string | undefined;
  readonly direction: 'ingress' | 'egress';
  /** Addresses of the groups it lets in (ingress) or out to (egress). */
  readonly peers: readonly string[];
  /** The address ranges it names, as written. */
  readonly cidrs: readonly string[];
  /** It names the range of a VPC or subnet of the inputs (`aws_vpc.main.cidr_block`, `!GetAtt VPC.CidrBlock`). */
  readonly insideNetwork: boolean;
  /** Peers it names that are not among the inputs (`sg-0123`, a cross-stack import, a prefix list), as text. */
  readonly outside: readonly string[];
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  /** The resource the rule is written in. */
  readonly holder: ResourceDraft;
  /** Where in the source: `aws_security_group.web.ingress[0]`. */
  readonly at: string;
}

/** A reachability a resource states about itself or another (an Elastic IP about its instance). */
export interface ExposureFact {
  readonly address: string;
  /** `blocked` wins over everything: a bucket's public access block. */
  readonly exposure: 'internet' | 'internal' | 'blocked';
}

/** A resource that only connects two others: flows from what it names at `from` to what it names at `to`. */
export interface Connector {
  /** Dotted keys (list indices left out) whose references are the senders. */
  readonly from: readonly string[];
  /** Dotted keys whose references are the receivers. */
  readonly to: readonly string[];
}

/** What the semantics need to know of a source's resource types and setting names. */
export interface AwsDialect {
  role(type: string): AwsRole | undefined;
  /** The type of a referenced resource that is not among the inputs, when the address or the key tells it. */
  typeOfTarget(reference: Reference): string | undefined;
  readonly connectors: ReadonlyMap<string, Connector>;
  /** Keys naming a port next to a reference to a target group (a container's port, a target's port). */
  readonly portKeys: readonly string[];
  /** Keys of a security group's own rules: their references are peers, not memberships. */
  readonly ruleKeys: ReadonlySet<string>;
  /** Top-level keys whose references say nothing about data or placement (`depends_on`). */
  readonly quietKeys: ReadonlySet<string>;
  /** The port and protocol a target group forwards to. */
  targetGroup(draft: ResourceDraft): { port?: number; protocol?: string };
  securityGroupRules(draft: ResourceDraft, context: AwsContext): SecurityGroupRule[];
  exposures(draft: ResourceDraft, context: AwsContext): ExposureFact[];
}

/** What a dialect's functions may ask of the resources read. */
export interface AwsContext {
  readonly drafts: ReadonlyMap<string, ResourceDraft>;
  /** The role of the resource at an address (declared, or told by the reference). */
  roleOf(address: string, reference?: Reference): AwsRole | undefined;
  /** The addresses a draft names at or under a path (`['ingress', 0, 'security_groups']`). */
  refsAt(draft: ResourceDraft, prefix: readonly PathSegment[]): string[];
  /** The addresses a draft names under a dotted key, list indices left out (`default_action.target_group_arn`). */
  refsUnder(draft: ResourceDraft, key: string): string[];
}

/** Roles whose own references are read by dedicated passes, or mean nothing for data and placement. */
const QUIET_SOURCES: ReadonlySet<AwsRole> = new Set<AwsRole>([
  'subnet-group',
  'launch-template',
  'listener',
  'listener-rule',
  'target-group',
  'target-attachment',
  'security-group-rule',
  'permission',
  'informational',
  'setting',
  'task-definition',
  'module',
]);

/** Roles that, when named, say nothing about data or placement. */
const QUIET_TARGETS: ReadonlySet<AwsRole> = new Set<AwsRole>([
  'listener',
  'listener-rule',
  'target-attachment',
  'security-group-rule',
  'permission',
  'informational',
  'setting',
  'task-definition',
  'module',
]);

/** The order of memberships, innermost first: the engine keeps the first when boundaries do not nest. */
const MEMBERSHIP_RANK: Readonly<Partial<Record<AwsRole, number>>> = {
  'security-group': 0,
  subnet: 1,
  cluster: 2,
  vpc: 3,
};

/** Memberships ranked below this (security groups, subnets) make a VPC membership redundant. */
const INNER_RANK = 2;

/** Security group rules may imply a flow for every pair of members; past this many, the input is refused. */
const MAX_DERIVED_FLOWS = 100_000;

/** A resource exposed by a target group: the target, the group, and the port it is reached on. */
interface TargetFact {
  readonly targetGroup: string;
  readonly target: string;
  readonly port: number | undefined;
  readonly holder: ResourceDraft;
}

/**
 * Gives drafts their relations and exposure by the AWS semantics of a dialect, and returns them as source
 * resources in input order. Linear in the references, except security group rules, which imply one flow
 * per pair of members (bounded by MAX_DERIVED_FLOWS).
 */
export function finishAwsResources(drafts: readonly ResourceDraft[], dialect: AwsDialect): SourceResource[] {
  const semantics = new AwsSemantics(drafts, dialect);
  semantics.addReferenceRelations();
  semantics.addTargetGroupTargets();
  semantics.addConnectorFlows();
  semantics.addSecurityGroupFlows();
  semantics.addLoadBalancerExposure();
  semantics.addExposures();
  return drafts.map((draft) => semantics.resource(draft));
}

/** The state of one pass of the AWS semantics over a set of drafts. */
class AwsSemantics implements AwsContext {
  readonly drafts = new Map<string, ResourceDraft>();
  readonly #dialect: AwsDialect;
  readonly #relations = new Map<string, Relation[]>();
  readonly #relationKeys = new Set<string>();
  readonly #exposure = new Map<string, ExposureFact['exposure']>();
  readonly #targets: TargetFact[] = [];
  readonly #referenceIndex = new WeakMap<ResourceDraft, Map<string, Reference[]>>();
  /** Roles of referenced resources that are not among the inputs, as their references told them. */
  readonly #toldRoles = new Map<string, AwsRole>();
  #derivedFlows = 0;

  constructor(drafts: readonly ResourceDraft[], dialect: AwsDialect) {
    for (const draft of drafts) this.drafts.set(draft.address, draft);
    this.#dialect = dialect;
  }

  /** The role of the resource at an address: its declared type's, or the type the reference tells. */
  roleOf(address: string, reference?: Reference): AwsRole | undefined {
    const declared = this.drafts.get(address)?.type;
    if (declared !== undefined) return this.#dialect.role(declared);
    const told = reference && this.#dialect.typeOfTarget(reference);
    if (told === undefined) return this.#toldRoles.get(address);
    const role = this.#dialect.role(told);
    if (role !== undefined) this.#toldRoles.set(address, role);
    return role;
  }

  /** The addresses a draft names at or under a path, each once (looked up by the path's first two segments). */
  refsAt(draft: ResourceDraft, prefix: readonly PathSegment[]): string[] {
    const bucket = prefix.length === 0 ? draft.references : (this.#indexOf(draft).get(bucketKey(prefix)) ?? []);
    const found = new Set<string>();
    for (const reference of bucket) {
      if (prefix.every((segment, i) => reference.path[i] === segment)) found.add(reference.target);
    }
    return [...found];
  }

  /** A draft's references by their first segment and by their first two, built on first use. */
  #indexOf(draft: ResourceDraft): Map<string, Reference[]> {
    let index = this.#referenceIndex.get(draft);
    if (index) return index;
    index = new Map();
    for (const reference of draft.references) {
      const keys = [
        bucketKey(reference.path.slice(0, 1)),
        ...(reference.path.length > 1 ? [bucketKey(reference.path.slice(0, 2))] : []),
      ];
      for (const key of keys) {
        const list = index.get(key);
        if (list) list.push(reference);
        else index.set(key, [reference]);
      }
    }
    this.#referenceIndex.set(draft, index);
    return index;
  }

  /** The addresses a draft names under a dotted key, list indices left out, each once. */
  refsUnder(draft: ResourceDraft, key: string): string[] {
    const found = new Set<string>();
    for (const reference of draft.references) {
      const dotted = reference.path.filter((segment) => typeof segment === 'string').join('.');
      if (dotted === key || dotted.startsWith(`${key}.`)) found.add(reference.target);
    }
    return [...found];
  }

  /** The addresses a draft names whose resources have a role. */
  #refsWithRole(draft: ResourceDraft, role: AwsRole): string[] {
    const found = new Set<string>();
    for (const reference of draft.references) {
      if (this.roleOf(reference.target, reference) === role) found.add(reference.target);
    }
    return [...found];
  }

  /**
   * Adds a relation to a declared resource, once (no relation to itself). A relation that another resource
   * (the holder) states for one that is not among the inputs is noted on the holder.
   */
  #add(address: string, relation: Relation, holder?: ResourceDraft): void {
    if (!this.drafts.has(address)) {
      holder?.notes.push({
        at: holder.address,
        line: holder.line,
        what: `${relation.kind} relation from ${address} to ${relation.to}: ${relation.evidence}`,
        reason: `${address} is not among the inputs, so nothing holds the relation`,
      });
      return;
    }
    if (relation.to === address) return;
    const key = [address, relation.kind, relation.to, relation.protocol ?? '', relation.port ?? ''].join('\0');
    if (this.#relationKeys.has(key)) return;
    this.#relationKeys.add(key);
    const list = this.#relations.get(address);
    if (list) list.push(relation);
    else this.#relations.set(address, [relation]);
  }

  /** Relations from what each ordinary resource names: memberships, flows, secrets, target groups. */
  addReferenceRelations(): void {
    for (const draft of this.drafts.values()) {
      const role = this.#dialect.role(draft.type);
      if (draft.type.startsWith('data.') || (role !== undefined && QUIET_SOURCES.has(role))) continue;
      if (this.#dialect.connectors.has(draft.type)) continue;
      for (const reference of draft.references) this.#relateReference(draft, role, reference);
    }
  }

  /** The relation one reference makes, by the role of what it names. */
  #relateReference(draft: ResourceDraft, role: AwsRole | undefined, reference: Reference): void {
    const key = String(reference.path[0] ?? '');
    if (this.#dialect.quietKeys.has(key)) return;
    if (role === 'security-group' && this.#dialect.ruleKeys.has(key)) return;
    const target = reference.target;
    const targetRole = this.roleOf(target, reference);
    const evidence = `${pathText(reference.path)} names ${target}`;
    if (targetRole !== undefined && QUIET_TARGETS.has(targetRole)) return;
    switch (targetRole) {
      case 'vpc':
      case 'subnet':
      case 'cluster':
        this.#add(draft.address, { kind: 'member-of', to: target, evidence });
        return;
      case 'security-group':
        if (role !== 'security-group') this.#add(draft.address, { kind: 'member-of', to: target, evidence });
        return;
      case 'subnet-group':
        this.#lendContainers(draft, target, evidence, ['subnet']);
        return;
      case 'launch-template':
        this.#lendContainers(draft, target, evidence, ['security-group', 'subnet']);
        return;
      case 'target-group':
        this.#targets.push({
          targetGroup: target,
          target: draft.address,
          port: siblingPort(draft.body, reference.path, this.#dialect.portKeys),
          holder: draft,
        });
        return;
      case 'secret':
        this.#add(draft.address, { kind: 'uses-secret', to: target, evidence });
        return;
      default:
        if (role === 'log-group') {
          const line = this.drafts.get(target)?.file === draft.file ? { line: draft.line } : {};
          this.#add(
            target,
            {
              kind: 'flow',
              to: draft.address,
              ...line,
              evidence: `${draft.address} ${evidence}: it keeps that resource's logs`,
            },
            draft,
          );
        } else {
          this.#add(draft.address, { kind: 'flow', to: target, evidence });
        }
    }
  }

  /** Memberships a resource takes from a subnet group or launch template it names: the containers that names. */
  #lendContainers(draft: ResourceDraft, lender: string, evidence: string, roles: readonly AwsRole[]): void {
    const source = this.drafts.get(lender);
    if (!source) return;
    for (const reference of source.references) {
      const role = this.roleOf(reference.target, reference);
      if (role === undefined || !roles.includes(role)) continue;
      this.#add(draft.address, {
        kind: 'member-of',
        to: reference.target,
        evidence: `${evidence}, whose ${pathText(reference.path)} names ${reference.target}`,
      });
    }
  }

  /** Targets a target group names itself (CloudFormation `Targets`) or through attachments. */
  addTargetGroupTargets(): void {
    for (const draft of this.drafts.values()) {
      const role = this.#dialect.role(draft.type);
      if (role !== 'target-group' && role !== 'target-attachment') continue;
      const groups = role === 'target-group' ? [draft.address] : this.#refsWithRole(draft, 'target-group');
      const balancers = role === 'target-attachment' ? this.#refsWithRole(draft, 'load-balancer') : [];
      for (const reference of draft.references) {
        // A group's targets are ordinary resources, or a load balancer (an ALB behind an NLB); an attachment's
        // load balancers are what it attaches to.
        const targetRole = this.roleOf(reference.target, reference);
        if (targetRole !== undefined && !(role === 'target-group' && targetRole === 'load-balancer')) continue;
        const port = siblingPort(draft.body, reference.path, this.#dialect.portKeys);
        for (const group of groups)
          this.#targets.push({ targetGroup: group, target: reference.target, port, holder: draft });
        for (const balancer of balancers) {
          const evidence = `${draft.address} attaches it to ${balancer}`;
          const details = { ...(port !== undefined && { port }), ...this.#lineOf(draft, reference.target) };
          this.#add(reference.target, { kind: 'exposed-by', to: balancer, ...details, evidence }, draft);
        }
      }
    }
  }

  /** Flows a connector resource (an event source mapping, an API integration...) makes between two others. */
  addConnectorFlows(): void {
    for (const draft of this.drafts.values()) {
      const connector = this.#dialect.connectors.get(draft.type);
      if (!connector) continue;
      const senders = connector.from.flatMap((key) => this.refsUnder(draft, key));
      const receivers = connector.to
        .flatMap((key) => this.refsUnder(draft, key))
        .flatMap((address) => this.#throughListener(address));
      if (senders.length === 0 || receivers.length === 0) {
        const missing = senders.length === 0 ? connector.from.join(' or ') : connector.to.join(' or ');
        draft.notes.push({
          at: draft.address,
          line: draft.line,
          what: `${draft.type} ${draft.address}`,
          reason: `it connects two resources, but its ${missing} names no resource: no flow made`,
        });
        continue;
      }
      for (const sender of senders) {
        for (const receiver of receivers) {
          const evidence = `${draft.type} ${draft.address} connects ${sender} to ${receiver}`;
          this.#add(sender, { kind: 'flow', to: receiver, ...this.#lineOf(draft, sender), evidence }, draft);
        }
      }
    }
  }

  /** A listener stands for its load balancer (an API integration to a listener reaches the balancer). */
  #throughListener(address: string): string[] {
    const draft = this.drafts.get(address);
    if (!draft || this.#dialect.role(draft.type) !== 'listener') return [address];
    return this.#refsWithRole(draft, 'load-balancer');
  }

  /** `{ line }` of a holder when it is written elsewhere in the same file as the resource, else nothing. */
  #lineOf(holder: ResourceDraft, address: string): { line?: number } {
    const draft = this.drafts.get(address);
    return draft && draft.file === holder.file && draft.line !== holder.line ? { line: holder.line } : {};
  }

  /** Flows between the members of security groups their rules connect, and exposure from address ranges. */
  addSecurityGroupFlows(): void {
    const rules = [...this.drafts.values()].flatMap((draft) => this.#dialect.securityGroupRules(draft, this));
    if (rules.length === 0) return;
    const members = new Map<string, string[]>();
    for (const [address, relations] of this.#relations) {
      for (const relation of relations) {
        if (relation.kind !== 'member-of' || this.roleOf(relation.to) !== 'security-group') continue;
        const list = members.get(relation.to);
        if (list) list.push(address);
        else members.set(relation.to, [address]);
      }
    }
    for (const rule of rules) this.#applyRule(rule, members);
  }

  /** One rule: flows to or from its peers' members, exposure from the ranges it opens, notes for the rest. */
  #applyRule(rule: SecurityGroupRule, members: ReadonlyMap<string, readonly string[]>): void {
    const traffic = describeTraffic(rule.protocol, rule.fromPort, rule.toPort);
    const note = (what: string, reason: string): void => {
      rule.holder.notes.push({ at: rule.at, line: rule.holder.line, what, reason });
    };
    const towards = rule.direction === 'ingress' ? 'from' : 'to';
    if (rule.group === undefined) {
      note(
        `${rule.direction} rule (${traffic.text})`,
        'the security group it belongs to is not among the inputs, so its members are unknown',
      );
      return;
    }
    const inside = members.get(rule.group) ?? [];
    for (const peer of rule.peers) {
      const others = members.get(peer) ?? [];
      if (inside.length === 0 || others.length === 0) {
        const empty = inside.length === 0 ? rule.group : peer;
        note(
          `${rule.direction} ${towards} ${peer} (${traffic.text})`,
          `no resource among the inputs is in ${empty}: no flow made`,
        );
        continue;
      }
      const [senders, receivers] = rule.direction === 'ingress' ? [others, inside] : [inside, others];
      const evidence =
        rule.direction === 'ingress'
          ? `security group rule ${rule.at} lets ${peer} into ${rule.group} (${traffic.text})`
          : `security group rule ${rule.at} lets ${rule.group} out to ${peer} (${traffic.text})`;
      this.#addDerivedFlows(rule, senders, receivers, traffic, evidence);
    }
    for (const outside of rule.outside) {
      note(
        `${rule.direction} ${towards} ${outside} (${traffic.text})`,
        `${outside} is not among the inputs: no flow made`,
      );
    }
    for (const cidr of rule.cidrs) this.#applyRange(rule, cidr, inside, traffic.text, note);
    if (rule.insideNetwork && rule.direction === 'ingress') {
      for (const member of inside) this.#raise(member, 'internal');
    }
  }

  /** Exposure of a group's members from an address range a rule opens, or a note when it is not one the model holds. */
  #applyRange(
    rule: SecurityGroupRule,
    cidr: string,
    inside: readonly string[],
    traffic: string,
    note: (what: string, reason: string) => void,
  ): void {
    const reach = rangeReach(cidr);
    if (rule.direction === 'ingress' && reach !== 'other') {
      for (const member of inside) this.#raise(member, reach === 'world' ? 'internet' : 'internal');
      if (inside.length === 0)
        note(`ingress from ${cidr} (${traffic})`, `no resource among the inputs is in ${rule.group ?? 'the group'}`);
      return;
    }
    const why =
      rule.direction === 'ingress'
        ? 'an address range outside the inputs: Parapet has no element for it, and the members keep the exposure other rules give'
        : reach === 'world'
          ? 'the members may connect anywhere on the internet (no egress filtering); Parapet has no element for it'
          : 'an address range the members may connect to; Parapet has no element for it';
    note(`${rule.direction} ${rule.direction === 'ingress' ? 'from' : 'to'} ${cidr} (${traffic})`, why);
  }

  /** Flows from each sender to each receiver (not to itself), bounded in number. */
  #addDerivedFlows(
    rule: SecurityGroupRule,
    senders: readonly string[],
    receivers: readonly string[],
    traffic: Traffic,
    evidence: string,
  ): void {
    for (const sender of senders) {
      for (const receiver of receivers) {
        if (sender === receiver) continue;
        if (++this.#derivedFlows > MAX_DERIVED_FLOWS) {
          throw new ImportError(
            `security group rules imply more than ${MAX_DERIVED_FLOWS} flows between their members (at ${rule.at})`,
            rule.holder.file,
            rule.holder.line,
          );
        }
        this.#add(sender, {
          kind: 'flow',
          to: receiver,
          ...(traffic.protocol !== undefined && { protocol: traffic.protocol }),
          ...(traffic.port !== undefined && { port: traffic.port }),
          ...this.#lineOf(rule.holder, sender),
          evidence,
        });
      }
    }
  }

  /** Targets of target groups: exposed by the load balancers whose listeners forward to the group, else by the group. */
  addLoadBalancerExposure(): void {
    const balancersOf = new Map<string, Set<string>>();
    for (const draft of this.drafts.values()) {
      const role = this.#dialect.role(draft.type);
      if (role !== 'listener' && role !== 'listener-rule') continue;
      const listeners =
        role === 'listener'
          ? [draft]
          : this.#refsWithRole(draft, 'listener').flatMap((address) => this.drafts.get(address) ?? []);
      const balancers = listeners.flatMap((listener) => this.#refsWithRole(listener, 'load-balancer'));
      for (const group of this.#refsWithRole(draft, 'target-group')) {
        const set = balancersOf.get(group) ?? new Set<string>();
        for (const balancer of balancers) set.add(balancer);
        balancersOf.set(group, set);
      }
    }
    for (const fact of this.#targets) {
      const group = this.drafts.get(fact.targetGroup);
      const forwarding = group ? this.#dialect.targetGroup(group) : {};
      const port = fact.port ?? forwarding.port;
      const details = {
        ...(forwarding.protocol !== undefined && { protocol: forwarding.protocol }),
        ...(port !== undefined && { port }),
        ...this.#lineOf(fact.holder, fact.target),
      };
      const how =
        fact.holder.address === fact.target
          ? `it names target group ${fact.targetGroup}`
          : `${fact.holder.address} makes it a target of ${fact.targetGroup}`;
      const balancers = [...(balancersOf.get(fact.targetGroup) ?? [])];
      for (const balancer of balancers) {
        const evidence = `${how}, to which a listener of ${balancer} forwards`;
        this.#add(fact.target, { kind: 'exposed-by', to: balancer, ...details, evidence }, fact.holder);
      }
      if (balancers.length === 0) {
        const evidence = `${how}; no listener among the inputs forwards to the group`;
        this.#add(fact.target, { kind: 'exposed-by', to: fact.targetGroup, ...details, evidence }, fact.holder);
      }
    }
  }

  /** Exposure each resource states about itself or another. */
  addExposures(): void {
    for (const draft of this.drafts.values()) {
      for (const fact of this.#dialect.exposures(draft, this)) this.#raise(fact.address, fact.exposure);
    }
  }

  /** Raises a resource's exposure (internet over internal; a block over both). */
  #raise(address: string, exposure: ExposureFact['exposure']): void {
    const current = this.#exposure.get(address);
    if (exposure !== 'blocked' && (current === 'blocked' || current === 'internet')) return;
    this.#exposure.set(address, exposure);
  }

  /** The finished source resource of a draft: memberships innermost first, without memberships the others imply. */
  resource(draft: ResourceDraft): SourceResource {
    const relations = this.#relations.get(draft.address) ?? [];
    const rank = (relation: Relation): number =>
      relation.kind === 'member-of' ? (MEMBERSHIP_RANK[this.roleOf(relation.to) ?? 'module'] ?? 4) : 5;
    const inner = relations.some((relation) => rank(relation) < INNER_RANK);
    const kept = relations
      .filter((relation) => !(inner && relation.kind === 'member-of' && this.roleOf(relation.to) === 'vpc'))
      .map((relation, index) => ({ relation, index }))
      .sort((a, b) => rank(a.relation) - rank(b.relation) || a.index - b.index)
      .map(({ relation }) => relation);
    const exposure = this.#exposure.get(draft.address);
    return {
      source: draft.source,
      type: draft.type,
      name: draft.name,
      address: draft.address,
      file: draft.file,
      line: draft.line,
      attributes: draft.attributes,
      ...(exposure === 'internet' || exposure === 'internal' ? { exposure } : {}),
      relations: kept,
      ...(draft.notes.length > 0 && { notes: draft.notes }),
    };
  }
}

/** The traffic a rule allows: Parapet's protocol and the single port, when there is one, and words for both. */
interface Traffic {
  readonly protocol: string | undefined;
  readonly port: number | undefined;
  readonly text: string;
}

/** The index key of a path's first one or two segments. */
function bucketKey(path: readonly PathSegment[]): string {
  return path
    .slice(0, 2)
    .map((segment) => `${typeof segment}:${segment}`)
    .join('\0');
}

/** Reads a rule's IP protocol (`tcp`, `6`, `-1`...) and port range. */
function describeTraffic(protocol: unknown, fromPort: unknown, toPort: unknown): Traffic {
  const raw = (asText(protocol) ?? '').toLowerCase();
  if (raw === '' || raw === '-1' || raw === 'all') return { protocol: undefined, port: undefined, text: 'all traffic' };
  const name = raw === '6' ? 'tcp' : raw === '17' ? 'udp' : raw === '1' ? 'icmp' : raw === '58' ? 'icmpv6' : raw;
  const parapet = name === 'tcp' || name === 'udp' ? name : /^[\w-]+$/.test(name) ? 'other' : undefined;
  if (name !== 'tcp' && name !== 'udp') return { protocol: parapet, port: undefined, text: name };
  const from = asPort(fromPort);
  const to = asPort(toPort);
  if (from !== undefined && from === to) return { protocol: parapet, port: from, text: `${name} port ${from}` };
  if (from !== undefined && to !== undefined)
    return { protocol: parapet, port: undefined, text: `${name} ports ${from}-${to}` };
  return { protocol: parapet, port: undefined, text: `${name}, all ports` };
}

/** Whether an address range is the whole internet, a private range, or something else. */
function rangeReach(cidr: string): 'world' | 'private' | 'other' {
  const text = cidr.trim();
  if (text === '0.0.0.0/0' || text === '::/0') return 'world';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}\/(\d{1,2})$/.exec(text);
  if (v4) {
    const first = Number(v4[1]);
    const second = Number(v4[2]);
    const prefix = Number(v4[3]);
    if (first === 10 && prefix >= 8) return 'private';
    if (first === 172 && second >= 16 && second <= 31 && prefix >= 12) return 'private';
    if (first === 192 && second === 168 && prefix >= 16) return 'private';
    if (first === 100 && second >= 64 && second <= 127 && prefix >= 10) return 'private';
    return 'other';
  }
  return /^f[cd][0-9a-f]{0,2}:/i.test(text) ? 'private' : 'other';
}

/** A load balancer or target group protocol (`HTTPS`, `TCP`...) as Parapet's, or undefined. */
export function balancerProtocol(value: unknown): string | undefined {
  const text = (asText(value) ?? '').toLowerCase();
  if (text === 'http' || text === 'https' || text === 'tcp' || text === 'tls' || text === 'udp') return text;
  if (text === 'tcp_udp') return 'tcp';
  return undefined;
}

/** A port written next to the reference at a path (in the same mapping), by the first of the keys present. */
function siblingPort(
  body: Readonly<Record<string, unknown>>,
  path: readonly PathSegment[],
  keys: readonly string[],
): number | undefined {
  let holder: Record<string, unknown> | undefined = asRecord(body);
  let value: unknown = body;
  for (const segment of path.slice(0, -1)) {
    value = Array.isArray(value) ? value[Number(segment)] : asRecord(value)?.[String(segment)];
    holder = asRecord(value) ?? holder;
  }
  for (const key of keys) {
    const port = asPort(holder && Object.hasOwn(holder, key) ? holder[key] : undefined);
    if (port !== undefined) return port;
  }
  return undefined;
}

/** The mappings of a value that is a mapping or a list of them (HCL blocks come as lists, JSON syntax as either). */
export function asObjects(value: unknown): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
    const record = asRecord(item);
    if (record) records.push(record);
  }
  return records;
}

/** A boolean written as a boolean or as `"true"`/`"false"`; undefined for anything else (an expression). */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}
