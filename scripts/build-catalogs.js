// @ts-check
// Compiles the threat and control catalogs that @parapet/core ships: CAPEC, ATT&CK Enterprise (techniques and
// mitigations), OWASP ASVS 5.0.0 and CWE names. Reads the team's shared folder (../shared/catalogs beside the
// repository, see its README.md) and the CWE dictionary bundled in the `cwe-sdk` devDependency, and writes
// compact, sorted JSON and the license notices into packages/core/src/catalog/data/.
//
//   npm run catalogs
//
// A test in core (catalogData.test.ts) runs buildCatalogs() and fails when the committed files differ.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the source files are: the shared folder that sits beside the repository's clone. */
export const SOURCE_DIR = path.resolve(REPO_ROOT, '../shared/catalogs');
/** Where the compiled data goes. */
export const OUT_DIR = path.join(REPO_ROOT, 'packages/core/src/catalog/data');
/** OWASP's renumbering of ASVS 5.0 development ids (v5.0.be-…) to 5.0.0 ids; see the file's description. */
const ASVS_BE_IDS = path.join(REPO_ROOT, 'scripts/asvs-5.0-be-ids.json');

const SUMMARY_LENGTH = 300;
const MITIGATION_LENGTH = 200;

/**
 * @typedef {{ type: string, id: string, name?: string, description?: string, revoked?: boolean,
 *   x_mitre_deprecated?: boolean, external_references?: { source_name: string, external_id?: string }[],
 *   [key: string]: unknown }} StixObject
 * @typedef {{ id: string, name: string, description: string, likelihood?: string, severity?: string,
 *   cwe: string[], attack: string[], mitigations: string[] }} CapecEntry
 * @typedef {{ id: string, name: string, tactics: string[], description: string, mitigations: string[] }} AttackTechnique
 * @typedef {{ id: string, name: string, description: string }} AttackMitigation
 * @typedef {{ id: string, text: string, level: number, chapter: string, section: string, cwe: string[] }} AsvsEntry
 * @typedef {{ files: Record<string, string>, stats: Record<string, number> }} BuildResult
 */

/**
 * Builds every data file in memory: file name (inside OUT_DIR) to its text. Same input, same bytes.
 * @param {string} [sourceDir]
 * @returns {BuildResult}
 */
export function buildCatalogs(sourceDir = SOURCE_DIR) {
  const readJson = (/** @type {string} */ name) => JSON.parse(readFileSync(path.join(sourceDir, name), 'utf8'));
  const attack = buildAttack(readJson('attack-enterprise.stix.json').objects);
  const capec = buildCapec(readJson('capec-2.1.stix.json').objects);
  const asvs = buildAsvs(
    readJson('asvs-5.0.0-en.flat.json').requirements,
    readJson('asvs-5.0-cwe-mapping.json'),
    JSON.parse(readFileSync(ASVS_BE_IDS, 'utf8')).ids,
  );
  const cwe = readCweNames(new Set([...capec, ...asvs.entries].flatMap((e) => e.cwe)));
  const techniqueIds = new Set(attack.techniques.map((t) => t.id));
  const mitreLicense = readFileSync(path.join(sourceDir, 'MITRE-LICENSE.txt'), 'utf8');
  const statements = {
    capec: markingStatement(readJson('capec-2.1.stix.json').objects),
    attack: markingStatement(readJson('attack-enterprise.stix.json').objects),
  };
  return {
    files: {
      'capec.json': toJsonLines(capec),
      'attack.json': `{\n"techniques": ${toJsonLines(attack.techniques).trimEnd()},\n"mitigations": ${toJsonLines(attack.mitigations).trimEnd()}\n}\n`,
      'asvs.json': toJsonLines(asvs.entries),
      'cwe.json': `{\n${[...cwe]
        .map(([id, name]) => `${JSON.stringify(id)}: ${JSON.stringify(name)}`)
        .join(',\n')}\n}\n`,
      'NOTICE.md': renderNotice(mitreLicense, statements),
    },
    stats: {
      capec: capec.length,
      attackTechniques: attack.techniques.length,
      attackMitigations: attack.mitigations.length,
      asvs: asvs.entries.length,
      asvsCweMappings: asvs.mappingCount,
      asvsCweMappingsMapped: asvs.mapped,
      cwe: cwe.size,
      unknownCweReferences: [...capec, ...asvs.entries].flatMap((e) => e.cwe).filter((id) => !cwe.has(id)).length,
      unknownAttackReferences: capec.flatMap((e) => e.attack).filter((id) => !techniqueIds.has(id)).length,
    },
  };
}

