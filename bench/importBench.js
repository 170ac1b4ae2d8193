// @ts-check
// Benchmark of importing a Threagile model: the bench's generated model (bench/generateModel.js) written in
// Threagile's format (bench/toThreagile.js), imported with importThreagile, each run in a fresh process.
//
//   node bench/importBench.js [--elements 5000] [--runs 3]
//
// Prints one JSON line per run on stdout when run as a child (--child); otherwise a summary table.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateModel } from './generateModel.js';
import { toThreagileYaml } from './toThreagile.js';

const { values } = parseArgs({
  options: {
    elements: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    child: { type: 'boolean', default: false },
  },
});
const elements = Number(values.elements);

if (values.child) {
  const { importThreagile, writeModelYaml } = await import('@parapet/interop');
  const text = toThreagileYaml(generateModel({ elements, seed: 1 }));
  let start = performance.now();
  const result = importThreagile(text, 'threagile.yaml');
  const importMs = performance.now() - start;
  start = performance.now();
  const yaml = writeModelYaml(result.model);
  const writeMs = performance.now() - start;
  process.stdout.write(
    `${JSON.stringify({
      bytes: Buffer.byteLength(text),
      importMs,
      writeMs,
      yamlBytes: Buffer.byteLength(yaml),
      elements: result.model.elements?.length ?? 0,
      flows: result.model.flows?.length ?? 0,
      unmapped: result.unmapped.length,
      maxRssKiB: process.resourceUsage().maxRSS,
    })}\n`,
  );
} else {
  /** @type {{ bytes: number, importMs: number, writeMs: number, yamlBytes: number, elements: number, flows: number, unmapped: number, maxRssKiB: number }[]} */
  const runs = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const child = fork(fileURLToPath(import.meta.url), ['--child', '--elements', String(elements)], { silent: true });
    let out = '';
    child.stdout?.on('data', (chunk) => (out += chunk));
    const code = await new Promise((done) => child.on('exit', done));
    if (code !== 0) throw new Error(`import run ${i + 1} failed (exit ${String(code)})`);
    runs.push(JSON.parse(out));
    const last = runs[runs.length - 1];
    console.error(
      `[bench] Threagile import of ${elements} elements run ${i + 1}: import ${Math.round(last?.importMs ?? 0)} ms, write YAML ${Math.round(last?.writeMs ?? 0)} ms`,
    );
  }
  const median = (/** @type {number[]} */ list) => [...list].sort((a, b) => a - b)[list.length >> 1] ?? 0;
  const first = runs[0];
  console.log(
    `\n| Threagile import | Text (MB) | Runs | importThreagile, median (ms) | Min – max (ms) | Writing the YAML model, median (ms) | Unmapped notes | Peak RSS (MiB) |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| ${elements.toLocaleString('en-US')} elements, ${first?.flows.toLocaleString('en-US')} flows | ${((first?.bytes ?? 0) / 1e6).toFixed(1)} | ${runs.length} | ${Math.round(median(runs.map((r) => r.importMs)))} | ${Math.round(Math.min(...runs.map((r) => r.importMs)))} – ${Math.round(Math.max(...runs.map((r) => r.importMs)))} | ${Math.round(median(runs.map((r) => r.writeMs)))} | ${first?.unmapped} | ${Math.round(median(runs.map((r) => r.maxRssKiB)) / 1024)} |`,
  );
}
