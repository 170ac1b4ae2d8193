import type { Bindings, CompiledClause, CompiledRule } from '../rules/compileRules.js';

/** The groups of facts that many targets share; clauses reading only one of them are answered once per object. */
// In the order they are tested: the groups with the fewest objects (so the most shared answers) first.
const GROUPS = ['target.crossing', 'target.zone', 'destination', 'source', 'target.data'] as const;

const groupOf = (clause: CompiledClause): string | undefined =>
  clause.shared === undefined
    ? undefined
    : GROUPS.find((g) => clause.shared === g || clause.shared?.startsWith(`${g}.`) === true);

/** A clause ready to test on bindings. */
type Tester = (bindings: Bindings) => boolean;

interface GroupIndex {
  readonly path: string;
  readonly keys: readonly string[];
  /** Per rule, the clauses of this group (empty when the rule has none). */
  readonly clauses: readonly (readonly Tester[])[];
  /** Rules with no clause in this group: they pass it whatever the object. */
  readonly passing: Uint32Array;
  /** Rules with clauses in this group, by position. */
  readonly testing: readonly number[];
  /** Per object of the group seen so far: which rules' answers are known, and which pass. */
  readonly masks: Map<object, Uint32Array>;
}

/**
 * Finds which of a set of rules (of one subject) fire on a target, testing each clause as few times as
 * possible: a clause that reads only a shared group of facts (the source or destination element of a flow, a
 * zone, a crossing, the data carried) is answered once per object of that group, and the rules still possible
 * are intersected as bit masks before the target's own clauses run. The answers are exactly those of testing
 * every clause of every rule in turn.
 */
export class RuleMatcher {
  readonly #rules: readonly CompiledRule[];
  readonly #words: number;
  readonly #groups: readonly GroupIndex[];
  /** Per rule, the clauses that read the target's own facts, in rule order. */
  readonly #own: readonly (readonly Tester[])[];
  readonly #all: Uint32Array;
  /** Scratch space of match(), which never runs inside itself. */
  readonly #candidates: Uint32Array;

  /**
   * `settled`: clauses the caller has already found true for every target this matcher will see (the clauses
   * about an element's kind and type, for a bucket of elements of one kind and type); they are not tested again.
   */
  constructor(
    rules: readonly CompiledRule[],
    test: (clause: CompiledClause, bindings: Bindings) => boolean,
    settled: ReadonlySet<CompiledClause> = new Set(),
  ) {
    this.#rules = rules;
    // Clauses with a direct evaluator are called directly; the others go through the caller's test.
    const tester = (clause: CompiledClause): Tester => clause.holds ?? ((bindings) => test(clause, bindings));
    this.#words = Math.ceil(rules.length / 32);
    const used = new Set(rules.flatMap((r) => r.clauses.map(groupOf)).filter((g) => g !== undefined));
    this.#groups = GROUPS.filter((g) => used.has(g)).map((path) => {
      const clauses = rules.map((r) => r.clauses.filter((c) => groupOf(c) === path).map(tester));
      const passing = new Uint32Array(this.#words);
      const testing: number[] = [];
      clauses.forEach((list, r) => {
        if (list.length > 0) testing.push(r);
        else passing[r >>> 5] = (passing[r >>> 5] ?? 0) | (1 << (r & 31));
      });
      return { path, keys: path.split('.'), clauses, passing, testing, masks: new Map() };
    });
    this.#own = rules.map((r) => r.clauses.filter((c) => groupOf(c) === undefined && !settled.has(c)).map(tester));
    this.#all = new Uint32Array(this.#words);
    this.#candidates = new Uint32Array(this.#words);
    for (let r = 0; r < rules.length; r++) this.#all[r >>> 5] = (this.#all[r >>> 5] ?? 0) | (1 << (r & 31));
  }

  /**
   * Narrows the candidates by one group: the group's clauses are tested only for candidates whose answer for this
   * object is not known yet, and the answers are kept for the next target sharing the object.
   */
  #narrow(group: GroupIndex, bindings: Bindings, candidates: Uint32Array): void {
    let key: unknown = bindings;
    for (const k of group.keys) key = (key as Record<string, unknown> | undefined)?.[k];
    if (typeof key !== 'object' || key === null) return;
    let memo = group.masks.get(key);
    if (!memo) {
      // Bits 0..words-1: rules whose answer is known; words..2*words-1: rules that pass.
      memo = new Uint32Array(2 * this.#words);
      memo.set(group.passing);
      memo.set(group.passing, this.#words);
      group.masks.set(key, memo);
    }
    for (let w = 0; w < this.#words; w++) {
      let unknown = (candidates[w] ?? 0) & ~(memo[w] ?? 0);
      while (unknown !== 0) {
        const low = unknown & -unknown;
        unknown ^= low;
        const r = w * 32 + 31 - Math.clz32(low);
        const clauses = group.clauses[r] ?? [];
        let holds = true;
        for (let c = 0; holds && c < clauses.length; c++) holds = (clauses[c] as Tester)(bindings);
        memo[w] = (memo[w] ?? 0) | low;
        if (holds) memo[this.#words + w] = (memo[this.#words + w] ?? 0) | low;
      }
      candidates[w] = (candidates[w] ?? 0) & (memo[this.#words + w] ?? 0);
    }
  }

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
        const own = this.#own[r] ?? [];
        let holds = rule !== undefined;
        for (let c = 0; holds && c < own.length; c++) holds = (own[c] as Tester)(bindings);
        if (holds && rule) fire(rule);
      }
    }
  }
}
