import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SOURCES = resolve(ROOT, '../shared/catalogs');
const DATA = join(ROOT, 'packages/core/src/catalog/data');
const hasSources = existsSync(SOURCES);

interface BuildModule {
  buildCatalogs(sourceDir?: string): { files: Record<string, string>; stats: Record<string, number> };
}

const loadBuild = async () =>
  (await import(pathToFileURL(join(ROOT, 'scripts/build-catalogs.js')).href)) as BuildModule;

describe('the catalog data', () => {
  it.skipIf(!hasSources)(
    `is what scripts/build-catalogs.js makes of ../shared/catalogs (run npm run catalogs)${hasSources ? '' : ' [skipped: ../shared/catalogs is not beside the repository]'}`,
    async () => {
      const { files, stats } = (await loadBuild()).buildCatalogs(SOURCES);
      expect(Object.keys(files).sort()).toEqual(readdirSync(DATA).sort());
      for (const [name, text] of Object.entries(files)) {
        expect(readFileSync(join(DATA, name), 'utf8'), name).toBe(text);
      }
      expect(stats).toEqual({
        capec: 559,
        attackTechniques: 691,
        attackMitigations: 44,
        asvs: 345,
        asvsCweMappings: 212,
        asvsCweMappingsMapped: 135,
        cwe: 942,
        unknownCweReferences: 0,
        unknownAttackReferences: 2,
      });
    },
  );

  it('stays small enough to ship in the core package', () => {
    const bytes = readdirSync(DATA).reduce((sum, name) => sum + readFileSync(join(DATA, name)).length, 0);
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('carries the license notices', () => {
    const notice = readFileSync(join(DATA, 'NOTICE.md'), 'utf8');
    if (hasSources) expect(notice).toContain(readFileSync(join(SOURCES, 'MITRE-LICENSE.txt'), 'utf8'));
    expect(notice).toContain('CC BY-SA 4.0');
    expect(notice).toContain('© OWASP Foundation');
    expect(notice).toContain('The MITRE Corporation');
  });
});
