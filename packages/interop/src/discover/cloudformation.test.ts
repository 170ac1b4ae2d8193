import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../ImportResult.js';
import { checkModel } from '../writeModel.js';
import { MAX_TEMPLATE_BYTES, readCloudFormation } from './cloudformation.js';
import { mapResources } from './mapModel.js';
import { parseMappingFile } from './mappingFile.js';
import type { DiscoveryInput, SourceResource } from './types.js';

const SAMPLE: DiscoveryInput = {
  file: 'cloudformation_single_file.json',
  text: readFileSync(
    new URL('../../fixtures/samples/iac/cloudformation/cloudformation_single_file.json', import.meta.url),
    'utf8',
  ),
};
const MAPPINGS = parseMappingFile(
  readFileSync(new URL('../../mappings/cloudformation.yaml', import.meta.url), 'utf8'),
  'mappings/cloudformation.yaml',
);

/** The resource at an address, or a failed expectation. */
function find(resources: readonly SourceResource[], address: string): SourceResource {
  const resource = resources.find((candidate) => candidate.address === address);
  if (!resource) throw new Error(`no resource ${address} among ${resources.map((r) => r.address).join(', ')}`);
  return resource;
}

/** A resource's relations as `kind -> to[:port][/protocol]`, in order. */
function relations(resource: SourceResource): string[] {
  return resource.relations.map(
    (relation) =>
      `${relation.kind} -> ${relation.to}${relation.port === undefined ? '' : `:${relation.port}`}${relation.protocol === undefined ? '' : `/${relation.protocol}`}`,
  );
}

/** The line of the first line of a text holding a piece. */
function lineOf(text: string, piece: string): number {
  const index = text.indexOf(piece);
  if (index === -1) throw new Error(`"${piece}" is not in the text`);
  return text.slice(0, index).split('\n').length;
}

