// Reads Terraform into source resources: `.tf` files (HCL, parsed by @cdktn/hcl2json, HashiCorp's HCL parser
// compiled to WebAssembly), `.tf.json` files, and `terraform show -json` output (plans and states). Each
// resource keeps its settings as attributes; relations come from the references between resources, read with
// the AWS semantics in aws.ts (security groups and their rules, load balancers and target groups, event sources,
// API integrations...), which the CloudFormation reader shares. Nothing from the files is ever evaluated.
import { DEFAULT_LIMITS, parseSource, type PathSegment } from '@parapet/core';
import { ImportError } from '../ImportResult.js';
import { MAX_INPUT_BYTES, pathText } from '../source.js';
import { asList, asPort, asRecord } from './compose.js';
import { parseWithPositions } from './mappingFile.js';
import type { DiscoveryInput, SourceNote, SourceResource } from './types.js';
import {
  asBoolean,
  asObjects,
  balancerProtocol,
  finishAwsResources,
  type AwsContext,
  type AwsDialect,
  type AwsRole,
  type Connector,
  type ExposureFact,
  type Reference,
  type ResourceDraft,
  type SecurityGroupRule,
} from './aws.js';
// ---------------------------------------------------------------------------------------------------------
// The Terraform dialect
// ---------------------------------------------------------------------------------------------------------

/** Roles of Terraform resource types (data sources take their type's role; `null` marks an ordinary type a prefix would catch). */
const TERRAFORM_ROLES: ReadonlyMap<string, AwsRole | null> = new Map<string, AwsRole | null>([
  ['aws_vpc', 'vpc'],
  ['aws_default_vpc', 'vpc'],
  ['aws_subnet', 'subnet'],
  ['aws_default_subnet', 'subnet'],
  ['aws_subnets', 'subnet'],
  ['aws_security_group', 'security-group'],
  ['aws_default_security_group', 'security-group'],
  ['aws_ecs_cluster', 'cluster'],
  ['aws_db_subnet_group', 'subnet-group'],
  ['aws_elasticache_subnet_group', 'subnet-group'],
  ['aws_redshift_subnet_group', 'subnet-group'],
  ['aws_docdb_subnet_group', 'subnet-group'],
  ['aws_neptune_subnet_group', 'subnet-group'],
  ['aws_memorydb_subnet_group', 'subnet-group'],
  ['aws_dms_replication_subnet_group', 'subnet-group'],
  ['aws_launch_template', 'launch-template'],
  ['aws_launch_configuration', 'launch-template'],
  ['aws_lb', 'load-balancer'],
  ['aws_alb', 'load-balancer'],
  ['aws_elb', 'load-balancer'],
  ['aws_lb_listener', 'listener'],
  ['aws_alb_listener', 'listener'],
  ['aws_lb_listener_rule', 'listener-rule'],
  ['aws_alb_listener_rule', 'listener-rule'],
  ['aws_lb_target_group', 'target-group'],
  ['aws_alb_target_group', 'target-group'],
  ['aws_lb_target_group_attachment', 'target-attachment'],
  ['aws_alb_target_group_attachment', 'target-attachment'],
  ['aws_autoscaling_attachment', 'target-attachment'],
  ['aws_elb_attachment', 'target-attachment'],
  ['aws_security_group_rule', 'security-group-rule'],
  ['aws_vpc_security_group_ingress_rule', 'security-group-rule'],
  ['aws_vpc_security_group_egress_rule', 'security-group-rule'],
  ['aws_secretsmanager_secret', 'secret'],
  ['aws_secretsmanager_secret_version', 'secret'],
  ['aws_ssm_parameter', 'secret'],
  ['aws_key_pair', 'secret'],
  ['random_password', 'secret'],
  ['tls_private_key', 'secret'],
  ['aws_lambda_permission', 'permission'],
  ['aws_caller_identity', 'informational'],
  ['aws_region', 'informational'],
  ['aws_partition', 'informational'],
  ['aws_availability_zones', 'informational'],
  ['aws_availability_zone', 'informational'],
  ['aws_ami', 'informational'],
  ['aws_ami_ids', 'informational'],
  ['aws_default_tags', 'informational'],
  ['aws_arn', 'informational'],
  ['aws_ip_ranges', 'informational'],
  ['aws_canonical_user_id', 'informational'],
  ['aws_elb_service_account', 'informational'],
  ['aws_billing_service_account', 'informational'],
  ['aws_prefix_list', 'informational'],
  ['aws_ec2_managed_prefix_list', 'informational'],
  ['terraform_data', 'informational'],
  ['null_resource', 'informational'],
  ['aws_ecs_task_definition', 'task-definition'],
  ['aws_cloudwatch_log_group', 'log-group'],
  ['module', 'module'],
  ['aws_api_gateway_rest_api', null],
  ['aws_apigatewayv2_api', null],
  ['aws_networkfirewall_firewall', null],
  ['aws_route53_resolver_endpoint', null],
]);

