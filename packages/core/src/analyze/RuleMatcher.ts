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

/** The shared group a clause belongs to; the kind-and-type bucket for clauses about nothing else. */
function groupOfClause(clause: CompiledClause): GroupSpec | undefined {
  if (clause.byKindAndType) return GROUPS.find((g) => g.number === '$bucket' && g.path === clause.byKindAndType);
  if (clause.bySignature) return GROUPS.find((g) => g.number === '$sig');
  const shared = clause.shared;
  if (shared === undefined) return undefined;
  return GROUPS.find((g) => g.number === FACT_NUMBER && (shared === g.path || shared.startsWith(`${g.path}.`)));
}

/** One test of a rule: a clause (or the rule's kinds and types), and the shared group it is answered for. */
interface Test {
  readonly run: Tester;
  /** The group whose objects share this test's answer; undefined when it is tested on each target. */
  readonly group: GroupSpec | undefined;
}

/** Targets matched together: their facts (a few hundred bytes each) fit in a processor cache. */
const CHUNK = 512;

/** Per test, the answers known for the objects of its group: 0 not known yet, 1 holds, 2 does not. */
type Answers = Uint8Array;

/**
 * Finds which rules (of one subject) fire on which targets, testing each clause as few times as possible. It
 * goes rule by rule: a rule's tests run in turn over the targets still possible for it, each pass keeping
 * the targets that pass. A test that reads only a shared group of facts (the kind and type of an element,
 * the source or destination element of a flow, a zone, a crossing, the data carried, a flow's stated
 * facts) is answered once per object of that group and remembered by the object's number. The answers are
 * exactly those of testing every clause of every rule on every target. A matcher serves the facts of one
 * model (object numbers are per model).
 */
export class RuleMatcher {
  readonly #rules: readonly CompiledRule[];
  readonly #counts: FactCounts;
  /** Per rule, its tests: kinds and types first, then the shared groups in GROUPS order, then its own clauses. */
  readonly #tests: readonly (readonly Test[])[];
  /** Per rule and test, the answers by object number, made on first use. */
  readonly #answers: (Answers | undefined)[][];

