// Reads CloudFormation templates (JSON, or YAML with the short-form tags `!Ref`, `!GetAtt`, `!Sub`...) into
// source resources: one per entry of `Resources`, its address the logical id, its attributes the
// `Properties`. Intrinsic functions are read as data, never evaluated: `!Ref X` becomes `{ Ref: 'X' }` and
// names resource X. Relations come from `Ref`, `Fn::GetAtt` and `Fn::Sub` references, by the AWS semantics
// the Terraform reader defines (security groups and their rules, load balancers, event sources...).
import { DEFAULT_LIMITS, type PathSegment } from '@parapet/core';
import { Pair, parseDocument, Scalar, YAMLMap, type CollectionTag, type ScalarTag, type YAMLSeq } from 'yaml';
import { ImportError } from '../ImportResult.js';
import { pathText } from '../source.js';
import { asList, asPort, asRecord, asText } from './compose.js';
import { parseWithPositions } from './mappingFile.js';
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
import type { DiscoveryInput, SourceNote, SourceResource } from './types.js';

/** The intrinsic functions with a YAML short form; `Ref` and `Condition` keep their name, the others take `Fn::`. */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'If',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'Equals',
  'And',
  'Or',
  'Not',
  'Transform',
  'ToJsonString',
  'Length',
] as const;

/** The long-form key of a short-form function: `Ref`, `Condition`, `Fn::GetAtt`. */
function functionKey(name: (typeof SHORT_FORMS)[number]): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/**
 * The `yaml` custom tags for the short forms, on scalars, sequences and mappings: each becomes the long form
 * (`!GetAtt A.B` -> `{ 'Fn::GetAtt': ['A', 'B'] }`, `!Join [',', [...]]` -> `{ 'Fn::Join': [',', [...]] }`).
 * Collections are wrapped as nodes, so that aliases and their limit work inside them as anywhere else.
 */
const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = SHORT_FORMS.flatMap((name) => {
  const key = functionKey(name);
  const wrap = (node: YAMLMap.Parsed | YAMLSeq.Parsed): YAMLMap => {
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar(key), node));
    return map;
  };
  const scalar: ScalarTag = {
    tag: `!${name}`,
    resolve: (value) => ({ [key]: name === 'GetAtt' ? splitGetAtt(value) : value }),
  };
  const sequence: CollectionTag = { tag: `!${name}`, collection: 'seq', resolve: wrap };
  const mapping: CollectionTag = { tag: `!${name}`, collection: 'map', resolve: wrap };
  return [scalar, sequence, mapping];
});

/** `Resource.Attribute.Part` as `['Resource', 'Attribute.Part']`, the long form of `!GetAtt`. */
function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** Templates over this size are refused: CloudFormation itself accepts at most 1 MB, and reading is bounded by it. */
export const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;

/**
 * Reads a CloudFormation template (JSON or YAML) into resources: each entry of `Resources` with a `Type`
 * (its logical id as name and address, its `Properties` as attributes), related by the references between
 * them and by the AWS semantics. Bounded in size, nesting and YAML aliases; throws ImportError with the
 * line (and column when the parser gives one) of what cannot be read.
 */
