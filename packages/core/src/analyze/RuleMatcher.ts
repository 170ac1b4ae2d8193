import { FACT_NUMBER, type FactCounts } from '../rules/buildFacts.js';
import type { Bindings, CompiledClause, CompiledRule } from '../rules/compileRules.js';
import { evaluateStatically } from '../rules/fastClause.js';

/** A clause ready to test on bindings. */
type Tester = (bindings: Bindings) => boolean;

/**
 * A group of facts that many targets share, and how to find the number of the object a target has in it. In
 * the order groups are tested: those with the fewest objects (so the most shared answers) first.
 */
type Numbered = { readonly $n?: unknown; readonly $bucket?: unknown; readonly $sig?: unknown } | undefined;
type Path = {
  readonly target?: Numbered & { readonly crossing?: Numbered; readonly zone?: Numbered; readonly data?: Numbered };
};
type NumberedBindings = Path & { readonly source?: Numbered; readonly destination?: Numbered };

// Each group reads its object's number with a fixed property name (a variable key would make every read a
// slow, megamorphic lookup).
const GROUPS = [
  { path: 'target', number: '$bucket', count: 'buckets', read: (b: NumberedBindings) => b.target?.$bucket },
  { path: 'destination', number: '$bucket', count: 'buckets', read: (b: NumberedBindings) => b.destination?.$bucket },
  { path: 'source', number: '$bucket', count: 'buckets', read: (b: NumberedBindings) => b.source?.$bucket },
  { path: 'target', number: '$sig', count: 'signatures', read: (b: NumberedBindings) => b.target?.$sig },
  {
    path: 'target.crossing',
    number: FACT_NUMBER,
    count: 'crossings',
    read: (b: NumberedBindings) => b.target?.crossing?.$n,
  },
  { path: 'target.zone', number: FACT_NUMBER, count: 'zones', read: (b: NumberedBindings) => b.target?.zone?.$n },
  { path: 'destination', number: FACT_NUMBER, count: 'elements', read: (b: NumberedBindings) => b.destination?.$n },
  { path: 'source', number: FACT_NUMBER, count: 'elements', read: (b: NumberedBindings) => b.source?.$n },
  { path: 'target.data', number: FACT_NUMBER, count: 'data', read: (b: NumberedBindings) => b.target?.data?.$n },
] as const satisfies readonly {
  path: string;
  number: string;
  count: keyof FactCounts;
  read: (bindings: NumberedBindings) => unknown;
}[];

type GroupSpec = (typeof GROUPS)[number];

/** The shared group a clause belongs to; the kind-and-type bucket for element clauses about nothing else. */
function groupOfClause(clause: CompiledClause): GroupSpec | undefined {
  if (clause.byKindAndType) return GROUPS.find((g) => g.number === '$bucket' && g.path === clause.byKindAndType);
  if (clause.bySignature) return GROUPS.find((g) => g.number === '$sig');
  const shared = clause.shared;
  if (shared === undefined) return undefined;
  return GROUPS.find((g) => g.number === FACT_NUMBER && (shared === g.path || shared.startsWith(`${g.path}.`)));
}

interface Group {
  readonly spec: GroupSpec;
  /** Per rule, the tests of this group (empty when the rule has none). */
  readonly tests: readonly (readonly Tester[])[];
  /** Rules with no test in this group: they pass it whatever the object. */
  readonly passing: Uint32Array;
  /** Rules with tests in this group, by position. */
  readonly testing: readonly number[];
  /**
   * Per object number n, at n * 2 * words: the rules whose answer is known (words), then those that pass
   * (words). Allocated on first use.
   */
  memo: Uint32Array | undefined;
}

/**
 * Finds which of a set of rules (of one subject) fire on a target, testing each clause as few times as
 * possible. A clause that reads only a shared group of facts (the kind and type of an element, the source or
 * destination element of a flow, a zone, a crossing, the data carried) is answered once per object of that
 * group and remembered by the object's number; the rules still possible are intersected as bit masks before
 * the target's own clauses run. The answers are exactly those of testing every clause of every rule in turn.
 * A matcher serves the facts of one model (object numbers are per model).
 */
export class RuleMatcher {
  readonly #rules: readonly CompiledRule[];
  readonly #words: number;
  readonly #groups: readonly Group[];
  readonly #counts: FactCounts;
  /** Per rule, the clauses that read the target's own facts, in rule order. */
  readonly #own: readonly (readonly Tester[])[];
  readonly #all: Uint32Array;
  /** Scratch space of match(), which never runs inside itself. */
  readonly #candidates: Uint32Array;

