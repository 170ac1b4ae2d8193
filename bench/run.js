// @ts-check
// Benchmark of loadModel (parse + validate + enrich) on synthetic models of growing size, as JSON and YAML.
//
//   npm run bench                      1,000, 10,000 and 100,000 elements
//   npm run bench -- --quick           1,000 elements only
//   npm run bench -- --sizes 1000,5000 chosen sizes
//   other flags: --formats json,yaml  --seed 1  --yaml-budget 120 (seconds)  --heap-mib 12288 (V8 heap of the runs)
//                --profile (a CPU profile of each run, in bench/results/profiles)
//
// Each run is a fresh child process (bench/measure.js), so that peak RSS is per case and no run warms the JIT
// for the next. Wall time is the median of 3 runs (YAML past the budget is skipped, never run once). The table goes to stdout
// and to bench/results/latest.md (raw numbers in bench/results/latest.json).

import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateModel, toJson, toYaml } from './generateModel.js';

/** @typedef {import('./measure.js').Measurement} Measurement */
/** @typedef {'json' | 'yaml'} Format */
/**
 * @typedef {object} Row
 * @property {number} elements
 * @property {Format} format
 * @property {Measurement[]} runs
 * @property {string} [skipped] Why the case was not run.
 * @property {number} [estimatedBytes] Text size of a skipped case, estimated.
 * @property {string} [note]
 */

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const measureScript = join(here, 'measure.js');
const CHILD_TIMEOUT_MS = 20 * 60 * 1000;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    formats: { type: 'string', default: 'json,yaml' },
    seed: { type: 'string', default: '1' },
    'yaml-budget': { type: 'string', default: '120' },
    profile: { type: 'boolean', default: false },
    'heap-mib': { type: 'string' },
  },
});

const sizes = values.quick ? [1000] : values.sizes ? parseList(values.sizes) : [1000, 10_000, 100_000];
const formats = /** @type {Format[]} */ (values.formats.split(',').map((f) => f.trim().toLowerCase()));
for (const f of formats) if (f !== 'json' && f !== 'yaml') usage(`unknown format "${f}"`);
const seed = Number(values.seed);
const yamlBudgetMs = Number(values['yaml-budget']) * 1000;
const heapMiB = values['heap-mib'] === undefined ? undefined : Number(values['heap-mib']);
if (!Number.isInteger(seed) || !(yamlBudgetMs > 0)) usage('--seed takes an integer, --yaml-budget a number of seconds');
if (heapMiB !== undefined && !(Number.isInteger(heapMiB) && heapMiB > 0))
  usage('--heap-mib takes a whole number of MiB');
const loadBefore = loadavg();
sizes.sort((a, b) => a - b);

const work = mkdtempSync(join(tmpdir(), 'parapet-bench-'));
/** @type {Row[]} */
const rows = [];
const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);

