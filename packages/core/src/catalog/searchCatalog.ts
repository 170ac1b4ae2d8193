import { getCatalogs, type CatalogEntry, type CatalogKind } from './catalogData.js';

export interface CatalogSearchOptions {
  /** Search one catalog only; a bare number (`66`) then means that catalog's id. */
  readonly kind?: CatalogKind | undefined;
  /** Most results returned (default 20). */
  readonly limit?: number | undefined;
}

/** One search hit: enough to list it; `getCatalogEntry(id)` gives the whole entry. */
export interface CatalogResult {
  readonly kind: CatalogKind;
  readonly id: string;
  readonly name: string;
  /** One line: the short description, or the requirement text for ASVS; empty for CWE names. */
  readonly summary: string;
}

const DEFAULT_LIMIT = 20;

/**
 * Searches CAPEC, ATT&CK, ASVS and CWE. Ranking: an exact id first (with an ATT&CK technique's sub-techniques
 * after it), then entries whose name contains every query word (an exact name first, then the phrase, then
 * shorter names), then entries whose description contains every word. Ties keep catalog order (CAPEC, ATT&CK,
 * ASVS, CWE) and id order, so the same query always gives the same list.
 *
 * @example
 * searchCatalog('capec-66')[0] // { kind: 'capec', id: 'CAPEC-66', name: 'SQL Injection', summary: 'This attack…' }
 * searchCatalog('79', { kind: 'cwe' })[0]?.id // 'CWE-79'
 * searchCatalog('sql injection', { limit: 3 }).map((r) => r.id) // ['CAPEC-66', 'CAPEC-676', 'CAPEC-7']
 */
export function searchCatalog(query: string, options: CatalogSearchOptions = {}): CatalogResult[] {
  const { kind, limit = DEFAULT_LIMIT } = options;
  const index = getSearchIndex().filter((item) => kind === undefined || item.entry.kind === kind);
  const seen = new Set<string>();
  const ranked: CatalogEntry[] = [];
  const add = (entry: CatalogEntry) => {
    if (seen.has(entry.id)) return;
    seen.add(entry.id);
    ranked.push(entry);
  };

  const { byId } = getCatalogs();
  for (const id of candidateIds(query, kind)) {
    const entry = byId.get(id);
    if (!entry || (kind !== undefined && entry.kind !== kind)) continue;
    add(entry);
    if (entry.kind === 'attack' && entry.type === 'technique' && !entry.id.includes('.')) {
      for (const item of index) if (item.entry.id.startsWith(`${entry.id}.`)) add(item.entry);
    }
  }

  const phrase = query.trim().toLowerCase().replace(/\s+/g, ' ');
  const words = phrase.split(' ').filter((w) => w !== '');
  if (words.length > 0) {
    const byName = index
      .map((item, position) => ({ item, position }))
      .filter(({ item }) => words.every((w) => item.name.includes(w)))
      .map(({ item, position }) => ({
        entry: item.entry,
        rank: item.name === phrase ? 0 : item.name.includes(phrase) ? 1 : 2,
        length: item.name.length,
        position,
      }))
      .sort((a, b) => a.rank - b.rank || a.length - b.length || a.position - b.position);
    for (const { entry } of byName) add(entry);
    for (const item of index) if (words.every((w) => item.text.includes(w))) add(item.entry);
  }
  return ranked.slice(0, Math.max(0, limit)).map(toResult);
}

/**
 * The whole entry for an id, in any case (`CAPEC-66`, `t1190`, `M1050`, `V6.2.1` or `6.2.1`, `CWE-79`), or
 * undefined when no catalog has it. A bare number is ambiguous (CAPEC or CWE) and finds nothing.
 *
 * @example
 * getCatalogEntry('cwe-79')?.name // "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"
 * getCatalogEntry('T9999') // undefined
 */
export function getCatalogEntry(id: string): CatalogEntry | undefined {
  const [candidate, ...others] = candidateIds(id, undefined);
  if (candidate === undefined || others.length > 0) return undefined;
  return getCatalogs().byId.get(candidate);
}

/**
 * True when `id` names an entry of a catalog: for checking references such as `CWE-89`, `CAPEC-66`, `T1190`,
 * `M1050` or `V6.2.1` (case does not matter).
 *
 * @example
 * isKnownReference('CAPEC-66') // true
 * isKnownReference('CWE-99999') // false
 */
export function isKnownReference(id: string): boolean {
  return getCatalogEntry(id) !== undefined;
}

/** The upper-case ids a query can mean exactly: `capec 66` → CAPEC-66, `6.2.1` → V6.2.1, `66` → CAPEC-66, CWE-66. */
function candidateIds(query: string, kind: CatalogKind | undefined): string[] {
  const q = query.trim().toUpperCase();
  const prefixed = /^(CAPEC|CWE)[\s_-]*0*(\d+)$/.exec(q);
  if (prefixed) return [`${prefixed[1]}-${prefixed[2]}`];
  if (/^[TM]\d{4}(\.\d{3})?$/.test(q)) return [q];
  const asvs = /^V?(\d+\.\d+\.\d+)$/.exec(q);
  if (asvs) return [`V${asvs[1]}`];
  const number = /^0*(\d+)$/.exec(q);
  if (!number) return [];
  const candidates = [`CAPEC-${number[1]}`, `CWE-${number[1]}`];
  return kind === 'capec' ? [candidates[0] ?? ''] : kind === 'cwe' ? [candidates[1] ?? ''] : candidates;
}

interface SearchItem {
  readonly entry: CatalogEntry;
  /** Lower-case name (for ASVS, the section's), matched first. */
  readonly name: string;
  /** Lower-case name and descriptive text, matched second. */
  readonly text: string;
}

let searchIndex: readonly SearchItem[] | undefined;

function getSearchIndex(): readonly SearchItem[] {
  searchIndex ??= getCatalogs().entries.map((entry) => {
    const name = entry.kind === 'asvs' ? entry.section : entry.name;
    const extra =
      entry.kind === 'capec'
        ? entry.mitigations.join(' ')
        : entry.kind === 'attack' && entry.type === 'technique'
          ? entry.tactics.join(' ')
          : entry.kind === 'asvs'
            ? entry.chapter
            : '';
    return { entry, name: name.toLowerCase(), text: `${name} ${toResult(entry).summary} ${extra}`.toLowerCase() };
  });
  return searchIndex;
}

function toResult(entry: CatalogEntry): CatalogResult {
  switch (entry.kind) {
    case 'capec':
    case 'attack':
      return { kind: entry.kind, id: entry.id, name: entry.name, summary: entry.description };
    case 'asvs':
      return { kind: 'asvs', id: entry.id, name: `${entry.section} (level ${entry.level})`, summary: entry.text };
    case 'cwe':
      return { kind: 'cwe', id: entry.id, name: entry.name, summary: '' };
  }
}
