import {
  CATALOG_KINDS,
  getCatalogEntry,
  searchCatalog,
  type CatalogEntry,
  type CatalogKind,
  type CatalogResult,
} from '@parapet/core';
import { EXIT, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { createStyle, type Style } from '../style.js';
import type { OutputFormat } from './options.js';

export interface CatalogOptions {
  readonly kind?: CatalogKind | undefined;
  readonly limit: number;
  readonly format: OutputFormat;
}

export function parseKind(value: string): CatalogKind {
  const kind = CATALOG_KINDS.find((k) => k === value);
  if (kind === undefined) {
    const names = CATALOG_KINDS.join(', ').replace(/, (?=[^,]*$)/, ' or ');
    throw new UsageError(`--kind must be ${names}, not "${value}"`);
  }
  return kind;
}

export function parseLimit(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`--limit must be a whole number of at least 1, not "${value}"`);
  }
  return Number(value);
}

/**
 * `parapet catalog <query...>`: search CAPEC, ATT&CK, ASVS and CWE. An exact id prints the whole entry; words
 * print one line per match. Exit 0 when something matches, 1 when nothing does.
 */
export function runCatalog(query: string, options: CatalogOptions, io: CliIo): number {
  if (query.trim() === '') throw new UsageError('the query is empty: give words or an id such as CAPEC-66');
  const found = searchCatalog(query, { kind: options.kind, limit: options.limit + 1 });
  const results = found.slice(0, options.limit);
  const entry = findExact(query, options.kind);
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ query, ...(entry ? { entry } : {}), results }, null, 2)}\n`);
  } else if (entry) {
    io.stdout(describeEntry(entry, createStyle(io)));
  } else if (results.length === 0) {
    const where = options.kind === undefined ? 'the catalogs' : `the ${options.kind} catalog`;
    io.stdout(`nothing in ${where} matches "${sanitizeForTerminal(query)}"\n`);
  } else {
    io.stdout(listResults(results, found.length > results.length, createStyle(io)));
  }
  return entry || results.length > 0 ? EXIT.ok : EXIT.invalid;
}

/** The entry a query names exactly; with `--kind capec` or `cwe`, a bare number is that catalog's id. */
function findExact(query: string, kind: CatalogKind | undefined): CatalogEntry | undefined {
  const q = query.trim();
  const prefix = kind === 'capec' ? 'CAPEC-' : kind === 'cwe' ? 'CWE-' : '';
  const entry = getCatalogEntry(/^\d+$/.test(q) ? `${prefix}${q}` : q);
  return entry && (kind === undefined || entry.kind === kind) ? entry : undefined;
}

function listResults(results: readonly CatalogResult[], more: boolean, style: Style): string {
  const width = Math.max(...results.map((r) => r.id.length));
  const lines = results.flatMap((r) => [
    `${style.bold(r.id.padEnd(width))}  ${r.name}`,
    ...(r.summary === '' ? [] : [`  ${style.dim(r.summary)}`]),
  ]);
  if (more) lines.push(style.dim(`(first ${results.length} shown; --limit raises it)`));
  return `${lines.join('\n')}\n`;
}

function describeEntry(entry: CatalogEntry, style: Style): string {
  const lines = [`${style.bold(entry.id)}  ${style.bold(entry.kind === 'asvs' ? entry.section : entry.name)}`];
  const list = (title: string, items: readonly string[]) => {
    if (items.length > 0) lines.push('', style.bold(title), ...items.map((item) => `  ${item}`));
  };
  switch (entry.kind) {
    case 'capec':
      lines.push(
        [
          'CAPEC attack pattern',
          entry.likelihood && `likelihood ${entry.likelihood}`,
          entry.severity && `severity ${entry.severity}`,
        ]
          .filter(Boolean)
          .join(', '),
        '',
        entry.description,
      );
      list('Weaknesses', links(entry.cwe));
      list('ATT&CK techniques', links(entry.attack));
      list(
        'Mitigations',
        entry.mitigations.map((m) => `- ${m}`),
      );
      break;
    case 'attack':
      if (entry.type === 'technique') {
        lines.push(`ATT&CK technique, tactics: ${entry.tactics.join(', ')}`, '', entry.description);
        list('Mitigations', links(entry.mitigations));
        const subs = searchCatalog(entry.id, { kind: 'attack', limit: Infinity }).filter((r) =>
          r.id.startsWith(`${entry.id}.`),
        );
        list('Sub-techniques', links(subs.map((r) => r.id)));
      } else {
        lines.push('ATT&CK mitigation', '', entry.description);
      }
      break;
    case 'asvs':
      lines.push(`OWASP ASVS 5.0.0 requirement, level ${entry.level}, ${entry.chapter}`, '', entry.text);
      list('Weaknesses', links(entry.cwe));
      break;
    case 'cwe':
      lines.push('Common Weakness Enumeration (CWE 4.15)');
      break;
  }
  return `${lines.join('\n')}\n`;
}

/** `ID  name` for each id, aligned; an id no catalog has is shown alone. */
function links(ids: readonly string[]): string[] {
  const width = Math.max(0, ...ids.map((id) => id.length));
  return ids.map((id) => {
    const target = getCatalogEntry(id);
    const name = target === undefined ? '' : target.kind === 'asvs' ? target.section : target.name;
    return name === '' ? id : `${id.padEnd(width)}  ${name}`;
  });
}
