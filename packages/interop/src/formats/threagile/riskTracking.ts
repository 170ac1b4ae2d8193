import { getBuiltinRuleEntries, type ThreatModelInput } from '@parapet/core';

// Threagile's risk ids name a rule and the model items a risk is about: `<rule>@<part>@<part>...`, each rule with
// its own parts (see Threagile's risks/built-in/*/*-rule.go, `risk.SyntheticId = ...`). Parapet's generated
// threats are `<rule-id>@<target-id>`. This module translates the one into the other through the rule
// correspondence of docs/rule-coverage.md.

type ElementInput = NonNullable<ThreatModelInput['elements']>[number];
type FlowInput = NonNullable<ThreatModelInput['flows']>[number];
type BoundaryInput = NonNullable<ThreatModelInput['boundaries']>[number];

/**
 * What one part of a Threagile risk id names: a technical asset (`element`, or the `source` / `target` of the
 * link the id also names), a communication link, or a trust boundary or shared runtime (`scope`).
 */
type Role = 'element' | 'source' | 'target' | 'link' | 'scope';

/** A Parapet rule a Threagile rule corresponds to, with the condition on the target under which it is the one. */
interface ParapetRule {
  readonly id: string;
  readonly when?: (target: ImportedItem) => boolean;
}

/** One shape of a Threagile rule's risk ids: the roles of its parts and which part is Parapet's target. */
interface RiskIdForm {
  readonly roles: readonly Role[];
  readonly target: number;
  readonly rules: readonly ParapetRule[];
}

/** How a Threagile rule's risks translate: its id shapes, or why they cannot. */
interface RiskRuleTranslation {
  readonly forms: readonly RiskIdForm[];
  readonly reason?: string;
}

const flowAuthenticationStated = (item: ImportedItem): boolean => item.flow?.authentication !== undefined;
const flowEncryptionStated = (item: ImportedItem): boolean => item.flow?.encryption !== undefined;

/** A translation of a rule whose risk ids name one technical asset, Parapet's target. */
const onElement = (...rules: string[]): RiskRuleTranslation => ({
  forms: [{ roles: ['element'], target: 0, rules: rules.map((id) => ({ id })) }],
});
/** A rule with no Parapet counterpart for its risk ids, and why. */
const untranslatable = (reason: string): RiskRuleTranslation => ({ forms: [], reason });

/**
 * Threagile's 42 built-in risk rules: the parts of their risk ids and the Parapet rules covering the same
 * ground (docs/rule-coverage.md). Where several Parapet rules split a Threagile rule, the first whose
 * condition holds on the imported target is the translation of a single risk id.
 */
