// Embeds the built-in rule files (packages/core/rules/*.yaml) in packages/core/src/rules/data/builtin-rules.json,
// so that core ships them without reading files. Run by `npm run generate`; a test fails when the copy is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dir = 'packages/core/rules';
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name: `rules/${name}`, text: readFileSync(`${dir}/${name}`, 'utf8') }));
writeFileSync('packages/core/src/rules/data/builtin-rules.json', `${JSON.stringify({ files }, null, 1)}\n`);
console.log(`embedded ${files.length} rule files in packages/core/src/rules/data/builtin-rules.json`);