/** Roles of families of Terraform types, by prefix (after the exact types above). */
const TERRAFORM_ROLE_PREFIXES: readonly (readonly [string, AwsRole])[] = [
  ['aws_iam_', 'permission'],
  ['aws_s3_bucket_', 'setting'],
  ['aws_api_gateway_', 'setting'],
  ['aws_apigatewayv2_', 'setting'],
  ['aws_load_balancer_', 'setting'],
  ['aws_lb_ssl_', 'setting'],
  ['aws_lb_listener_certificate', 'setting'],
  ['aws_route', 'setting'],
  ['aws_networkfirewall_', 'setting'],
  ['aws_cloudwatch_log_stream', 'setting'],
  ['aws_cloudwatch_metric_alarm', 'setting'],
  ['aws_cloudwatch_dashboard', 'setting'],
  ['aws_lambda_alias', 'setting'],
  ['aws_lambda_layer_version', 'setting'],
  ['aws_kms_alias', 'setting'],
  ['aws_glue_catalog_', 'informational'],
  ['random_', 'informational'],
  ['time_', 'informational'],
];

/** The role of a Terraform resource or data source type. */
function terraformRole(type: string): AwsRole | undefined {
  const bare = type.startsWith('data.') ? type.slice('data.'.length) : type;
  const exact = TERRAFORM_ROLES.get(bare);
  if (exact !== undefined) return exact ?? undefined;
  for (const [prefix, role] of TERRAFORM_ROLE_PREFIXES) if (bare.startsWith(prefix)) return role;
  if (/_policy(_attachment)?$/.test(bare)) return 'permission';
  return undefined;
}

/** The type in a Terraform address: `aws_subnet` of `module.net.aws_subnet.a[0]`, `data.aws_vpc` of `data.aws_vpc.main`. */
function terraformTypeOf(address: string): string | undefined {
  const match = /^(?:module\.[^.]+\.)*(data\.)?([A-Za-z][\w-]*)\./.exec(address);
  if (!match?.[2] || match[2] === 'module') return undefined;
  return `${match[1] ?? ''}${match[2]}`;
}

/** Terraform resources that only connect two others. */
const TERRAFORM_CONNECTORS: ReadonlyMap<string, Connector> = new Map<string, Connector>([
  ['aws_lambda_event_source_mapping', { from: ['event_source_arn'], to: ['function_name'] }],
  ['aws_sns_topic_subscription', { from: ['topic_arn'], to: ['endpoint'] }],
  ['aws_api_gateway_integration', { from: ['rest_api_id'], to: ['uri'] }],
  ['aws_api_gateway_authorizer', { from: ['rest_api_id'], to: ['authorizer_uri', 'provider_arns'] }],
  ['aws_apigatewayv2_integration', { from: ['api_id'], to: ['integration_uri'] }],
  ['aws_apigatewayv2_authorizer', { from: ['api_id'], to: ['authorizer_uri'] }],
  [
    'aws_s3_bucket_notification',
    { from: ['bucket'], to: ['lambda_function.lambda_function_arn', 'queue.queue_arn', 'topic.topic_arn'] },
  ],
  ['aws_cloudwatch_event_target', { from: ['rule'], to: ['arn'] }],
  ['aws_cloudwatch_log_subscription_filter', { from: ['log_group_name'], to: ['destination_arn'] }],
  ['aws_pipes_pipe', { from: ['source'], to: ['target'] }],
  [
    'aws_lambda_function_event_invoke_config',
    {
      from: ['function_name'],
      to: ['destination_config.on_success.destination', 'destination_config.on_failure.destination'],
    },
  ],
]);

/** The AWS semantics as Terraform writes them: its types, argument names and rule blocks. */
const TERRAFORM_DIALECT: AwsDialect = {
  role: terraformRole,
  typeOfTarget: (reference) => terraformTypeOf(reference.target),
  connectors: TERRAFORM_CONNECTORS,
  portKeys: ['container_port', 'port'],
  ruleKeys: new Set(['ingress', 'egress']),
  quietKeys: new Set([
    'depends_on',
    'lifecycle',
    'provider',
    'providers',
    'count',
    'for_each',
    'provisioner',
    'connection',
  ]),
  targetGroup: (draft) => {
    const port = asPort(draft.body.port);
    const protocol = balancerProtocol(draft.body.protocol);
    return { ...(port !== undefined && { port }), ...(protocol !== undefined && { protocol }) };
  },
  securityGroupRules: terraformSecurityGroupRules,
  exposures: terraformExposures,
};

