import {
  compareDiagnostics,
  formatPath,
  type Diagnostic,
  type PathSegment,
  type SourceLocation,
} from '../diagnostics/Diagnostic.js';
import type { ModelIndex } from '../enrich/ModelIndex.js';
import { enrichModel, type ModelEnrichment } from '../enrich/enrichModel.js';
import { DEFAULT_LIMITS, type ParseLimits } from '../parse/limits.js';
import { parseSource } from '../parse/parseSource.js';
import type { SourceFile } from '../parse/SourceFile.js';
import {
  FORMAT_VERSION,
  SECTIONS,
  threatModelPartSchema,
  threatModelSchema,
  type ThreatModel,
} from '../schema/ThreatModel.js';
import { checkReferences } from '../validate/checkReferences.js';
import { checkSmells } from '../validate/checkSmells.js';
import { fromZodIssues, type PathProblem } from '../validate/fromZodIssues.js';
import { isRecord } from '../validate/isRecord.js';

/** How core reaches files: passed in, so that core itself touches no file system. */
export interface ModelHost {
  /** The file's content, or undefined when it does not exist. May throw for other failures. */
  readFile(path: string): string | Uint8Array | undefined;
  /** The path `reference` names, written in a file at `fromFile`. */
  resolvePath(fromFile: string, reference: string): string;
}

export interface LoadOptions {
  readonly limits?: Partial<ParseLimits>;
}

export interface LoadResult {
  /** The merged, validated model; absent when there are errors. */
  readonly model?: ThreatModel;
  /** Derived facts; present with the model. */
  readonly enrichment?: ModelEnrichment;
  /** Errors and warnings from every file, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every file read, root first. */
  readonly files: readonly SourceFile[];
  /** Ids and resolved flow ends of the model; present with the model. */
  readonly index?: ModelIndex;
  /** Where a path of the merged model is written (file, line, column); present with the model. */
  readonly locate?: (path: readonly PathSegment[]) => SourceLocation;
}

interface Segment {
  readonly file: SourceFile;
  readonly start: number;
  readonly count: number;
}

/**
 * Reads a model file and the files it includes, validates them and derives the enrichment. Never throws on
 * bad input: every problem comes back as a diagnostic with its file, line and column.
 *
 * @example
 * const result = loadModel('threatmodel.yaml', { readFile: (p) => files.get(p), resolvePath: (_, r) => r });
 * for (const d of result.diagnostics) console.log(formatDiagnostic(d));
 */
