// @ts-check
// One measurement, in its own process so that peak memory belongs to this case alone: reads a model text
// file (not timed), then times loadModel (parse + validate + enrich) with an in-memory host.
//
// Run by bench/run.js through fork(); also runs on its own, for profiling:
//   node --expose-gc --cpu-prof --cpu-prof-dir=bench/results/profiles bench/measure.js --elements 10000 --format json
// With --file the text is read from that file; without it the model is generated here (generation not timed).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { analyze, loadModel } from '@parapet/core';
import { generateModelText } from './generateModel.js';

/**
 * @typedef {object} Measurement
 * @property {number} elements
 * @property {'json' | 'yaml'} format
 * @property {number} bytes Text size in bytes (UTF-8).
 * @property {number} wallMs Wall time of loadModel.
 * @property {number} analyzeMs Wall time of analyze (every built-in rule on the loaded model).
 * @property {number} compileMs Of analyzeMs, the first-time cost of compiling the built-in rules.
 * @property {number} analyzeWarmMs Wall time of a second analyze() of the same model in the same process
 *   (rules compiled, code warmed up), as a long-running process (server, web worker) sees it.
 * @property {number} threats Threats the analysis found.
 * @property {number} maxRssAfterLoadKiB Peak resident set size after loadModel, before analyze.
 * @property {number} maxRssKiB Peak resident set size of this process (process.resourceUsage().maxRSS).
 * @property {number} rssBeforeKiB Resident set size just before loadModel, with the text in memory.
 * @property {number} heapLimitMiB V8 heap size limit of this process.
 * @property {Record<string, number>} counts Items per section of the loaded model.
 */

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    format: { type: 'string' },
    elements: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const format = values.format === 'yaml' ? 'yaml' : values.format === 'json' ? 'json' : undefined;
const elements = Number(values.elements);
if (!format || !Number.isInteger(elements) || elements <= 0) {
  fail('usage: node bench/measure.js --format json|yaml --elements N [--file model.json] [--seed 1]');
}

const text = values.file
  ? readFileSync(values.file, 'utf8')
  : generateModelText({ elements, seed: Number(values.seed), format });
const name = `threatmodel.${format}`;
/** @type {import('@parapet/core').ModelHost} */
const host = {
  readFile: (path) => (path === name ? text : undefined),
  resolvePath: (_from, reference) => reference,
};
const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
gc?.();
const rssBeforeKiB = Math.round(process.memoryUsage().rss / 1024);

const start = performance.now();
const result = loadModel(name, host, { limits: { maxBytes: 1024 * 1024 * 1024 } });
const wallMs = performance.now() - start;

const maxRssAfterLoadKiB = process.resourceUsage().maxRSS;
const errors = result.diagnostics.filter((d) => d.severity === 'error');
if (errors.length > 0 || !result.model || !result.enrichment) {
  const shown = result.diagnostics.slice(0, 10).map((d) => `  ${d.severity} ${d.code} ${d.path}: ${d.message}`);
  fail(`loadModel reported ${errors.length} error(s) for ${elements} elements (${format}):\n${shown.join('\n')}`);
}
if (result.diagnostics.length > 0) {
  const shown = result.diagnostics.slice(0, 10).map((d) => `  ${d.severity} ${d.code} ${d.path}: ${d.message}`);
  fail(`the generated model should load without warnings, got ${result.diagnostics.length}:\n${shown.join('\n')}`);
}
const model = result.model;
if ((model.elements?.length ?? 0) !== elements)
  fail(`expected ${elements} elements, loaded ${model.elements?.length ?? 0}`);
// Rules are compiled once per process: time that separately, on a tiny model, then the analysis.
const compileStart = performance.now();
analyze({ parapet: 1, model: { id: 'warm-up', title: 'warm-up' } });
const compileMs = performance.now() - compileStart;
const analyzeStart = performance.now();
const analysis = analyze(model, {
  enrichment: result.enrichment,
  ...(result.index ? { index: result.index } : {}),
  today: '2026-11-23',
});
const analyzeMs = performance.now() - analyzeStart + compileMs;
const maxRssKiB = process.resourceUsage().maxRSS;
const warmStart = performance.now();
analyze(model, {
  enrichment: result.enrichment,
  ...(result.index ? { index: result.index } : {}),
  today: '2026-11-23',
});
const analyzeWarmMs = performance.now() - warmStart;
const ruleErrors = analysis.diagnostics.filter((d) => d.severity === 'error');
if (ruleErrors.length > 0) fail(`analyze reported ${ruleErrors.length} error(s): ${ruleErrors[0]?.message ?? ''}`);

const counts = {
  elements: model.elements?.length ?? 0,
  flows: model.flows?.length ?? 0,
  boundaries: model.boundaries?.length ?? 0,
  assets: model.assets?.length ?? 0,
  actors: model.actors?.length ?? 0,
  crossings: [...result.enrichment.crossings.values()].filter((c) => c.exits.length + c.entries.length > 0).length,
};

/** @type {Measurement} */
const measurement = {
  elements,
  format,
  bytes: Buffer.byteLength(text, 'utf8'),
  wallMs,
  analyzeMs,
  analyzeWarmMs,
  compileMs,
  threats: analysis.threats.length,
  maxRssAfterLoadKiB,
  maxRssKiB,
  rssBeforeKiB,
  heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / (1024 * 1024)),
  counts,
};
if (process.send) process.send(measurement);
else console.log(JSON.stringify(measurement, null, 2));

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`bench/measure.js: ${message}`);
  process.exit(1);
}