export function readCloudFormation(input: DiscoveryInput): SourceResource[] {
  const { file, text } = input;
  if (text.length > MAX_TEMPLATE_BYTES) {
    throw new ImportError(
      `the file is over the limit of ${MAX_TEMPLATE_BYTES / 1024 / 1024} MiB for a template (CloudFormation itself accepts 1 MB)`,
      file,
    );
  }
  if (text.trim() === '')
    throw new ImportError('the file is empty: a CloudFormation template has a Resources section', file, 1);
  const positions = parseWithPositions(text, file);
  const isJson = /\.json$/i.test(file) || /^\s*[[{]/.test(text);
  const template = asRecord(isJson ? positions.data : parseTaggedYaml(text, file));
  const lineOf = (path: PathSegment[]): number => positions.locate(path, 'key').line;
  if (!template)
    throw new ImportError('not a CloudFormation template: expected a mapping with a Resources section', file, 1);
  const resources = asRecord(template.Resources);
  if (!resources) {
    const line = template.Resources === undefined ? 1 : lineOf(['Resources']);
    throw new ImportError(
      'not a CloudFormation template: Resources must be a mapping of logical ids to resources',
      file,
      line,
    );
  }
  const names: TemplateNames = {
    resources: new Set(Object.keys(resources)),
    parameters: new Set(Object.keys(asRecord(template.Parameters) ?? {})),
  };
  const drafts = Object.entries(resources).map(([id, resource]) => templateDraft(id, resource, file, names, lineOf));
  return finishAwsResources(drafts, CLOUDFORMATION_DIALECT);
}

/** Parses YAML with the short-form tags, after parseWithPositions has checked its size, nesting and aliases. */
function parseTaggedYaml(text: string, file: string): unknown {
  const document = parseDocument(text, {
    customTags: CLOUDFORMATION_TAGS,
    // parseWithPositions refused duplicate keys already; checking again costs time quadratic in a mapping's size.
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: 'silent',
  });
  const error = document.errors[0];
  if (error) throw new ImportError(error.message.split('\n')[0] ?? 'not valid YAML', file);
  try {
    return document.toJS({ maxAliasCount: DEFAULT_LIMITS.maxAliases });
  } catch {
    throw new ImportError(`aliases expand past the limit of ${DEFAULT_LIMITS.maxAliases}`, file);
  }
}

/** The names a template declares: references to parameters and pseudo parameters name no resource. */
interface TemplateNames {
  readonly resources: ReadonlySet<string>;
  readonly parameters: ReadonlySet<string>;
}

/** A draft of one resource: checked for shape, with its references and notes on cross-stack imports. */
function templateDraft(
  id: string,
  resource: unknown,
  file: string,
  names: TemplateNames,
  lineOf: (path: PathSegment[]) => number,
): ResourceDraft {
  const path = ['Resources', id];
  const line = lineOf(path);
  const record = asRecord(resource);
  if (!record) throw new ImportError(`${pathText(path)}: expected a mapping with a Type`, file, line);
  if (typeof record.Type !== 'string' || record.Type === '') {
    throw new ImportError(
      `${pathText(path)}: a resource needs a Type (a string such as AWS::EC2::Instance)`,
      file,
      line,
    );
  }
  const properties = record.Properties === undefined ? {} : asRecord(record.Properties);
  if (!properties)
    throw new ImportError(
      `${pathText([...path, 'Properties'])}: expected a mapping`,
      file,
      lineOf([...path, 'Properties']),
    );
  const references: Reference[] = [];
  const imports: { path: PathSegment[]; name: string }[] = [];
  collectTemplateReferences(properties, [], names, references, imports, 0);
  const notes: SourceNote[] = imports.map((item) => ({
    at: `${id}.${pathText(item.path)}`,
    line,
    what: `Fn::ImportValue ${item.name}`,
    reason: 'a value exported by another stack: what it names is not among the inputs, so no relation is made',
  }));
  return {
    source: 'cloudformation',
    type: record.Type,
    name: id,
    address: id,
    file,
    line,
    attributes: properties,
    body: properties,
    references,
    notes,
  };
}

/** Collects `Ref`, `Fn::GetAtt` and `Fn::Sub` references to resources (with their paths) and cross-stack imports. */
function collectTemplateReferences(
  value: unknown,
  path: PathSegment[],
  names: TemplateNames,
  out: Reference[],
  imports: { path: PathSegment[]; name: string }[],
  depth: number,
): void {
  if (depth > DEFAULT_LIMITS.maxDepth * 2) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectTemplateReferences(item, [...path, index], names, out, imports, depth + 1));
    return;
  }
  const record = asRecord(value);
  if (!record) return;
  const keys = Object.keys(record);
  const only = keys.length === 1 ? keys[0] : undefined;
  const add = (name: string | undefined): void => {
    if (name !== undefined && name !== '' && !name.startsWith('AWS::') && !names.parameters.has(name)) {
      out.push({ path: [...path], target: name });
    }
  };
  if (only === 'Ref') return add(stringOf(record.Ref));
  if (only === 'Fn::GetAtt') {
    const target = record['Fn::GetAtt'];
    return add(Array.isArray(target) ? stringOf(target[0]) : splitGetAtt(stringOf(target) ?? '')[0]);
  }
  if (only === 'Fn::ImportValue') {
    imports.push({ path: [...path], name: describeImport(record['Fn::ImportValue']) });
    return;
  }
  if (only === 'Fn::Sub') {
    const sub = record['Fn::Sub'];
    const [template, variables] = Array.isArray(sub)
      ? [stringOf(sub[0]), asRecord(sub[1])]
      : [stringOf(sub), undefined];
    for (const name of substitutions(template ?? '')) if (!variables || !Object.hasOwn(variables, name)) add(name);
    if (variables) collectTemplateReferences(variables, path, names, out, imports, depth + 1);
    return;
  }
  for (const [key, item] of Object.entries(record))
    collectTemplateReferences(item, [...path, key], names, out, imports, depth + 1);
}

