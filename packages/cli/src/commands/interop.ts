import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  formatModelText,
  loadModel,
  writeModelText,
  type Diagnostic,
  type ThreatModel,
  type ThreatModelInput,
} from '@parapet/core';
import { isMap, isSeq, parseDocument } from 'yaml';
import {
  checkModel,
  discover,
  exportModel,
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  importModel,
  ImportError,
  mergeDiscovered,
  parseMappingFile,
  writeModelYaml,
  type ExportFormat,
  type ImportFormat,
  type MappingFile,
  type Unmapped,
} from '@parapet/interop';
import { EXIT, UsageError } from '../errors.js';
import { writeTextFile, type CliIo } from '../io.js';
import { loadAnalysis } from '../loadAnalysis.js';
import { countLabel, printDiagnostics } from '../printDiagnostics.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { createStyle, type Style } from '../style.js';
import type { OutputFormat } from './options.js';

export function parseImportFormat(value: string): ImportFormat {
  const format = IMPORT_FORMATS.find((f) => f === value);
  if (format) return format;
  throw new UsageError(`--from takes one of ${IMPORT_FORMATS.join(', ')}, not "${value}"`);
}

export function parseExportFormat(value: string): ExportFormat {
  const format = EXPORT_FORMATS.find((f) => f === value);
  if (format) return format;
  throw new UsageError(`--to takes one of ${EXPORT_FORMATS.join(', ')}, not "${value}"`);
}

/** Reads a file the user named, as text; a usage error when it is missing. */
function readInput(cwd: string, file: string): string {
  const full = resolve(cwd, file);
  if (!existsSync(full)) throw new UsageError(`no such file: ${file}`);
  if (statSync(full).isDirectory()) throw new UsageError(`${file} is a folder, not a file`);
  return readFileSync(full, 'utf8');
}

/** The model file a command writes: YAML, or JSON when the name ends in .json. */
function modelText(model: ThreatModelInput, out: string): string {
  return /\.json$/i.test(out) ? writeModelText(model, out) : writeModelYaml(model);
}

/** YAML files up to this size are loaded back to check them, so that problems point at their lines. */
const LOCATED_CHECK_LIMIT = 4 * 1024 * 1024;

/**
 * Checks the model about to be written as Parapet will load it. A large YAML text is checked through JSON
 * (YAML parses at about 1 MB/s): its problems then name the path in the model, not a line.
 */
function checkWritten(model: ThreatModelInput, out: string, text: string): readonly Diagnostic[] {
  if (/\.json$/i.test(out) || text.length <= LOCATED_CHECK_LIMIT) {
    return loadModel(out, { readFile: (path) => (path === out ? text : undefined), resolvePath: (_from, r) => r })
      .diagnostics;
  }
  return checkModel(model).map((d) => ({ ...d, location: { file: out, line: 0, column: 0 } }));
}

/** Counts of a model's sections, for summaries. */
function countItems(model: ThreatModelInput): Record<string, number> {
  const sections = [
    'elements',
    'flows',
    'boundaries',
    'assets',
    'actors',
    'threats',
    'mitigations',
    'assumptions',
    'decisions',
    'views',
  ] as const;
  const counts: Record<string, number> = {};
  for (const section of sections) {
    const items = (model as Record<string, unknown>)[section];
    if (Array.isArray(items) && items.length > 0) counts[section] = items.length;
  }
  return counts;
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([section, n]) => `${n} ${section}`)
    .join(', ');
}

function printUnmapped(unmapped: readonly Unmapped[], style: Style): string {
  if (unmapped.length === 0) return '';
  const lines = unmapped.map((u) => {
    const where = `${u.file ?? ''}${u.line === undefined ? '' : `:${u.line}`}`;
    return `  ${style.yellow('•')} ${sanitizeForTerminal(u.what)} ${style.dim(`(${sanitizeForTerminal(where ? `${where} ` : '')}${sanitizeForTerminal(u.at)})`)}\n    ${sanitizeForTerminal(u.reason)}\n`;
  });
  return `${style.bold(`Not carried over as it was (${unmapped.length})`)}\n${lines.join('')}`;
}