/** The rules of a security group (inline `ingress`/`egress` blocks) or of a rule resource. */
function terraformSecurityGroupRules(draft: ResourceDraft, context: AwsContext): SecurityGroupRule[] {
  const body = draft.body;
  const type = draft.type;
  if (type === 'aws_security_group' || type === 'aws_default_security_group') {
    return (['ingress', 'egress'] as const).flatMap((direction) =>
      asObjects(body[direction]).map((rule, index) => {
        const path = [direction, index];
        return {
          group: draft.address,
          direction,
          peers: [
            ...context.refsAt(draft, [...path, 'security_groups']),
            ...(asBoolean(rule.self) ? [draft.address] : []),
          ],
          cidrs: [...literalStrings(rule.cidr_blocks), ...literalStrings(rule.ipv6_cidr_blocks)],
          insideNetwork: context
            .refsAt(draft, [...path, 'cidr_blocks'])
            .some((address) => isNetworkRole(context.roleOf(address))),
          outside: [...literalStrings(rule.security_groups), ...literalStrings(rule.prefix_list_ids)],
          protocol: rule.protocol,
          fromPort: rule.from_port,
          toPort: rule.to_port,
          holder: draft,
          at: `${draft.address}.${direction}[${index}]`,
        };
      }),
    );
  }
  if (type === 'aws_security_group_rule') {
    const group = context.refsAt(draft, ['security_group_id'])[0];
    const direction = body.type === 'egress' ? 'egress' : 'ingress';
    return [
      {
        group,
        direction,
        peers: [
          ...context.refsAt(draft, ['source_security_group_id']),
          ...(asBoolean(body.self) && group ? [group] : []),
        ],
        cidrs: [...literalStrings(body.cidr_blocks), ...literalStrings(body.ipv6_cidr_blocks)],
        insideNetwork: context.refsAt(draft, ['cidr_blocks']).some((address) => isNetworkRole(context.roleOf(address))),
        outside: [...literalStrings(body.source_security_group_id), ...literalStrings(body.prefix_list_ids)],
        protocol: body.protocol,
        fromPort: body.from_port,
        toPort: body.to_port,
        holder: draft,
        at: draft.address,
      },
    ];
  }
  if (type === 'aws_vpc_security_group_ingress_rule' || type === 'aws_vpc_security_group_egress_rule') {
    return [
      {
        group: context.refsAt(draft, ['security_group_id'])[0],
        direction: type.endsWith('ingress_rule') ? 'ingress' : 'egress',
        peers: context.refsAt(draft, ['referenced_security_group_id']),
        cidrs: [...literalStrings(body.cidr_ipv4), ...literalStrings(body.cidr_ipv6)],
        insideNetwork: context.refsAt(draft, ['cidr_ipv4']).some((address) => isNetworkRole(context.roleOf(address))),
        outside: [...literalStrings(body.referenced_security_group_id), ...literalStrings(body.prefix_list_id)],
        protocol: body.ip_protocol,
        fromPort: body.from_port,
        toPort: body.to_port,
        holder: draft,
        at: draft.address,
      },
    ];
  }
  return [];
}

/** Whether a role is a network whose address range a rule may name. */
function isNetworkRole(role: AwsRole | undefined): boolean {
  return role === 'vpc' || role === 'subnet';
}

/** Canned bucket ACLs that let anyone read. */
const PUBLIC_ACLS: ReadonlySet<string> = new Set(['public-read', 'public-read-write', 'website']);

/** The reachability a Terraform resource states: public load balancers, IPs, APIs, endpoints and buckets. */
function terraformExposures(draft: ResourceDraft, context: AwsContext): ExposureFact[] {
  const body = draft.body;
  const self = (exposure: ExposureFact['exposure']): ExposureFact[] => [{ address: draft.address, exposure }];
  const named = (key: string): ExposureFact[] =>
    context.refsAt(draft, [key]).map((address) => ({ address, exposure: 'internet' as const }));
  switch (draft.type) {
    case 'aws_lb':
    case 'aws_alb':
    case 'aws_elb': {
      const internal = body.internal === undefined ? false : asBoolean(body.internal);
      return internal === undefined ? [] : self(internal ? 'internal' : 'internet');
    }
    case 'aws_instance':
      return instanceIsPublic(draft, context) ? self('internet') : [];
    case 'aws_db_instance':
      return asBoolean(body.publicly_accessible) === true ? self('internet') : [];
    case 'aws_rds_cluster_instance':
      return asBoolean(body.publicly_accessible) === true ? named('cluster_identifier') : [];
    case 'aws_eks_cluster': {
      const access = asObjects(body.vpc_config)[0]?.endpoint_public_access;
      return access === undefined || asBoolean(access) === true ? self('internet') : [];
    }
    case 'aws_api_gateway_rest_api': {
      const types = asObjects(body.endpoint_configuration).flatMap((item) => literalStrings(item.types));
      return self(types.includes('PRIVATE') ? 'internal' : 'internet');
    }
    case 'aws_apigatewayv2_api':
    case 'aws_cloudfront_distribution':
      return self('internet');
    case 'aws_lambda_function_url':
      return named('function_name');
    case 'aws_eip':
      return named('instance');
    case 'aws_eip_association':
      return named('instance_id');
    case 'aws_ecs_service':
      return asObjects(body.network_configuration).some((item) => asBoolean(item.assign_public_ip) === true)
        ? self('internet')
        : [];
    case 'aws_s3_bucket':
      return bucketAclNote(draft, body.acl) ? self('internet') : [];
    case 'aws_s3_bucket_acl':
      return bucketAclNote(draft, body.acl) ? named('bucket') : [];
    case 'aws_s3_bucket_public_access_block': {
      const all = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      return all.every((key) => asBoolean(body[key]) === true)
        ? context.refsAt(draft, ['bucket']).map((address) => ({ address, exposure: 'blocked' as const }))
        : [];
    }
    default:
      return [];
  }
}

/** Whether an instance gets a public IP: said so, or launched in a subnet that maps public IPs on launch. */
function instanceIsPublic(draft: ResourceDraft, context: AwsContext): boolean {
  const stated = asBoolean(draft.body.associate_public_ip_address);
  if (stated !== undefined) return stated;
  return context.refsAt(draft, ['subnet_id']).some((address) => {
    const subnet = context.drafts.get(address);
    return subnet !== undefined && asBoolean(subnet.body.map_public_ip_on_launch) === true;
  });
}

