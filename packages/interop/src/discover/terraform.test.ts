import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../ImportResult.js';
import { checkModel } from '../writeModel.js';
import { mapResources } from './mapModel.js';
import { parseMappingFile } from './mappingFile.js';
import { MAX_HCL_BYTES, readTerraform, readTerraformPlan } from './terraform.js';
import type { DiscoveryInput, SourceResource } from './types.js';

const SAMPLES = new URL('../../fixtures/samples/iac/terraform/', import.meta.url);
const COMPONENTS: DiscoveryInput = {
  file: 'aws_multiple_components.tf',
  text: readFileSync(new URL('aws_multiple_components.tf', SAMPLES), 'utf8'),
};
const PLAN: DiscoveryInput = {
  file: 'official-tfplan.json',
  text: readFileSync(new URL('official-tfplan.json', SAMPLES), 'utf8'),
};
const MAPPINGS = parseMappingFile(
  readFileSync(new URL('../../mappings/terraform.yaml', import.meta.url), 'utf8'),
  'mappings/terraform.yaml',
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

/** The ImportError a promise rejects with (or a failed expectation). */
async function rejection(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('readTerraform on aws_multiple_components.tf', async () => {
  const resources = await readTerraform([COMPONENTS]);

  it('finds its 26 resources and one data source, each at the line of its block header', () => {
    expect(resources).toHaveLength(27);
    expect(resources.filter((r) => r.type.startsWith('data.')).map((r) => r.address)).toEqual([
      'data.aws_caller_identity.current',
    ]);
    for (const resource of resources) {
      const [kind, type] = resource.type.startsWith('data.')
        ? ['data', resource.type.slice(5)]
        : ['resource', resource.type];
      expect(resource.line, resource.address).toBe(lineOf(COMPONENTS.text, `${kind} "${type}" "${resource.name}"`));
      expect(resource.source).toBe('terraform');
      expect(resource.file).toBe('aws_multiple_components.tf');
    }
    expect(find(resources, 'aws_lb.lb')).toMatchObject({ type: 'aws_lb', name: 'lb', line: 385 });
    expect(find(resources, 'aws_db_instance.mysql').attributes).toMatchObject({
      engine: 'mysql',
      instance_class: 'db.t3.micro',
    });
    expect(find(resources, 'aws_eks_cluster.example').line).toBe(162);
  });

  it('keeps the arguments as attributes, references as written', () => {
    expect(find(resources, 'aws_lb.lb').attributes).toMatchObject({
      internal: false,
      load_balancer_type: 'application',
      security_groups: ['${aws_security_group.lb_sg.id}'],
    });
    expect(find(resources, 'aws_rds_cluster.aurora-cluster-demo').attributes.engine).toBe('aurora-mysql');
  });

  it('gives the load balancers internet exposure (internal = false, and a classic ELB by default)', () => {
    expect(find(resources, 'aws_lb.lb').exposure).toBe('internet');
    expect(find(resources, 'aws_elb.wu-tang').exposure).toBe('internet');
    expect(find(resources, 'aws_eks_cluster.example').exposure).toBe('internet');
    expect(find(resources, 'aws_db_instance.mysql').exposure).toBeUndefined();
  });

  it('reads references as relations: memberships innermost first, flows, exposure by a target group', () => {
    expect(relations(find(resources, 'aws_lb.lb'))).toEqual([
      'member-of -> aws_security_group.lb_sg',
      'member-of -> aws_subnet.public',
      'flow -> aws_s3_bucket.lb_logs',
    ]);
    expect(relations(find(resources, 'aws_cloudtrail.foobar'))).toEqual(['flow -> aws_s3_bucket.foo_s3_bucket']);
    expect(find(resources, 'aws_cloudtrail.foobar').relations[0]?.evidence).toBe(
      's3_bucket_name names aws_s3_bucket.foo_s3_bucket',
    );
    // The ECS service's IAM role and depends_on make no relation; its task definition neither.
    expect(relations(find(resources, 'aws_ecs_service.mongo'))).toEqual([
      'member-of -> aws_ecs_cluster.foo',
      'exposed-by -> aws_lb_target_group.foo:8080',
    ]);
    expect(relations(find(resources, 'aws_networkfirewall_firewall.firewall_example'))).toEqual([
      'member-of -> aws_subnet.example',
    ]);
    expect(relations(find(resources, 'aws_sfn_state_machine.my_sfn_state_machine'))).toEqual([
      'flow -> aws_lambda_function.lambda',
    ]);
    expect(relations(find(resources, 'aws_iam_role.iam_for_lambda'))).toEqual([]);
    expect(relations(find(resources, 'aws_load_balancer_policy.wu-tang-ca-pubkey-policy'))).toEqual([]);
  });

  it('maps to a valid model by the built-in rules, with every resource placed or noted', () => {
    const result = mapResources(resources, [MAPPINGS]);
    const diagnostics = checkModel(result.model);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Warnings reflect the sample, a set of unrelated snippets: elements that take part in no flow.
    expect(new Set(diagnostics.map((d) => d.code))).toEqual(new Set(['PARAPET_ELEMENT_WITHOUT_FLOWS']));
    const elements = result.model.elements ?? [];
    const byRef = (ref: string) => elements.find((e) => e.origin?.ref === ref);
    expect(byRef('aws_lb.lb')).toMatchObject({
      type: 'load-balancer',
      exposure: 'internet',
      technology: 'AWS Application Load Balancer',
    });
    expect(byRef('aws_db_instance.mysql')).toMatchObject({
      kind: 'datastore',
      type: 'database',
      technology: 'Amazon RDS for MySQL',
    });
    expect(byRef('aws_lambda_function.test_lambda')).toMatchObject({
      type: 'function',
      technology: 'AWS Lambda (nodejs12.x)',
    });
    expect(byRef('aws_cognito_user_pool.pool')).toMatchObject({ type: 'identity-provider' });
    expect(result.model.flows?.map((f) => `${f.from} -> ${f.to}`)).toEqual(['foobar -> foo-s3-bucket']);
    const ignored = result.unmapped.filter((u) => u.reason.includes('ignored by the mapping rule')).map((u) => u.at);
    expect(ignored).toEqual(
      expect.arrayContaining([
        'aws_iam_role.iam_for_lambda',
        'aws_route53_zone.route-53-zone-example',
        'data.aws_caller_identity.current',
      ]),
    );
    expect(result.unmapped.find((u) => u.at === 'aws_lb.lb -> aws_security_group.lb_sg')?.reason).toBe(
      'aws_security_group.lb_sg is not among the resources read',
    );
  });
});

/** A small network: public load balancer, app instances behind it, a database, a queue and its consumer. */
const NETWORK = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24"]
  }
}

resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "lb_to_app" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  source_security_group_id = aws_security_group.lb.id
  from_port                = 8080
  to_port                  = 8080
  protocol                 = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "app_to_db" {
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = aws_security_group.app.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_lb" "web" {
  internal        = false
  security_groups = [aws_security_group.lb.id]
  subnets         = [aws_subnet.public.id]
}

resource "aws_lb_target_group" "app" {
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.id
}

resource "aws_instance" "app" {
  ami                    = "ami-123"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
  iam_instance_profile   = aws_iam_instance_profile.app.name
  user_data              = templatefile("init.sh", { bucket = aws_s3_bucket.assets.bucket })
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "orders-db"
}

resource "aws_db_subnet_group" "main" {
  subnet_ids = [aws_subnet.private.id]
}

resource "aws_db_instance" "orders" {
  engine                 = "postgres"
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  password               = data.aws_secretsmanager_secret_version.db.secret_string
}

resource "aws_s3_bucket" "assets" {
  acl = "public-read"
}

resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.12"
  environment {
    variables = {
      DB_HOST = aws_db_instance.orders.address
    }
  }
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn = aws_sqs_queue.orders.arn
  function_name    = aws_lambda_function.worker.arn
}
`;

describe('readTerraform on a small AWS network', async () => {
  const resources = await readTerraform([{ file: 'network.tf', text: NETWORK }]);

  it('puts subnets and security groups in the VPC, and resources in their security groups before their subnets', () => {
    expect(relations(find(resources, 'aws_subnet.private'))).toEqual(['member-of -> aws_vpc.main']);
    expect(relations(find(resources, 'aws_security_group.app'))).toEqual(['member-of -> aws_vpc.main']);
    expect(relations(find(resources, 'aws_db_instance.orders'))).toEqual([
      'member-of -> aws_security_group.db',
      'member-of -> aws_subnet.private',
      'uses-secret -> data.aws_secretsmanager_secret_version.db',
    ]);
    expect(find(resources, 'aws_db_instance.orders').relations[1]?.evidence).toBe(
      'db_subnet_group_name names aws_db_subnet_group.main, whose subnet_ids[0] names aws_subnet.private',
    );
  });

  it('turns security group rules into flows between the members, with protocol and port', () => {
    const lb = find(resources, 'aws_lb.web');
    expect(relations(lb)).toEqual([
      'member-of -> aws_security_group.lb',
      'member-of -> aws_subnet.public',
      'flow -> aws_instance.app:8080/tcp',
    ]);
    expect(lb.relations[2]).toMatchObject({
      line: lineOf(NETWORK, 'resource "aws_security_group_rule" "lb_to_app"'),
      evidence:
        'security group rule aws_security_group_rule.lb_to_app lets aws_security_group.lb into aws_security_group.app (tcp port 8080)',
    });
    expect(relations(find(resources, 'aws_instance.app'))).toEqual([
      'member-of -> aws_security_group.app',
      'member-of -> aws_subnet.private',
      'flow -> aws_s3_bucket.assets',
      'flow -> aws_db_instance.orders:5432/tcp',
      'exposed-by -> aws_lb.web:8080/http',
    ]);
    expect(find(resources, 'aws_instance.app').relations[4]).toMatchObject({
      line: lineOf(NETWORK, 'resource "aws_lb_target_group_attachment" "app"'),
      evidence:
        'aws_lb_target_group_attachment.app makes it a target of aws_lb_target_group.app, to which a listener of aws_lb.web forwards',
    });
  });

  it('reads exposure: an ingress from 0.0.0.0/0, a public ACL; notes a range it cannot place', () => {
    expect(find(resources, 'aws_lb.web').exposure).toBe('internet');
    expect(find(resources, 'aws_s3_bucket.assets').exposure).toBe('internet');
    expect(find(resources, 'aws_s3_bucket.assets').notes?.map((n) => n.what)).toEqual(['bucket ACL "public-read"']);
    // In a private subnet, reached only through the load balancer: no exposure of its own.
    expect(find(resources, 'aws_instance.app').exposure).toBeUndefined();
    expect(find(resources, 'aws_security_group.app').notes).toEqual([
      {
        at: 'aws_security_group.app.ingress[0]',
        line: lineOf(NETWORK, 'resource "aws_security_group" "app"'),
        what: 'ingress from 203.0.113.0/24 (tcp port 22)',
        reason:
          'an address range outside the inputs: Parapet has no element for it, and the members keep the exposure other rules give',
      },
    ]);
  });

  it('reads an event source mapping as a flow from the queue to the function', () => {
    expect(relations(find(resources, 'aws_sqs_queue.orders'))).toEqual(['flow -> aws_lambda_function.worker']);
    expect(find(resources, 'aws_sqs_queue.orders').relations[0]).toMatchObject({
      line: lineOf(NETWORK, 'resource "aws_lambda_event_source_mapping"'),
      evidence:
        'aws_lambda_event_source_mapping aws_lambda_event_source_mapping.orders connects aws_sqs_queue.orders to aws_lambda_function.worker',
    });
    expect(relations(find(resources, 'aws_lambda_function.worker'))).toEqual(['flow -> aws_db_instance.orders']);
  });

  it('maps to a valid model: nested boundaries, the flows, exposure and the secret as a stored asset', () => {
    const result = mapResources(resources, [MAPPINGS]);
    expect(checkModel(result.model).filter((d) => d.severity === 'error')).toEqual([]);
    const boundaries = result.model.boundaries ?? [];
    expect(boundaries.map((b) => [b.origin?.ref, b.kind, b.parent])).toEqual([
      ['aws_vpc.main', 'vpc', undefined],
      ['aws_subnet.public', 'subnet', 'main'],
      ['aws_subnet.private', 'subnet', 'main'],
      ['aws_security_group.lb', 'network', 'main'],
      ['aws_security_group.app', 'network', 'main'],
      ['aws_security_group.db', 'network', 'main'],
    ]);
    const elements = result.model.elements ?? [];
    const id = (ref: string) => elements.find((e) => e.origin?.ref === ref)?.id;
    expect(elements.find((e) => e.origin?.ref === 'aws_instance.app')).toMatchObject({
      boundary: 'app',
      exposure: 'internet',
      technology: 'Amazon EC2 (t3.micro)',
    });
    expect(elements.find((e) => e.origin?.ref === 'aws_db_instance.orders')).toMatchObject({
      boundary: 'db',
      technology: 'Amazon RDS for PostgreSQL',
      stores: [result.model.assets?.[0]?.id],
    });
    expect(result.model.assets?.map((a) => [a.origin?.ref, a.kind])).toEqual([
      ['data.aws_secretsmanager_secret_version.db', 'credential'],
    ]);
    const flows = (result.model.flows ?? []).map(
      (f) => `${f.from} -> ${f.to}${f.port === undefined ? '' : `:${f.port}`}`,
    );
    expect(flows).toEqual(
      expect.arrayContaining([
        `${id('aws_lb.web')} -> ${id('aws_instance.app')}:8080`,
        `${id('aws_instance.app')} -> ${id('aws_db_instance.orders')}:5432`,
        `${id('aws_sqs_queue.orders')} -> ${id('aws_lambda_function.worker')}`,
      ]),
    );
  });
});

describe('readTerraform on other inputs', () => {
  it('reads the JSON syntax (.tf.json) with the line of each block', async () => {
    const text = `{
  "resource": {
    "aws_vpc": { "main": { "cidr_block": "10.0.0.0/16" } },
    "aws_subnet": {
      "a": { "vpc_id": "\${aws_vpc.main.id}" }
    }
  }
}
`;
    const resources = await readTerraform([{ file: 'main.tf.json', text }]);
    expect(resources.map((r) => [r.address, r.line])).toEqual([
      ['aws_vpc.main', 3],
      ['aws_subnet.a', 5],
    ]);
    expect(relations(find(resources, 'aws_subnet.a'))).toEqual(['member-of -> aws_vpc.main']);
  });

  it('reads several files together, relating resources across them, and notes dynamic blocks', async () => {
    const resources = await readTerraform([
      { file: 'vpc.tf', text: 'resource "aws_vpc" "main" {}\n' },
      {
        file: 'sg.tf',
        text: 'resource "aws_security_group" "web" {\n  vpc_id = aws_vpc.main.id\n  dynamic "ingress" {\n    for_each = var.ports\n    content {\n      from_port = ingress.value\n    }\n  }\n}\n',
      },
    ]);
    const group = find(resources, 'aws_security_group.web');
    expect(group.file).toBe('sg.tf');
    expect(relations(group)).toEqual(['member-of -> aws_vpc.main']);
    expect(group.notes?.[0]).toMatchObject({
      at: 'aws_security_group.web.dynamic.ingress',
      what: 'dynamic "ingress" block',
    });
  });

  it('keeps a module call as a resource of type module, without relations', async () => {
    const [module] = await readTerraform([
      {
        file: 'main.tf',
        text: 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n  name   = aws_s3_bucket.x.id\n}\n',
      },
    ]);
    expect(module).toMatchObject({ type: 'module', name: 'vpc', address: 'module.vpc', line: 1, relations: [] });
  });

  it('notes a connector naming a resource that is not among the inputs, or naming none', async () => {
    const resources = await readTerraform([
      {
        file: 'esm.tf',
        text: [
          'resource "aws_lambda_function" "f" {}',
          'resource "aws_lambda_event_source_mapping" "elsewhere" {',
          '  event_source_arn = aws_sqs_queue.elsewhere.arn',
          '  function_name    = aws_lambda_function.f.arn',
          '}',
          'resource "aws_lambda_event_source_mapping" "literal" {',
          '  event_source_arn = "arn:aws:sqs:eu-west-1:123456789012:orders"',
          '  function_name    = aws_lambda_function.f.arn',
          '}',
          '',
        ].join('\n'),
      },
    ]);
    expect(find(resources, 'aws_lambda_event_source_mapping.elsewhere').notes).toEqual([
      {
        at: 'aws_lambda_event_source_mapping.elsewhere',
        line: 2,
        what: 'flow relation from aws_sqs_queue.elsewhere to aws_lambda_function.f: aws_lambda_event_source_mapping aws_lambda_event_source_mapping.elsewhere connects aws_sqs_queue.elsewhere to aws_lambda_function.f',
        reason: 'aws_sqs_queue.elsewhere is not among the inputs, so nothing holds the relation',
      },
    ]);
    expect(find(resources, 'aws_lambda_event_source_mapping.literal').notes?.[0]?.reason).toBe(
      'it connects two resources, but its event_source_arn names no resource: no flow made',
    );
    expect(find(resources, 'aws_lambda_function.f').relations).toEqual([]);
  });

  it('follows reference cycles without looping, and makes no relation of a resource to itself', async () => {
    const resources = await readTerraform([
      {
        file: 'cycle.tf',
        text: 'resource "aws_sqs_queue" "a" {\n  policy = aws_sqs_queue.b.arn\n  name = aws_sqs_queue.a.id\n}\nresource "aws_sqs_queue" "b" {\n  policy = aws_sqs_queue.a.arn\n}\n',
      },
    ]);
    expect(relations(find(resources, 'aws_sqs_queue.a'))).toEqual(['flow -> aws_sqs_queue.b']);
    expect(relations(find(resources, 'aws_sqs_queue.b'))).toEqual(['flow -> aws_sqs_queue.a']);
  });
});

describe('readTerraform on bad and hostile input', () => {
  it('reports an HCL syntax error with its line and column', async () => {
    const error = await rejection(
      readTerraform([{ file: 'bad.tf', text: 'resource "aws_instance" "a" {\n  ami = \n}\n' }]),
    );
    expect(error.describe()).toBe(
      'bad.tf:2:9: not valid HCL: Invalid expression: Expected the start of an expression, but found an invalid expression token',
    );
    const unclosed = await rejection(
      readTerraform([{ file: 'open.tf', text: 'resource "aws_instance" "a" {\n  ami = "x"\n' }]),
    );
    expect([unclosed.line, unclosed.column]).toEqual([1, 29]);
    expect(unclosed.message).toMatch(/^not valid HCL: Unclosed configuration block/);
  });

  it('refuses text that is not HCL (JSON in a .tf file, binary)', async () => {
    expect((await rejection(readTerraform([{ file: 'a.tf', text: '{"resource": 1}' }]))).line).toBe(1);
    const binary = await rejection(readTerraform([{ file: 'b.tf', text: '\u0000\u0001\u0002' }]));
    expect(binary.message).toMatch(/^not valid HCL: Invalid character/);
  });

  it('refuses nesting past the limit before parsing, at the first bracket too deep', async () => {
    const error = await rejection(
      readTerraform([{ file: 'deep.tf', text: `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` }]),
    );
    expect([error.message, error.line, error.column]).toEqual(['nesting is deeper than the limit of 64 levels', 1, 69]);
    const template = await rejection(
      readTerraform([{ file: 't.tf', text: `x = "${'${'.repeat(100)}1${'}'.repeat(100)}"\n` }]),
    );
    expect(template.message).toBe('nesting is deeper than the limit of 64 levels');
  });

  it('refuses an input over the size limit', async () => {
    // The HCL parser takes seconds per MiB: HCL has a limit of its own, checked before parsing.
    const error = await rejection(readTerraform([{ file: 'huge.tf', text: '#'.repeat(MAX_HCL_BYTES + 1) }]));
    expect(error.message).toBe(
      'the file is over the limit of 2 MiB for Terraform configuration (split it, or discover from `terraform show -json` output)',
    );
  });

  it('refuses a block without its labels, and a resource declared twice', async () => {
    const labels = await rejection(readTerraform([{ file: 'l.tf', text: '\nresource "aws_instance" {\n}\n' }]));
    expect([labels.message, labels.line]).toEqual(['resource "aws_instance": expected a type and a name label', 2]);
    const twice = await rejection(
      readTerraform([
        { file: 'a.tf', text: 'resource "aws_vpc" "main" {}\n' },
        { file: 'b.tf', text: '\n\nresource "aws_vpc" "main" {}\n' },
      ]),
    );
    expect(twice.describe()).toBe('b.tf:3: aws_vpc.main is declared twice (also in a.tf)');
  });

  it('reads a file of many resources, each related by its own references', async () => {
    const blocks = Array.from(
      { length: 1_000 },
      (_, i) => `resource "aws_instance" "i${i}" {\n  subnet_id = aws_subnet.s${i % 7}.id\n}\n`,
    );
    const resources = await readTerraform([{ file: 'many.tf', text: blocks.join('') }]);
    expect(resources).toHaveLength(1_000);
    expect(resources[999]).toMatchObject({ address: 'aws_instance.i999', line: 2_998 });
    expect(relations(find(resources, 'aws_instance.i999'))).toEqual(['member-of -> aws_subnet.s5']);
  });
});

describe('readTerraformPlan on official-tfplan.json', () => {
  const resources = readTerraformPlan(PLAN);

  it('finds the 36 planned resources, each at the line of its address', () => {
    expect(resources).toHaveLength(36);
    expect(resources.every((r) => r.source === 'terraform-plan' && r.file === 'official-tfplan.json')).toBe(true);
    for (const resource of resources) {
      expect(resource.line, resource.address).toBe(lineOf(PLAN.text, `"address": "${resource.address}"`));
    }
    expect(find(resources, 'aws_dynamodb_table.click-logger-table')).toMatchObject({
      type: 'aws_dynamodb_table',
      name: 'click-logger-table',
      line: 302,
    });
    expect(find(resources, 'aws_lambda_function.lambda_clicklogger').attributes).toMatchObject({
      handler: 'com.clicklogs.Handlers.ClickLoggerHandler::handleRequest',
      runtime: 'java8',
    });
  });

  it('reads relations from the configuration: API integrations, environment variables, logs, delivery', () => {
    const api = find(resources, 'aws_api_gateway_rest_api.click_logger_api');
    expect(api.exposure).toBe('internet');
    expect(relations(api)).toEqual([
      'flow -> aws_lambda_function.lambda_clicklogger_authorizer',
      'flow -> aws_lambda_function.lambda_clicklogger',
    ]);
    expect(api.relations[1]?.evidence).toBe(
      'aws_api_gateway_integration aws_api_gateway_integration.integration connects aws_api_gateway_rest_api.click_logger_api to aws_lambda_function.lambda_clicklogger',
    );
    expect(relations(find(resources, 'aws_lambda_function.lambda_clicklogger'))).toEqual([
      'flow -> aws_cloudwatch_log_group.lambda_click_logger_log_group',
      'flow -> aws_kinesis_firehose_delivery_stream.click_logger_firehose_delivery_stream',
    ]);
    expect(
      relations(find(resources, 'aws_kinesis_firehose_delivery_stream.click_logger_firehose_delivery_stream')),
    ).toEqual([
      'flow -> aws_s3_bucket.click_logger_firehose_delivery_s3_bucket',
      'flow -> aws_lambda_function.lambda_clicklogger_stream_consumer',
    ]);
    expect(relations(find(resources, 'aws_lambda_function.lambda_clicklogger_stream_consumer'))).toEqual([
      'flow -> aws_dynamodb_table.click-logger-table',
    ]);
    expect(relations(find(resources, 'aws_iam_role_policy.click_logger_invocation_policy'))).toEqual([]);
  });

  it('maps to a valid model: the API gateway in front of the functions, the data path to the bucket and table', () => {
    const result = mapResources(resources, [MAPPINGS]);
    const diagnostics = checkModel(result.model);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Two log groups that nothing in the plan writes to take part in no flow.
    expect(diagnostics.map((d) => d.message)).toEqual([
      'element "click-logger-firehose-delivery-stream-log-group" takes part in no flow: add its flows or mark it outOfScope',
      'element "clicklogger-api-log-group" takes part in no flow: add its flows or mark it outOfScope',
    ]);
    expect((result.model.flows ?? []).map((f) => `${f.from} -> ${f.to}`)).toEqual([
      'click-logger-api -> lambda-clicklogger-authorizer',
      'click-logger-api -> lambda-clicklogger',
      'click-logger-firehose-delivery-stream -> click-logger-firehose-delivery-s3-bucket',
      'click-logger-firehose-delivery-stream -> lambda-clicklogger-stream-consumer',
      'lambda-clicklogger -> lambda-click-logger-log-group',
      'lambda-clicklogger -> click-logger-firehose-delivery-stream',
      'lambda-clicklogger-authorizer -> lambda-click-logger-authorizer-log-group',
      'lambda-clicklogger-stream-consumer -> click-logger-table',
    ]);
    expect(result.model.elements?.find((e) => e.id === 'click-logger-api')).toMatchObject({
      type: 'api-gateway',
      exposure: 'internet',
      origin: {
        format: 'terraform-plan',
        file: 'official-tfplan.json',
        line: 212,
        ref: 'aws_api_gateway_rest_api.click_logger_api',
        inferred: true,
      },
    });
    expect(result.unmapped.filter((u) => u.at.startsWith('aws_iam_'))).toHaveLength(10);
  });
});

/** A plan with a child module (count = 2 subnets) whose output the root module's instance uses. */
const MODULE_PLAN = JSON.stringify(
  {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          {
            address: 'aws_instance.web',
            mode: 'managed',
            type: 'aws_instance',
            name: 'web',
            values: { instance_type: 't3.micro', user_data: 'password=hunter2' },
            sensitive_values: { user_data: true },
          },
        ],
        child_modules: [
          {
            address: 'module.net',
            resources: [
              { address: 'module.net.aws_vpc.this', mode: 'managed', type: 'aws_vpc', name: 'this', values: {} },
              {
                address: 'module.net.aws_subnet.private[0]',
                mode: 'managed',
                type: 'aws_subnet',
                name: 'private',
                index: 0,
                values: {},
              },
              {
                address: 'module.net.aws_subnet.private[1]',
                mode: 'managed',
                type: 'aws_subnet',
                name: 'private',
                index: 1,
                values: {},
              },
            ],
          },
        ],
      },
    },
    configuration: {
      root_module: {
        resources: [
          {
            address: 'aws_instance.web',
            type: 'aws_instance',
            name: 'web',
            expressions: {
              subnet_id: { references: ['module.net.private_subnet_ids[0]', 'module.net.private_subnet_ids'] },
              instance_type: { constant_value: 't3.micro' },
            },
          },
        ],
        module_calls: {
          net: {
            source: './net',
            module: {
              outputs: { private_subnet_ids: { expression: { references: ['aws_subnet.private'] } } },
              resources: [
                { address: 'aws_vpc.this', type: 'aws_vpc', name: 'this', expressions: {} },
                {
                  address: 'aws_subnet.private',
                  type: 'aws_subnet',
                  name: 'private',
                  expressions: { vpc_id: { references: ['aws_vpc.this.id', 'aws_vpc.this'] } },
                },
              ],
            },
          },
        },
      },
    },
  },
  null,
  2,
);

describe('readTerraformPlan on modules and bad input', () => {
  it('reads child modules, follows module outputs to their resources, and hides sensitive values', () => {
    const resources = readTerraformPlan({ file: 'plan.json', text: MODULE_PLAN });
    expect(resources.map((r) => [r.address, r.name])).toEqual([
      ['aws_instance.web', 'web'],
      ['module.net.aws_vpc.this', 'this'],
      ['module.net.aws_subnet.private[0]', 'private[0]'],
      ['module.net.aws_subnet.private[1]', 'private[1]'],
    ]);
    const web = find(resources, 'aws_instance.web');
    expect(relations(web)).toEqual([
      'member-of -> module.net.aws_subnet.private[0]',
      'member-of -> module.net.aws_subnet.private[1]',
    ]);
    expect(web.attributes).toEqual({ instance_type: 't3.micro', user_data: '(sensitive)' });
    expect(relations(find(resources, 'module.net.aws_subnet.private[1]'))).toEqual([
      'member-of -> module.net.aws_vpc.this',
    ]);
  });

  it('refuses what is not a plan, with the line and the path of the problem', () => {
    expect(() => readTerraformPlan({ file: 'p.json', text: 'not json' })).toThrow(ImportError);
    expect(() => readTerraformPlan({ file: 'p.json', text: '[1, 2]' })).toThrow(/not `terraform show -json` output/);
    expect(() => readTerraformPlan({ file: 'p.json', text: '{"format_version": "1.2"}' })).toThrow(
      /no planned_values, values or resource_changes/,
    );
    const wrongItem =
      '{\n  "planned_values": {\n    "root_module": {\n      "resources": [\n        42\n      ]\n    }\n  }\n}';
    expect(() => readTerraformPlan({ file: 'p.json', text: wrongItem })).toThrow(
      'planned_values.root_module.resources[0]: expected an object',
    );
    const noType = '{"planned_values": {"root_module": {"resources": [{"address": "a.b", "name": "b"}]}}}';
    expect(() => readTerraformPlan({ file: 'p.json', text: noType })).toThrow(/needs an address, a type and a name/);
    const wrongList = '{"planned_values": {"root_module": {"resources": "all of them"}}}';
    expect(() => readTerraformPlan({ file: 'p.json', text: wrongList })).toThrow(
      'planned_values.root_module.resources: expected a list',
    );
    const deep = `{"planned_values": {"root_module": {"resources": [{"address": "a.b", "type": "a", "name": "b", "values": ${'['.repeat(200)}${']'.repeat(200)}}]}}}`;
    expect(() => readTerraformPlan({ file: 'p.json', text: deep })).toThrow(/nesting is deeper than the limit/);
  });

  it('ignores configuration of the wrong shape without failing, keeping the planned resources', () => {
    const plan = JSON.parse(MODULE_PLAN) as { configuration: unknown };
    plan.configuration = {
      root_module: {
        resources: [{ address: 'aws_instance.web', expressions: { subnet_id: 7, x: [1, 'y'] } }],
        module_calls: 'none',
      },
    };
    const resources = readTerraformPlan({ file: 'plan.json', text: JSON.stringify(plan) });
    expect(resources).toHaveLength(4);
    expect(relations(find(resources, 'aws_instance.web'))).toEqual([]);
  });
});