/**
 * CWE id (`CWE-79`) to name from the CWE 4.15 dictionary bundled in cwe-sdk: every weakness that is not
 * deprecated, and the categories among `referenced` (CAPEC and ASVS name a few, such as CWE-16 Configuration).
 * @param {Set<string>} referenced
 */
function readCweNames(referenced) {
  const require = createRequire(import.meta.url);
  const archive = JSON.parse(readFileSync(require.resolve('cwe-sdk/raw/cwe-archive.json'), 'utf8'));
  const catalog = archive.Weakness_Catalog;
  if (catalog.attr['@_Version'] !== '4.15') throw new Error(`expected CWE 4.15, found ${catalog.attr['@_Version']}`);
  /** @type {[string, string][]} */
  const names = [];
  for (const [items, all] of [
    [catalog.Weaknesses.Weakness, true],
    [catalog.Categories.Category, false],
  ]) {
    for (const item of items) {
      const id = `CWE-${item.attr['@_ID']}`;
      if (item.attr['@_Status'] !== 'Deprecated' && (all || referenced.has(id)))
        names.push([id, clean(item.attr['@_Name'])]);
    }
  }
  return new Map(names.sort(([a], [b]) => compareIds(a, b)));
}

/**
 * @param {StixObject[]} objects
 * @returns {CapecEntry[]}
 */
function buildCapec(objects) {
  /** @type {Map<string, string[]>} attack pattern STIX id to the course-of-action STIX ids that mitigate it */
  const mitigatedBy = new Map();
  for (const o of objects) {
    if (o.type !== 'relationship' || o['relationship_type'] !== 'mitigates') continue;
    const target = /** @type {string} */ (o['target_ref']);
    mitigatedBy.set(target, [...(mitigatedBy.get(target) ?? []), /** @type {string} */ (o['source_ref'])]);
  }
  const courses = new Map(objects.filter((o) => o.type === 'course-of-action').map((o) => [o.id, o]));
  return objects
    .filter((o) => o.type === 'attack-pattern' && o['x_capec_status'] !== 'Deprecated' && !o.revoked)
    .map((o) => {
      const refs = o.external_references ?? [];
      const id = externalId(o, 'capec');
      const mitigations = (mitigatedBy.get(o.id) ?? [])
        .map((ref) => courses.get(ref))
        .filter((c) => c !== undefined)
        .sort((a, b) => compareIds(a.name ?? '', b.name ?? ''))
        .map((c) => summarize(c.description ?? '', MITIGATION_LENGTH))
        .filter((text) => text !== '');
      const likelihood = o['x_capec_likelihood_of_attack'];
      const severity = o['x_capec_typical_severity'];
      /** @type {CapecEntry} */
      const entry = {
        id,
        name: clean(o.name ?? ''),
        description: summarize(o.description ?? '', SUMMARY_LENGTH),
        ...(typeof likelihood === 'string' ? { likelihood } : {}),
        ...(typeof severity === 'string' ? { severity } : {}),
        cwe: sortedIds(refs.filter((r) => r.source_name === 'cwe').map((r) => r.external_id ?? '')),
        attack: sortedIds(refs.filter((r) => r.source_name === 'ATTACK').map((r) => r.external_id ?? '')),
        mitigations: [...new Set(mitigations)],
      };
      return entry;
    })
    .sort((a, b) => compareIds(a.id, b.id));
}