/** Whether a bucket ACL is public; notes what the exposure alone does not say (read, or read and write). */
function bucketAclNote(draft: ResourceDraft, acl: unknown): boolean {
  if (typeof acl !== 'string' || !PUBLIC_ACLS.has(acl)) return false;
  draft.notes.push({
    at: `${draft.address}.acl`,
    line: draft.line,
    what: `bucket ACL "${acl}"`,
    reason:
      acl === 'public-read-write'
        ? 'anyone on the internet may read and write the objects: exposure set to internet (unless a public access block of the inputs blocks it)'
        : 'anyone on the internet may read the objects: exposure set to internet (unless a public access block of the inputs blocks it)',
  });
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Reading .tf and .tf.json files
// ---------------------------------------------------------------------------------------------------------

/**
 * Configuration files (`.tf`, `.tf.json`) over this size are refused: the HCL parser (Go compiled to
 * WebAssembly) takes about 3 to 10 seconds per MiB, and Terraform files are far smaller. A plan, read as
 * JSON, has the general limit.
 */
export const MAX_HCL_BYTES = 2 * 1024 * 1024;

/** The name the HCL parser is given, so that its messages can be told apart from the text and renamed. */
const PARSER_FILE = 'parapet-input.tf';

/** A reference to a resource or data source in an expression: `aws_vpc.main`, `data.aws_vpc.main`, `aws_subnet.a[0]`. */
const REFERENCE = /(?<![\w.\-"])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)(\[(?:\d+|"[^"\n]*")\])?/g;

/** The HCL parser, once loaded. */
let hclParser: Promise<(file: string, text: string) => Promise<unknown>> | undefined;

/** Loads the HCL parser on first use (its WebAssembly module is large; readers of other formats never pay for it). */
function loadHclParser(): Promise<(file: string, text: string) => Promise<unknown>> {
  hclParser ??= import('@cdktn/hcl2json').then((module) => module.parse);
  return hclParser;
}

/**
 * Reads Terraform configuration files (`.tf` in HCL, `.tf.json` in JSON syntax) into resources: managed
 * resources (address `<type>.<name>`), data sources (`data.<type>.<name>`, type `data.<type>`) and module
 * calls (type `module`, not expanded: their resources are out of reach of a configuration read). Relations
 * come from references between resources, by the AWS semantics. Throws ImportError (with the line and
 * column the HCL parser gives) on a file that cannot be read; never evaluates an expression.
 */
export async function readTerraform(inputs: readonly DiscoveryInput[]): Promise<SourceResource[]> {
  const files: TerraformFile[] = [];
  for (const [order, input] of inputs.entries()) {
    const parsed = /\.json$/i.test(input.file) ? readTerraformJson(input) : await readHcl(input);
    files.push({ ...parsed, order, input });
  }
  const prefixes = new Set(['aws']);
  for (const file of files)
    for (const block of file.blocks) prefixes.add(block.type.replace(/^data\./, '').split('_')[0] ?? '');
  const drafts = new Map<string, ResourceDraft>();
  const origin = new Map<string, string>();
  for (const file of files) {
    for (const block of file.blocks) {
      const earlier = origin.get(block.address);
      if (earlier !== undefined) {
        throw new ImportError(`${block.address} is declared twice (also in ${earlier})`, file.input.file, block.line);
      }
      origin.set(block.address, file.input.file);
      drafts.set(block.address, terraformDraft(block, file.input.file, prefixes));
    }
  }
  return finishAwsResources([...drafts.values()], TERRAFORM_DIALECT);
}

/** One parsed input: its resource, data and module blocks with their lines. */
interface TerraformFile {
  readonly blocks: readonly TerraformBlock[];
  readonly order: number;
  readonly input: DiscoveryInput;
}

/** A resource, data or module block. */
interface TerraformBlock {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly line: number;
  readonly body: Record<string, unknown>;
}

/** A draft of a block: its settings, references (to resources of the providers used) and notes on dynamic blocks. */
function terraformDraft(block: TerraformBlock, file: string, prefixes: ReadonlySet<string>): ResourceDraft {
  const references: Reference[] = [];
  collectHclReferences(block.body, [], references, prefixes, 0);
  const notes: SourceNote[] = [];
  for (const [kind] of Object.entries(asRecord(block.body.dynamic) ?? {})) {
    notes.push({
      at: `${block.address}.dynamic.${kind}`,
      line: block.line,
      what: `dynamic "${kind}" block`,
      reason:
        'its blocks are generated when Terraform plans: not read here (discover from `terraform show -json` output to see them)',
    });
  }
  return {
    source: 'terraform',
    type: block.type,
    name: block.name,
    address: block.address,
    file,
    line: block.line,
    attributes: block.body,
    body: block.body,
    references: block.type === 'module' || block.type.startsWith('data.') ? [] : references,
    notes,
  };
}

/** Collects the references in the strings of a value (`"${aws_vpc.main.id}"`), with their paths. */
function collectHclReferences(
  value: unknown,
  path: PathSegment[],
  out: Reference[],
  prefixes: ReadonlySet<string>,
  depth: number,
): void {
  if (depth > DEFAULT_LIMITS.maxDepth) return;
  if (typeof value === 'string') {
    if (!value.includes('${') && !value.includes('%{')) return;
    for (const match of value.matchAll(REFERENCE)) {
      const type = match[2] ?? '';
      if (!prefixes.has(type.split('_')[0] ?? '')) continue;
      out.push({ path: [...path], target: `${match[1] ?? ''}${type}.${match[3] ?? ''}` });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectHclReferences(item, [...path, index], out, prefixes, depth + 1));
  } else {
    const record = asRecord(value);
    if (record)
      for (const [key, item] of Object.entries(record))
        collectHclReferences(item, [...path, key], out, prefixes, depth + 1);
  }
}

/** Parses one `.tf` file with the HCL parser, bounded in size and nesting; errors as ImportError with their position. */
async function readHcl(input: DiscoveryInput): Promise<Omit<TerraformFile, 'order' | 'input'>> {
  const { file, text } = input;
  if (text.length > MAX_HCL_BYTES) {
    throw new ImportError(
      `the file is over the limit of ${MAX_HCL_BYTES / 1024 / 1024} MiB for Terraform configuration (split it, or discover from \`terraform show -json\` output)`,
      file,
    );
  }
  const tooDeep = scanHclDepth(text, DEFAULT_LIMITS.maxDepth);
  if (tooDeep !== undefined) {
    const position = positionOf(text, tooDeep);
    throw new ImportError(
      `nesting is deeper than the limit of ${DEFAULT_LIMITS.maxDepth} levels`,
      file,
      position.line,
      position.column,
    );
  }
  const parse = await loadHclParser();
  let json: unknown;
  try {
    json = await parse(PARSER_FILE, text);
  } catch (error) {
    throw hclError(error, file);
  }
  const lines = blockLines(text);
  return { blocks: hclBlocks(json, file, (kind, labels) => lines.get([kind, ...labels].join('\0')) ?? 1) };
}

/** The parser's error as ImportError: `parse config: [parapet-input.tf:2,7-3,1: Invalid expression; ...]`. */
function hclError(error: unknown, file: string): ImportError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError) return new ImportError('the file is too deeply nested to read', file);
  const match =
    /parapet-input\.tf:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: (.*?)(?= parapet-input\.tf:\d+,\d+(?:-\d+(?:,\d+)?)?: |\]$|$)/s.exec(
      message,
    );
  if (!match) return new ImportError(`not valid HCL: ${message.replaceAll(PARSER_FILE, file)}`, file);
  const detail = (match[3] ?? '').replace('; ', ': ').replaceAll(PARSER_FILE, file).replace(/\.$/, '');
  return new ImportError(`not valid HCL: ${detail}`, file, Number(match[1]), Number(match[2]));
}