function errorMessage(error: unknown): string {
  if (error instanceof ImportError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

/** Refuses to replace a file unless asked: an import must never lose a model a person wrote. */
function checkOut(cwd: string, out: string, force: boolean): void {
  if (!force && existsSync(resolve(cwd, out)))
    throw new UsageError(`${out} exists: choose another --out, or add --force to replace it`);
}

export interface ImportOptions {
  readonly from?: ImportFormat | undefined;
  readonly out: string;
  readonly force: boolean;
  readonly format: OutputFormat;
}

/**
 * `parapet import <file...> --out model.yaml`: reads other tools' files (format detected from content, or
 * --from), merges them into one model, writes it, and lists everything that could not be carried over.
 */
export function runImport(files: readonly string[], options: ImportOptions, io: CliIo): number {
  const style = createStyle(io);
  checkOut(io.cwd, options.out, options.force);
  let model: ThreatModelInput | undefined;
  const unmapped: Unmapped[] = [];
  const formats: string[] = [];
  for (const file of files) {
    const text = readInput(io.cwd, file);
    try {
      const result = importModel(text, file, options.from);
      formats.push(`${file}: ${result.format}`);
      unmapped.push(...result.unmapped);
      model = model ? mergeDiscovered(model, result.model).model : result.model;
    } catch (error) {
      io.stderr(`${style.red('✖')} ${sanitizeForTerminal(errorMessage(error))}\n`);
      return EXIT.invalid;
    }
  }
  if (!model) throw new UsageError('name at least one file to import');
  const text = modelText(model, options.out);
  const diagnostics = checkWritten(model, options.out, text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) writeTextFile(io.cwd, options.out, text);
  if (options.format === 'json') {
    io.stdout(
      `${JSON.stringify({ out: errors.length === 0 ? options.out : null, files: formats, counts: countItems(model), unmapped, diagnostics }, null, 2)}\n`,
    );
  } else {
    io.stdout(`${formats.map((f) => `${style.dim('read')} ${sanitizeForTerminal(f)}`).join('\n')}\n`);
    if (errors.length === 0)
      io.stdout(`${style.green('✔')} wrote ${options.out}: ${describeCounts(countItems(model))}\n`);
    const notes = printUnmapped(unmapped, style);
    if (notes) io.stdout(`\n${notes}`);
    if (diagnostics.length > 0) io.stdout(`\n${printDiagnostics(diagnostics, style)}`);
  }
  return errors.length === 0 ? EXIT.ok : EXIT.invalid;
}

export interface ExportOptions {
  readonly to: ExportFormat;
  readonly out: string;
  readonly force: boolean;
  /** Include the threats the rules find (default), not only those written by hand. */
  readonly generated: boolean;
  readonly today?: string | undefined;
  readonly maxBytes?: number | undefined;
}

/** `parapet export <model> --to <format> --out <file>`: writes the model in another tool's format. */
export function runExport(file: string, options: ExportOptions, io: CliIo): number {
  const style = createStyle(io);
  checkOut(io.cwd, options.out, options.force);
  const loaded = loadAnalysis(file, { maxBytes: options.maxBytes, today: options.today }, io);
  const model: ThreatModel | undefined = loaded.result.model;
  if (!model || loaded.hasErrors) {
    io.stdout(printDiagnostics(loaded.diagnostics, style));
    return EXIT.invalid;
  }
  const result = exportModel(
    model,
    options.to,
    options.generated && loaded.analysis ? { analysis: loaded.analysis } : {},
  );
  writeTextFile(io.cwd, options.out, result.text);
  io.stdout(`${style.green('✔')} wrote ${options.out} (${options.to})\n`);
  const text = printUnmapped(result.unmapped, style);
  if (text) io.stdout(`\n${text}`);
  return EXIT.ok;
}

export interface DiscoverOptions {
  readonly out: string;
  readonly mappings: readonly string[];
  readonly format: OutputFormat;
}

/** Folders never walked into while looking for infrastructure files. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.terraform', 'dist', 'build', 'vendor']);
const INFRASTRUCTURE_FILE = /\.(ya?ml|json|tf)$/i;
const MAX_FILES = 5_000;

/**
 * The files to read for discovery: the files named, and the YAML, JSON and .tf files under the folders named;
 * `searched` when a folder was named (its other files may be anything, so unknown ones are skipped).
 */
function collectInfrastructureFiles(cwd: string, paths: readonly string[]): { files: string[]; searched: boolean } {
  const files: string[] = [];
  let searched = false;
  const walk = (path: string): void => {
    for (const name of readdirSync(resolve(cwd, path)).sort()) {
      const child = join(path, name);
      const stats = statSync(resolve(cwd, child));
      if (stats.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(name)) walk(child);
      } else if (INFRASTRUCTURE_FILE.test(name) && !/\.tfstate/.test(name)) {
        files.push(child);
        if (files.length > MAX_FILES)
          throw new UsageError(`more than ${MAX_FILES} files under ${paths.join(', ')}: name the folders to read`);
      }
    }
  };
  for (const path of paths) {
    const full = resolve(cwd, path);
    if (!existsSync(full)) throw new UsageError(`no such file or folder: ${path}`);
    if (statSync(full).isDirectory()) {
      searched = true;
      walk(path);
    } else files.push(path);
  }
  return { files, searched };
}

/**
 * `parapet discover <dir or files> --out model.yaml`: a model skeleton from docker-compose, Kubernetes,
 * Terraform and CloudFormation files, every item marked inferred and pointing at its source. When the model
 * exists, what was discovered is merged in: what a person wrote is never changed.
 */
export async function runDiscover(paths: readonly string[], options: DiscoverOptions, io: CliIo): Promise<number> {
  const style = createStyle(io);
  const { files, searched } = collectInfrastructureFiles(io.cwd, paths);
  const mappings: MappingFile[] = [];
  try {
    for (const mapping of options.mappings) mappings.push(parseMappingFile(readInput(io.cwd, mapping), mapping));
  } catch (error) {
    io.stderr(`${style.red('✖')} ${sanitizeForTerminal(errorMessage(error))}\n`);
    return EXIT.invalid;
  }
  // Only files that look like infrastructure code are read as such: other YAML and JSON in the folders is skipped.
  const inputs = files.map((file) => ({
    file: relative(io.cwd, resolve(io.cwd, file)) || file,
    text: readFileSync(resolve(io.cwd, file), 'utf8'),
  }));
  let discovered;
  try {
    discovered = await discover(inputs, {
      mappings,
      skipUnknown: searched,
    });
  } catch (error) {
    io.stderr(`${style.red('✖')} ${sanitizeForTerminal(errorMessage(error))}\n`);
    return EXIT.invalid;
  }
  let model = discovered.model;
  let changes:
    | { added: readonly string[]; updated: readonly string[]; kept: readonly string[]; missing: readonly string[] }
    | undefined;
  let text: string | undefined;
  const outPath = resolve(io.cwd, options.out);
  if (existsSync(outPath)) {
    const existingText = readFileSync(outPath, 'utf8');
    const existing = loadModel(options.out, {
      readFile: (path) => (path === options.out ? existingText : undefined),
      resolvePath: (_from, reference) => reference,
    });
    if (!existing.model || existing.diagnostics.some((d) => d.severity === 'error')) {
      io.stdout(`${style.red('✖')} ${options.out} has errors: fix them before merging a discovery into it\n`);
      io.stdout(printDiagnostics(existing.diagnostics, style));
      return EXIT.invalid;
    }
    const merged = mergeDiscovered(existing.model, discovered.model);
    model = merged.model;
    changes = merged;
    // Only the added and updated items are written into the file: the rest of it (comments included) stays.
    text = /\.json$/i.test(options.out) ? undefined : applyMerge(existingText, merged);
  }
  const written = text ?? modelText(model, options.out);
  const diagnostics = checkWritten(model, options.out, written);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) writeTextFile(io.cwd, options.out, written);
  if (options.format === 'json') {
    io.stdout(
      `${JSON.stringify({ out: errors.length === 0 ? options.out : null, files: inputs.map((i) => i.file), counts: countItems(model), changes: changes ?? null, unmapped: discovered.unmapped, diagnostics }, null, 2)}\n`,
    );
  } else {
    io.stdout(`${style.dim(`read ${countLabel(inputs.length, 'file')}`)}\n`);
    if (errors.length === 0)
      io.stdout(`${style.green('✔')} wrote ${options.out}: ${describeCounts(countItems(model))}\n`);
    if (changes) {
      io.stdout(
        `  merged: ${changes.added.length} added, ${changes.updated.length} updated, ${changes.kept.length} kept as they were\n`,
      );
      if (changes.missing.length > 0)
        io.stdout(
          `  ${style.yellow('no longer found in the source')} (kept; review them): ${changes.missing.map(sanitizeForTerminal).join(', ')}\n`,
        );
    }
    const notes = printUnmapped(discovered.unmapped, style);
    if (notes) io.stdout(`\n${notes}`);
    if (diagnostics.length > 0) io.stdout(`\n${printDiagnostics(diagnostics, style)}`);
  }
  return errors.length === 0 ? EXIT.ok : EXIT.invalid;
}

const MERGED_SECTIONS = ['boundaries', 'elements', 'flows', 'assets', 'actors'] as const;

/**
 * Writes a merge into the existing YAML text: added items appended to their sections, updated (inferred)
 * items replaced in place, everything else left as written, comments included; then canonical form.
 */
function applyMerge(
  existingText: string,
  merged: { model: ThreatModelInput; added: readonly string[]; updated: readonly string[] },
): string {
  const doc = parseDocument(existingText);
  const changed = new Set([...merged.added, ...merged.updated]);
  for (const section of MERGED_SECTIONS) {
    const items = ((merged.model as Record<string, unknown>)[section] ?? []) as { id: string }[];
    for (const item of items) {
      if (!changed.has(item.id)) continue;
      const sequence = doc.getIn([section]);
      if (!isSeq(sequence)) {
        doc.setIn([section], doc.createNode([item]));
        continue;
      }
      const at = sequence.items.findIndex((node) => isMap(node) && node.get('id') === item.id);
      if (at === -1) sequence.items.push(doc.createNode(item));
      else sequence.items[at] = doc.createNode(item);
    }
  }
  const text = doc.toString();
  const formatted = formatModelText(text, 'threatmodel.yaml');
  return formatted.ok ? formatted.text : text;
}