export function loadModel(entry: string, host: ModelHost, options: LoadOptions = {}): LoadResult {
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const report = (file: SourceFile, problem: PathProblem): void => {
    diagnostics.push({
      severity: problem.severity,
      code: problem.code,
      message: problem.message,
      path: formatPath(problem.path),
      location: { file: file.name, ...file.locate(problem.path, problem.part) },
    });
  };
  const done = (extra: Partial<LoadResult> = {}): LoadResult => ({
    ...extra,
    diagnostics: diagnostics.sort(compareDiagnostics),
    files,
  });

  const read = (path: string, from?: { file: SourceFile; path: PathSegment[] }): SourceFile | undefined => {
    let content: string | Uint8Array | undefined;
    try {
      content = host.readFile(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      pushAt(from, 'PARAPET_FILE_UNREADABLE', `cannot read ${path}: ${reason}`, path);
      return undefined;
    }
    if (content === undefined) {
      pushAt(from, from ? 'PARAPET_INCLUDE_NOT_FOUND' : 'PARAPET_FILE_UNREADABLE', `no such file: ${path}`, path);
      return undefined;
    }
    const parsed = parseSource(path, content, limits);
    if (!parsed.ok) {
      for (const problem of parsed.problems) {
        diagnostics.push({
          severity: 'error',
          code: problem.code,
          message: problem.message,
          path: '',
          location: { file: path, ...problem.position },
        });
      }
      return undefined;
    }
    files.push(parsed.file);
    return parsed.file;
  };
  const pushAt = (
    from: { file: SourceFile; path: PathSegment[] } | undefined,
    code: Diagnostic['code'],
    message: string,
    path: string,
  ): void => {
    if (from) report(from.file, { severity: 'error', code, message, path: from.path, part: 'value' });
    else diagnostics.push({ severity: 'error', code, message, path: '', location: { file: path, line: 1, column: 1 } });
  };

  const root = read(entry);
  if (!root) return done();
  if (!isRecord(root.data)) {
    report(root, {
      severity: 'error',
      code: 'PARAPET_SCHEMA',
      message: 'a model is a mapping that starts with "parapet: 1"',
      path: [],
      part: 'value',
    });
    return done();
  }
  const version = root.data['parapet'];
  if (version !== FORMAT_VERSION) {
    const message =
      version === undefined
        ? `missing "parapet: ${FORMAT_VERSION}": a model file states its format version first`
        : `unsupported format version ${JSON.stringify(version)}: this Parapet reads version ${FORMAT_VERSION}`;
    report(root, {
      severity: 'error',
      code: 'PARAPET_VERSION',
      message,
      path: version === undefined ? [] : ['parapet'],
      part: 'value',
    });
    return done();
  }

  // Validate each file on its own, so that schema problems point into the file that has them.
  const validated = new Map<SourceFile, Record<string, unknown> | undefined>();
  const validate = (file: SourceFile, isRoot: boolean): void => {
    const schema = isRoot ? threatModelSchema : threatModelPartSchema;
    if (!isRoot && isRecord(file.data) && 'model' in file.data) {
      report(file, {
        severity: 'error',
        code: 'PARAPET_INCLUDE_MODEL',
        message: 'only the root file has a "model" section; an included file holds sections such as elements or actors',
        path: ['model'],
        part: 'key',
      });
      const { model: _ignored, ...rest } = file.data;
      const result = schema.safeParse(rest);
      for (const p of result.success ? [] : fromZodIssues(result.error.issues, schema, rest)) report(file, p);
      validated.set(file, undefined);
      return;
    }
    const result = schema.safeParse(file.data);
    if (result.success) validated.set(file, result.data);
    else {
      validated.set(file, undefined);
      for (const p of fromZodIssues(result.error.issues, schema, file.data)) report(file, p);
    }
  };
  validate(root, true);

  // Follow includes depth-first, in order; each file is read once.
  const order: SourceFile[] = [root];
  const visiting: string[] = [entry];
  const seen = new Set<string>([entry]);
  const follow = (file: SourceFile, depth: number): void => {
    const includes = isRecord(file.data) ? file.data['include'] : undefined;
    if (!Array.isArray(includes)) return;
    includes.forEach((reference, i) => {
      if (typeof reference !== 'string') return;
      const at = { file, path: ['include', i] };
      const path = host.resolvePath(file.name, reference);
      if (visiting.includes(path)) {
        report(file, {
          severity: 'error',
          code: 'PARAPET_INCLUDE_CYCLE',
          message: `include cycle: ${[...visiting, path].join(' → ')}`,
          path: at.path,
          part: 'value',
        });
        return;
      }
      if (seen.has(path)) return;
      if (depth + 1 > limits.maxIncludeDepth || seen.size + 1 > limits.maxIncludes) {
        report(file, {
          severity: 'error',
          code: 'PARAPET_INCLUDE_LIMIT',
          message: `too many includes: at most ${limits.maxIncludes} files, ${limits.maxIncludeDepth} deep`,
          path: at.path,
          part: 'value',
        });
        return;
      }
      seen.add(path);
      const included = read(path, at);
      if (!included) return;
      if (!isRecord(included.data)) {
        report(included, {
          severity: 'error',
          code: 'PARAPET_SCHEMA',
          message: 'an included file is a mapping of sections',
          path: [],
          part: 'value',
        });
        return;
      }
      validate(included, false);
      order.push(included);
      visiting.push(path);
      follow(included, depth + 1);
      visiting.pop();
    });
  };
  follow(root, 0);

  // Merge the raw sections, remembering which file each item came from.
  const merged: Record<string, unknown[]> = {};
  const origins = new Map<string, Segment[]>();
  let itemCount = 0;
  for (const section of SECTIONS) {
    const items: unknown[] = [];
    const segments: Segment[] = [];
    for (const file of order) {
      const list = isRecord(file.data) ? file.data[section] : undefined;
      if (!Array.isArray(list)) continue;
      segments.push({ file, start: items.length, count: list.length });
      for (const item of list) items.push(item);
    }
    merged[section] = items;
    origins.set(section, segments);
    itemCount += items.length;
  }
  /** The file a path of the merged model comes from, and the path inside that file. */
  const toFilePath = (path: readonly PathSegment[]): { file: SourceFile; path: readonly PathSegment[] } => {
    const [section, index, ...rest] = path;
    const segment = origins
      .get(String(section))
      ?.find((s) => typeof index === 'number' && index >= s.start && index < s.start + s.count);
    if (!segment || typeof index !== 'number') return { file: root, path };
    return { file: segment.file, path: [section as string, index - segment.start, ...rest] };
  };
  const reportMerged = (problem: PathProblem): void => {
    const at = toFilePath(problem.path);
    report(at.file, { ...problem, path: at.path });
  };
  const locate = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): SourceLocation => {
    const at = toFilePath(path);
    return { file: at.file.name, ...at.file.locate(at.path, part) };
  };
  if (itemCount > limits.maxItems) {
    report(root, {
      severity: 'error',
      code: 'PARAPET_SIZE_LIMIT',
      message: `the model has ${itemCount} items, over the limit of ${limits.maxItems}`,
      path: [],
      part: 'value',
    });
    return done();
  }
  const references = checkReferences(merged);
  for (const problem of references.problems) reportMerged(problem);
  if (diagnostics.some((d) => d.severity === 'error')) return done();

  // The raw merged items and the validated ones are in the same order, so the index built while checking
  // references serves the validated model too.
  const model = mergeValidated(order.map((f) => validated.get(f) ?? {}));
  const enrichment = enrichModel(model, references.index);
  for (const problem of checkSmells(model, enrichment, references.index)) reportMerged(problem);
  return done({ model, enrichment, index: references.index, locate });
}

function mergeValidated(parts: Record<string, unknown>[]): ThreatModel {
  const [first, ...rest] = parts;
  const model: Record<string, unknown> = { ...first };
  for (const section of SECTIONS) {
    const lists = [first, ...rest].map((p) => p?.[section]).filter((l): l is unknown[] => Array.isArray(l));
    if (lists.length > 0) model[section] = lists.length === 1 ? lists[0] : lists.flat();
  }
  return model as ThreatModel;
}