try {
  for (const n of sizes) {
    const hasSmaller = rows.some((r) => r.format === 'yaml' && r.runs.length > 0 && r.elements < n);
    if (formats.includes('yaml') && n > 10_000 && !hasSmaller) {
      const calibration = Math.round(n / 10);
      progress(`no YAML timing below ${fmt(n)} elements to predict from: calibrating with ${fmt(calibration)}`);
      await measureSize(calibration, 1, 'calibration run, to predict the larger case');
    }
    await measureSize(n, 3);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const table = renderTable(rows);
const header = renderHeader();
console.log(`\n${table}`);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.md'), `${header}\n${table}\n`);
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ machine: machine(), seed, rows }, null, 2)}\n`);
progress(`wrote ${join('bench', 'results', 'latest.md')}`);

/**
 * Generates the model for n elements and measures it runCount times in each format, JSON first. YAML runs
 * only when planYaml predicts that it fits the time budget and the heap (its text is written only then:
 * stringifying 100 MB of YAML takes about a minute by itself).
 * @param {number} n
 * @param {number} runCount
 * @param {string} [note]
 */
async function measureSize(n, runCount, note) {
  progress(`generating ${fmt(n)} elements (seed ${seed})`);
  const model = generateModel({ elements: n, seed });
  for (const format of [...formats].sort()) {
    if (format === 'yaml') {
      const plan = planYaml(n);
      if (plan.skip) {
        const bytesPerElement = yamlBytesPerElement();
        rows.push({
          elements: n,
          format,
          runs: [],
          skipped: plan.skip,
          ...(bytesPerElement ? { estimatedBytes: Math.round(bytesPerElement * n) } : {}),
        });
        progress(`skipped YAML at ${fmt(n)} elements: ${plan.skip}`);
        continue;
      }
    }
    const file = join(work, `model-${n}.${format}`);
    writeFileSync(file, format === 'json' ? toJson(model) : toYaml(model));
    gc?.();
    /** @type {Measurement[]} */
    const runs = [];
    for (let r = 0; r < runCount; r++) {
      const m = await runChild(file, format, n);
      runs.push(m);
      progress(
        `${fmt(n)} ${format} run ${r + 1}/${runCount}: load ${fmt(Math.round(m.wallMs))} ms, analyze ${fmt(Math.round(m.analyzeMs))} ms (again ${fmt(Math.round(m.analyzeWarmMs))} ms, ${fmt(m.threats)} threats), ${mb(m.bytes)} MB, peak RSS ${fmt(Math.round(m.maxRssKiB / 1024))} MiB`,
      );
    }
    rows.push({ elements: n, format, runs, ...(note ? { note } : {}) });
    rmSync(file, { force: true });
  }
}

/**
 * Runs bench/measure.js in a fresh process and returns its measurement; throws on any failure.
 * @param {string} file
 * @param {Format} format
 * @param {number} n
 * @returns {Promise<Measurement>}
 */
function runChild(file, format, n) {
  const execArgv = ['--expose-gc'];
  if (heapMiB !== undefined) execArgv.push(`--max-old-space-size=${heapMiB}`);
  if (values.profile) {
    const dir = join(resultsDir, 'profiles');
    mkdirSync(dir, { recursive: true });
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      `--cpu-prof-name=measure-${n}-${format}-${Date.now()}.cpuprofile`,
    );
  }
  return new Promise((resolve, reject) => {
    const child = fork(measureScript, ['--file', file, '--format', format, '--elements', String(n)], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    /** @type {Measurement | undefined} */
    let measurement;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`measure.js timed out after ${CHILD_TIMEOUT_MS / 1000} s (${fmt(n)} elements, ${format})`));
    }, CHILD_TIMEOUT_MS);
    child.on('message', (message) => {
      measurement = /** @type {Measurement} */ (message);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && measurement) resolve(measurement);
      else
        reject(
          new Error(
            `measure.js failed for ${fmt(n)} elements (${format}): exit code ${code}${signal ? `, signal ${signal}` : ''}`,
          ),
        );
    });
  });
}

/**
 * Whether YAML at n elements fits the time budget and the V8 heap, predicted from the YAML runs already made.
 * Time: t(n) = t(n0) * (n / n0)^k from the largest YAML size n0 measured. k is the larger of the exponent fitted
 * on the two largest YAML sizes and the one JSON showed on its way up to n (validation and enrichment are the
 * same for both formats, so JSON's growth is a floor for YAML's), kept within [1, 2]: small sizes are dominated
 * by JIT warm-up, which would make k look below 1. Memory: peak RSS grown in proportion to n, against the heap
 * limit the runs reported.
 * @param {number} n
 * @returns {{ skip?: string }}
 */
function planYaml(n) {
  const measured = rows
    .filter((r) => r.format === 'yaml' && r.runs.length > 0 && r.elements < n)
    .sort((a, b) => a.elements - b.elements);
  const last = measured[measured.length - 1];
  if (!last) return {};
  const before = measured[measured.length - 2];
  const t1 = median(last.runs.map((m) => m.wallMs));
  /** @param {Row} a @param {Row} b */
  const exponent = (a, b) =>
    Math.log(median(b.runs.map((m) => m.wallMs)) / median(a.runs.map((m) => m.wallMs))) /
    Math.log(b.elements / a.elements);
  const json = rows
    .filter((r) => r.format === 'json' && r.runs.length > 0 && r.elements <= n)
    .sort((a, b) => a.elements - b.elements);
  const jsonAtN = json[json.length - 1];
  const jsonBefore = json[json.length - 2];
  const kYaml = before ? exponent(before, last) : 1;
  const kJson = jsonAtN && jsonBefore && jsonAtN.elements === n ? exponent(jsonBefore, jsonAtN) : 1;
  const k = Math.min(2, Math.max(1, kYaml, kJson));
  const predictedMs = t1 * (n / last.elements) ** k;
  const rssMiB = median(last.runs.map((m) => m.maxRssKiB)) / 1024;
  const predictedRssMiB = rssMiB * (n / last.elements);
  const heapLimitMiB = last.runs[0]?.heapLimitMiB ?? heapMiB ?? Infinity;
  const first = /** @type {Measurement} */ (last.runs[0]);
  const basis =
    `${fmt(last.elements)} elements took ${fmt(Math.round(t1))} ms (${(first.bytes / 1e6 / (t1 / 1000)).toFixed(2)} MB/s) ` +
    `with a peak RSS of ${fmt(Math.round(rssMiB))} MiB`;
  const time = `one run would take about ${fmt(Math.round(predictedMs / 1000))} s (scaling exponent ${k.toFixed(2)}: YAML ${kYaml.toFixed(2)}, JSON ${kJson.toFixed(2)})`;
  const memory = `need about ${fmt(Math.round(predictedRssMiB / 1024))} GiB, over the ${fmt(heapLimitMiB)} MiB V8 heap limit`;
  const overTime = predictedMs > yamlBudgetMs;
  const overMemory = predictedRssMiB > heapLimitMiB;
  if (!overTime && !overMemory) return {};
  const reasons = [
    overTime ? `${time}, over the ${fmt(yamlBudgetMs / 1000)} s budget` : `${time}, within the budget`,
    overMemory ? `it would ${memory} (it would run out of memory; see --heap-mib)` : '',
  ].filter(Boolean);
  return { skip: `${reasons.join('; ')}. Predicted from: ${basis}` };
}

/** Bytes of YAML per element, from the largest YAML case generated. */
function yamlBytesPerElement() {
  const yaml = rows.filter((r) => r.format === 'yaml' && r.runs[0]).sort((a, b) => b.elements - a.elements)[0];
  return yaml?.runs[0] ? yaml.runs[0].bytes / yaml.elements : undefined;
}

/** @param {Row[]} list */
function renderTable(list) {
  const lines = [
    '| Elements | Flows | Format | Text (MB) | Runs | Load, median (ms) | Min – max (ms) | ms / 1,000 elements | MB/s | Analyze, median (ms) | Min – max (ms) | Analyze again (ms) | Threats | Peak RSS (MiB) |',
    '| ---: | ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const notes = [];
  const sorted = [...list].sort((a, b) => a.elements - b.elements || a.format.localeCompare(b.format));
  for (const row of sorted) {
    const label = row.format.toUpperCase();
    if (row.skipped) {
      const size = row.estimatedBytes ? `~${mb(row.estimatedBytes)}` : '–';
      lines.push(
        `| ${fmt(row.elements)} | ${fmt(3 * row.elements)} | ${label} | ${size} | 0 | skipped¹ | – | – | – | – | – | – | – | – |`,
      );
      notes.push(`¹ ${label} at ${fmt(row.elements)} elements skipped: ${row.skipped}.`);
      continue;
    }
    const walls = row.runs.map((m) => m.wallMs);
    const wall = median(walls);
    const first = /** @type {Measurement} */ (row.runs[0]);
    const peak = median(row.runs.map((m) => m.maxRssKiB)) / 1024;
    const range =
      walls.length > 1 ? `${fmt(Math.round(Math.min(...walls)))} – ${fmt(Math.round(Math.max(...walls)))}` : '–';
    const note = row.note ? ` (${row.note})` : '';
    const analyses = row.runs.map((m) => m.analyzeMs);
    const analyzeRange =
      analyses.length > 1
        ? `${fmt(Math.round(Math.min(...analyses)))} – ${fmt(Math.round(Math.max(...analyses)))}`
        : '–';
    lines.push(
      `| ${fmt(row.elements)} | ${fmt(first.counts['flows'] ?? 0)} | ${label}${note} | ${mb(first.bytes)} | ${row.runs.length} | ${fmt(Math.round(wall))} | ${range} | ` +
        `${fmt(Math.round(wall / (row.elements / 1000)))} | ${(first.bytes / 1e6 / (wall / 1000)).toFixed(1)} | ` +
        `${fmt(Math.round(median(analyses)))} | ${analyzeRange} | ${fmt(Math.round(median(row.runs.map((m) => m.analyzeWarmMs))))} | ${fmt(first.threats)} | ${fmt(Math.round(peak))} |`,
    );
  }
  const heap = list.flatMap((r) => r.runs)[0]?.heapLimitMiB;
  notes.push(
    'Load covers loadModel (parse + schema validation + reference checks + enrichment + warnings), with the text already in memory; ' +
      'Analyze covers the first analyze() of the process with every built-in rule of the default pack (STRIDE), including compiling the rules; ' +
      '"Analyze again" is a second analyze() of the same model in the same process (compiled rules, warm code), median; peak RSS is taken before it; ' +
      'each run is a fresh Node process. Peak RSS is process.resourceUsage().maxRSS of that process (median over runs), ' +
      `so it includes Node itself and the text (MB = 10^6 bytes, MiB = 2^20 bytes).${heap ? ` V8 heap limit: ${fmt(heap)} MiB.` : ''}`,
  );
  return `${lines.join('\n')}\n\n${notes.join('\n\n')}`;
}

function renderHeader() {
  const m = machine();
  return [
    '# Parapet core benchmark: latest run',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`node --expose-gc bench/run.js${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\``,
    `- Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node} on ${process.platform}/${process.arch}`,
    `- Load average (1 min) at start / end: ${loadBefore[0]?.toFixed(2)} / ${loadavg()[0]?.toFixed(2)} (other processes share the CPUs; times are wall clock)`,
    `- Core: packages/core/dist fingerprint ${coreFingerprint()} (sha256 of its .js files; core changes between runs change it)`,
    `- Models: bench/generateModel.js, seed ${seed}: N elements, 3N flows, N/20 boundaries (4 levels), N/10 assets, 10 actors`,
    '',
  ].join('\n');
}

function coreFingerprint() {
  const dist = join(here, '..', 'packages', 'core', 'dist');
  const hash = createHash('sha256');
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .sort();
  for (const file of files) hash.update(file).update(readFileSync(join(dist, file)));
  return hash.digest('hex').slice(0, 12);
}

function machine() {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** @param {number[]} list */
function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? /** @type {number} */ (sorted[mid]) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** @param {number} value */
function fmt(value) {
  return value.toLocaleString('en-US');
}

/** @param {number} bytes */
function mb(bytes) {
  return (bytes / 1e6).toFixed(1);
}

/** @param {string} text */
function parseList(text) {
  const list = text.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (list.some((n) => !Number.isInteger(n) || n < 10))
    usage(`--sizes takes integers >= 10 separated by commas, got "${text}"`);
  return list;
}

/** @param {string} message */
function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** @param {string} message @returns {never} */
function usage(message) {
  console.error(
    `bench/run.js: ${message}\nusage: node --expose-gc bench/run.js [--quick] [--sizes 1000,5000] [--formats json,yaml] [--seed 1] [--yaml-budget 120] [--heap-mib N] [--profile]`,
  );
  process.exit(2);
}