  /**
   * @param targets How many targets the matcher will see, when known: a group with more than half as many
   *   objects is shared by too few targets to be worth remembering, and its clauses are tested on each target.
   */
  constructor(
    rules: readonly CompiledRule[],
    test: (clause: CompiledClause, bindings: Bindings) => boolean,
    counts: FactCounts,
    targets = Infinity,
  ) {
    this.#rules = rules;
    this.#counts = counts;
    const remembered = GROUPS.filter((spec) => spec.number === '$bucket' || counts[spec.count] * 2 <= targets);
    const groupOf = (clause: CompiledClause): GroupSpec | undefined => {
      const spec = groupOfClause(clause);
      return spec && remembered.includes(spec) ? spec : undefined;
    };
    // Clauses with a direct evaluator are called directly; the others go through the caller's test.
    const tester = (clause: CompiledClause): Tester => clause.holds ?? ((bindings) => test(clause, bindings));
    this.#tests = rules.map((rule) => {
      const tests: Test[] = [];
      // An element rule's kinds and types are a test on its kind-and-type bucket.
      if (rule.kinds || rule.types) {
        const { kinds, types } = rule;
        tests.push({
          group: GROUPS[0],
          run: ({ target }) => {
            const kind = target?.['kind'] as string;
            const type = target?.['type'] as string | undefined;
            return (!kinds || kinds.includes(kind)) && (!types || (type !== undefined && types.includes(type)));
          },
        });
      }
      // A clause that also reads other facts may still be decided by the kind and type alone (e.g.
      // `target.kind == "datastore" && ...`): where it cannot hold, the rule is out for that kind and type.
      for (const clause of rule.clauses) {
        if (groupOf(clause) !== undefined) continue;
        for (const spec of GROUPS.slice(0, 3)) {
          const variable = spec.path;
          if (!clause.reads.some((p) => p === `${variable}.kind` || p === `${variable}.type`)) continue;
          tests.push({
            group: spec,
            run: (bindings) => {
              const facts = bindings[variable];
              const known = new Map<string, unknown>([
                [`${variable}.kind`, facts?.['kind']],
                [`${variable}.type`, facts?.['type']],
              ]);
              const truth = evaluateStatically(clause.ast, known);
              return truth !== 'false' && truth !== 'error';
            },
          });
        }
      }
      for (const spec of remembered) {
        for (const clause of rule.clauses)
          if (groupOf(clause) === spec) tests.push({ group: spec, run: tester(clause) });
      }
      for (const clause of rule.clauses)
        if (groupOf(clause) === undefined) tests.push({ group: undefined, run: tester(clause) });
      // Tests on kind-and-type buckets first (fewest objects), then the other groups, then each target's own.
      const rank = (t: Test): number => (t.group ? GROUPS.indexOf(t.group) : GROUPS.length);
      return tests
        .map((t, i) => ({ t, i }))
        .sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i)
        .map(({ t }) => t);
    });
    this.#answers = this.#tests.map((tests) => tests.map(() => undefined));
  }

  /**
   * Calls `fire(rule, target)` for every rule whose clauses all hold on a target's bindings, rule by rule;
   * `targets` are the positions in `bindings` to look at, in order (each rule sees them in that order).
   */
  matchAll(
    bindings: readonly Bindings[],
    targets: ArrayLike<number>,
    fire: (rule: CompiledRule, target: number) => void,
  ): void {
    // Targets go in chunks small enough for their facts to stay in the processor's cache while every rule
    // runs over them (rule by rule over all targets at once reads every target's facts from memory per rule).
    const candidates = new Uint32Array(Math.min(targets.length, CHUNK));
    for (let start = 0; start < targets.length; start += CHUNK) {
      const end = Math.min(targets.length, start + CHUNK);
      for (let r = 0; r < this.#rules.length; r++) this.#matchChunk(r, bindings, targets, start, end, candidates, fire);
    }
  }

  /** Runs rule r over targets[start..end), firing on those that pass every test. */
  #matchChunk(
    r: number,
    bindings: readonly Bindings[],
    targets: ArrayLike<number>,
    start: number,
    end: number,
    candidates: Uint32Array,
    fire: (rule: CompiledRule, target: number) => void,
  ): void {
    const rule = this.#rules[r] as CompiledRule;
    const tests = this.#tests[r] as readonly Test[];
    const answers = this.#answers[r] as (Answers | undefined)[];
    let count = end - start;
    for (let k = 0; k < count; k++) candidates[k] = targets[start + k] as number;
    for (let t = 0; t < tests.length && count > 0; t++) {
      const { run, group } = tests[t] as Test;
      let kept = 0;
      if (group === undefined) {
        for (let k = 0; k < count; k++) {
          const i = candidates[k] as number;
          if (run(bindings[i] as Bindings)) candidates[kept++] = i;
        }
      } else {
        const objects = this.#counts[group.count];
        const known = (answers[t] ??= new Uint8Array(objects));
        const read = group.read;
        for (let k = 0; k < count; k++) {
          const i = candidates[k] as number;
          const b = bindings[i] as Bindings;
          const n = read(b);
          let answer: number;
          if (typeof n === 'number' && n < objects) {
            answer = known[n] as number;
            if (answer === 0) known[n] = answer = run(b) ? 1 : 2;
          } else {
            // Facts built elsewhere, without numbers: test without remembering.
            answer = run(b) ? 1 : 2;
          }
          if (answer === 1) candidates[kept++] = i;
        }
      }
      count = kept;
    }
    for (let k = 0; k < count; k++) fire(rule, candidates[k] as number);
  }

  /** Calls `fire` for every rule whose clauses all hold on one target's bindings, in rule order. */
  match(bindings: Bindings, fire: (rule: CompiledRule) => void): void {
    this.matchAll([bindings], [0], (rule) => fire(rule));
  }
}