/**
 * The offset where HCL text first nests deeper than the limit (brackets, braces, parentheses and template
 * interpolations, outside strings and comments), or undefined. One pass; the parser would otherwise recurse
 * without bound.
 */
function scanHclDepth(text: string, limit: number): number | undefined {
  const stack: boolean[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"' || c === '\n') inString = false;
      else if ((c === '$' || c === '%') && text[i + 1] === c) i++;
      else if ((c === '$' || c === '%') && text[i + 1] === '{') {
        stack.push(true);
        inString = false;
        i++;
        if (stack.length > limit) return i;
      }
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[' || c === '(') {
      stack.push(false);
      if (stack.length > limit) return i;
    } else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() === true) inString = true;
    }
  }
  return undefined;
}

/** Line and column (1-based) of an offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The line of each block header (`resource "aws_instance" "web" {`), by kind and labels; the first when repeated. */
function blockLines(text: string): Map<string, number> {
  const header =
    /^[ \t]*(resource|data|module)[ \t]+("(?:[^"\\\n]|\\.)*"|[A-Za-z_][\w-]*)(?:[ \t]+("(?:[^"\\\n]|\\.)*"|[A-Za-z_][\w-]*))?[ \t]*\{/gm;
  const lines = new Map<string, number>();
  let line = 1;
  let counted = 0;
  for (const match of text.matchAll(header)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    counted = match.index;
    const labels = [match[2], match[3]]
      .filter((label) => label !== undefined)
      .map((label) => label.replace(/^"|"$/g, ''));
    const key = [match[1] ?? '', ...labels].join('\0');
    if (!lines.has(key)) lines.set(key, line);
  }
  return lines;
}

/** The resource, data and module blocks of a parsed file (HCL's JSON form or JSON syntax), checked for shape. */
function hclBlocks(
  json: unknown,
  file: string,
  lineOf: (kind: string, labels: readonly string[]) => number,
): TerraformBlock[] {
  const top = asRecord(json);
  if (!top)
    throw new ImportError('not a Terraform configuration: expected blocks and arguments at the top level', file, 1);
  const blocks: TerraformBlock[] = [];
  for (const kind of ['resource', 'data'] as const) {
    if (top[kind] === undefined) continue;
    const byType = asRecord(top[kind]);
    if (!byType) throw new ImportError(`${kind} blocks: expected a type and a name label`, file, lineOf(kind, []));
    for (const [type, names] of Object.entries(byType)) {
      const byName = asRecord(names);
      if (!byName)
        throw new ImportError(`${kind} "${type}": expected a type and a name label`, file, lineOf(kind, [type]));
      for (const [name, bodies] of Object.entries(byName)) {
        const line = lineOf(kind, [type, name]);
        const body = singleBody(bodies, `${kind} "${type}" "${name}"`, file, line);
        const fullType = kind === 'data' ? `data.${type}` : type;
        blocks.push({ type: fullType, name, address: `${fullType}.${name}`, line, body });
      }
    }
  }
  if (top.module !== undefined) {
    const modules = asRecord(top.module);
    if (!modules) throw new ImportError('module blocks: expected a name label', file, lineOf('module', []));
    for (const [name, bodies] of Object.entries(modules)) {
      const line = lineOf('module', [name]);
      blocks.push({
        type: 'module',
        name,
        address: `module.${name}`,
        line,
        body: singleBody(bodies, `module "${name}"`, file, line),
      });
    }
  }
  return blocks.sort((a, b) => a.line - b.line || (a.address < b.address ? -1 : 1));
}