  /**
   * @param targets How many targets the matcher will see, when known: a group with more than half as many
   *   objects is shared by too few targets to be worth remembering, and its clauses are tested as the target's own.
   */
  constructor(
    rules: readonly CompiledRule[],
    test: (clause: CompiledClause, bindings: Bindings) => boolean,
    counts: FactCounts,
    targets = Infinity,
  ) {
    this.#rules = rules;
    this.#counts = counts;
    this.#words = Math.ceil(rules.length / 32);
    const remembered = GROUPS.filter((spec) => spec.number === '$bucket' || counts[spec.count] * 2 <= targets);
    const groupOf = (clause: CompiledClause): GroupSpec | undefined => {
      const spec = groupOfClause(clause);
      return spec && remembered.includes(spec) ? spec : undefined;
    };
    // Clauses with a direct evaluator are called directly; the others go through the caller's test.
    const tester = (clause: CompiledClause): Tester => clause.holds ?? ((bindings) => test(clause, bindings));
    const testsOf = (rule: CompiledRule, spec: GroupSpec): Tester[] => {
      const tests = rule.clauses.filter((c) => groupOf(c) === spec).map(tester);
      // An element rule's kinds and types are part of its bucket test.
      if (spec === GROUPS[0] && (rule.kinds || rule.types)) {
        const { kinds, types } = rule;
        tests.unshift(({ target }) => {
          const kind = target?.['kind'] as string;
          const type = target?.['type'] as string | undefined;
          return (!kinds || kinds.includes(kind)) && (!types || (type !== undefined && types.includes(type)));
        });
      }
      // A clause that also reads other facts may still be decided by the kind and type alone (e.g.
      // `target.kind == "datastore" && ...`): where it cannot hold, the rule is out for that kind and type.
      if (spec.number === '$bucket') {
        const variable = spec.path;
        for (const clause of rule.clauses) {
          if (groupOf(clause) !== undefined) continue;
          if (!clause.reads.some((p) => p === `${variable}.kind` || p === `${variable}.type`)) continue;
          tests.push((bindings) => {
            const facts = bindings[variable];
            const known = new Map<string, unknown>([
              [`${variable}.kind`, facts?.['kind']],
              [`${variable}.type`, facts?.['type']],
            ]);
            const truth = evaluateStatically(clause.ast, known);
            return truth !== 'false' && truth !== 'error';
          });
        }
      }
      return tests;
    };
    this.#groups = remembered
      .map((spec) => {
        const tests = rules.map((r) => testsOf(r, spec));
        const passing = new Uint32Array(this.#words);
        const testing: number[] = [];
        tests.forEach((list, r) => {
          if (list.length > 0) testing.push(r);
          else passing[r >>> 5] = (passing[r >>> 5] ?? 0) | (1 << (r & 31));
        });
        return { spec, tests, passing, testing, memo: undefined };
      })
      .filter((g) => g.testing.length > 0);
    this.#own = rules.map((r) => r.clauses.filter((c) => groupOf(c) === undefined).map(tester));
    this.#all = new Uint32Array(this.#words);
    this.#candidates = new Uint32Array(this.#words);
    for (let r = 0; r < rules.length; r++) this.#all[r >>> 5] = (this.#all[r >>> 5] ?? 0) | (1 << (r & 31));
  }

  /** Tests one rule's tests of a group. */
  static #passes(tests: readonly Tester[], bindings: Bindings): boolean {
    for (const test of tests) if (!test(bindings)) return false;
    return true;
  }

  /**
   * Narrows the candidates by one group: its tests run only for candidates whose answer for this object is not
   * known yet, and the answers are kept for the next target sharing the object.
   */
  #narrow(group: Group, bindings: Bindings, candidates: Uint32Array): void {
    const n = group.spec.read(bindings);
    const words = this.#words;
    if (typeof n !== 'number' || n >= this.#counts[group.spec.count]) {
      // Facts built elsewhere, without numbers: test without remembering.
      for (const r of group.testing) {
        if (!RuleMatcher.#passes(group.tests[r] ?? [], bindings)) {
          candidates[r >>> 5] = (candidates[r >>> 5] ?? 0) & ~(1 << (r & 31));
        }
      }
      return;
    }
    const memo = (group.memo ??= new Uint32Array(this.#counts[group.spec.count] * 2 * words));
    const base = n * 2 * words;
    for (let w = 0; w < words; w++) {
      if ((memo[base + w] ?? 0) === 0 && group.passing[w] !== 0) {
        memo[base + w] = group.passing[w] ?? 0;
        memo[base + words + w] = group.passing[w] ?? 0;
      }
      let unknown = (candidates[w] ?? 0) & ~(memo[base + w] ?? 0);
      while (unknown !== 0) {
        const low = unknown & -unknown;
        unknown ^= low;
        const r = w * 32 + 31 - Math.clz32(low);
        memo[base + w] = (memo[base + w] ?? 0) | low;
        if (RuleMatcher.#passes(group.tests[r] ?? [], bindings))
          memo[base + words + w] = (memo[base + words + w] ?? 0) | low;
      }
      candidates[w] = (candidates[w] ?? 0) & (memo[base + words + w] ?? 0);
    }
  }

  /** Calls `fire` for every rule whose clauses all hold on these bindings, in rule order. */
  match(bindings: Bindings, fire: (rule: CompiledRule) => void): void {
    const candidates = this.#candidates;
    candidates.set(this.#all);
    for (const group of this.#groups) this.#narrow(group, bindings, candidates);
    for (let w = 0; w < this.#words; w++) {
      let bits = candidates[w] ?? 0;
      while (bits !== 0) {
        const low = bits & -bits;
        const r = w * 32 + 31 - Math.clz32(low);
        bits ^= low;
        const rule = this.#rules[r];
        if (rule && RuleMatcher.#passes(this.#own[r] ?? [], bindings)) fire(rule);
      }
    }
  }
}