export const RISK_RULES: Readonly<Record<string, RiskRuleTranslation>> = {
  'accidental-secret-leak': onElement('secrets.repo-leak'),
  'code-backdooring': onElement('cicd.code-backdooring'),
  'container-baseimage-backdooring': onElement('container.base-image-backdoor'),
  'container-platform-escape': onElement('container.escape'),
  'cross-site-request-forgery': { forms: [{ roles: ['target', 'link'], target: 0, rules: [{ id: 'web.csrf' }] }] },
  'cross-site-scripting': onElement('web.xss'),
  'dos-risky-access-across-trust-boundary': {
    forms: [{ roles: ['target', 'source', 'link'], target: 2, rules: [{ id: 'flow.dos-across-boundary' }] }],
  },
  'incomplete-model': {
    forms: [
      { roles: ['element'], target: 0, rules: [{ id: 'model.untyped-element' }] },
      { roles: ['link', 'source'], target: 0, rules: [{ id: 'model.unstated-protocol' }] },
    ],
  },
  'ldap-injection': {
    forms: [{ roles: ['source', 'target', 'link'], target: 0, rules: [{ id: 'web.ldap-injection' }] }],
  },
  'missing-authentication': {
    forms: [
      {
        roles: ['link', 'source', 'target'],
        target: 0,
        rules: [
          { id: 'flow.unauthenticated-caller', when: flowAuthenticationStated },
          { id: 'flow.caller-auth-unstated', when: (item) => !flowAuthenticationStated(item) },
        ],
      },
    ],
  },
  'missing-authentication-second-factor': {
    forms: [{ roles: ['link', 'source', 'target'], target: 2, rules: [{ id: 'idp.no-mfa' }] }],
  },
  'missing-build-infrastructure': untranslatable(
    'a finding about the model as a whole (no build infrastructure anywhere); Parapet has no rule for it',
  ),
  'missing-cloud-hardening': {
    forms: [{ roles: ['scope'], target: 0, rules: [{ id: 'cloud.account-not-hardened' }] }],
  },
  'missing-file-validation': onElement('web.file-upload'),
  'missing-hardening': onElement('net.unhardened-host'),
  'missing-identity-propagation': {
    forms: [{ roles: ['link', 'source', 'target'], target: 0, rules: [{ id: 'flow.identity-not-propagated' }] }],
  },
  'missing-identity-provider-isolation': untranslatable(
    "Threagile names the identity provider; Parapet's idp.not-isolated is a threat on each flow reaching it",
  ),
  'missing-identity-store': untranslatable(
    'a finding about the model as a whole (the technical asset in the id is only an example)',
  ),
  'missing-network-segmentation': untranslatable(
    "Threagile names the sensitive asset; Parapet's net.no-segmentation is a threat on each flow reaching it",
  ),
  'missing-vault': untranslatable(
    'a finding about the model as a whole (the technical asset in the id is only an example)',
  ),
  'missing-vault-isolation': untranslatable(
    "Threagile names the vault; Parapet's secrets.vault-not-isolated is a threat on each flow reaching it",
  ),
  'missing-waf': untranslatable(
    "Threagile names the web application; Parapet's web.missing-waf is a threat on each entry flow to it",
  ),
  'mixed-targets-on-shared-runtime': untranslatable(
    "Threagile names the shared runtime; Parapet's container.shared-runtime is a threat on each flow within it",
  ),
  'path-traversal': {
    forms: [{ roles: ['source', 'target', 'link'], target: 0, rules: [{ id: 'web.path-traversal' }] }],
  },
  'push-instead-of-pull-deployment': untranslatable(
    "Threagile names the build pipeline; Parapet's cicd.push-deployment is a threat on each deployment flow",
  ),
  'search-query-injection': {
    forms: [{ roles: ['source', 'target', 'link'], target: 0, rules: [{ id: 'web.search-injection' }] }],
  },
  'server-side-request-forgery': {
    forms: [{ roles: ['source', 'target', 'link'], target: 0, rules: [{ id: 'web.ssrf' }] }],
  },
  'service-registry-poisoning': onElement('net.service-registry-poisoning'),
  'sql-nosql-injection': {
    forms: [{ roles: ['source', 'target', 'link'], target: 0, rules: [{ id: 'web.sql-injection' }] }],
  },
  'unchecked-deployment': onElement('cicd.unchecked-deployment'),
  'unencrypted-asset': onElement('data.unencrypted-at-rest', 'data.credentials-unencrypted'),
  'unencrypted-communication': {
    forms: [
      {
        roles: ['link', 'source', 'target'],
        target: 0,
        rules: [
          { id: 'flow.cleartext', when: flowEncryptionStated },
          { id: 'flow.encryption-unstated', when: (item) => !flowEncryptionStated(item) },
          { id: 'flow.credentials-in-clear' },
        ],
      },
    ],
  },
  'unguarded-access-from-internet': {
    forms: [{ roles: ['target', 'source', 'link'], target: 0, rules: [{ id: 'net.unguarded-from-internet' }] }],
  },
  'unguarded-direct-datastore-access': {
    forms: [{ roles: ['link', 'source', 'target'], target: 0, rules: [{ id: 'data.unguarded-access' }] }],
  },
  'unnecessary-communication-link': {
    forms: [{ roles: ['link', 'source'], target: 0, rules: [{ id: 'model.empty-flow-to-sensitive' }] }],
  },
  'unnecessary-data-asset': untranslatable(
    'Parapet reports an unused asset as the validation warning PARAPET_ASSET_UNUSED, not as a threat',
  ),
  'unnecessary-data-transfer': untranslatable(
    'Parapet has no such rule: both ends of a flow process what it carries (see docs/rule-coverage.md)',
  ),
  'unnecessary-technical-asset': onElement('model.idle-element'),
  'untrusted-deserialization': onElement('web.deserialization'),
  'wrong-communication-link-content': {
    forms: [{ roles: ['source', 'link'], target: 1, rules: [{ id: 'flow.wrong-protocol' }] }],
  },
  'wrong-trust-boundary-content': onElement('net.wrong-boundary-content'),
  'xml-external-entity': onElement('web.xxe'),
};

/** An imported item a risk id part resolves to. */
export interface ImportedItem {
  readonly id: string;
  readonly element?: ElementInput;
  readonly flow?: FlowInput;
  readonly boundary?: BoundaryInput;
}

/** A communication link as imported: its Threagile id and ends, and the flow made of it. */
export interface ImportedLink {
  readonly threagileId: string;
  readonly source: string;
  readonly target: string;
  readonly flow: FlowInput;
}