/** The ImportError a function throws (or a failed expectation). */
function thrown(read: () => unknown): ImportError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('readCloudFormation on cloudformation_single_file.json', () => {
  const resources = readCloudFormation(SAMPLE);

  it('finds its 22 resources, each named by its logical id at the line of its key', () => {
    expect(resources).toHaveLength(22);
    for (const resource of resources) {
      expect(resource).toMatchObject({ source: 'cloudformation', file: SAMPLE.file, name: resource.address });
      expect(resource.line, resource.address).toBe(lineOf(SAMPLE.text, `"${resource.address}": {`));
    }
    expect(resources.slice(0, 3).map((r) => [r.address, r.type, r.line])).toEqual([
      ['CustomVPC', 'AWS::EC2::VPC', 3],
      ['PrivateSubnet1', 'AWS::EC2::Subnet', 9],
      ['PrivateSubnet2', 'AWS::EC2::Subnet', 20],
    ]);
    expect(find(resources, 'ServiceLB').attributes).toMatchObject({ Scheme: 'internal', Type: 'application' });
  });

  it('puts the subnets and security groups in the VPC, and resources in their groups before their subnets', () => {
    for (const subnet of ['PrivateSubnet1', 'PrivateSubnet2', 'PublicSubnet1', 'PublicSubnet2']) {
      expect(relations(find(resources, subnet))).toEqual(['member-of -> CustomVPC']);
    }
    expect(find(resources, 'PrivateSubnet1').relations[0]?.evidence).toBe('VpcId names CustomVPC');
    expect(relations(find(resources, 'VPCssmSecurityGroup'))).toEqual(['member-of -> CustomVPC']);
    expect(relations(find(resources, 'VPCssm'))).toEqual([
      'member-of -> VPCssmSecurityGroup',
      'member-of -> PrivateSubnet1',
      'member-of -> PrivateSubnet2',
    ]);
    // Subnets it names that the template does not declare are still subnets (told by SubnetIds).
    expect(relations(find(resources, 'VPCmonitoring'))).toEqual([
      'member-of -> VPCmonitoringSecurityGroup',
      'member-of -> VPCPrivateSubnet1SubnetXYZ',
      'member-of -> VPCPrivateSubnet2SubnetABC',
    ]);
  });

  it('turns the load balancer to service security group rules into one flow, tcp port 80', () => {
    const balancer = find(resources, 'ServiceLB');
    expect(relations(balancer)).toEqual(['member-of -> ServiceLBSecurityGroup', 'flow -> Service:80/tcp']);
    expect(balancer.relations[1]).toMatchObject({
      line: 219,
      evidence:
        'security group rule OutboundSecurityGroupIngressfromServiceLBSecurityGroup lets ServiceLBSecurityGroup into OutboundSecurityGroup (tcp port 80)',
    });
    expect(relations(find(resources, 'Service'))).toEqual(['member-of -> OutboundSecurityGroup']);
  });

  it('reads exposure: an internal load balancer, endpoints open to their VPC range', () => {
    expect(find(resources, 'ServiceLB').exposure).toBe('internal');
    expect(find(resources, 'VPCssm').exposure).toBe('internal');
    expect(find(resources, 'Service').exposure).toBeUndefined();
  });

  it('notes cross-stack imports, open egress and a rule whose group is in another stack', () => {
    expect(find(resources, 'OutboundSecurityGroup').notes?.map((n) => [n.at, n.what])).toEqual([
      ['OutboundSecurityGroup.VpcId', 'Fn::ImportValue ECSFargateGoVPCStack:ExportsOutputRefCustomVPCBDGHIJK'],
      ['OutboundSecurityGroup.SecurityGroupEgress[0]', 'egress to 255.255.255.255/32 (icmp)'],
    ]);
    expect(find(resources, 'VPCssmSecurityGroup').notes?.[0]).toMatchObject({
      what: 'egress to 0.0.0.0/0 (all traffic)',
      reason: 'the members may connect anywhere on the internet (no egress filtering); Parapet has no element for it',
    });
    expect(find(resources, 'ServiceLBSecurityGroupIngressfromCanarySecurityGroup').notes?.map((n) => n.what)).toEqual([
      'Fn::ImportValue ECSFargateGoServiceStack:ExportsOutputFnGetAttServiceLBSecurityGroupGroupId3006B9B0',
      'ingress rule (tcp port 443)',
    ]);
  });

  it('maps to a valid model by the built-in rules: nested boundaries, the flow, every dropped item noted', () => {
    const result = mapResources(resources, [MAPPINGS]);
    const diagnostics = checkModel(result.model);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Warnings reflect the template: endpoints and a canary with no flow, a flow that states no authentication.
    expect(diagnostics.map((d) => d.code).sort()).toEqual([
      'PARAPET_ELEMENT_WITHOUT_FLOWS',
      'PARAPET_ELEMENT_WITHOUT_FLOWS',
      'PARAPET_ELEMENT_WITHOUT_FLOWS',
      'PARAPET_ELEMENT_WITHOUT_FLOWS',
      'PARAPET_FLOW_UNPROTECTED',
    ]);
    const boundaries = result.model.boundaries ?? [];
    expect(boundaries.filter((b) => b.parent === 'customvpc').map((b) => [b.id, b.kind])).toEqual([
      ['privatesubnet1', 'subnet'],
      ['privatesubnet2', 'subnet'],
      ['publicsubnet1', 'subnet'],
      ['publicsubnet2', 'subnet'],
      ['vpcssmsecuritygroup', 'network'],
      ['vpcssmmessagessecuritygroup', 'network'],
      ['vpcmonitoringsecuritygroup', 'network'],
    ]);
    expect(result.model.flows).toEqual([
      expect.objectContaining({ from: 'servicelb', to: 'service', protocol: 'tcp', port: 80 }),
    ]);
    expect(result.model.elements?.find((e) => e.id === 'servicelb')).toMatchObject({
      type: 'load-balancer',
      boundary: 'servicelbsecuritygroup',
      exposure: 'internal',
      origin: { format: 'cloudformation', file: SAMPLE.file, line: 234, ref: 'ServiceLB', inferred: true },
    });
    expect(result.model.elements?.find((e) => e.id === 'vpcssm')).toMatchObject({
      kind: 'external',
      technology: 'VPC endpoint to com.amazonaws.us-east-1.ssm',
    });
    expect(result.unmapped.find((u) => u.at === 'ServiceTaskDefinition')?.reason).toMatch(
      /describes the containers an ECS service runs/,
    );
  });
});

/** A template in YAML with the short forms: a public load balancer, an app instance, a queue and its consumer. */
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: A web app behind a load balancer, with a queue and its consumer
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: !Select [0, !Cidr [!GetAtt VPC.CidrBlock, 4, 8]]
      AvailabilityZone: !Select [0, !GetAZs '']
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.0.2.0/24
  LoadBalancerSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub 'Load balancer of \${Env}'
      VpcId: !Ref VPC
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
  AppSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: App
      VpcId: !Ref VPC
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8080
          ToPort: 8080
          SourceSecurityGroupId: !GetAtt LoadBalancerSG.GroupId
  App:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !If [IsProd, m5.large, t3.micro]
      SubnetId: !Ref AppSubnet
      SecurityGroupIds: [!Ref AppSG]
      UserData: !Base64
        Fn::Sub: |
          #!/bin/sh
          aws s3 cp s3://\${Assets}/app.tar.gz .
  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internet-facing
      Subnets: [!Ref PublicSubnet]
      SecurityGroups: [!GetAtt LoadBalancerSG.GroupId]
  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      Protocol: HTTP
      VpcId: !Ref VPC
      Targets:
        - Id: !Ref App
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LoadBalancer
      Port: 443
      Protocol: HTTPS
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref TargetGroup
  Assets:
    Type: AWS::S3::Bucket
  Queue:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Environment:
        Variables:
          BUCKET: !Join ['', ['arn:aws:s3:::', !Ref Assets]]
          SHARED: !ImportValue shared-table-name
          REGION: !Split [',', !FindInMap [Regions, !Ref 'AWS::Region', Name]]
  WorkerEvents:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: !Ref Worker
  Check:
    Type: Custom::Check
    Properties:
      Ok: !And [!Condition IsProd, !Or [!Not [!Equals [a, b]], !Equals [!Ref Env, prod]]]
