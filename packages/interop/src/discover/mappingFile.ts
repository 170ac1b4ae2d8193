// Mapping files: which resources of infrastructure code become which Parapet items. Parapet ships one per
// source kind (packages/interop/mappings/*.yaml, embedded at build time by scripts/embed-mappings.js so that
// interop reads no files at run time); users add their own with `--mapping <file>`, checked here with the
// file, line and column of every problem.
import {
  DEFAULT_LIMITS,
  getSuggestion,
  parseSource,
  TECHNOLOGIES,
  threatModelSchema,
  type PathSegment,
  type TechnologyId,
} from '@parapet/core';
import { z } from 'zod';
import { DISCOVERY_SOURCES, ImportError } from '../ImportResult.js';
import { MAX_INPUT_BYTES, pathText } from '../source.js';
import builtin from './data/builtin-mappings.json' with { type: 'json' };
import type { MappingFile, MappingRule } from './types.js';

const modelShape = threatModelSchema.shape;
const elementShape = modelShape.elements.unwrap().element.shape;
const boundaryShape = modelShape.boundaries.unwrap().element.shape;
const assetShape = modelShape.assets.unwrap().element.shape;

/** Parapet's element kinds (`process`, `datastore`, `external`), as the model schema defines them. */
export const ELEMENT_KIND_VALUES = elementShape.kind.options;
/** Parapet's technology types (`elements[].type`). */
export const TECHNOLOGY_TYPE_VALUES = Object.keys(TECHNOLOGIES) as [TechnologyId, ...TechnologyId[]];
/** Parapet's boundary kinds (`boundaries[].kind`). */
export const BOUNDARY_KIND_VALUES = boundaryShape.kind.unwrap().options;
/** Parapet's asset kinds (`assets[].kind`). */
export const ASSET_KIND_VALUES = assetShape.kind.unwrap().options;
/** Parapet's data classifications (`assets[].classification`). */
export const CLASSIFICATION_VALUES = assetShape.classification.unwrap().options;
/** Parapet's flow protocols (`flows[].protocol`). */
export const PROTOCOL_VALUES = modelShape.flows.unwrap().element.shape.protocol.unwrap().options;

/** What a template may name in braces: the resource's name, type, address, or a dotted path into its attributes. */
const PLACEHOLDER = /^(name|type|address|attributes(\.[^.{}\s]+)+)$/;

const templateSchema = z
  .string()
  .min(1)
  .max(500)
  .check((ctx) => {
    for (const match of ctx.value.matchAll(/\{([^{}]*)\}/g)) {
      const placeholder = match[1] ?? '';
      if (PLACEHOLDER.test(placeholder)) continue;
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `unknown placeholder "{${placeholder}}": use {name}, {type}, {address} or {attributes.<path>}`,
      });
    }
  });

const globSchema = z.string().min(1).max(500);
const globsSchema = z.union([globSchema, z.array(globSchema).min(1).max(1_000)]);

const elementOutcomeSchema = z.strictObject({
  kind: z.enum(ELEMENT_KIND_VALUES),
  type: z.enum(TECHNOLOGY_TYPE_VALUES).optional(),
  technology: templateSchema.optional(),
  name: templateSchema.optional(),
  tags: z.array(templateSchema).max(100).optional(),
});
const boundaryOutcomeSchema = z.strictObject({
  kind: z.enum(BOUNDARY_KIND_VALUES),
  name: templateSchema.optional(),
  trustLevel: z.number().int().min(0).max(100).optional(),
});
const assetOutcomeSchema = z.strictObject({
  kind: z.enum(ASSET_KIND_VALUES),
  name: templateSchema.optional(),
  classification: z.enum(CLASSIFICATION_VALUES).optional(),
});

const OUTCOMES = ['element', 'boundary', 'asset', 'passThrough', 'ignore'] as const;