/** A risk of an individual risk category, as imported: its Threagile risk id and the manual threat. */
export interface ImportedRisk {
  readonly category: string;
  readonly riskId: string;
  readonly threatId: string;
}

/** What the translation needs of the imported model, by Threagile ids. */
export interface RiskIdContext {
  readonly elements: ReadonlyMap<string, ElementInput>;
  readonly links: readonly ImportedLink[];
  readonly linkById: ReadonlyMap<string, ImportedLink>;
  /** Trust boundaries and the shared runtimes that became boundaries. */
  readonly boundaries: ReadonlyMap<string, BoundaryInput>;
  readonly individualCategories: ReadonlySet<string>;
  readonly individualRisks: readonly ImportedRisk[];
  /** Ids of the threats Parapet finds in the imported model; undefined when it could not be analyzed. */
  readonly knownThreats: () => ReadonlySet<string> | undefined;
}

/**
 * The Parapet threat ids a Threagile risk id stands for, or why there are none. `pending` when Parapet does
 * not find the threat in the imported model yet (its rule can apply there once the model states more).
 */
export type RiskIdTranslation =
  | { readonly ok: true; readonly threats: readonly string[]; readonly pending?: true }
  | { readonly ok: false; readonly reason: string };

/**
 * Translates a Threagile risk id (maybe with `*` wildcards between the `@`) into Parapet threat ids. A precise
 * id becomes the threats Parapet finds for the corresponding rules on its target, or, when it finds none yet,
 * the first corresponding rule that can apply to the target. A wildcard id becomes the matching threats
 * Parapet finds, as Threagile applies it to the matching risks it finds. Never a threat id that no rule can
 * produce.
 */
export function translateRiskId(riskId: string, context: RiskIdContext): RiskIdTranslation {
  const [rule = '', ...parts] = riskId.split('@');
  if (rule.includes('*')) return fail(`the rule part of the id, "${rule}", is a wildcard`);
  if (parts.length === 0) return fail('the id names no model item after the rule');
  const patterns = parts.map(toPattern);
  if (context.individualCategories.has(rule)) return translateIndividual(rule, patterns, context);
  const translation = RISK_RULES[rule];
  if (!translation) return fail(`Threagile rule "${rule}" has no counterpart among Parapet's rules`);
  if (translation.reason !== undefined) return fail(translation.reason);
  const form = translation.forms.find((f) => f.roles.length === parts.length);
  if (!form)
    return fail(`a "${rule}" risk id has ${describeLengths(translation.forms)} after the rule, not ${parts.length}`);
  return parts.some((part) => part.includes('*'))
    ? translateWildcard(form, patterns, context)
    : translatePrecise(form, parts, context);
}

function fail(reason: string): RiskIdTranslation {
  return { ok: false, reason };
}

function describeLengths(forms: readonly RiskIdForm[]): string {
  return forms.map((form) => `${form.roles.length} part${form.roles.length === 1 ? '' : 's'}`).join(' or ');
}

/** Risk tracking of an individual risk category: the manual threats whose Threagile risk ids match. */
function translateIndividual(
  category: string,
  patterns: readonly Pattern[],
  context: RiskIdContext,
): RiskIdTranslation {
  const threats = context.individualRisks
    .filter((risk) => risk.category === category && matchesParts(risk.riskId.split('@').slice(1), patterns))
    .map((risk) => risk.threatId);
  return threats.length > 0
    ? { ok: true, threats }
    : fail(`names no risk of the individual risk category "${category}" that the file identifies`);
}

/** A precise risk id: the threats found on its target, else the first rule that can apply there. */
function translatePrecise(form: RiskIdForm, parts: readonly string[], context: RiskIdContext): RiskIdTranslation {
  const role = form.roles[form.target] ?? 'element';
  const name = parts[form.target] ?? '';
  const target = resolve(role, name, context);
  if (!target) return fail(`its part "${name}" is not an imported ${describeRole(role)}`);
  const candidates = form.rules.map((rule) => `${rule.id}@${target.id}`);
  const known = context.knownThreats();
  const found = known ? candidates.filter((id) => known.has(id)) : [];
  if (found.length > 0) return { ok: true, threats: found };
  const rule = form.rules.find((r) => canApply(r, target));
  if (rule) return { ok: true, threats: [`${rule.id}@${target.id}`], pending: true };
  const ids = form.rules.map((r) => r.id).join(', ');
  return fail(`Parapet's ${ids} cannot apply to "${target.id}" (its kind, type or scope rules it out)`);
}