Outputs:
  Url:
    Value: !GetAtt LoadBalancer.DNSName
`;

describe('readCloudFormation on a YAML template with short-form tags', () => {
  const resources = readCloudFormation({ file: 'template.yaml', text: TEMPLATE });

  it('reads every resource at the line of its logical id', () => {
    expect(resources.map((r) => r.address)).toEqual([
      'VPC',
      'PublicSubnet',
      'AppSubnet',
      'LoadBalancerSG',
      'AppSG',
      'App',
      'LoadBalancer',
      'TargetGroup',
      'Listener',
      'Assets',
      'Queue',
      'Worker',
      'WorkerEvents',
      'Check',
    ]);
    for (const resource of resources) expect(resource.line).toBe(lineOf(TEMPLATE, `\n  ${resource.address}:\n`) + 1);
  });

  it('reads the short forms as data, never evaluated', () => {
    expect(find(resources, 'PublicSubnet').attributes).toEqual({
      VpcId: { Ref: 'VPC' },
      CidrBlock: { 'Fn::Select': [0, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['VPC', 'CidrBlock'] }, 4, 8] }] },
      AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    });
    expect(find(resources, 'App').attributes).toMatchObject({
      InstanceType: { 'Fn::If': ['IsProd', 'm5.large', 't3.micro'] },
      SecurityGroupIds: [{ Ref: 'AppSG' }],
      UserData: { 'Fn::Base64': { 'Fn::Sub': '#!/bin/sh\naws s3 cp s3://${Assets}/app.tar.gz .\n' } },
    });
    expect(find(resources, 'Worker').attributes.Environment).toEqual({
      Variables: {
        BUCKET: { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'Assets' }]] },
        SHARED: { 'Fn::ImportValue': 'shared-table-name' },
        REGION: { 'Fn::Split': [',', { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Name'] }] },
      },
    });
    expect(find(resources, 'Check').attributes).toEqual({
      Ok: {
        'Fn::And': [
          { Condition: 'IsProd' },
          { 'Fn::Or': [{ 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }, { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }] },
        ],
      },
    });
  });

  it('relates resources by Ref, GetAtt and Sub (not by parameters or pseudo parameters)', () => {
    expect(relations(find(resources, 'PublicSubnet'))).toEqual(['member-of -> VPC']);
    expect(relations(find(resources, 'LoadBalancerSG'))).toEqual(['member-of -> VPC']);
    expect(relations(find(resources, 'App'))).toEqual([
      'member-of -> AppSG',
      'member-of -> AppSubnet',
      'flow -> Assets',
      'exposed-by -> LoadBalancer:8080/http',
    ]);
    expect(find(resources, 'App').relations[2]?.evidence).toBe('UserData.Fn::Base64 names Assets');
    expect(relations(find(resources, 'Worker'))).toEqual(['flow -> Assets']);
    expect(find(resources, 'Worker').notes?.map((n) => n.what)).toEqual(['Fn::ImportValue shared-table-name']);
    expect(relations(find(resources, 'Check'))).toEqual([]);
  });

  it('reads the security group rule, the listener and the event source mapping with their AWS meaning', () => {
    const balancer = find(resources, 'LoadBalancer');
    expect(balancer.exposure).toBe('internet');
    expect(relations(balancer)).toEqual([
      'member-of -> LoadBalancerSG',
      'member-of -> PublicSubnet',
      'flow -> App:8080/tcp',
    ]);
    expect(relations(find(resources, 'Queue'))).toEqual(['flow -> Worker']);
    expect(find(resources, 'Queue').relations[0]?.line).toBe(lineOf(TEMPLATE, '  WorkerEvents:'));
  });

  it('maps to a valid model: the app in its security group, exposed through the load balancer', () => {
    const result = mapResources(resources, [MAPPINGS]);
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.model.boundaries?.map((b) => [b.id, b.kind, b.parent])).toEqual([
      ['vpc', 'vpc', undefined],
      ['publicsubnet', 'subnet', 'vpc'],
      ['appsubnet', 'subnet', 'vpc'],
      ['loadbalancersg', 'network', 'vpc'],
      ['appsg', 'network', 'vpc'],
    ]);
    expect(result.model.elements?.find((e) => e.id === 'app')).toMatchObject({
      boundary: 'appsg',
      exposure: 'internet',
      technology: 'Amazon EC2',
    });
    expect(result.model.flows?.map((f) => `${f.from} -> ${f.to}${f.port === undefined ? '' : `:${f.port}`}`)).toEqual([
      'app -> assets',
      'loadbalancer -> app:8080',
      'queue -> worker',
      'worker -> assets',
    ]);
    expect(result.unmapped.find((u) => u.at === 'Check')?.reason).toBe(
      'no mapping rule matches type "Custom::Check": add a rule in a mapping file (--mapping) to bring it into the model',
    );
  });
});

describe('readCloudFormation on bad and hostile input', () => {
  it('reports YAML and JSON syntax errors with their line', () => {
    const yaml = thrown(() => readCloudFormation({ file: 't.yaml', text: 'Resources:\n  A: [unclosed\n' }));
    expect(yaml.line).toBeGreaterThanOrEqual(2);
    const json = thrown(() => readCloudFormation({ file: 't.json', text: '{\n  "Resources": {,}\n}' }));
    expect([json.line, json.message]).toEqual([2, expect.stringMatching(/^invalid JSON/)]);
  });

  it('refuses what is not a template: empty, a list, Resources of the wrong type', () => {
    expect(thrown(() => readCloudFormation({ file: 't.yaml', text: '  \n' })).message).toMatch(/empty/);
    expect(thrown(() => readCloudFormation({ file: 't.json', text: '[1, 2]' })).message).toMatch(
      /not a CloudFormation template/,
    );
    const list = thrown(() => readCloudFormation({ file: 't.yaml', text: 'Description: x\nResources:\n  - a\n' }));
    expect([list.line, list.message]).toEqual([
      2,
      'not a CloudFormation template: Resources must be a mapping of logical ids to resources',
    ]);
  });

  it('refuses a resource without a Type, or with Properties that are not a mapping, at its line', () => {
    const noType = thrown(() =>
      readCloudFormation({ file: 't.yaml', text: 'Resources:\n  A:\n    Type: AWS::SQS::Queue\n  B:\n    Type: 42\n' }),
    );
    expect(noType.describe()).toBe(
      't.yaml:4: Resources.B: a resource needs a Type (a string such as AWS::EC2::Instance)',
    );
    const properties = thrown(() =>
      readCloudFormation({
        file: 't.json',
        text: '{"Resources": {\n"A": {"Type": "AWS::SQS::Queue",\n"Properties": 7}}}',
      }),
    );
    expect(properties.describe()).toBe('t.json:3: Resources.A.Properties: expected a mapping');
  });

  it('refuses alias bombs, deep nesting and oversized templates', () => {
    const bomb = [
      'Resources:',
      '  A:',
      '    Type: Custom::X',
      '    Properties:',
      '      a: &a [x, x, x, x, x, x, x, x, x, x]',
    ];
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g']) {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      bomb.push(
        `      ${name}: &${name} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`,
      );
    }
    expect(thrown(() => readCloudFormation({ file: 'bomb.yaml', text: `${bomb.join('\n')}\n` })).message).toMatch(
      /alias/,
    );
    const deep = `Resources:\n  A:\n    Type: Custom::X\n    Properties:\n      P: ${'['.repeat(500)}${']'.repeat(500)}\n`;
    expect(thrown(() => readCloudFormation({ file: 'deep.yaml', text: deep })).message).toMatch(
      /nesting is deeper than the limit/,
    );
    const huge = thrown(() => readCloudFormation({ file: 'huge.json', text: ' '.repeat(MAX_TEMPLATE_BYTES + 1) }));
    expect(huge.message).toBe(
      'the file is over the limit of 2 MiB for a template (CloudFormation itself accepts 1 MB)',
    );
  });

  it('reads odd intrinsics and unknown tags as data, and reference cycles without looping', () => {
    const text = `Resources:
  A:
    Type: AWS::SQS::Queue
    Properties:
      Odd: !GetAtt { not: a string }
      Unknown: !Foo bar
      BadRef: { Ref: [B] }
      BadGetAtt: { "Fn::GetAtt": 5 }
      Next: !Ref B
  B:
    Type: AWS::SQS::Queue
    Properties:
      Next: !GetAtt [A, Arn]
      Self: !Ref B
`;
    const resources = readCloudFormation({ file: 'odd.yaml', text });
    expect(find(resources, 'A').attributes).toMatchObject({
      Odd: { 'Fn::GetAtt': { not: 'a string' } },
      Unknown: 'bar',
      BadRef: { Ref: ['B'] },
    });
    expect(relations(find(resources, 'A'))).toEqual(['flow -> B']);
    expect(relations(find(resources, 'B'))).toEqual(['flow -> A']);
  });
});
