// @ts-check
// Summarises a V8 CPU profile (.cpuprofile, from `node --cpu-prof`): self time by package or core file,
// the hottest functions by self time, and inclusive time of the functions named on the command line.
//
//   node --expose-gc --cpu-prof --cpu-prof-dir=bench/results/profiles bench/measure.js --elements 10000 --format json
//   node bench/profileSummary.js bench/results/profiles/<file>.cpuprofile [functionName ...]

import { readFileSync } from 'node:fs';

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{ functionName: string, url: string, lineNumber: number }} callFrame
 * @property {number[]} [children]
 */

const [file, ...watched] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profileSummary.js <profile.cpuprofile> [functionName ...]');
  process.exit(2);
}
/** @type {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
const WATCH =
  watched.length > 0
    ? watched
    : [
        'loadModel',
        'parseSource',
        'parseYaml',
        'parseJson',
        'scanYamlDepth',
        'scanJsonDepth',
        'parseDocument',
        'toJS',
        'parse',
        'findJsonDuplicateKeys',
        'validate',
        'safeParse',
        'checkReferences',
        'mergeValidated',
        'enrichModel',
        'checkSmells',
      ];

/** @type {Map<number, ProfileNode>} */
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
/** @type {Map<number, number>} */
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** @param {ProfileNode} node */
const where = (node) => {
  const url = node.callFrame.url;
  if (!url) return node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : '(native/builtin)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const core = /packages\/core\/dist\/(.+)$/.exec(url);
  if (core) return `core: ${core[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\/.*\/bench\//, 'bench/');
};
/** @param {ProfileNode} node */
const label = (node) =>
  `${node.callFrame.functionName || '(anonymous)'} [${where(node)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}]`;

/** @type {Map<string, number>} */ const selfByPlace = new Map();
/** @type {Map<string, number>} */ const selfByFunction = new Map();
/** @type {Map<string, number>} */ const inclusive = new Map();
let total = 0;
/** @type {<K>(map: Map<K, number>, key: K, value: number) => void} */
const add = (map, key, value) => {
  map.set(key, (map.get(key) ?? 0) + value);
};

profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  const node = byId.get(id);
  if (!node || node.callFrame.functionName === '(idle)') return;
  total += dt;
  add(selfByPlace, where(node), dt);
  add(selfByFunction, label(node), dt);
  /** @type {Set<string>} */
  const seen = new Set();
  for (let n = /** @type {ProfileNode | undefined} */ (node); n; n = byId.get(parentOf.get(n.id) ?? -1)) {
    const name = n.callFrame.functionName;
    if (WATCH.includes(name) && !seen.has(name)) {
      seen.add(name);
      add(inclusive, name, dt);
    }
  }
});

/** @param {Map<string, number>} map @param {number} limit */
const top = (map, limit) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, ms]) => `  ${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n');

console.log(`profile: ${file}\nsampled (non-idle): ${total.toFixed(0)} ms\n`);
console.log(`self time by package / core file:\n${top(selfByPlace, 15)}\n`);
console.log(`hottest functions (self time):\n${top(selfByFunction, 25)}\n`);
console.log(`inclusive time of watched functions:\n${top(inclusive, WATCH.length)}`);
