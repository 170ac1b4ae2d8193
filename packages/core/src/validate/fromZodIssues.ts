import type { z } from 'zod';
import type { DiagnosticCode, PathSegment } from '../diagnostics/Diagnostic.js';
import { getDidYouMean } from './suggest.js';

/** A problem at a path of one file, before it is given a line and column. */
export interface PathProblem {
  readonly severity: 'error' | 'warning';
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly path: readonly PathSegment[];
  readonly part: 'key' | 'value';
}

/** Turns zod's issues into problems worded for people, with "did you mean" where a typo is likely. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, data: unknown): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = getObjectKeysAt(schema, path);
        for (const key of issue.keys) {
          problems.push({
            severity: 'error',
            code: 'PARAPET_UNKNOWN_KEY',
            message: `unknown key "${key}"${getDidYouMean(key, known)}`,
            path: [...path, key],
            part: 'key',
          });
        }
        break;
      }
      case 'invalid_type': {
        const value = getValueAt(data, path);
        if (value === undefined) {
          const field = path[path.length - 1];
          problems.push({
            severity: 'error',
            code: 'PARAPET_MISSING_FIELD',
            message: `missing required field "${String(field)}"`,
            path,
            part: 'value',
          });
        } else {
          problems.push(
            schemaProblem(path, `expected ${describeExpected(issue.expected)}, got ${describeValue(value)}`),
          );
        }
        break;
      }
      case 'invalid_value': {
        const value = getValueAt(data, path);
        const options = issue.values.map((v) => String(v));
        const shown = typeof value === 'string' ? `"${value}"` : describeValue(value);
        const message =
          options.length === 1
            ? `${shown} must be ${JSON.stringify(issue.values[0])}`
            : `${shown} is not one of ${options.length > 12 ? `the ${options.length} values the format allows` : options.join(', ')}${
                typeof value === 'string' ? getDidYouMean(value, options) : ''
              }`;
        problems.push(schemaProblem(path, message));
        break;
      }
      case 'too_small':
        problems.push(schemaProblem(path, describeBound(issue.origin, 'at least', issue.minimum, issue.inclusive)));
        break;
      case 'too_big':
        problems.push(schemaProblem(path, describeBound(issue.origin, 'at most', issue.maximum, issue.inclusive)));
        break;
      case 'invalid_format': {
        const value = getValueAt(data, path);
        problems.push(schemaProblem(path, `${JSON.stringify(value)} ${issue.message}`));
        break;
      }
      default:
        problems.push(schemaProblem(path, lowerFirst(issue.message)));
    }
  }
  return problems;
}

function schemaProblem(path: readonly PathSegment[], message: string): PathProblem {
  return { severity: 'error', code: 'PARAPET_SCHEMA', message, path, part: 'value' };
}

function describeBound(origin: string, word: string, bound: number | bigint, inclusive: boolean | undefined): string {
  const n = Number(bound) + (inclusive === false ? (word === 'at least' ? 1 : -1) : 0);
  if (origin === 'string')
    return n === 1 && word === 'at least' ? 'must not be empty' : `must be ${word} ${n} characters long`;
  if (origin === 'array') return `must have ${word} ${n} ${n === 1 ? 'item' : 'items'}`;
  return `must be ${word} ${n}`;
}

function describeExpected(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  if (expected === 'record') return 'a mapping';
  if (expected === 'int') return 'a whole number';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  return typeof value;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Reads the value at a path of plain data, or undefined. */
export function getValueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.hasOwn(value, segment) ? (value as Record<PathSegment, unknown>)[segment] : undefined;
  }
  return value;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  valueType?: z.ZodType;
}

/** The keys an object schema allows at a path (used for "did you mean" on unknown keys). */
export function getObjectKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (!current) return [];
    const def = current._zod.def as unknown as SchemaDef;
    if (def.type === 'object' && typeof segment === 'string') current = def.shape?.[segment];
    else if (def.type === 'array' && typeof segment === 'number') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
    current = current ? unwrap(current) : undefined;
  }
  const def = current?._zod.def as unknown as SchemaDef | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = current._zod.def as unknown as SchemaDef;
    const next =
      def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault'
        ? def.innerType
        : def.type === 'pipe'
          ? def.in
          : def.type === 'lazy'
            ? def.getter?.()
            : undefined;
    if (!next) return current;
    current = next;
  }
  return current;
}
