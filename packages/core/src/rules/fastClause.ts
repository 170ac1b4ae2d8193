// A direct evaluator for the common shapes of rule clauses (field access, has(), comparisons, `in`, `!`, `&&`,
// `||`, `?:`, `+`, indexing, size(), exists()/all(), startsWith(), lowerAscii()...), built once from the CEL syntax tree the engine parsed and
// type-checked. It gives the same answer as the CEL interpreter, several times faster; a test checks the two
// against each other on every built-in clause. Anything else falls back to the interpreter.

import { RE2JS } from 're2js';
import type { Bindings } from './compileRules.js';

/** CEL's error value: a missing key and anything that depends on it. */
const ERROR = Symbol('error');
const EMPTY_SCOPE: Scope = {};
type Value = unknown;
type Scope = Readonly<Record<string, unknown>>;
type Evaluate = (scope: Scope) => Value;

interface Node {
  readonly op: string;
  readonly args: unknown;
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && 'op' in value && 'args' in value;

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'number' || typeof b === 'number') return typeof a === typeof b && a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

/** A macro's variable (as in `exists(k, ...)`): set for each item, read by the predicate, no allocation. */
interface Cell {
  value: Value;
}
type Cells = ReadonlyMap<string, Cell>;
const NO_CELLS: Cells = new Map();

/** List macros: they bind a variable for each item of a list. */
const LIST_MACROS: ReadonlySet<unknown> = new Set(['exists', 'all', 'exists_one', 'map', 'filter']);

/** A chain of field reads such as `target.inbound.peerTypes`: the node it starts from and the keys read. */
function unchain(node: Node): { readonly base: unknown; readonly keys: readonly string[] } | undefined {
  const keys: string[] = [];
  let current: unknown = node;
  while (isNode(current) && current.op === '.' && Array.isArray(current.args)) {
    const [inner, key] = current.args as unknown[];
    if (typeof key !== 'string') return undefined;
    keys.unshift(key);
    current = inner;
  }
  return { base: current, keys };
}

/** The variable a node names, when it is a plain variable. */
const variableOf = (node: unknown): string | undefined =>
  isNode(node) && node.op === 'id' && typeof node.args === 'string' ? node.args : undefined;

/** Compiles both operands of a binary node and combines them; undefined when either cannot be compiled. */
function binary(
  list: readonly unknown[],
  cells: Cells,
  combine: (left: Evaluate, right: Evaluate) => Evaluate,
): Evaluate | undefined {
  const left = compile(list[0], cells);
  const right = compile(list[1], cells);
  return left && right ? combine(left, right) : undefined;
}

/** The strings of a list literal made of string values only; undefined for anything else. */
function stringList(node: unknown): string[] | undefined {
  if (!isNode(node) || node.op !== 'list' || !Array.isArray(node.args)) return undefined;
  const items = node.args as unknown[];
  return items.every((item) => isNode(item) && item.op === 'value' && typeof item.args === 'string')
    ? (items as Node[]).map((item) => item.args as string)
    : undefined;
}

/**
 * When a macro's predicate only asks whether its variable (or the variable's lowerAscii()) is one of some
 * strings (`t == "a" || t == "b"`, `t in ["a", "b"]`, `t.lowerAscii() in [...]`), those strings; undefined
 * for any other predicate. On a list of strings such a predicate never errs, so a set lookup answers it.
 */
function memberTest(node: unknown, variable: string): { strings: Set<string>; lower: boolean } | undefined {
  const strings = new Set<string>();
  let lower: boolean | undefined;
  /** Whether an operand is the variable (or, in every part alike, its lowerAscii()). */
  const subject = (operand: unknown): boolean => {
    let lowered: boolean;
    if (variableOf(operand) === variable) lowered = false;
    else if (isNode(operand) && operand.op === 'rcall' && Array.isArray(operand.args)) {
      const [name, receiver, params] = operand.args as unknown[];
      if (name !== 'lowerAscii' || variableOf(receiver) !== variable) return false;
      if (Array.isArray(params) && params.length > 0) return false;
      lowered = true;
    } else return false;
    if (lower !== undefined && lower !== lowered) return false;
    lower = lowered;
    return true;
  };
  const collect = (part: unknown): boolean => {
    if (!isNode(part) || !Array.isArray(part.args)) return false;
    const [left, right] = part.args as unknown[];
    if (part.op === '||') return collect(left) && collect(right);
    if (part.op === '==' && subject(left) && isNode(right) && right.op === 'value' && typeof right.args === 'string') {
      strings.add(right.args);
      return true;
    }
    if (part.op === 'in' && subject(left)) {
      const list = stringList(right);
      if (!list) return false;
      for (const item of list) strings.add(item);
      return true;
    }
    return false;
  };
  return collect(node) ? { strings, lower: lower === true } : undefined;
}

