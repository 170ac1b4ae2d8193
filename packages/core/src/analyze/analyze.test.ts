import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/Diagnostic.js';
import { loadModel } from '../load/loadModel.js';
import { parseRuleFile } from '../rules/parseRuleFile.js';
import { analyze, type AnalyzeOptions } from './analyze.js';

// A small model with its own rules, analyzed without the built-in library so the tests pin the engine.
const MODEL = `parapet: 1
model:
  id: shop
  title: Shop
boundaries:
  - id: internet
    name: Internet
    kind: internet
  - id: dc
    name: Data centre
    trustLevel: 80
elements:
  - id: browser
    name: Browser
    kind: external
    boundary: internet
  - id: api
    name: Orders API
    kind: process
    type: api
    boundary: dc
    security:
      authentication: none
  - id: admin
    name: Admin API
    kind: process
    type: api
    boundary: dc
    security:
      authentication: none
    controls: [x-vpn-only]
  - id: db
    name: Orders DB
    kind: datastore
    type: database
    boundary: dc
    stores: [orders]
  - id: legacy
    name: Legacy API
    kind: process
    type: api
    boundary: dc
    security:
      authentication: none
    outOfScope:
      reason: replaced next quarter
flows:
  - id: order
    from: browser
    to: api
    protocol: https
  - id: manage
    from: browser
    to: admin
    protocol: https
  - id: save
    from: api
    to: db
    protocol: sql
    encryption: none
    data: [orders]
  - id: old
    from: browser
    to: legacy
    protocol: http
assets:
  - id: orders
    name: Orders
    personal: true
rules:
  - id: t.no-auth
    title: Anyone can call {target.name}
    description: "{target.name} checks no credentials."
    category: spoofing
    appliesTo:
      subject: element
      types: [api]
    when:
      - if: has(target.security.authentication) && target.security.authentication == "none"
        because: "{target.name} states authentication {target.security.authentication}"
        clearsWhen: "set security.authentication on {target.name}"
      - if: target.reach.reachable
        because: "{target.name} is reachable from the least-trusted zone in {target.reach.hops} hop(s)"
    unless: [x-vpn-only]
    lowers: [waf]
    likelihood: high
    impact: high
    references:
      cwe: [CWE-306]
      capec: [CAPEC-115]
    mitigations: [validate-tokens]
  - id: t.clear-sql
    title: Orders readable on {target.name}
    category: information-disclosure
    appliesTo:
      subject: flow
    when:
      - if: has(target.encryption) && target.encryption == "none" && target.data.personal
        because: "{target.name} carries personal data in clear to {destination.name}"
        clearsWhen: set encryption on {target.name}
    likelihood: medium
    impact: high
`;

function run(text: string, options: AnalyzeOptions = {}) {
  const loaded = loadModel('m.yaml', { readFile: () => text, resolvePath: (_, r) => r });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  if (!loaded.model) throw new Error('no model');
  return analyze(loaded.model, {
    builtins: false,
    today: '2026-11-23',
    ...(loaded.locate ? { locate: loaded.locate } : {}),
    ...options,
  });
}

const messages = (analysis: ReturnType<typeof run>): string[] => analysis.diagnostics.map(formatDiagnostic);