/** The one body of a block (HCL's JSON form gives a list; JSON syntax a mapping or a list), refusing repeats. */
function singleBody(bodies: unknown, what: string, file: string, line: number): Record<string, unknown> {
  const list = Array.isArray(bodies) ? bodies : [bodies];
  if (list.length > 1) throw new ImportError(`${what} is declared twice`, file, line);
  const body = asRecord(list[0]);
  if (!body) throw new ImportError(`${what}: expected a block body`, file, line);
  return body;
}

/** Reads a `.tf.json` file (Terraform's JSON syntax), bounded as JSON input is, with the line of each block. */
function readTerraformJson(input: DiscoveryInput): Omit<TerraformFile, 'order' | 'input'> {
  if (input.text.length > MAX_HCL_BYTES) {
    throw new ImportError(
      `the file is over the limit of ${MAX_HCL_BYTES / 1024 / 1024} MiB for Terraform configuration`,
      input.file,
    );
  }
  const source = parseWithPositions(input.text, input.file);
  const lineOf = (kind: string, labels: readonly string[]): number => source.locate([kind, ...labels], 'key').line;
  return { blocks: hclBlocks(source.data, input.file, lineOf) };
}

// ---------------------------------------------------------------------------------------------------------
// Reading `terraform show -json` output
// ---------------------------------------------------------------------------------------------------------

/** What a plan reader keeps while reading: configuration by address, module outputs, planned instances by base address. */
interface PlanContext {
  readonly file: string;
  readonly configurations: Map<string, Record<string, unknown>>;
  readonly outputs: Map<string, Record<string, unknown>>;
  readonly instances: Map<string, string[]>;
}

/**
 * Reads `terraform show -json` output: a plan (`planned_values`, falling back to `resource_changes` when it is
 * absent) or a state (`values`). Resources of child modules are included with their module path in the
 * address (`module.vpc.aws_subnet.private[0]`); resources the plan only destroys are not (they will not
 * exist). Attributes are the planned values (values the plan marks sensitive replaced by `(sensitive)`);
 * relations come from the configuration's references (`configuration.root_module`, module calls and
 * outputs followed), by the AWS semantics. Lines are those of the resources in the JSON.
 */
export function readTerraformPlan(input: DiscoveryInput): SourceResource[] {
  const source = parsePlanJson(input);
  const plan = asRecord(source.data);
  if (!plan) throw new ImportError('not `terraform show -json` output: expected a JSON object', input.file, 1);
  const planned = collectPlanned(plan, input.file, (path) => source.locate(path, 'key').line);
  const context: PlanContext = {
    file: input.file,
    configurations: new Map(),
    outputs: new Map(),
    instances: new Map(),
  };
  const configuration = asRecord(asRecord(plan.configuration)?.root_module);
  if (configuration) collectConfiguration(context, configuration, '', 0);
  for (const resource of planned) {
    const base = baseAddress(resource.address);
    const list = context.instances.get(base);
    if (list) list.push(resource.address);
    else context.instances.set(base, [resource.address]);
  }
  const seen = new Set<string>();
  const drafts: ResourceDraft[] = [];
  for (const resource of planned) {
    if (seen.has(resource.address))
      throw new ImportError(`${resource.address} appears twice`, input.file, resource.line);
    seen.add(resource.address);
    drafts.push(planDraft(context, resource));
  }
  return finishAwsResources(drafts, TERRAFORM_DIALECT);
}

/**
 * Parses a plan's JSON bounded in size and nesting, with core's locator: a plan's paths go through lists
 * (`resources[i]`), which it finds directly, so that locating every resource of a large plan stays linear.
 */