/** Compiles a node; undefined when the shape is not one this evaluator handles. */
function compile(node: unknown, cells: Cells = NO_CELLS): Evaluate | undefined {
  if (!isNode(node)) return undefined;
  const { op, args } = node;
  const list = Array.isArray(args) ? (args as unknown[]) : [];
  switch (op) {
    case 'value': {
      const value = typeof args === 'bigint' ? Number(args) : args;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
      return () => value;
    }
    case 'id': {
      if (typeof args !== 'string') return undefined;
      const cell = cells.get(args);
      if (cell) return () => cell.value;
      // The type checker admits only declared variables.
      return (scope) => scope[args] ?? ERROR;
    }
    case '.': {
      // A chain such as target.inbound.peerTypes is read in one step from its variable.
      const chain = unchain(node);
      if (!chain) return undefined;
      const { keys } = chain;
      const base = compile(chain.base, cells);
      if (!base) return undefined;
      // Fact objects hold only declared fields (checked by the type checker), so an absent one reads undefined.
      if (keys.length === 1) {
        const [key] = keys as [string];
        return (scope) => {
          const object = base(scope);
          if (typeof object !== 'object' || object === null) return ERROR;
          const value = (object as Record<string, unknown>)[key];
          return value === undefined ? ERROR : value;
        };
      }
      return (scope) => {
        let value = base(scope);
        for (let k = 0; k < keys.length; k++) {
          if (typeof value !== 'object' || value === null) return ERROR;
          value = (value as Record<string, unknown>)[keys[k] as string];
          if (value === undefined) return ERROR;
        }
        return value;
      };
    }
    case 'list': {
      if (list.every((item) => isNode(item) && item.op === 'value')) {
        const constant = list.map((item) => compile(item)?.(EMPTY_SCOPE));
        if (constant.some((v) => v === undefined)) return undefined;
        return () => constant;
      }
      const items = list.map((item) => compile(item, cells));
      if (items.some((i) => i === undefined)) return undefined;
      const compiled = items as Evaluate[];
      return (scope) => {
        const values = compiled.map((item) => item(scope));
        return values.includes(ERROR) ? ERROR : values;
      };
    }
    case '!_': {
      const operand = compile(args, cells);
      if (!operand) return undefined;
      return (scope) => {
        const value = operand(scope);
        return typeof value === 'boolean' ? !value : ERROR;
      };
    }
    case '&&':
    case '||': {
      const decisive = op === '||';
      return binary(list, cells, (left, right) => (scope) => {
        const a = left(scope);
        if (a === decisive) return decisive;
        const b = right(scope);
        if (b === decisive) return decisive;
        return typeof a === 'boolean' && typeof b === 'boolean' ? !decisive : ERROR;
      });
    }
    case '==':
    case '!=': {
      const negate = op === '!=';
      return binary(list, cells, (left, right) => (scope) => {
        const a = left(scope);
        if (a === ERROR) return ERROR;
        const b = right(scope);
        if (b === ERROR) return ERROR;
        return equal(a, b) !== negate;
      });
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const compare =
        op === '<'
          ? (a: number, b: number) => a < b
          : op === '<='
            ? (a: number, b: number) => a <= b
            : op === '>'
              ? (a: number, b: number) => a > b
              : (a: number, b: number) => a >= b;
      return binary(list, cells, (left, right) => (scope) => {
        const a = left(scope);
        const b = right(scope);
        return typeof a === 'number' && typeof b === 'number' ? compare(a, b) : ERROR;
      });
    }
    case 'in': {
      const needle = compile(list[0], cells);
      const haystack = compile(list[1], cells);
      if (!needle || !haystack) return undefined;
      const literal = list[1];
      if (
        isNode(literal) &&
        literal.op === 'list' &&
        Array.isArray(literal.args) &&
        (literal.args as unknown[]).every(
          (item) => isNode(item) && item.op === 'value' && typeof item.args === 'string',
        )
      ) {
        // A list of strings written in the rule: look the value up in a set.
        const strings = new Set((literal.args as Node[]).map((item) => item.args as string));
        return (scope) => {
          const value = needle(scope);
          return value === ERROR ? ERROR : typeof value === 'string' && strings.has(value);
        };
      }
      return (scope) => {
        const value = needle(scope);
        if (value === ERROR) return ERROR;
        const values = haystack(scope);
        return Array.isArray(values) ? values.some((v) => equal(v, value)) : ERROR;
      };
    }
    case '?:': {
      const [condition, then, otherwise] = list.map((item) => compile(item, cells));
      if (!condition || !then || !otherwise) return undefined;
      return (scope) => {
        const value = condition(scope);
        return value === true ? then(scope) : value === false ? otherwise(scope) : ERROR;
      };
    }
    case '+':
      return binary(list, cells, (left, right) => (scope) => {
        const a = left(scope);
        const b = right(scope);
        return typeof a === 'number' && typeof b === 'number' ? a + b : ERROR;
      });
    case '[]': {
      const items = compile(list[0], cells);
      const position = compile(list[1], cells);
      if (!items || !position) return undefined;
      return (scope) => {
        const values = items(scope);
        const i = position(scope);
        return Array.isArray(values) && typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < values.length
          ? (values[i] as Value)
          : ERROR;
      };
    }
    case 'call':
      return compileCall(list, cells);
    case 'rcall':
      return compileMethod(list, cells);
    default:
      return undefined;
  }
}

