/** A segment of a path into a model: a key or an index. */
export type PathSegment = string | number;

/** A line and column, both counted from 1. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SourceLocation extends Position {
  readonly file: string;
}

export type Severity = 'error' | 'warning';

/** Stable codes for every problem Parapet reports; documented in docs/model-format.md. */
export const DIAGNOSTIC_CODES = {
  PARAPET_FILE_UNREADABLE: 'The file could not be read.',
  PARAPET_FILE_TOO_LARGE: 'The file is larger than the size limit.',
  PARAPET_FILE_BINARY: 'The file is not UTF-8 text.',
  PARAPET_FILE_EMPTY: 'The file holds no model.',
  PARAPET_SYNTAX: 'The YAML or JSON is malformed.',
  PARAPET_DUPLICATE_KEY: 'A mapping has the same key twice.',
  PARAPET_TOO_DEEP: 'Nesting is deeper than the limit.',
  PARAPET_ALIAS_LIMIT: 'YAML aliases expand past the limit (alias bomb).',
  PARAPET_VERSION: 'The parapet format version is missing or unsupported.',
  PARAPET_SCHEMA: 'A value has the wrong type or is out of range.',
  PARAPET_UNKNOWN_KEY: 'A key the format does not define.',
  PARAPET_MISSING_FIELD: 'A required field is absent.',
  PARAPET_DUPLICATE_ID: 'Two items have the same id.',
  PARAPET_UNKNOWN_REFERENCE: 'A reference names an id that does not exist.',
  PARAPET_WRONG_REFERENCE: 'A reference names an item of the wrong sort.',
  PARAPET_BOUNDARY_CYCLE: 'Boundaries contain each other.',
  PARAPET_FLOW_TO_SELF: 'A flow goes from an element to itself.',
  PARAPET_FLOW_TO_BOUNDARY: 'A flow starts or ends at a boundary instead of an element.',
  PARAPET_INCLUDE_NOT_FOUND: 'An included file does not exist.',
  PARAPET_INCLUDE_CYCLE: 'Files include each other.',
  PARAPET_INCLUDE_LIMIT: 'Too many included files or too deep an include chain.',
  PARAPET_INCLUDE_MODEL: 'An included file has a model section; only the root file may.',
  PARAPET_ELEMENT_WITHOUT_FLOWS: 'Warning: an element takes part in no flow.',
  PARAPET_ASSET_UNUSED: 'Warning: an asset is neither stored nor carried.',
  PARAPET_FLOW_UNPROTECTED: 'Warning: a flow crosses a boundary with no authentication or encryption stated.',
  PARAPET_SIZE_LIMIT: 'The model has more items than the limit.',
  PARAPET_RULE_INCOMPLETE: 'A rule lacks what it needs (a new rule needs title, category, appliesTo and when).',
  PARAPET_RULE_EXPRESSION: 'A rule condition does not parse or does not type-check against the facts.',
  PARAPET_RULE_TEMPLATE: 'A rule text names a fact that does not exist.',
  PARAPET_RULE_REFERENCE: 'A rule names a CWE, CAPEC, ATT&CK or ASVS id that is not in the catalogs.',
  PARAPET_RULE_FAILED: 'Warning: a rule condition failed while evaluating; the rule yielded nothing there.',
  PARAPET_STALE_DECISION: 'Warning: a decision names a threat that no longer exists.',
  PARAPET_ACCEPTANCE_EXPIRED: 'Warning: an accepted threat is past its expiry and counts as open again.',
  PARAPET_STALE_REFERENCE: 'Warning: a mitigation or assumption names a threat or rule that does not exist.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** One problem found in a model, with where it is. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  /** Path into the model, e.g. `flows[3].to`; empty for the file as a whole. */
  readonly path: string;
  readonly location: SourceLocation;
}

/**
 * Writes a path as people read it.
 *
 * @example
 * formatPath(['flows', 3, 'to']) // 'flows[3].to'
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * Writes a diagnostic on one line: `file:line:column path: message`.
 *
 * @example
 * formatDiagnostic(d) // 'threatmodel.yaml:42:9 flows[3].to: unknown element "paymnet-api" (did you mean "payment-api"?)'
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { file, line, column } = diagnostic.location;
  const where = diagnostic.path === '' ? `${file}:${line}:${column}:` : `${file}:${line}:${column} ${diagnostic.path}:`;
  const severity = diagnostic.severity === 'warning' ? 'warning: ' : '';
  return `${where} ${severity}${diagnostic.message}`;
}

/** Orders diagnostics by file, line, column, then message, so that output is stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareStrings(a.message, b.message)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
