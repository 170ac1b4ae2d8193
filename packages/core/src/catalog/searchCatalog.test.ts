import { describe, expect, it } from 'vitest';
import { getCatalogs } from './catalogData.js';
import { getCatalogEntry, isKnownReference, searchCatalog } from './searchCatalog.js';

const ids = (query: string, options?: Parameters<typeof searchCatalog>[1]) =>
  searchCatalog(query, options).map((r) => r.id);

describe('searchCatalog', () => {
  it('finds an exact id first, in any case and with or without its prefix when the kind is given', () => {
    expect(searchCatalog('CAPEC-66')[0]).toEqual({
      kind: 'capec',
      id: 'CAPEC-66',
      name: 'SQL Injection',
      summary:
        'This attack exploits target software that constructs SQL statements based on user input. An attacker crafts input strings so that when the target software constructs SQL statements based on the input, the resulting SQL statement performs actions other than those the application intended.',
    });
    expect(ids('capec-66')[0]).toBe('CAPEC-66');
    expect(ids('66', { kind: 'capec' })[0]).toBe('CAPEC-66');
    expect(ids('66', { kind: 'cwe' })[0]).toBe('CWE-66');
    expect(ids('66').slice(0, 2)).toEqual(['CAPEC-66', 'CWE-66']);
    expect(searchCatalog('t1190')[0]).toMatchObject({ id: 'T1190', name: 'Exploit Public-Facing Application' });
    expect(searchCatalog('v6.2.1')[0]).toMatchObject({
      kind: 'asvs',
      id: 'V6.2.1',
      name: 'Password Security (level 1)',
    });
    expect(ids('6.2.1')[0]).toBe('V6.2.1');
    expect(searchCatalog('CWE-79')[0]).toEqual({
      kind: 'cwe',
      id: 'CWE-79',
      name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
      summary: '',
    });
    expect(ids('m1050')[0]).toBe('M1050');
  });

  it("lists an ATT&CK technique's sub-techniques right after it", () => {
    expect(ids('T1078', { limit: 5 })).toEqual(['T1078', 'T1078.001', 'T1078.002', 'T1078.003', 'T1078.004']);
  });

  it('ranks names with every word above descriptions, the exact name first', () => {
    expect(ids('sql injection', { limit: 4 })).toEqual(['CAPEC-66', 'CAPEC-676', 'CAPEC-7', 'CWE-564']);
    expect(ids('SQL   Injection', { limit: 1 })).toEqual(['CAPEC-66']);
    const xss = ids('cross-site scripting', { limit: 50 });
    expect(xss[0]).toBe('CAPEC-63');
    expect(xss).toContain('CWE-79');
    expect(ids('password', { kind: 'asvs', limit: 3 })).toEqual(['V6.2.1', 'V6.2.2', 'V6.2.3']);
    expect(ids('parameterized queries', { kind: 'capec' })).toContain('CAPEC-66');
  });

  it('is deterministic and honours kind and limit', () => {
    expect(ids('injection', { limit: 50 })).toEqual(ids('injection', { limit: 50 }));
    expect(searchCatalog('injection').length).toBe(20);
    expect(searchCatalog('injection', { limit: 3 }).length).toBe(3);
    expect(searchCatalog('injection', { kind: 'attack', limit: 100 }).every((r) => r.kind === 'attack')).toBe(true);
    expect(ids('CAPEC-66', { kind: 'cwe' })).not.toContain('CAPEC-66');
  });

  it('returns nothing for an unknown query', () => {
    expect(searchCatalog('qwertyuiopasdfgh')).toEqual([]);
    expect(searchCatalog('   ')).toEqual([]);
    expect(searchCatalog('T9999')).toEqual([]);
    expect(searchCatalog('sql injection', { limit: 0 })).toEqual([]);
  });
});

describe('getCatalogEntry and isKnownReference', () => {
  it('give the whole entry of an id', () => {
    expect(getCatalogEntry('CAPEC-66')).toMatchObject({
      kind: 'capec',
      name: 'SQL Injection',
      likelihood: 'High',
      severity: 'High',
      cwe: ['CWE-89', 'CWE-1286'],
    });
    expect(getCatalogEntry('T1190')).toMatchObject({
      kind: 'attack',
      type: 'technique',
      tactics: ['initial-access'],
      mitigations: ['M1016', 'M1026', 'M1030', 'M1035', 'M1037', 'M1048', 'M1050', 'M1051'],
    });
    expect(getCatalogEntry('m1050')).toMatchObject({ type: 'mitigation', name: 'Exploit Protection' });
    expect(getCatalogEntry('V6.2.1')).toEqual({
      kind: 'asvs',
      id: 'V6.2.1',
      text: 'Verify that user set passwords are at least 8 characters in length although a minimum of 15 characters is strongly recommended.',
      level: 1,
      chapter: 'Authentication',
      section: 'Password Security',
      cwe: ['CWE-521'],
    });
    expect(getCatalogEntry('V1.2.4')).toMatchObject({ section: 'Injection Prevention', cwe: ['CWE-89'] });
    expect(getCatalogEntry('66')).toBeUndefined();
    expect(getCatalogEntry('sql')).toBeUndefined();
  });

  it('know references in every catalog', () => {
    expect(['CAPEC-66', 'T1078.004', 'M1032', 'V17.3.2', 'CWE-89', 'cwe-89'].map(isKnownReference)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['CAPEC-99999', 'T0000', 'V99.1.1', 'CWE-99999', '89', ''].map(isKnownReference)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('ships every catalog with links that resolve', () => {
    const { entries } = getCatalogs();
    const count = (kind: string) => entries.filter((e) => e.kind === kind).length;
    expect(count('capec')).toBeGreaterThan(500);
    expect(count('attack')).toBeGreaterThan(600);
    expect(count('asvs')).toBe(345);
    expect(count('cwe')).toBeGreaterThan(900);
    const links = entries.flatMap((e) =>
      e.kind === 'capec' || e.kind === 'asvs'
        ? e.cwe
        : e.kind === 'attack' && e.type === 'technique'
          ? e.mitigations
          : [],
    );
    expect(links.filter((id) => !isKnownReference(id))).toEqual([]);
    const attackLinks = entries.flatMap((e) => (e.kind === 'capec' ? e.attack : []));
    // CAPEC names two techniques that Enterprise ATT&CK does not have: T1513 is ATT&CK Mobile's, and T1574.002
    // is no longer in Enterprise. The links stay as CAPEC gives them.
    expect(attackLinks.filter((id) => !isKnownReference(id)).sort()).toEqual(['T1513', 'T1574.002']);
  });
});