function compileCall([name, callArgs]: unknown[], cells: Cells): Evaluate | undefined {
  const params = Array.isArray(callArgs) ? (callArgs as unknown[]) : [];
  if (params.length !== 1) return undefined;
  if (name === 'has') {
    const field = params[0];
    if (!isNode(field) || field.op !== '.' || !Array.isArray(field.args)) return undefined;
    const [baseNode, key] = field.args as unknown[];
    const base = compile(baseNode, cells);
    if (!base || typeof key !== 'string') return undefined;
    return (scope) => {
      const object = base(scope);
      if (object === ERROR || object === null || typeof object !== 'object') return ERROR;
      return Object.hasOwn(object, key) && (object as Record<string, unknown>)[key] !== undefined;
    };
  }
  if (name === 'size') {
    const operand = compile(params[0], cells);
    if (!operand) return undefined;
    return (scope) => {
      const value = operand(scope);
      return Array.isArray(value) || typeof value === 'string' ? value.length : ERROR;
    };
  }
  return undefined;
}

function compileMethod([name, receiverNode, callArgs]: unknown[], cells: Cells): Evaluate | undefined {
  const receiver = compile(receiverNode, cells);
  const params = Array.isArray(callArgs) ? (callArgs as unknown[]) : [];
  if (!receiver) return undefined;
  if ((name === 'exists' || name === 'all') && params.length === 2) {
    const variable = params[0];
    if (!isNode(variable) || variable.op !== 'id' || typeof variable.args !== 'string') return undefined;
    const decisive = name === 'exists';
    const members = memberTest(params[1], variable.args);
    if (members) {
      // The predicate asks only whether the item is one of some strings: a set lookup per item.
      const { strings, lower } = members;
      return (scope) => {
        const items = receiver(scope);
        if (!Array.isArray(items)) return ERROR;
        for (const item of items as unknown[]) {
          if (typeof item !== 'string') return ERROR;
          if (strings.has(lower ? item.toLowerCase() : item) === decisive) return decisive;
        }
        return !decisive;
      };
    }
    const cell: Cell = { value: ERROR };
    const predicate = compile(params[1], new Map([...cells, [variable.args, cell]]));
    if (!predicate) return undefined;
    return (scope) => {
      const items = receiver(scope);
      if (!Array.isArray(items)) return ERROR;
      let failed = false;
      for (const item of items as unknown[]) {
        cell.value = item;
        const value = predicate(scope);
        if (value === decisive) return decisive;
        if (typeof value !== 'boolean') failed = true;
      }
      return failed ? ERROR : !decisive;
    };
  }
  if (name === 'matches' && params.length === 1) {
    // RE2 semantics, as CEL specifies, in linear time: a pattern from a model cannot make matching hang (the
    // interpreter's own `matches` uses JavaScript regular expressions, which backtrack).
    const pattern = params[0];
    const literal =
      isNode(pattern) && pattern.op === 'value' && typeof pattern.args === 'string' ? pattern.args : undefined;
    let compiled: RE2JS | undefined;
    if (literal !== undefined) {
      try {
        compiled = RE2JS.compile(literal);
      } catch {
        return undefined;
      }
    }
    const argument = compile(pattern, cells);
    if (!argument) return undefined;
    return (scope) => {
      const text = receiver(scope);
      if (typeof text !== 'string') return ERROR;
      if (compiled) return compiled.matcher(text).find();
      const source = argument(scope);
      if (typeof source !== 'string') return ERROR;
      try {
        return RE2JS.compile(source).matcher(text).find();
      } catch {
        return ERROR;
      }
    };
  }
  if ((name === 'lowerAscii' || name === 'upperAscii') && params.length === 0) {
    // As the interpreter does (String.prototype.toLowerCase): every letter changes case, not only ASCII ones.
    const lower = name === 'lowerAscii';
    return (scope) => {
      const text = receiver(scope);
      if (typeof text !== 'string') return ERROR;
      return lower ? text.toLowerCase() : text.toUpperCase();
    };
  }
  if ((name === 'startsWith' || name === 'endsWith' || name === 'contains') && params.length === 1) {
    const argument = compile(params[0], cells);
    if (!argument) return undefined;
    return (scope) => {
      const text = receiver(scope);
      const part = argument(scope);
      if (typeof text !== 'string' || typeof part !== 'string') return ERROR;
      return name === 'startsWith'
        ? text.startsWith(part)
        : name === 'endsWith'
          ? text.endsWith(part)
          : text.includes(part);
    };
  }
  return undefined;
}