function parsePlanJson(input: DiscoveryInput): ReturnType<typeof parseWithPositions> {
  if (input.text.length > MAX_INPUT_BYTES) {
    throw new ImportError(`the file is over the import limit of ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, input.file);
  }
  const parsed = parseSource('input.json', input.text, { ...DEFAULT_LIMITS, maxBytes: MAX_INPUT_BYTES });
  if (!parsed.ok) {
    const problem = parsed.problems[0];
    throw new ImportError(
      problem?.message ?? 'not valid JSON',
      input.file,
      problem?.position.line,
      problem?.position.column,
    );
  }
  const file = parsed.file;
  return { data: file.data, locate: (path, part) => file.locate(path, part) };
}

/** A resource of the plan's values, with where it is. */
interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
  readonly sensitive: unknown;
  readonly line: number;
}

/** The resources of `planned_values` (or a state's `values`, or `resource_changes`), checked for shape. */
function collectPlanned(
  plan: Record<string, unknown>,
  file: string,
  lineOf: (path: PathSegment[]) => number,
): PlannedResource[] {
  const key = plan.planned_values !== undefined ? 'planned_values' : plan.values !== undefined ? 'values' : undefined;
  const out: PlannedResource[] = [];
  if (key !== undefined) {
    const root = asRecord(asRecord(plan[key])?.root_module);
    if (!root) throw new ImportError(`${key}.root_module: expected an object`, file, lineOf([key]));
    collectModule(root, [key, 'root_module'], out, file, lineOf, 0);
    return out;
  }
  if (!Array.isArray(plan.resource_changes)) {
    throw new ImportError('not `terraform show -json` output: no planned_values, values or resource_changes', file, 1);
  }
  plan.resource_changes.forEach((change, index) => {
    const path = ['resource_changes', index];
    const record = asRecord(change);
    const after = asRecord(asRecord(record?.change)?.after);
    if (!record || !after) return;
    out.push(
      plannedResource(
        { ...record, values: after, sensitive_values: asRecord(record.change)?.after_sensitive },
        path,
        file,
        lineOf,
      ),
    );
  });
  return out;
}

/** The resources of a module of the values and of its child modules, depth first. */
function collectModule(
  module: Record<string, unknown>,
  path: PathSegment[],
  out: PlannedResource[],
  file: string,
  lineOf: (path: PathSegment[]) => number,
  depth: number,
): void {
  if (depth > DEFAULT_LIMITS.maxDepth) throw new ImportError('modules are nested too deeply', file, lineOf(path));
  listAt(module, 'resources', path, file, lineOf).forEach((item, index) => {
    const record = asRecord(item);
    const at = [...path, 'resources', index];
    if (!record) throw new ImportError(`${pathText(at)}: expected an object`, file, lineOf(at));
    out.push(plannedResource(record, at, file, lineOf));
  });
  listAt(module, 'child_modules', path, file, lineOf).forEach((child, index) => {
    const record = asRecord(child);
    const childPath = [...path, 'child_modules', index];
    if (!record) throw new ImportError(`${pathText(childPath)}: expected an object`, file, lineOf(childPath));
    collectModule(record, childPath, out, file, lineOf, depth + 1);
  });
}

/** A list of a module (absent: empty), refusing any other type. */
function listAt(
  module: Record<string, unknown>,
  key: string,
  path: PathSegment[],
  file: string,
  lineOf: (path: PathSegment[]) => number,
): readonly unknown[] {
  const value = module[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new ImportError(`${pathText([...path, key])}: expected a list`, file, lineOf([...path, key]));
  return value;
}

/** One resource of the values, checked: an address, a type, a name and values. */
function plannedResource(
  record: Record<string, unknown>,
  path: PathSegment[],
  file: string,
  lineOf: (path: PathSegment[]) => number,
): PlannedResource {
  const line = lineOf(record.address === undefined ? path : [...path, 'address']);
  const { address, type, name } = record;
  if (
    typeof address !== 'string' ||
    typeof type !== 'string' ||
    typeof name !== 'string' ||
    address === '' ||
    type === ''
  ) {
    throw new ImportError(`${pathText(path)}: a resource needs an address, a type and a name (strings)`, file, line);
  }
  const values = record.values === undefined || record.values === null ? {} : asRecord(record.values);
  if (!values)
    throw new ImportError(`${pathText([...path, 'values'])}: expected an object`, file, lineOf([...path, 'values']));
  const index = record.index === undefined ? '' : `[${JSON.stringify(record.index)}]`;
  return {
    address,
    type: record.mode === 'data' ? `data.${type}` : type,
    name: `${name}${index}`,
    values,
    sensitive: record.sensitive_values,
    line,
  };
}

/** Indexes the configuration's resources by address and its modules' outputs by module path, recursively. */
function collectConfiguration(
  context: PlanContext,
  module: Record<string, unknown>,
  prefix: string,
  depth: number,
): void {
  if (depth > DEFAULT_LIMITS.maxDepth) return;
  for (const item of asList(module.resources)) {
    const resource = asRecord(item);
    if (resource && typeof resource.address === 'string')
      context.configurations.set(`${prefix}${resource.address}`, resource);
  }
  for (const [name, call] of Object.entries(asRecord(module.module_calls) ?? {})) {
    const child = asRecord(asRecord(call)?.module);
    if (!child) continue;
    const childPrefix = `${prefix}module.${name}.`;
    context.outputs.set(childPrefix, asRecord(child.outputs) ?? {});
    collectConfiguration(context, child, childPrefix, depth + 1);
  }
}

/** The address without instance keys: `module.a["x"].aws_b.c[0]` -> `module.a.aws_b.c`. */
function baseAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]/g, '');
}

/** The module path of an address: `module.a.module.b.` of `module.a.module.b.aws_c.d`. */
function modulePrefix(address: string): string {
  return /^(?:module\.[^.]+\.)*/.exec(baseAddress(address))?.[0] ?? '';
}

/** A draft of a planned resource: its values, the configuration's constants and references. */
function planDraft(context: PlanContext, resource: PlannedResource): ResourceDraft {
  const configuration = context.configurations.get(baseAddress(resource.address));
  const prefix = modulePrefix(resource.address);
  const references: Reference[] = [];
  const constants = configuration
    ? expressionValues(asRecord(configuration.expressions) ?? {}, [], prefix, context, references, 0)
    : {};
  return {
    source: 'terraform-plan',
    type: resource.type,
    name: resource.name,
    address: resource.address,
    file: context.file,
    line: resource.line,
    attributes: redactSensitive(resource.values, resource.sensitive, 0) as Record<string, unknown>,
    body: mergeSettings(resource.values, constants),
    references: resource.type.startsWith('data.') ? [] : references,
    notes: [],
  };
}

/**
 * The constant values of a configuration's expressions, as the resource's settings would hold them, while
 * collecting the references of the others (with their paths). Nested blocks are lists of expression maps.
 */
function expressionValues(
  expressions: Record<string, unknown>,
  path: PathSegment[],
  prefix: string,
  context: PlanContext,
  out: Reference[],
  depth: number,
): Record<string, unknown> {
  // Entries, made into an object at the end: assigning would turn a key `__proto__` into the prototype.
  const values: [string, unknown][] = [];
  if (depth > DEFAULT_LIMITS.maxDepth) return {};
  for (const [key, expression] of Object.entries(expressions)) {
    const at = [...path, key];
    if (Array.isArray(expression)) {
      values.push([
        key,
        expression.map((block, index) =>
          expressionValues(asRecord(block) ?? {}, [...at, index], prefix, context, out, depth + 1),
        ),
      ]);
      continue;
    }
    const record = asRecord(expression);
    if (!record) continue;
    if (Array.isArray(record.references)) {
      for (const text of record.references) {
        if (typeof text !== 'string') continue;
        for (const target of resolvePlanReference(context, text, prefix, 0)) out.push({ path: at, target });
      }
    }
    if (Object.hasOwn(record, 'constant_value')) {
      values.push([key, record.constant_value]);
    } else if (!Array.isArray(record.references)) {
      const nested = expressionValues(record, at, prefix, context, out, depth + 1);
      if (Object.keys(nested).length > 0) values.push([key, nested]);
    }
  }
  return Object.fromEntries(values);
}

/**
 * The planned addresses a configuration reference names (`aws_subnet.public`, `aws_subnet.public[0].id`,
 * `module.vpc.private_subnets` through the module's output), in the module at `prefix`.
 */
function resolvePlanReference(context: PlanContext, text: string, prefix: string, depth: number): string[] {
  if (depth > 16 || /^(var|local|each|count|path|self|terraform)\./.test(text)) return [];
  const output = /^module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)/.exec(text);
  if (output) {
    const childPrefix = `${prefix}module.${output[1] ?? ''}.`;
    const outputs = context.outputs.get(childPrefix);
    const declared =
      outputs && Object.hasOwn(outputs, output[2] ?? '') ? asRecord(outputs[output[2] ?? '']) : undefined;
    const references = asList(asRecord(declared?.expression)?.references);
    return references.flatMap((reference) =>
      typeof reference === 'string' ? resolvePlanReference(context, reference, childPrefix, depth + 1) : [],
    );
  }
  if (text.startsWith('module.')) return [];
  const match = /^(data\.)?([A-Za-z][\w-]*)\.([A-Za-z_][\w-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/.exec(text);
  if (!match) return [];
  const base = `${prefix}${match[1] ?? ''}${match[2] ?? ''}.${match[3] ?? ''}`;
  const instances = context.instances.get(base) ?? [];
  const exact = match[4] === undefined ? undefined : `${base}${match[4]}`;
  if (exact !== undefined && instances.includes(exact)) return [exact];
  return instances.length > 0 ? instances : [base];
}

/**
 * The planned values with the configuration's constants over them. A single nested block takes both (the
 * values hold what variables gave); lists of blocks take the configuration's, whose order the references'
 * paths follow (planned sets are sorted).
 */
function mergeSettings(values: Record<string, unknown>, constants: Record<string, unknown>): Record<string, unknown> {
  const merged = Object.entries(constants).map(([key, constant]): [string, unknown] => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    const single = Array.isArray(constant) && Array.isArray(value) && constant.length === 1 && value.length === 1;
    return [key, single ? [{ ...asRecord(value[0]), ...asRecord(constant[0]) }] : constant];
  });
  // Later entries win, in the place of the first: as assigning would, but keeping a key `__proto__` a key.
  return Object.fromEntries([...Object.entries(values), ...merged]);
}

/** Values with those the plan marks sensitive replaced by `(sensitive)`, so that secrets do not travel on. */
function redactSensitive(value: unknown, sensitive: unknown, depth: number): unknown {
  if (sensitive === true) return '(sensitive)';
  if (depth > DEFAULT_LIMITS.maxDepth || typeof sensitive !== 'object' || sensitive === null) return value;
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      redactSensitive(item, Array.isArray(sensitive) ? sensitive[index] : undefined, depth + 1),
    );
  }
  const record = asRecord(value);
  const marks = asRecord(sensitive);
  if (!record || !marks) return value;
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [
      key,
      redactSensitive(item, Object.hasOwn(marks, key) ? marks[key] : undefined, depth + 1),
    ]),
  );
}

/** The literal strings of a value that is a string or a list (Terraform expressions `${...}` left out). */
function literalStrings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item !== '' && !item.includes('${'));
}