const mappingRuleSchema = z
  .strictObject({
    type: globsSchema,
    when: z.record(z.string().min(1).max(500), globsSchema).optional(),
    element: elementOutcomeSchema.optional(),
    boundary: boundaryOutcomeSchema.optional(),
    asset: assetOutcomeSchema.optional(),
    passThrough: z.literal(true).optional(),
    ignore: z.string().min(1).max(1_000).optional(),
  })
  .check((ctx) => {
    const given = OUTCOMES.filter((key) => ctx.value[key] !== undefined);
    if (given.length === 1) return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      params: { outcome: true },
      message:
        given.length === 0
          ? `a rule says what the resource becomes: one of ${OUTCOMES.join(', ')}`
          : `a rule has one outcome, not ${given.join(' and ')}`,
    });
  });

const mappingFileSchema = z.strictObject({
  source: z.enum(DISCOVERY_SOURCES),
  rules: z.array(mappingRuleSchema).max(10_000),
});

type ParsedMappingFile = z.infer<typeof mappingFileSchema>;

/** The keys each object of a mapping file accepts, for "did you mean" suggestions. */
const KEYS_BY_OBJECT: Readonly<Record<string, readonly string[]>> = {
  file: Object.keys(mappingFileSchema.shape),
  rule: ['type', 'when', ...OUTCOMES],
  element: Object.keys(elementOutcomeSchema.shape),
  boundary: Object.keys(boundaryOutcomeSchema.shape),
  asset: Object.keys(assetOutcomeSchema.shape),
};

/** A parsed JSON or YAML text with the line and column of any path (its key or its value). */
export interface PositionedSource {
  readonly data: unknown;
  locate(path: readonly PathSegment[], part?: 'key' | 'value'): { line: number; column: number };
}

/**
 * Parses JSON or YAML text bounded in size and nesting as readStructured does, keeping the way to the line
 * and column of keys as well as values (the compose reader points at a service's name, and mapping-file
 * errors at the offending key). `lineOffset` is added to every line, for one document of a multi-document
 * file. Throws ImportError with the position of the first problem.
 */
