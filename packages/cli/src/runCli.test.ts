import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/parapet.js');
const EXAMPLE_FILES = readdirSync(join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.yaml'))
  .map((path) => `examples/${path.split(sep).join('/')}`)
  .sort();
const EXAMPLES = EXAMPLE_FILES.filter((path) => path.endsWith('/threatmodel.yaml'));

/** Runs the built command as a user would, from `cwd`, without colour forced either way. */
function parapet(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'parapet-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const VALID =
  'parapet: 1\nmodel: { id: m, title: M }\nelements:\n  - { id: a, name: A, kind: external }\n  - { id: b, name: B, kind: process }\nflows:\n  - { id: f, from: a, to: b }\n';

describe('parapet', () => {
  it('prints help for the program and for every command', () => {
    const help = parapet(['--help']);
    expect(help.code).toBe(0);
    for (const command of [
      'validate',
      'fmt',
      'schema',
      'analyze',
      'explain',
      'rules',
      'catalog',
      'import',
      'export',
      'discover',
    ]) {
      expect(help.stdout).toContain(command);
      const own = parapet([command, '--help']);
      expect(own.code).toBe(0);
      expect(own.stdout).toContain(`Usage: parapet ${command}`);
    }
    expect(parapet(['--version']).stdout.trim()).toBe(VERSION);
  });

  it('exits 2 on usage errors', () => {
    expect(parapet([]).code).toBe(2);
    const unknown = parapet(['validat', 'x.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'validat'");
    expect(parapet(['validate']).code).toBe(2);
    const badFormat = parapet(['validate', '--format', 'xml', 'x.yaml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be text or json, not "xml"');
  });

  it('validates: exit 0 for a valid model, 1 with every problem listed for an invalid one', () => {
    const dir = tempDir({
      'ok.yaml': VALID,
      'bad.yaml': VALID.replace('to: b', 'to: c').replace('kind: process', 'kind: proces'),
    });
    const ok = parapet(['validate', 'ok.yaml'], dir);
    expect(ok).toEqual({
      code: 0,
      stdout: 'ok.yaml: valid (2 elements, 1 flow, 0 boundaries, 0 assets)\n',
      stderr: '',
    });
    const bad = parapet(['validate', 'ok.yaml', 'bad.yaml'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatchInlineSnapshot(`
      "ok.yaml: valid (2 elements, 1 flow, 0 boundaries, 0 assets)
      ✖ bad.yaml:5:29 elements[1].kind: "proces" is not one of process, datastore, external (did you mean "process"?)
      ✖ bad.yaml:7:27 flows[0].to: unknown element "c" (did you mean "a"?)
      bad.yaml: invalid, 2 errors
      "
    `);
    const missing = parapet(['validate', 'nope.yaml'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('nope.yaml:1:1: no such file: nope.yaml');
  });

  it('validates with --format json', () => {
    const dir = tempDir({ 'bad.yaml': VALID.replace('to: b', 'to: c') });
    const out = parapet(['validate', '--format', 'json', 'bad.yaml'], dir);
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual({
      files: [
        {
          file: 'bad.yaml',
          valid: false,
          errors: 1,
          warnings: 0,
          diagnostics: [
            {
              severity: 'error',
              code: 'PARAPET_UNKNOWN_REFERENCE',
              message: 'unknown element "c" (did you mean "a"?)',
              path: 'flows[0].to',
              location: { file: 'bad.yaml', line: 7, column: 27 },
            },
          ],
        },
      ],
    });
  });

  it('colours only on a terminal and never with NO_COLOR', async () => {
    const dir = tempDir({ 'bad.yaml': VALID.replace('to: b', 'to: c') });
    const run = async (isTTY: boolean, env: Record<string, string>) => {
      let out = '';
      const io: CliIo = { cwd: dir, env, stdoutIsTTY: isTTY, stdout: (t) => (out += t), stderr: (t) => (out += t) };
      const code = await runCli(['validate', 'bad.yaml'], io);
      return { code, out };
    };
    const tty = await run(true, {});
    expect(tty.code).toBe(1);
    expect(tty.out).toContain('\u001b[31m');
    expect((await run(true, { NO_COLOR: '1' })).out).not.toContain('\u001b[');
    expect((await run(false, {})).out).not.toContain('\u001b[');
  });

  it('formats files in place, and --check exits 1 on a file that is not canonical', () => {
    const dir = tempDir({ 'm.yaml': 'model: {title: M, id: m}\nparapet: 1\n' });
    expect(parapet(['fmt', '--check', 'm.yaml'], dir)).toEqual({
      code: 1,
      stdout: 'm.yaml: not in canonical form (run parapet fmt m.yaml)\n',
      stderr: '',
    });
    expect(parapet(['fmt', 'm.yaml'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'm.yaml'), 'utf8')).toBe('parapet: 1\n\nmodel:\n  id: m\n  title: M\n');
    expect(parapet(['fmt', '--check', 'm.yaml'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    const latin1 = tempDir({});
    const bytes = Buffer.from('parapet: 1\nmodel: {id: m, title: Caf\xe9}\n', 'latin1');
    writeFileSync(join(latin1, 'l.yaml'), bytes);
    expect(parapet(['fmt', 'l.yaml'], latin1)).toEqual({
      code: 1,
      stdout: '',
      stderr: '✖ l.yaml:1:1: file is not UTF-8 text\n',
    });
    expect(readFileSync(join(latin1, 'l.yaml'))).toEqual(bytes);
    const broken = tempDir({ 'b.yaml': 'parapet: 1\nmodel: [\n' });
    const out = parapet(['fmt', 'b.yaml'], broken);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^✖ b\.yaml:3:1: /);
  });

  it('refuses hostile files with a clear message and exit 1, never a crash', () => {
    const dir = tempDir({
      'bomb.yaml': `a: &a [x, x, x, x, x, x, x, x, x, x]\n${'bcdefghij'
        .split('')
        .map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`)
        .join('\n')}\n`,
    });
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x89, 0x50]));
    writeFileSync(join(dir, 'deep.json'), `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    writeFileSync(join(dir, 'empty.yaml'), '');
    const out = parapet(
      ['validate', 'bomb.yaml', 'binary.yaml', 'deep.json', 'empty.yaml', '--max-bytes', '1MiB'],
      dir,
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatchInlineSnapshot(`
      "✖ bomb.yaml:1:1: aliases expand past the limit of 100 (a YAML "billion laughs" structure)
      bomb.yaml: invalid, 1 error
      ✖ binary.yaml:1:1: file is not UTF-8 text
      binary.yaml: invalid, 1 error
      ✖ deep.json:1:65: nesting is deeper than the limit of 64 levels
      deep.json: invalid, 1 error
      ✖ empty.yaml:1:1: file is empty: a model starts with "parapet: 1"
      empty.yaml: invalid, 1 error
      "
    `);
  });

  it('never lets model text drive the terminal: control characters are shown escaped', () => {
    const dir = tempDir({
      'm.yaml': `parapet: 1
model: { id: m, title: "Shop\\e[2J\\e]0;pwned\\a" }
boundaries:
  - { id: b, name: "Zone \\u202Eevil" }
elements:
  - { id: a, name: A, kind: external, boundary: b }
  - { id: c, name: C, kind: process }
flows:
  - { id: f, from: a, to: c, authentication: none, encryption: none }
`,
      'bad.yaml': 'parapet: 1\nmodel: { id: m, title: M }\n"evil\\e[31m": 1\n',
    });
    const analyze = parapet(['analyze', '--derived', 'm.yaml'], dir);
    const validate = parapet(['validate', 'bad.yaml'], dir);
    for (const out of [analyze.stdout, validate.stdout]) {
      for (const raw of ['\u001b', '\u0007', '\u202e']) expect(out.includes(raw)).toBe(false);
    }
    expect(analyze.stdout).toContain('Shop\\u001b[2J\\u001b]0;pwned\\u0007');
    expect(analyze.stdout).toContain('Zone \\u202eevil [b]');
    expect(validate.stdout).toContain('unknown key "evil\\u001b[31m"');
  });

  it('prints the JSON Schema that is committed in schema/', () => {
    const out = parapet(['schema']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(readFileSync(join(ROOT, 'schema/threatmodel.schema.json'), 'utf8'));
  });

  it('shows what it derives with --derived: crossings, exposure, asset locations', () => {
    const dir = tempDir({
      'm.yaml': `parapet: 1
model: { id: m, title: Small shop }
boundaries:
  - { id: dmz, name: DMZ, kind: dmz }
elements:
  - { id: user, name: User, kind: external }
  - { id: web, name: Web, kind: process, boundary: dmz, stores: [orders] }
flows:
  - { id: buy, from: user, to: web, protocol: https, authentication: session-cookie, encryption: tls, data: [orders] }
assets:
  - { id: orders, name: Orders, classification: confidential }
`,
    });
    const out = parapet(['analyze', '--derived', 'm.yaml'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout.slice(out.stdout.indexOf('Trust boundaries'))).toMatchInlineSnapshot(`
      "Trust boundaries
        DMZ [dmz] dmz, trust 40

      Exposure (reachable by following flows from the least-trusted zone, trust 0)
        user  entry point, outside every boundary
        web   reachable in 1 hop (via buy), in dmz

      Boundary crossings (1 of 1 flow)
        buy: user → web; enters dmz; trust +40; https, authentication session-cookie, encryption tls

      Assets
        orders (confidential): stored in web; processed by user, web; carried by 1 flow
      "
    `);
    const json = JSON.parse(parapet(['analyze', '--format', 'json', '--derived', 'm.yaml'], dir).stdout) as {
      derived: { crossings: unknown };
    };
    expect(json.derived.crossings).toEqual({
      buy: { exits: [], entries: ['dmz'], fromTrust: 0, toTrust: 40, trustChange: 40 },
    });
  });

  const RULES = `rules:
  - id: team.no-auth
    title: Anyone can call {target.name}
    description: The API checks no credentials at all.
    category: spoofing
    appliesTo: { subject: element, types: [api] }
    when:
      - if: has(target.security.authentication) && target.security.authentication == "none"
        because: "{target.name} states authentication none"
        clearsWhen: set security.authentication on {target.name}
    unless: [mfa]
    likelihood: medium
    impact: high
    references: { cwe: [CWE-306], capec: [CAPEC-115] }
    mitigations: [validate-tokens]
`;
  const API_MODEL = `parapet: 1
model: { id: m, title: Team API }
elements:
  - { id: user, name: User, kind: external }
  - { id: api, name: Orders API, kind: process, type: api, security: { authentication: none } }
  - { id: ops, name: Ops API, kind: process, type: api, security: { authentication: none }, controls: [mfa] }
flows:
  - { id: call, from: user, to: api }
  - { id: admin, from: user, to: ops }
`;

  it('lists threats grouped by what they threaten, as text and as JSON, with rules from --rules', () => {
    const dir = tempDir({ 'm.yaml': API_MODEL, 'team.yaml': RULES });
    const out = parapet(['analyze', '--no-builtin-rules', '--rules', 'team.yaml', '--show-suppressed', 'm.yaml'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`Team API
3 elements, 2 flows, 0 trust boundaries, 0 assets, 1 rule
1 threat, 1 open (1 medium); 1 ruled out by controls or assumptions

Orders API [api]
  MEDIUM    open           Anyone can call Orders API (spoofing) team.no-auth@api

Ruled out
  team.no-auth@ops: control "mfa" is in place on Ops API

parapet explain <threat-id> <model> shows why a threat was found and what clears it.
`);
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'team.yaml'), RULES);
    writeFileSync(join(dir, 'rules', 'notes.txt'), 'not a rule file');
    const json = JSON.parse(
      parapet(['analyze', '-f', 'json', '--no-builtin-rules', '--rules', 'rules', 'm.yaml'], dir).stdout,
    ) as { threats: Record<string, unknown>[]; diagnostics: unknown[] };
    expect(json.diagnostics).toEqual([]);
    expect(json.threats).toHaveLength(1);
    expect(json.threats[0]).toMatchObject({
      id: 'team.no-auth@api',
      ruleId: 'team.no-auth',
      title: 'Anyone can call Orders API',
      category: 'spoofing',
      target: { section: 'elements', id: 'api', name: 'Orders API' },
      status: 'open',
      severity: 'medium',
      why: [{ text: 'Orders API states authentication none' }],
      clearsWhen: ['put the control "mfa" in place on Orders API', 'set security.authentication on Orders API'],
      references: { cwe: ['CWE-306'], capec: ['CAPEC-115'] },
      mitigations: [{ id: 'validate-tokens', source: 'catalog' }],
    });
  });

  it('gates with --fail-on: exit 3 when an open threat is at or above the level, 0 when none is', () => {
    const dir = tempDir({ 'm.yaml': API_MODEL, 'team.yaml': RULES });
    const base = ['analyze', '--no-builtin-rules', '--rules', 'team.yaml', 'm.yaml'];
    const failing = parapet([...base, '--fail-on', 'medium'], dir);
    expect(failing.code).toBe(3);
    expect(failing.stdout).toContain('✖ 1 open threat at or above medium (--fail-on medium)');
    const passing = parapet([...base, '--fail-on', 'high'], dir);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain('✔ no open threat at or above high');
    writeFileSync(
      join(dir, 'm.yaml'),
      `${API_MODEL}decisions:\n  - { threat: team.no-auth@api, status: accepted, expires: 2030-01-01 }\n`,
    );
    expect(parapet([...base, '--fail-on', 'medium'], dir).code).toBe(0);
    const expired = parapet([...base, '--fail-on', 'medium', '--today', '2030-01-02'], dir);
    expect(expired.code).toBe(3);
    expect(expired.stdout).toContain('acceptance of team.no-auth@api expired on 2030-01-01');
    expect(parapet([...base, '--fail-on', 'severe'], dir).code).toBe(2);
  });

  it('explains a threat: why, what clears it, references and mitigations; an unknown id exits 1', () => {
    const dir = tempDir({ 'm.yaml': API_MODEL, 'team.yaml': RULES });
    const out = parapet(['explain', 'team.no-auth@api', 'm.yaml', '--no-builtin-rules', '--rules', 'team.yaml'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Anyone can call Orders API\nteam.no-auth@api · spoofing · severity medium');
    expect(out.stdout).toContain('Why\n  - Orders API states authentication none\n');
    expect(out.stdout).toContain('(target.security.authentication = "none")');
    expect(out.stdout).toContain('Clears when (any one of)\n  - put the control "mfa" in place on Orders API\n');
    expect(out.stdout).toContain('  - CWE-306 Missing Authentication for Critical Function\n');
    expect(out.stdout).toMatch(/Recommended mitigations\n {2}- .+ \[validate-tokens\] \(ASVS V9/);
    const ruledOut = parapet(
      ['explain', 'team.no-auth@ops', 'm.yaml', '--no-builtin-rules', '--rules', 'team.yaml'],
      dir,
    );
    expect(ruledOut.stdout).toContain('team.no-auth@ops is ruled out: control "mfa" is in place on Ops API.');
    const unknown = parapet(
      ['explain', 'team.no-auth@apo', 'm.yaml', '--no-builtin-rules', '--rules', 'team.yaml'],
      dir,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no threat "team.no-auth@apo" in m.yaml (did you mean "team.no-auth@api"?)');
  });

  it('reports a broken rule file at its line and column and exits 1', () => {
    const dir = tempDir({
      'm.yaml': API_MODEL,
      'bad.yaml': RULES.replace('target.security.authentication == "none"', 'target.security.authentcation == "none"'),
    });
    const out = parapet(['analyze', '--rules', 'bad.yaml', 'm.yaml'], dir);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(
      'bad.yaml:8:13 rules[0].when[0].if: rule team.no-auth (bad.yaml): No such key: authentcation',
    );
    const missing = parapet(['analyze', '--rules', 'nowhere', 'm.yaml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--rules: no such file or folder: nowhere');
  });

  it('stops quietly when the reader closes the pipe early (parapet analyze | head)', async () => {
    const child = spawn(process.execPath, [BIN, 'rules'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('lists the rules, built-in and from files', () => {
    const dir = tempDir({ 'team.yaml': RULES });
    const out = parapet(['rules', '--rules', 'team.yaml', 'team.'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /^team\.no-auth +spoofing +element +Anyone can call \{target\.name\}\n1 of \d+ rules\n$/,
    );
  });

  it.each(EXAMPLES)('%s validates with no problem and is in canonical form', (example) => {
    const validate = parapet(['validate', example]);
    expect(validate.stdout).toMatch(/: valid \(\d+ elements/);
    expect(validate.stdout).not.toMatch(/warning|✖|⚠/);
    expect(validate.code).toBe(0);
  });

  it('keeps every example file, included ones too, in canonical form', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(3);
    expect(parapet(['fmt', '--check', ...EXAMPLE_FILES])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('shows a catalog entry whole when the query is its id', () => {
    const capec = parapet(['catalog', 'capec-66']);
    expect(capec.code).toBe(0);
    expect(capec.stderr).toBe('');
    expect(capec.stdout).toMatchInlineSnapshot(`
      "CAPEC-66  SQL Injection
      CAPEC attack pattern, likelihood High, severity High

      This attack exploits target software that constructs SQL statements based on user input. An attacker crafts input strings so that when the target software constructs SQL statements based on the input, the resulting SQL statement performs actions other than those the application intended.

      Weaknesses
        CWE-89    Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')
        CWE-1286  Improper Validation of Syntactic Correctness of Input

      Mitigations
        - Strong input validation - All user-controllable input must be validated and filtered for illegal characters as well as SQL content.
        - Use of parameterized queries or stored procedures - Parameterization causes the input to be restricted to certain domains, such as strings or integers, and any input outside such domains is…
        - Use of custom error pages - Attackers can glean information about the nature of queries from descriptive error messages.
      "
    `);
    const asvs = parapet(['catalog', '6.2.1']);
    expect(asvs).toEqual({
      code: 0,
      stdout: `V6.2.1  Password Security
OWASP ASVS 5.0.0 requirement, level 1, Authentication

Verify that user set passwords are at least 8 characters in length although a minimum of 15 characters is strongly recommended.

Weaknesses
  CWE-521  Weak Password Requirements
`,
      stderr: '',
    });
    expect(parapet(['catalog', '79', '--kind', 'cwe']).stdout).toBe(
      "CWE-79  Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')\nCommon Weakness Enumeration (CWE 4.15)\n",
    );
    expect(parapet(['catalog', 'T1078']).stdout).toContain(
      'Sub-techniques\n  T1078.001  Valid Accounts: Default Accounts\n',
    );
  });

  it('searches the catalogs by words: one line and a summary per match, exit 1 when nothing matches', () => {
    const sql = parapet(['catalog', 'sql', 'injection', '--limit', '3']);
    expect(sql.code).toBe(0);
    expect(sql.stdout).toMatchInlineSnapshot(`
      "CAPEC-66   SQL Injection
        This attack exploits target software that constructs SQL statements based on user input. An attacker crafts input strings so that when the target software constructs SQL statements based on the input, the resulting SQL statement performs actions other than those the application intended.
      CAPEC-676  NoSQL Injection
        An adversary targets software that constructs NoSQL statements based on user input or with parameters vulnerable to operator replacement in order to achieve a variety of technical impacts such as escalating privileges, bypassing authentication, and/or executing code.
      CAPEC-7    Blind SQL Injection
        Blind SQL Injection results from an insufficient mitigation for SQL Injection. Although suppressing database error messages are considered best practice, the suppression alone is not sufficient to prevent SQL Injection.
      (first 3 shown; --limit raises it)
      "
    `);
    const json = parapet(['catalog', 'exploit public-facing', '--kind', 'attack', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      query: 'exploit public-facing',
      results: [
        {
          kind: 'attack',
          id: 'T1190',
          name: 'Exploit Public-Facing Application',
          summary:
            'Adversaries may attempt to exploit a weakness in an Internet-facing host or system to initially access a network. The weakness in the system can be a software bug, a temporary glitch, or a misconfiguration.',
        },
      ],
    });
    expect(JSON.parse(parapet(['catalog', 'T1190', '--format', 'json']).stdout)).toMatchObject({
      entry: { kind: 'attack', type: 'technique', id: 'T1190', tactics: ['initial-access'] },
    });
    expect(parapet(['catalog', 'qwertyuiop'])).toEqual({
      code: 1,
      stdout: 'nothing in the catalogs matches "qwertyuiop"\n',
      stderr: '',
    });
  });

  it('exits 2 on a bad catalog command line', () => {
    expect(parapet(['catalog', '--help']).stdout).toContain('Usage: parapet catalog [options] <query...>');
    expect(parapet(['catalog']).code).toBe(2);
    expect(parapet(['catalog', 'x', '--kind', 'owasp'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'parapet: --kind must be capec, attack, asvs or cwe, not "owasp"\n',
    });
    expect(parapet(['catalog', 'x', '--limit', '0']).stderr).toBe(
      'parapet: --limit must be a whole number of at least 1, not "0"\n',
    );
    expect(parapet(['catalog', ' ']).code).toBe(2);
  });

  it('keeps its version equal to the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