/**
 * @param {StixObject[]} objects
 * @returns {{ techniques: AttackTechnique[], mitigations: AttackMitigation[] }}
 */
function buildAttack(objects) {
  const live = objects.filter((o) => !o.revoked && !o.x_mitre_deprecated);
  const byStixId = new Map(live.map((o) => [o.id, o]));
  const matrix = live.find((o) => o.type === 'x-mitre-matrix');
  const tacticOrder = /** @type {string[]} */ (matrix?.['tactic_refs'] ?? []).map(
    (ref) => /** @type {string} */ (byStixId.get(ref)?.['x_mitre_shortname']),
  );
  /** @type {Map<string, string[]>} technique STIX id to mitigation ids (M…) */
  const mitigationsOf = new Map();
  for (const o of live) {
    if (o.type !== 'relationship' || o['relationship_type'] !== 'mitigates') continue;
    const course = byStixId.get(/** @type {string} */ (o['source_ref']));
    if (course?.type !== 'course-of-action') continue;
    const target = /** @type {string} */ (o['target_ref']);
    mitigationsOf.set(target, [...(mitigationsOf.get(target) ?? []), externalId(course, 'mitre-attack')]);
  }
  const techniques = live.filter((o) => o.type === 'attack-pattern');
  const nameOf = new Map(techniques.map((o) => [externalId(o, 'mitre-attack'), clean(o.name ?? '')]));
  return {
    techniques: techniques
      .map((o) => {
        const id = externalId(o, 'mitre-attack');
        const parent = id.includes('.') ? nameOf.get(id.split('.')[0] ?? '') : undefined;
        const phases = /** @type {{ kill_chain_name: string, phase_name: string }[]} */ (o['kill_chain_phases'] ?? []);
        return {
          id,
          name: parent === undefined ? clean(o.name ?? '') : `${parent}: ${clean(o.name ?? '')}`,
          tactics: [
            ...new Set(phases.filter((p) => p.kill_chain_name === 'mitre-attack').map((p) => p.phase_name)),
          ].sort((a, b) => tacticOrder.indexOf(a) - tacticOrder.indexOf(b) || a.localeCompare(b, 'en')),
          description: summarize(o.description ?? '', SUMMARY_LENGTH),
          mitigations: sortedIds(mitigationsOf.get(o.id) ?? []),
        };
      })
      .sort((a, b) => compareIds(a.id, b.id)),
    mitigations: live
      .filter((o) => o.type === 'course-of-action')
      .map((o) => ({
        id: externalId(o, 'mitre-attack'),
        name: clean(o.name ?? ''),
        description: summarize(o.description ?? '', SUMMARY_LENGTH),
      }))
      .sort((a, b) => compareIds(a.id, b.id)),
  };
}

/**
 * The CWE mapping's keys are ASVS 5.0 development ids (`v5.0.be-5.3.4`), not 5.0.0 ids (`V1.2.4`): the chapters
 * were renumbered for the release. They are translated with OWASP's renumbering (scripts/asvs-5.0-be-ids.json);
 * a key that has no 5.0.0 id there, or whose 5.0.0 id is not in the standard, is left out.
 * @param {{ req_id: string, req_description: string, L: string, chapter_name: string, section_name: string }[]} requirements
 * @param {Record<string, string>} cweMapping v5.0.be id to CWE number
 * @param {Record<string, string>} beIds v5.0.be id to 5.0.0 id
 */