/** A string, or undefined for anything else (a logical id is never a number or a mapping). */
function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The names a `Fn::Sub` template substitutes: `${Name}` and `${Name.Attribute}`, not `${!Literal}`. */
function substitutions(template: string): string[] {
  const found: string[] = [];
  for (const match of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
    const name = (match[1] ?? '').trim().split('.')[0];
    if (name) found.push(name);
  }
  return found;
}

/** An import's export name as text (`Fn::Sub` of parameters left as written). */
function describeImport(value: unknown): string {
  const text = asText(value);
  if (text !== undefined) return text;
  const json = JSON.stringify(value) ?? '';
  return json.length > 200 ? `${json.slice(0, 200)}...` : json;
}

// ---------------------------------------------------------------------------------------------------------
// The CloudFormation dialect of the AWS semantics
// ---------------------------------------------------------------------------------------------------------

/** Roles of CloudFormation resource types (`null`: an ordinary type a prefix would catch). */
const CLOUDFORMATION_ROLES: ReadonlyMap<string, AwsRole | null> = new Map<string, AwsRole | null>([
  ['AWS::EC2::VPC', 'vpc'],
  ['AWS::EC2::Subnet', 'subnet'],
  ['AWS::EC2::SecurityGroup', 'security-group'],
  ['AWS::ECS::Cluster', 'cluster'],
  ['AWS::RDS::DBSubnetGroup', 'subnet-group'],
  ['AWS::ElastiCache::SubnetGroup', 'subnet-group'],
  ['AWS::Redshift::ClusterSubnetGroup', 'subnet-group'],
  ['AWS::DocDB::DBSubnetGroup', 'subnet-group'],
  ['AWS::Neptune::DBSubnetGroup', 'subnet-group'],
  ['AWS::MemoryDB::SubnetGroup', 'subnet-group'],
  ['AWS::DMS::ReplicationSubnetGroup', 'subnet-group'],
  ['AWS::EC2::LaunchTemplate', 'launch-template'],
  ['AWS::AutoScaling::LaunchConfiguration', 'launch-template'],
  ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'load-balancer'],
  ['AWS::ElasticLoadBalancing::LoadBalancer', 'load-balancer'],
  ['AWS::ElasticLoadBalancingV2::Listener', 'listener'],
  ['AWS::ElasticLoadBalancingV2::ListenerRule', 'listener-rule'],
  ['AWS::ElasticLoadBalancingV2::TargetGroup', 'target-group'],
  ['AWS::EC2::SecurityGroupIngress', 'security-group-rule'],
  ['AWS::EC2::SecurityGroupEgress', 'security-group-rule'],
  ['AWS::SecretsManager::Secret', 'secret'],
  ['AWS::SSM::Parameter', 'secret'],
  ['AWS::EC2::KeyPair', 'secret'],
  ['AWS::Lambda::Permission', 'permission'],
  ['AWS::ECS::TaskDefinition', 'task-definition'],
  ['AWS::Logs::LogGroup', 'log-group'],
  ['AWS::CloudFormation::Stack', 'module'],
  ['AWS::CloudFormation::WaitCondition', 'informational'],
  ['AWS::CloudFormation::WaitConditionHandle', 'informational'],
  ['AWS::CDK::Metadata', 'informational'],
  ['AWS::ApiGateway::RestApi', null],
  ['AWS::ApiGatewayV2::Api', null],
]);