/**
 * A fast evaluator for a parsed, type-checked clause, answering whether it holds (a CEL error, such as reading a
 * fact the model does not state, does not hold); undefined when the clause has a shape it does not handle.
 */
export function compileFastClause(ast: unknown): ((bindings: Bindings) => boolean) | undefined {
  const evaluate = compile(ast);
  return evaluate ? (bindings) => evaluate(bindings) === true : undefined;
}

/** The deepest nesting of list macros (`exists`, `all`, `map`, `filter`, `exists_one`) in a clause. */
export function measureMacroNesting(ast: unknown): number {
  const walk = (node: unknown): number => {
    if (Array.isArray(node)) return Math.max(0, ...node.map(walk));
    if (!isNode(node)) return 0;
    if (node.op === 'rcall' && Array.isArray(node.args)) {
      const [name, receiver, params] = node.args as unknown[];
      const inner = Math.max(walk(receiver), walk(params));
      return LIST_MACROS.has(name) ? inner + 1 : inner;
    }
    return typeof node.args === 'object' && node.args !== null ? walk(node.args) : 0;
  };
  return walk(ast);
}

/** Whether a clause calls `matches` anywhere. */
export function usesMatches(ast: unknown): boolean {
  const walk = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(walk);
    if (!isNode(node)) return false;
    if ((node.op === 'rcall' || node.op === 'call') && Array.isArray(node.args) && node.args[0] === 'matches')
      return true;
    return typeof node.args === 'object' && node.args !== null && walk(node.args);
  };
  return walk(ast);
}

/**
 * The fact paths a clause reads from its variables (`destination.zone.kinds`, `target.data.personal`), macro
 * variables left out; undefined when the syntax tree has a shape this module does not know.
 */