function buildAsvs(requirements, cweMapping, beIds) {
  /** @type {Map<string, string[]>} */
  const cweOf = new Map();
  const known = new Set(requirements.map((r) => r.req_id));
  let mapped = 0;
  for (const [beId, cwe] of Object.entries(cweMapping)) {
    const id = beIds[beId];
    if (id === undefined || !known.has(id)) continue;
    mapped++;
    cweOf.set(id, [...(cweOf.get(id) ?? []), `CWE-${cwe}`]);
  }
  /** @type {AsvsEntry[]} */
  const entries = requirements
    .map((r) => ({
      id: r.req_id,
      text: clean(r.req_description.replace(/\\([_*])/g, '$1')),
      level: Number(r.L),
      chapter: clean(r.chapter_name),
      section: clean(r.section_name),
      cwe: sortedIds(cweOf.get(r.req_id) ?? []),
    }))
    .sort((a, b) => compareIds(a.id, b.id));
  for (const e of entries) if (![1, 2, 3].includes(e.level)) throw new Error(`${e.id}: level ${e.level}`);
  return { entries, mappingCount: Object.keys(cweMapping).length, mapped };
}

/**
 * The id a STIX object has in `source` (`CAPEC-66`, `T1190`, `M1050`).
 * @param {StixObject} o
 * @param {string} source
 */
function externalId(o, source) {
  const id = o.external_references?.find((r) => r.source_name === source)?.external_id;
  if (!id) throw new Error(`${o.id} has no ${source} id`);
  return id;
}

/**
 * Plain text from STIX, CAPEC XHTML or ATT&CK markdown: citations, links, tags and emphasis removed, whitespace
 * collapsed to single spaces.
 * @param {string} text
 */