/** A wildcard risk id: the threats Parapet finds on the targets of the risk ids it matches. */
function translateWildcard(form: RiskIdForm, patterns: readonly Pattern[], context: RiskIdContext): RiskIdTranslation {
  const known = context.knownThreats();
  if (!known) return fail('the imported model could not be analyzed, so the wildcard cannot be expanded');
  const targets = new Set<string>();
  for (const tuple of enumerate(form.roles, context)) {
    if (!matchesParts(tuple, patterns)) continue;
    const target = resolve(form.roles[form.target] ?? 'element', tuple[form.target] ?? '', context);
    if (target) targets.add(target.id);
  }
  const threats: string[] = [];
  for (const target of targets) {
    for (const rule of form.rules) if (known.has(`${rule.id}@${target}`)) threats.push(`${rule.id}@${target}`);
  }
  return threats.length > 0
    ? { ok: true, threats }
    : fail('it matches no threat that Parapet finds in the imported model');
}

function describeRole(role: Role): string {
  return role === 'link'
    ? 'communication link'
    : role === 'scope'
      ? 'trust boundary or shared runtime'
      : 'technical asset';
}

/** The imported item a part of a risk id names, in its role. */
function resolve(role: Role, name: string, context: RiskIdContext): ImportedItem | undefined {
  if (role === 'link') {
    const link = context.linkById.get(name);
    return link ? { id: link.flow.id, flow: link.flow } : undefined;
  }
  if (role === 'scope') {
    const boundary = context.boundaries.get(name);
    return boundary ? { id: boundary.id, boundary } : undefined;
  }
  const element = context.elements.get(name);
  return element ? { id: element.id, element } : undefined;
}

/** The parts every risk id of a shape could have in the imported model, from its elements, links or boundaries. */
function* enumerate(roles: readonly Role[], context: RiskIdContext): Generator<readonly string[]> {
  if (roles.includes('link')) {
    for (const link of context.links) {
      yield roles.map((role) => (role === 'link' ? link.threagileId : role === 'source' ? link.source : link.target));
    }
  } else if (roles[0] === 'scope') {
    for (const id of context.boundaries.keys()) yield [id];
  } else {
    for (const id of context.elements.keys()) yield [id];
  }
}

let rulesById: ReadonlyMap<string, ReturnType<typeof getBuiltinRuleEntries>[number]['rule']> | undefined;

/** Whether a Parapet built-in rule can ever fire on a target: its subject, kinds, types, and the target in scope. */
function canApply(rule: ParapetRule, target: ImportedItem): boolean {
  rulesById ??= new Map(getBuiltinRuleEntries().map((entry) => [entry.rule.id, entry.rule]));
  const appliesTo = rulesById.get(rule.id)?.appliesTo;
  if (!appliesTo) return false;
  if (rule.when && !rule.when(target)) return false;
  switch (appliesTo.subject) {
    case 'element': {
      const element = target.element;
      if (!element || element.outOfScope) return false;
      if (appliesTo.kinds && !appliesTo.kinds.includes(element.kind)) return false;
      return !appliesTo.types || (element.type !== undefined && appliesTo.types.includes(element.type));
    }
    case 'flow':
    case 'crossing':
      return target.flow !== undefined && !target.flow.outOfScope;
    case 'boundary':
      return target.boundary !== undefined;
    case 'asset':
    case 'actor':
      return false;
  }
}

/** One part of a risk id pattern: Threagile's `*` stands for one or more characters other than `@`. */
type Pattern = string | readonly string[];

function toPattern(part: string): Pattern {
  return part.includes('*') ? part.split('*') : part;
}

function matchesParts(parts: readonly string[], patterns: readonly Pattern[]): boolean {
  if (parts.length !== patterns.length) return false;
  return patterns.every((pattern, i) => matches(parts[i] ?? '', pattern));
}

/**
 * Whether a text matches a pattern: literal pieces in order, each `*` between them standing for at least one
 * character. Greedy matching with one step back per star keeps it linear in practice and never exponential
 * (unlike a regular expression of many `[^@]+`).
 */
function matches(text: string, pattern: Pattern): boolean {
  if (typeof pattern === 'string') return text === pattern;
  if (text.includes('@')) return false;
  const pieces = pattern;
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  if (!text.startsWith(first)) return false;
  let position = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? '';
    // The star before this piece takes at least one character.
    const found = text.indexOf(piece, position + 1);
    if (found < 0) return false;
    position = found + piece.length;
  }
  // The last star takes at least one character, then the last piece ends the text.
  return text.length - last.length >= position + 1 && text.endsWith(last);
}