export function listReadPaths(ast: unknown): string[] | undefined {
  const paths: string[] = [];
  let unknown = false;
  const walk = (node: unknown, bound: ReadonlySet<string>): void => {
    if (unknown) return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child, bound);
      return;
    }
    if (!isNode(node)) return;
    if (node.op === 'id' && typeof node.args === 'string') {
      if (!bound.has(node.args)) paths.push(node.args);
      return;
    }
    if (node.op === '.') {
      const chain = unchain(node);
      const variable = variableOf(chain?.base);
      if (!chain) unknown = true;
      else if (variable === undefined) walk(chain.base, bound);
      else if (!bound.has(variable)) paths.push([variable, ...chain.keys].join('.'));
      return;
    }
    if (node.op === 'rcall' && Array.isArray(node.args)) {
      const [name, receiver, params] = node.args as unknown[];
      walk(receiver, bound);
      const list = Array.isArray(params) ? (params as unknown[]) : [];
      const variable = list[0];
      if (LIST_MACROS.has(name) && isNode(variable) && typeof variable.args === 'string') {
        walk(list.slice(1), new Set([...bound, variable.args]));
      } else walk(list, bound);
      return;
    }
    if (node.op === 'value') return;
    if (typeof node.args === 'object' && node.args !== null) walk(node.args, bound);
    else if (node.op !== 'value') unknown = node.op !== 'id';
  };
  walk(ast, new Set());
  return unknown ? undefined : paths;
}

/** What a clause is known to give when only some facts are known: true, false, a CEL error, or unknown. */
export type StaticTruth = 'true' | 'false' | 'error' | 'unknown';

const UNKNOWN = Symbol('unknown');

/**
 * Evaluates a clause as far as the `known` fact paths allow (`target.kind` -> "process"; a path mapped to
 * undefined is known to be absent). Anything else is unknown, and so is anything depending on it, except where
 * CEL's logic decides regardless (`false && x`, `true || x`). Used to rule out, once per kind and type, the rules
 * a clause makes impossible.
 */
export function evaluateStatically(ast: unknown, known: ReadonlyMap<string, unknown>): StaticTruth {
  const value = staticValue(ast, known);
  if (value === UNKNOWN) return 'unknown';
  if (value === ERROR) return 'error';
  return value === true ? 'true' : 'false';
}

function pathOf(node: unknown): string | undefined {
  const chain = isNode(node) ? unchain(node) : undefined;
  const variable = variableOf(chain?.base);
  return chain && variable !== undefined ? [variable, ...chain.keys].join('.') : undefined;
}

function staticValue(node: unknown, known: ReadonlyMap<string, unknown>): unknown {
  if (!isNode(node)) return UNKNOWN;
  const list = Array.isArray(node.args) ? (node.args as unknown[]) : [];
  switch (node.op) {
    case 'value':
      return typeof node.args === 'bigint' ? Number(node.args) : node.args;
    case '.':
    case 'id': {
      const path = pathOf(node);
      if (path === undefined || !known.has(path)) return UNKNOWN;
      return known.get(path) ?? ERROR;
    }
    case 'list': {
      const values = list.map((item) => staticValue(item, known));
      if (values.includes(UNKNOWN)) return UNKNOWN;
      return values.includes(ERROR) ? ERROR : values;
    }
    case 'call': {
      const [name, params] = list;
      const field = Array.isArray(params) ? (params as unknown[])[0] : undefined;
      const path = pathOf(field);
      if (name !== 'has' || path === undefined || !known.has(path)) return UNKNOWN;
      return known.get(path) !== undefined;
    }
    case '!_': {
      const value = staticValue(node.args, known);
      return typeof value === 'boolean' ? !value : value === ERROR ? ERROR : UNKNOWN;
    }
    case '&&':
    case '||': {
      const decisive = node.op === '||';
      const a = staticValue(list[0], known);
      const b = staticValue(list[1], known);
      if (a === decisive || b === decisive) return decisive;
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      return typeof a === 'boolean' && typeof b === 'boolean' ? !decisive : ERROR;
    }
    case '==':
    case '!=': {
      const a = staticValue(list[0], known);
      const b = staticValue(list[1], known);
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      if (a === ERROR || b === ERROR) return ERROR;
      return equal(a, b) !== (node.op === '!=');
    }
    case 'in': {
      const a = staticValue(list[0], known);
      const b = staticValue(list[1], known);
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      if (a === ERROR || b === ERROR) return ERROR;
      return Array.isArray(b) ? b.some((v) => equal(v, a)) : ERROR;
    }
    default:
      return UNKNOWN;
  }
}
