import type { ThreatModelInput } from '@parapet/core';

/** The formats Parapet imports, exports or discovers from. */
export const IMPORT_FORMATS = ['threat-dragon', 'otm', 'threagile', 'ms-tmt', 'threat-composer'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['threat-dragon', 'otm', 'threat-composer'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const DISCOVERY_SOURCES = [
  'docker-compose',
  'kubernetes',
  'terraform',
  'terraform-plan',
  'cloudformation',
] as const;
export type DiscoverySource = (typeof DISCOVERY_SOURCES)[number];

/**
 * Something in the source that the model does not hold, or holds only approximately. Every importer lists
 * all of them: nothing is dropped silently.
 */
export interface Unmapped {
  /** Where it is in the source: a path such as `detail.diagrams[0].cells[3].data.threats[1]`, or an XML path. */
  readonly at: string;
  /** The source file, when known. */
  readonly file?: string;
  /** Its line in the source file (1-based), when known. */
  readonly line?: number;
  /** What it is, in words: `text block "A Demo Threat Model"`, `threat severity "TBA"`. */
  readonly what: string;
  /** Why it is not in the model as it was, and what was done instead (if anything). */
  readonly reason: string;
}

/** A model made from another tool's file, with what could not be carried over. */
export interface ImportResult {
  readonly format: ImportFormat | DiscoverySource;
  /** A complete Parapet model (before defaults), valid against the schema and its references. */
  readonly model: ThreatModelInput;
  readonly unmapped: readonly Unmapped[];
}

/** A file of another tool's format written from a Parapet model, with what that format cannot hold. */
export interface ExportResult {
  readonly format: ExportFormat;
  /** The file's text (JSON, pretty-printed, ending with a newline). */
  readonly text: string;
  /** What the model holds that the format cannot (`at` is a path in the Parapet model). */
  readonly unmapped: readonly Unmapped[];
}

/**
 * An input that cannot be imported at all (not the format, not parseable, over a limit), with where the
 * problem is. Importers never throw anything else on bad input.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }

  /** `file:line:column: message`, as the CLI prints it. */
  describe(): string {
    const where =
      this.line === undefined
        ? this.file
        : `${this.file}:${this.line}${this.column === undefined ? '' : `:${this.column}`}`;
    return `${where}: ${this.message}`;
  }
}