/** Roles of families of CloudFormation types, by prefix (after the exact types above). */
const CLOUDFORMATION_ROLE_PREFIXES: readonly (readonly [string, AwsRole])[] = [
  ['AWS::IAM::', 'permission'],
  ['AWS::ApiGateway::', 'setting'],
  ['AWS::ApiGatewayV2::', 'setting'],
  ['AWS::Route53::', 'setting'],
  ['AWS::EC2::SubnetRouteTableAssociation', 'setting'],
  ['AWS::EC2::Route', 'setting'],
  ['AWS::EC2::VPCGatewayAttachment', 'setting'],
  ['AWS::EC2::SubnetNetworkAclAssociation', 'setting'],
  ['AWS::EC2::NetworkAcl', 'setting'],
  ['AWS::CloudWatch::', 'setting'],
  ['AWS::Logs::LogStream', 'setting'],
  ['AWS::Logs::MetricFilter', 'setting'],
  ['AWS::Lambda::Version', 'setting'],
  ['AWS::Lambda::Alias', 'setting'],
  ['AWS::Lambda::LayerVersion', 'setting'],
  ['AWS::KMS::Alias', 'setting'],
  ['AWS::SecretsManager::SecretTargetAttachment', 'setting'],
  ['AWS::SecretsManager::RotationSchedule', 'setting'],
  ['AWS::ElasticLoadBalancingV2::ListenerCertificate', 'setting'],
];

/** The role of a CloudFormation resource type. */
function cloudFormationRole(type: string): AwsRole | undefined {
  const exact = CLOUDFORMATION_ROLES.get(type);
  if (exact !== undefined) return exact ?? undefined;
  for (const [prefix, role] of CLOUDFORMATION_ROLE_PREFIXES) if (type.startsWith(prefix)) return role;
  if (/Policy$/.test(type)) return 'permission';
  return undefined;
}

/** The type a reference to an undeclared logical id most likely names, from the property it is in. */
function typeFromProperty(reference: Reference): string | undefined {
  const key =
    [...reference.path]
      .reverse()
      .find((segment): segment is string => typeof segment === 'string' && !segment.startsWith('Fn::')) ?? '';
  if (/^(VpcId|VPCId|VPC)$/.test(key)) return 'AWS::EC2::VPC';
  if (/(SubnetIds?|Subnets|VPCZoneIdentifier)$/.test(key)) return 'AWS::EC2::Subnet';
  if (/(SecurityGroupIds?|SecurityGroups|GroupSet|GroupId)$/.test(key)) return 'AWS::EC2::SecurityGroup';
  return undefined;
}