export function parseWithPositions(text: string, file: string, lineOffset = 0): PositionedSource {
  if (text.length > MAX_INPUT_BYTES) {
    throw new ImportError(`the file is over the import limit of ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, file);
  }
  const name = /\.json$/i.test(file) ? 'input.json' : 'input.yaml';
  const parsed = parseSource(name, text, { ...DEFAULT_LIMITS, maxBytes: MAX_INPUT_BYTES });
  if (!parsed.ok) {
    const problem = parsed.problems[0];
    throw new ImportError(
      problem?.message ?? 'not valid YAML or JSON',
      file,
      problem === undefined ? undefined : problem.position.line + lineOffset,
      problem?.position.column,
    );
  }
  const { file: source } = parsed;
  return {
    data: source.data,
    locate: (path, part) => {
      const { line, column } = source.locate(path, part);
      return { line: line + lineOffset, column };
    },
  };
}

/**
 * Reads a user's mapping file (YAML or JSON: `source:` and `rules:`), checking every rule against Parapet's
 * lists of element kinds, technology types, boundary kinds, asset kinds and classifications. Throws
 * ImportError at the line and column of the first problem, naming how many more there are.
 */
export function parseMappingFile(text: string, file: string): MappingFile {
  const source = parseWithPositions(text, file);
  const result = mappingFileSchema.safeParse(source.data);
  if (!result.success) {
    // An unknown key is often a misspelt outcome (`pasThrough`): then it is the problem, not the missing outcome.
    const unknownKeysAt = new Set(
      result.error.issues
        .filter((issue) => issue.code === 'unrecognized_keys')
        .map((issue) => issue.path.map(String).join('.')),
    );
    const problems = result.error.issues
      .filter(
        (issue) =>
          !(
            issue.code === 'custom' &&
            issue.params?.outcome === true &&
            unknownKeysAt.has(issue.path.map(String).join('.'))
          ),
      )
      .map((issue) => describeIssue(issue, source))
      .sort((a, b) => a.line - b.line || a.column - b.column);
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
    throw new ImportError(`${first?.message ?? 'not a mapping file'}${more}`, file, first?.line, first?.column);
  }
  const lines = result.data.rules.map((_rule, i) => source.locate(['rules', i]).line);
  return toMappingFile(result.data, file, lines);
}

/** A problem of a mapping file as a message with its position: `rules[2].element.type: ...`. */
function describeIssue(
  issue: z.core.$ZodIssue,
  source: PositionedSource,
): { message: string; line: number; column: number } {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = KEYS_BY_OBJECT[objectKind(path)] ?? [];
    const suggestion = getSuggestion(key, known);
    const hint = suggestion === undefined ? `; expected ${known.join(', ')}` : ` (did you mean "${suggestion}"?)`;
    const where = source.locate([...path, key], 'key');
    return { message: `${prefix(path)}unknown key "${key}"${hint}`, ...where };
  }
  const where = source.locate(path);
  if (issue.code === 'invalid_value') {
    const value = valueAt(source.data, path);
    const allowed = issue.values.map(String);
    const shown = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? 'nothing');
    const suggestion = typeof value === 'string' ? getSuggestion(value, allowed) : undefined;
    const hint =
      suggestion !== undefined
        ? ` (did you mean "${suggestion}"?)`
        : allowed.length <= 20
          ? `; expected one of ${allowed.join(', ')}`
          : `; see the ${allowed.length} values in docs/model-format.md`;
    return { message: `${prefix(path)}${shown} is not allowed here${hint}`, ...where };
  }
  if (issue.code === 'invalid_union') {
    return { message: `${prefix(path)}expected a string or a list of strings`, ...where };
  }
  return { message: `${prefix(path)}${issue.message}`, ...where };
}

/** `rules[2].element: ` for a path, or nothing at the top. */
function prefix(path: readonly PathSegment[]): string {
  return path.length === 0 ? '' : `${pathText(path)}: `;
}

/** Which object of a mapping file a path points at, for its list of keys. */
function objectKind(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (path.length === 0) return 'file';
  if (typeof last === 'number') return 'rule';
  return String(last);
}

/** The value at a path of parsed data, or undefined. */
function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[String(segment)];
  }
  return value;
}

/** A checked mapping file as the engine's MappingFile, leaving out what the file leaves out. */
function toMappingFile(parsed: ParsedMappingFile, name: string, lines: readonly number[]): MappingFile {
  return { source: parsed.source, name, lines, rules: parsed.rules.map(toMappingRule) };
}

/** One checked rule as a MappingRule (optional fields absent rather than undefined). */
function toMappingRule(rule: ParsedMappingFile['rules'][number]): MappingRule {
  const { element, boundary, asset } = rule;
  return {
    type: rule.type,
    ...(rule.when && { when: rule.when }),
    ...(element && {
      element: {
        kind: element.kind,
        ...(element.type && { type: element.type }),
        ...(element.technology && { technology: element.technology }),
        ...(element.name && { name: element.name }),
        ...(element.tags && { tags: element.tags }),
      },
    }),
    ...(boundary && {
      boundary: {
        kind: boundary.kind,
        ...(boundary.name && { name: boundary.name }),
        ...(boundary.trustLevel !== undefined && { trustLevel: boundary.trustLevel }),
      },
    }),
    ...(asset && {
      asset: {
        kind: asset.kind,
        ...(asset.name && { name: asset.name }),
        ...(asset.classification && { classification: asset.classification }),
      },
    }),
    ...(rule.passThrough && { passThrough: true as const }),
    ...(rule.ignore !== undefined && { ignore: rule.ignore }),
  };
}

let cachedBuiltins: readonly MappingFile[] | undefined;

/**
 * The built-in mapping files (packages/interop/mappings/*.yaml as embedded by scripts/embed-mappings.js),
 * checked once by the same schema as users' files. A problem in them is a bug in Parapet, so it throws.
 */
export function getBuiltinMappings(): readonly MappingFile[] {
  if (cachedBuiltins) return cachedBuiltins;
  cachedBuiltins = builtin.files.map((file) => {
    const result = mappingFileSchema.safeParse(file.mapping);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(
        `built-in mappings in ${file.name} are broken: ${issue?.path.map(String).join('.') ?? ''} ${issue?.message ?? ''}`,
      );
    }
    return toMappingFile(result.data, `@parapet/interop/${file.name}`, file.lines);
  });
  return cachedBuiltins;
}

/** The built-in mapping files as embedded: file name, the line each rule starts on, and the parsed file. */
export function getBuiltinMappingFiles(): readonly {
  readonly name: string;
  readonly lines: readonly number[];
  readonly mapping: unknown;
}[] {
  return builtin.files;
}
