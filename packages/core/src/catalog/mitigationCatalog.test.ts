import { describe, expect, it } from 'vitest';
import { getCatalogEntry, isKnownReference } from './searchCatalog.js';
import { CONTROLS } from './controls.js';
import { getMitigationCatalogEntry, MITIGATION_CATALOG, type MitigationCatalogEntry } from './mitigationCatalog.js';

const entries: [string, MitigationCatalogEntry][] = Object.entries(MITIGATION_CATALOG);

describe('MITIGATION_CATALOG', () => {
  it('has kebab-case ids', () => {
    const bad = entries.map(([id]) => id).filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));
    expect(bad).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(50);
  });

  it('has unique titles', () => {
    const titles = entries.map(([, entry]) => entry.title.toLowerCase());
    const duplicates = titles.filter((title, i) => titles.indexOf(title) !== i);
    expect(duplicates).toEqual([]);
  });

  it('names only controls of the controls catalog, each once', () => {
    const problems = entries.flatMap(([id, entry]) => [
      ...entry.controls.filter((control) => !Object.hasOwn(CONTROLS, control)).map((c) => `${id}: unknown ${c}`),
      ...(new Set(entry.controls).size === entry.controls.length ? [] : [`${id}: repeated control`]),
    ]);
    expect(problems).toEqual([]);
  });

  it('links only known ASVS requirements, at most four per entry', () => {
    const problems = entries.flatMap(([id, entry]) => [
      ...entry.asvs
        .filter((ref) => !/^V\d+\.\d+\.\d+$/.test(ref) || getCatalogEntry(ref)?.kind !== 'asvs')
        .map((ref) => `${id}: ${ref}`),
      ...(entry.asvs.length > 4 ? [`${id}: ${entry.asvs.length} ASVS links`] : []),
      ...(new Set(entry.asvs).size === entry.asvs.length ? [] : [`${id}: repeated ASVS link`]),
    ]);
    expect(problems).toEqual([]);
  });

  it('links only known CWE weaknesses', () => {
    const problems = entries.flatMap(([id, entry]) =>
      (entry.cwe ?? []).filter((ref) => !/^CWE-\d+$/.test(ref) || !isKnownReference(ref)).map((ref) => `${id}: ${ref}`),
    );
    expect(problems).toEqual([]);
  });

  it('has a title and a description for every entry', () => {
    const problems = entries
      .filter(([, entry]) => entry.title.trim() === '' || !/^[A-Z].*\.$/s.test(entry.description))
      .map(([id]) => id);
    expect(problems).toEqual([]);
  });

  it('links parameterized queries to SQL injection', () => {
    const entry = getMitigationCatalogEntry('parameterized-queries');
    expect(entry?.controls).toContain('parameterized-queries');
    expect(entry?.cwe).toContain('CWE-89');
    const texts = (entry?.asvs ?? []).map((ref) => {
      const requirement = getCatalogEntry(ref);
      return requirement?.kind === 'asvs' ? requirement.text : '';
    });
    expect(texts.some((text) => /parameterized queries|SQL/.test(text))).toBe(true);
  });

  it('links the privileged MFA mitigation to the hardware-factor requirement', () => {
    const entry = getMitigationCatalogEntry('mfa-for-privileged-access');
    expect(entry?.controls).toEqual(expect.arrayContaining(['mfa', 'privileged-access-management']));
    const requirement = getCatalogEntry('V6.3.3');
    expect(requirement?.kind === 'asvs' && requirement.text).toMatch(/multi-factor/);
    expect(entry?.asvs).toContain('V6.3.3');
  });

  it('finds entries by exact id only', () => {
    expect(getMitigationCatalogEntry('tls-everywhere')?.controls).toEqual(['encryption-in-transit']);
    expect(getMitigationCatalogEntry('TLS-Everywhere')).toBeUndefined();
    expect(getMitigationCatalogEntry('toString')).toBeUndefined();
    expect(getMitigationCatalogEntry('no-such-mitigation')).toBeUndefined();
  });
});