export function clean(text) {
  return text
    .replace(/\(Citation:[^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*\)/g, '$1')
    .replace(
      /<\/?(?:xhtml:)?(?:p|div|br|b|i|em|strong|code|pre|ul|ol|li|a|span|table|tbody|tr|td|th|sup|sub|h\d)\b[^<>]*>/gi,
      ' ',
    )
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\*\*|`/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:])/g, '$1')
    .trim();
}

/**
 * The first paragraph's first sentence, and the second when both fit in `max` characters; a sentence longer
 * than `max` is cut at a word and ends with `…`. A sentence that only announces a list (ends with `:`) is dropped.
 * @param {string} text
 * @param {number} max
 */
export function summarize(text, max) {
  const paragraphs = text.split(/\n\s*\n|<\/(?:xhtml:)?(?:p|div|li)>/i).map(clean);
  const sentences = splitSentences(paragraphs.find((p) => p !== '') ?? '');
  let summary = sentences[0] ?? '';
  const second = sentences[1];
  if (second !== undefined && !second.endsWith(':') && summary.length + 1 + second.length <= max) {
    summary = `${summary} ${second}`;
  }
  if (summary.length <= max) return summary;
  const cut = summary.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[\s,;:.]+$/, '')}…`;
}

/**
 * Splits after `.`, `!` or `?` followed by a space and a capital or an opening quote, but not after an
 * abbreviation such as "e.g." nor inside parentheses.
 * @param {string} text
 */
function splitSentences(text) {
  const sentences = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if ((c === '.' || c === '!' || c === '?') && depth === 0 && /^\s+[A-Z"'“‘]/.test(text.slice(i + 1, i + 3))) {
      if (c === '.' && /\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|Inc|Ltd|Corp|Mr|Ms|Dr|St|No)$/i.test(text.slice(start, i)))
        continue;
      sentences.push(text.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}

/**
 * Orders catalog ids naturally: by prefix, then number by number (`T1078` < `T1078.004` < `T1190`, `V2.1.1` < `V10.1.1`).
 * @param {string} a
 * @param {string} b
 */
export function compareIds(a, b) {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = /** @type {string} */ (pa[i]);
    const y = /** @type {string} */ (pb[i]);
    const byNumber = /^\d/.test(x) && /^\d/.test(y) ? Number(x) - Number(y) : 0;
    if (byNumber !== 0) return byNumber;
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** @param {string[]} ids */
function sortedIds(ids) {
  return [...new Set(ids)].sort(compareIds);
}

/**
 * A JSON array with one element per line: compact, and diffs stay readable.
 * @param {unknown[]} items
 */
function toJsonLines(items) {
  return `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]\n`;
}

/**
 * The copyright statement a STIX bundle carries in its marking definition.
 * @param {StixObject[]} objects
 */
function markingStatement(objects) {
  const marking = objects.find((o) => o.type === 'marking-definition');
  const statement = /** @type {{ statement?: string } | undefined} */ (marking?.['definition'])?.statement;
  if (!statement) throw new Error('the bundle has no copyright statement');
  return statement;
}

/**
 * @param {string} mitreLicense
 * @param {{ capec: string, attack: string }} statements
 */
function renderNotice(mitreLicense, statements) {
  return `# Catalog data: sources and licenses

The files in this folder are generated by \`npm run catalogs\` (\`scripts/build-catalogs.js\`) from the sources
below. They are shortened extracts (names, first sentences of descriptions, identifiers and links), converted
to JSON; they are not the complete works.

| File | Content | Source | License |
| --- | --- | --- | --- |
| \`capec.json\` | CAPEC attack patterns (deprecated ones left out), with CAPEC mitigations | CAPEC 3.9, STIX 2.1 from mitre/cti (2025-11-13) | MITRE's license below |
| \`attack.json\` | ATT&CK Enterprise techniques, sub-techniques and mitigations | ATT&CK Enterprise, STIX 2.0 from mitre/cti (2025-11-13) | MITRE's license below |
| \`cwe.json\` | CWE weakness names, and the few category names CAPEC or ASVS link to | CWE 4.15, as bundled in the npm package \`cwe-sdk\` 1.1.19 | MITRE's CWE Terms of Use (below) |
| \`asvs.json\` | OWASP ASVS 5.0.0 requirements, with CWE links | OWASP ASVS 5.0.0 and its CWE mapping | CC BY-SA 4.0 (below) |

## CAPEC, ATT&CK and CWE (The MITRE Corporation)

CAPEC™ (as stated in the CAPEC data): ${statements.capec}

ATT&CK® (as stated in the ATT&CK data): ${statements.attack}

CWE™ content © The MITRE Corporation. CWE is a trademark of The MITRE Corporation. The CWE names in
\`cwe.json\` are used under the CWE Terms of Use, https://cwe.mitre.org/about/termsofuse.html.

MITRE's license, reproduced as required:

\`\`\`text
${mitreLicense.endsWith('\n') ? mitreLicense : `${mitreLicense}\n`}\`\`\`

## OWASP ASVS 5.0.0 (OWASP Foundation)

\`asvs.json\` is adapted from the OWASP Application Security Verification Standard 5.0.0
(https://github.com/OWASP/ASVS), © OWASP Foundation, licensed under the Creative Commons
Attribution-ShareAlike 4.0 International license (CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/).
Changes: the requirements (\`asvs-5.0.0-en.flat.json\`) were converted to JSON with their chapter and section
names, markdown escapes removed and whitespace collapsed; CWE links were added from OWASP's
\`v5.0.be_cwe_mapping.json\`, whose development ids (\`v5.0.be-…\`) were translated to 5.0.0 ids with OWASP's
mapping files (\`scripts/asvs-5.0-be-ids.json\`), leaving out ids that could not be translated.
\`asvs.json\` is kept as a separate, attributed file and remains under CC BY-SA 4.0, whatever license applies to
the rest of Parapet.
`;
}

function main() {
  const { files, stats } = buildCatalogs();
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(OUT_DIR, name), text);
  const sizes = Object.entries(files).map(
    ([name, text]) => `${name} ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`,
  );
  console.log(`wrote ${path.relative(process.cwd(), OUT_DIR)}: ${sizes.join(', ')}`);
  console.log(
    Object.entries(stats)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