/** CloudFormation resources that only connect two others. */
const CLOUDFORMATION_CONNECTORS: ReadonlyMap<string, Connector> = new Map<string, Connector>([
  ['AWS::Lambda::EventSourceMapping', { from: ['EventSourceArn'], to: ['FunctionName'] }],
  ['AWS::SNS::Subscription', { from: ['TopicArn'], to: ['Endpoint'] }],
  ['AWS::ApiGateway::Method', { from: ['RestApiId'], to: ['Integration.Uri'] }],
  ['AWS::ApiGateway::Authorizer', { from: ['RestApiId'], to: ['AuthorizerUri', 'ProviderARNs'] }],
  ['AWS::ApiGatewayV2::Integration', { from: ['ApiId'], to: ['IntegrationUri'] }],
  ['AWS::ApiGatewayV2::Authorizer', { from: ['ApiId'], to: ['AuthorizerUri'] }],
  ['AWS::Logs::SubscriptionFilter', { from: ['LogGroupName'], to: ['DestinationArn'] }],
  ['AWS::Pipes::Pipe', { from: ['Source'], to: ['Target'] }],
  [
    'AWS::Lambda::EventInvokeConfig',
    {
      from: ['FunctionName'],
      to: ['DestinationConfig.OnSuccess.Destination', 'DestinationConfig.OnFailure.Destination'],
    },
  ],
]);

/** The AWS semantics as CloudFormation writes them: its types, property names and rule properties. */
const CLOUDFORMATION_DIALECT: AwsDialect = {
  role: cloudFormationRole,
  typeOfTarget: typeFromProperty,
  connectors: CLOUDFORMATION_CONNECTORS,
  portKeys: ['ContainerPort', 'Port'],
  ruleKeys: new Set(['SecurityGroupIngress', 'SecurityGroupEgress']),
  quietKeys: new Set(),
  targetGroup: (draft) => {
    const port = asPort(draft.body.Port);
    const protocol = balancerProtocol(draft.body.Protocol);
    return { ...(port !== undefined && { port }), ...(protocol !== undefined && { protocol }) };
  },
  securityGroupRules: templateSecurityGroupRules,
  exposures: templateExposures,
};

/** The rules of a security group (`SecurityGroupIngress`, `SecurityGroupEgress`) or of a rule resource. */
function templateSecurityGroupRules(draft: ResourceDraft, context: AwsContext): SecurityGroupRule[] {
  if (draft.type === 'AWS::EC2::SecurityGroup') {
    return (['SecurityGroupIngress', 'SecurityGroupEgress'] as const).flatMap((key) =>
      asObjects(draft.body[key]).map((rule, index) =>
        templateRule(
          draft,
          context,
          rule,
          [key, index],
          draft.address,
          key === 'SecurityGroupIngress' ? 'ingress' : 'egress',
        ),
      ),
    );
  }
  if (draft.type === 'AWS::EC2::SecurityGroupIngress' || draft.type === 'AWS::EC2::SecurityGroupEgress') {
    const group = [...context.refsAt(draft, ['GroupId']), ...context.refsAt(draft, ['GroupName'])][0];
    const direction = draft.type.endsWith('Ingress') ? 'ingress' : 'egress';
    return [templateRule(draft, context, draft.body, [], group, direction)];
  }
  return [];
}

/** One rule's peers, ranges and traffic, wherever it is written in the resource. */
function templateRule(
  draft: ResourceDraft,
  context: AwsContext,
  rule: Readonly<Record<string, unknown>>,
  path: PathSegment[],
  group: string | undefined,
  direction: 'ingress' | 'egress',
): SecurityGroupRule {
  const peerKeys =
    direction === 'ingress' ? ['SourceSecurityGroupId', 'SourceSecurityGroupName'] : ['DestinationSecurityGroupId'];
  const prefixList = direction === 'ingress' ? rule.SourcePrefixListId : rule.DestinationPrefixListId;
  const literal = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? [value] : []);
  return {
    group,
    direction,
    peers: peerKeys.flatMap((key) => context.refsAt(draft, [...path, key])),
    cidrs: [...literal(rule.CidrIp), ...literal(rule.CidrIpv6)],
    insideNetwork: ['CidrIp', 'CidrIpv6'].some((key) =>
      context.refsAt(draft, [...path, key]).some((address) => {
        const role = context.roleOf(address);
        return role === 'vpc' || role === 'subnet';
      }),
    ),
    outside: [...peerKeys.flatMap((key) => literal(rule[key])), ...literal(prefixList)],
    protocol: rule.IpProtocol,
    fromPort: rule.FromPort,
    toPort: rule.ToPort,
    holder: draft,
    at: path.length === 0 ? draft.address : `${draft.address}.${pathText(path)}`,
  };
}