describe('analyze', () => {
  it('yields one threat per rule and target, with a stable id, the facts that held and what clears it', () => {
    const analysis = run(MODEL);
    expect(analysis.threats.map((t) => t.id)).toEqual(['t.no-auth@api', 't.clear-sql@save']);
    const [auth] = analysis.threats;
    expect(auth).toMatchObject({
      ruleId: 't.no-auth',
      title: 'Anyone can call Orders API',
      description: 'Orders API checks no credentials.',
      category: 'spoofing',
      target: { section: 'elements', id: 'api', name: 'Orders API' },
      status: 'open',
      likelihood: 'high',
      impact: 'high',
      severity: 'high',
      references: { cwe: ['CWE-306'], capec: ['CAPEC-115'] },
      mitigations: [{ id: 'validate-tokens', source: 'catalog' }],
    });
    expect(auth?.why).toEqual([
      {
        text: 'Orders API states authentication none',
        expression: 'has(target.security.authentication) && target.security.authentication == "none"',
        facts: { 'target.security.authentication': 'none' },
      },
      {
        text: 'Orders API is reachable from the least-trusted zone in 1 hop(s)',
        expression: 'target.reach.reachable',
        facts: { 'target.reach.reachable': true },
      },
    ]);
    expect(auth?.clearsWhen).toEqual([
      'put the control "x-vpn-only" in place on Orders API',
      'set security.authentication on Orders API',
    ]);
    expect(analysis.threats[1]?.why[0]?.text).toBe('save carries personal data in clear to Orders DB');
  });

  it('gives byte-identical JSON for the same input', () => {
    expect(JSON.stringify(run(MODEL))).toBe(JSON.stringify(run(MODEL)));
  });

  it('lets a control in place rule a threat out, and says so instead of dropping it', () => {
    const analysis = run(MODEL);
    expect(analysis.suppressed).toEqual([
      {
        id: 't.no-auth@admin',
        ruleId: 't.no-auth',
        target: { section: 'elements', id: 'admin', name: 'Admin API' },
        reason: 'control "x-vpn-only" is in place on Admin API',
      },
    ]);
  });

  it('yields nothing for out-of-scope elements', () => {
    expect(run(MODEL).threats.some((t) => t.target.id === 'legacy')).toBe(false);
  });

  it('lowers the likelihood for each lowering control in place, and records each step of the rating', () => {
    const analysis = run(
      MODEL.replace('    controls: [x-vpn-only]\n', '').replace(
        '      authentication: none\n  - id: admin',
        '      authentication: none\n    controls: [waf]\n  - id: admin',
      ),
    );
    const threat = analysis.threats.find((t) => t.id === 't.no-auth@api');
    expect(threat?.likelihood).toBe('medium');
    expect(threat?.rating).toContain('likelihood one level lower: control "waf" is in place');
  });

  it('excludes threats by assumption: by threat id, or by rule id on the items it is about; an invalid one excludes nothing', () => {
    const withAssumptions = (status: string) =>
      `${MODEL}assumptions:
  - id: a1
    text: The DB link runs inside one host.
    excludes: [t.clear-sql@save]
    status: ${status}
  - id: a2
    text: Only the API gateway reaches APIs.
    about: [api]
    excludes: [t.no-auth]
`;
    const analysis = run(withAssumptions('verified'));
    expect(analysis.threats.map((t) => t.id)).toEqual([]);
    expect(analysis.suppressed.map((s) => s.reason)).toEqual([
      'assumption a2: Only the API gateway reaches APIs.',
      'control "x-vpn-only" is in place on Admin API',
      'assumption a1: The DB link runs inside one host.',
    ]);
    expect(run(withAssumptions('invalid')).threats.map((t) => t.id)).toEqual(['t.clear-sql@save']);
  });

  it('applies decisions, reopens an expired acceptance with a warning, and reports stale decisions where they are written', () => {
    const analysis = run(`${MODEL}decisions:
  - threat: t.no-auth@api
    status: accepted
    justification: internal beta
    owner: Dana
    expires: 2026-01-31
  - threat: t.clear-sql@save
    status: false-positive
    justification: TLS is terminated by the sidecar
  - threat: t.no-auth@apii
    status: mitigated
`);
    const [auth, sql] = analysis.threats;
    expect(auth).toMatchObject({ status: 'open', statusReason: 'accepted until 2026-01-31, now expired' });
    expect(auth?.decision).toMatchObject({ status: 'accepted', owner: 'Dana', expired: true });
    expect(sql).toMatchObject({ status: 'false-positive' });
    expect(messages(analysis)).toEqual([
      'm.yaml:108:14 decisions[0].expires: warning: acceptance of t.no-auth@api expired on 2026-01-31; it counts as open until it is decided again',
      'm.yaml:112:13 decisions[2].threat: warning: decision on "t.no-auth@apii": the analysis has no such threat any more (did you mean "t.no-auth@api"?); remove the decision or fix the id',
    ]);
    expect(
      run(`${MODEL}decisions:
  - threat: t.no-auth@api
    status: accepted
    expires: 2027-01-31
`).threats[0]?.status,
    ).toBe('accepted');
  });

  it('marks a threat mitigated when an implemented mitigation reduces it, and lists planned ones', () => {
    const analysis = run(`${MODEL}mitigations:
  - id: m-tls
    title: TLS to the database
    status: verified
    reduces: [t.clear-sql]
  - id: m-gw
    title: Gateway with OIDC
    status: planned
    reduces: [t.no-auth@api]
  - id: m-typo
    title: Typo
    reduces: [t.no-such]
`);
    expect(analysis.threats.map((t) => [t.id, t.status])).toEqual([
      ['t.no-auth@api', 'open'],
      ['t.clear-sql@save', 'mitigated'],
    ]);
    expect(analysis.threats[0]?.mitigations.map((m) => [m.id, m.status ?? null])).toEqual([
      ['validate-tokens', null],
      ['m-gw', 'planned'],
    ]);
    expect(messages(analysis)).toEqual([
      'm.yaml:114:15 mitigations[2].reduces[0]: warning: mitigation m-typo reduces "t.no-such", which is neither a threat nor a rule (did you mean "t.no-auth"?)',
    ]);
  });

  it('includes threats written by hand, with their statement as the reason', () => {
    const analysis = run(`${MODEL}threats:
  - id: t-refund
    title: Refund replay
    category: tampering
    target: api
    statement:
      source: A customer with a valid session
      action: replays a refund request
      impact: the refund is paid twice
    likelihood: low
    impact: high
`);
    const manual = analysis.threats.find((t) => t.id === 't-refund');
    expect(manual).toMatchObject({ ruleId: null, severity: 'low', target: { id: 'api', name: 'Orders API' } });
    expect(manual?.why[0]?.text).toBe(
      'A customer with a valid session replays a refund request; impact: the refund is paid twice',
    );
  });

  it('lets the model override a rule field by field and disable one by id', () => {
    const analysis = run(`${MODEL.replace('rules:\n', 'rules:\n  - id: t.clear-sql\n    disabled: true\n')}`);
    expect(analysis.threats.map((t) => t.id)).toEqual(['t.no-auth@api']);
    const [file] = [parseRuleFile('base.yaml', MODEL.slice(MODEL.indexOf('rules:')))];
    const overridden = run(
      MODEL.slice(0, MODEL.indexOf('rules:')) + 'rules:\n  - id: t.no-auth\n    likelihood: low\n',
      {
        rules: file?.entries ?? [],
      },
    );
    expect(overridden.threats.find((t) => t.id === 't.no-auth@api')).toMatchObject({
      likelihood: 'low',
      title: 'Anyone can call Orders API',
    });
  });

  it('rejects rules with a misspelled fact, a bad template, an unknown reference or a missing field, pointing at the line', () => {
    const bad = `${MODEL.slice(0, MODEL.indexOf('rules:'))}rules:
  - id: x.typo
    title: Oops {target.nmae}
    category: spoofing
    appliesTo: { subject: element }
    when:
      - if: target.secruity.authentication == "none"
        because: typo
        clearsWhen: fix it
    references: { cwe: [CWE-99999] }
  - id: x.incomplete
    title: Half a rule
  - id: x.not-bool
    title: Not a condition
    category: tampering
    appliesTo: { subject: flow }
    when:
      - if: target.name
        because: it has a name
    unless: [waf]
  - id: x.off
    disabled: true
`;
    expect(messages(run(bad))).toEqual([
      'm.yaml:72:12 rules[0].title: rule x.typo (the model): template names "target.nmae": Element has no field "nmae"',
      'm.yaml:76:13 rules[0].when[0].if: rule x.typo (the model): No such key: secruity',
      'm.yaml:79:25 rules[0].references.cwe[0]: rule x.typo (the model): CWE-99999 is not in the CWE catalog',
      'm.yaml:80:5 rules[1]: rule x.incomplete (the model): a new rule needs category, appliesTo, when (no built-in rule has this id to override)',
      'm.yaml:87:13 rules[2].when[0].if: rule x.not-bool (the model): the condition must be true or false, but it gives string',
      'm.yaml:90:9 rules[3].id: warning: rule x.off (the model) disables a rule that does not exist',
    ]);
  });

  it('runs the LINDDUN pack of built-in rules only when the model asks for it', () => {
    const privacyThreats = (packs: string) =>
      run(MODEL.replace('  title: Shop\n', `  title: Shop\n  settings:\n    rulePacks: [${packs}]\n`), {
        builtins: true,
      })
        .threats.map((t) => t.ruleId ?? '')
        .filter((id) => id.startsWith('privacy.'));
    expect(privacyThreats('stride')).toEqual([]);
    expect(privacyThreats('stride, linddun').length).toBeGreaterThan(0);
  });

  it('reports session notes and attack-tree steps that name generated threats which do not exist', () => {
    const analysis = run(`${MODEL}sessions:
  - id: s1
    date: 2026-11-20
    notes:
      - text: Orders API has no authentication
        about: [t.no-auth@api, t.no-auth@orders]
attackTrees:
  - id: tree
    goal: Place orders as someone else
    root:
      id: root
      title: Call the API without credentials
      type: or
      children:
        - id: direct
          title: Call it directly
          threat: t.no-auth@api
        - id: admin
          title: Call the admin API
          threat: t.no-auth@admn
`);
    expect(messages(analysis).map((m) => m.replace(/^m\.yaml:\d+:\d+ /, ''))).toEqual([
      'sessions[0].notes[0].about[1]: warning: session note names "t.no-auth@orders", which the analysis does not find (did you mean "t.no-auth@admin"?)',
      'attackTrees[0].root.children[1].threat: warning: attack tree step admin names "t.no-auth@admn", which the analysis does not find (did you mean "t.no-auth@admin"?)',
    ]);
  });

  it('evaluates matches() with RE2 in linear time, so a hostile pattern in a model cannot hang the analysis', () => {
    const hostile = `${MODEL.replace('name: Orders API', `name: ${'a'.repeat(499)}!`)}  - id: x.redos
    title: Backtracking
    category: tampering
    appliesTo: { subject: element }
    when:
      - if: target.name.matches("(a+)+$")
        because: the name ends in a's
        clearsWhen: rename it
`;
    // With JavaScript's backtracking engine this pattern takes minutes on this name; RE2 takes milliseconds.
    const analysis = run(hostile);
    expect(messages(analysis)).toEqual([]);
    expect(analysis.threats.some((t) => t.ruleId === 'x.redos')).toBe(false);
  });

  it('refuses clauses whose cost is not linear: nested list macros, matches() it cannot run itself', () => {
    const bad = `${MODEL.slice(0, MODEL.indexOf('rules:'))}rules:
  - id: x.nested
    title: Nested
    category: tampering
    appliesTo: { subject: element }
    when:
      - if: target.data.assets.exists(a, target.data.assets.exists(b, a != b))
        because: two assets
        clearsWhen: fewer assets
  - id: x.matches
    title: Matches
    category: tampering
    appliesTo: { subject: element }
    when:
      - if: target.name.matches("a") && target.name.size() > 0
        because: a name
        clearsWhen: rename
`;
    expect(messages(run(bad)).map((m) => m.replace(/^m\.yaml:\d+:\d+ /, ''))).toEqual([
      'rules[0].when[0].if: rule x.nested (the model): list macros (exists, all, map, filter) cannot be nested',
      'rules[1].when[0].if: rule x.matches (the model): matches() is allowed only with a valid RE2 pattern, in a clause Parapet evaluates itself (field paths, comparisons, has(), in, size(), exists(), string functions)',
    ]);
  });
});