/** The reachability a template's resource states: public load balancers, IPs, APIs, endpoints and buckets. */
function templateExposures(draft: ResourceDraft, context: AwsContext): ExposureFact[] {
  const body = draft.body;
  const self = (exposure: ExposureFact['exposure']): ExposureFact[] => [{ address: draft.address, exposure }];
  const named = (key: string): ExposureFact[] =>
    context.refsAt(draft, [key]).map((address) => ({ address, exposure: 'internet' as const }));
  switch (draft.type) {
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
    case 'AWS::ElasticLoadBalancing::LoadBalancer':
      if (body.Scheme === undefined || body.Scheme === 'internet-facing') return self('internet');
      return body.Scheme === 'internal' ? self('internal') : [];
    case 'AWS::EC2::Instance':
      return templateInstanceIsPublic(draft, context) ? self('internet') : [];
    case 'AWS::EC2::EIP':
    case 'AWS::EC2::EIPAssociation':
      return named('InstanceId');
    case 'AWS::RDS::DBInstance':
      return asBoolean(body.PubliclyAccessible) === true ? self('internet') : [];
    case 'AWS::EKS::Cluster': {
      const access = asRecord(body.ResourcesVpcConfig)?.EndpointPublicAccess;
      return access === undefined || asBoolean(access) === true ? self('internet') : [];
    }
    case 'AWS::ApiGateway::RestApi': {
      const types = asList(asRecord(body.EndpointConfiguration)?.Types);
      return self(types.includes('PRIVATE') ? 'internal' : 'internet');
    }
    case 'AWS::ApiGatewayV2::Api':
    case 'AWS::CloudFront::Distribution':
    case 'AWS::Serverless::Api':
    case 'AWS::Serverless::HttpApi':
      return self('internet');
    case 'AWS::Lambda::Url':
      return named('TargetFunctionArn');
    case 'AWS::ECS::Service': {
      const network = asRecord(asRecord(body.NetworkConfiguration)?.AwsvpcConfiguration);
      return network?.AssignPublicIp === 'ENABLED' ? self('internet') : [];
    }
    case 'AWS::S3::Bucket':
      return bucketExposure(draft);
    default:
      return [];
  }
}

/** Whether an instance gets a public IP: said so on a network interface, or launched in a subnet that maps them. */
function templateInstanceIsPublic(draft: ResourceDraft, context: AwsContext): boolean {
  const stated = asObjects(draft.body.NetworkInterfaces)
    .map((item) => asBoolean(item.AssociatePublicIpAddress))
    .find((value) => value !== undefined);
  if (stated !== undefined) return stated;
  return context.refsAt(draft, ['SubnetId']).some((address) => {
    const subnet = context.drafts.get(address);
    return subnet !== undefined && asBoolean(subnet.body.MapPublicIpOnLaunch) === true;
  });
}

/** A bucket's exposure: blocked by a full public access block, else public by its canned ACL (noted). */
function bucketExposure(draft: ResourceDraft): ExposureFact[] {
  const block = asRecord(draft.body.PublicAccessBlockConfiguration);
  const keys = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];
  if (block && keys.every((key) => asBoolean(block[key]) === true))
    return [{ address: draft.address, exposure: 'blocked' }];
  const acl = draft.body.AccessControl;
  if (acl !== 'PublicRead' && acl !== 'PublicReadWrite') return [];
  draft.notes.push({
    at: `${draft.address}.AccessControl`,
    line: draft.line,
    what: `bucket AccessControl ${acl}`,
    reason: `anyone on the internet may read ${acl === 'PublicReadWrite' ? 'and write ' : ''}the objects: exposure set to internet`,
  });
  return [{ address: draft.address, exposure: 'internet' }];
}
