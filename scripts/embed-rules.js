// Embeds the built-in rule files (packages/core/rules/*.yaml) in packages/core/src/rules/data/builtin-rules.json
// as parsed data with the line of each rule, so that core ships them without reading files or parsing YAML at
// run time. Run by every build; a test compares the embedded data with the files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';

const dir = 'packages/core/rules';
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => {
    const lineCounter = new LineCounter();
    const document = parseDocument(readFileSync(`${dir}/${name}`, 'utf8'), { lineCounter, uniqueKeys: true });
    if (document.errors.length > 0) throw new Error(`${dir}/${name}: ${document.errors[0]?.message}`);
    const rules = document.get('rules');
    const items = rules && 'items' in rules ? rules.items : [];
    return {
      name: `rules/${name}`,
      lines: items.map((item) => lineCounter.linePos(item.range?.[0] ?? 0).line),
      rules: document.toJS().rules ?? [],
    };
  });
writeFileSync('packages/core/src/rules/data/builtin-rules.json', `${JSON.stringify({ files })}\n`);
console.log(`embedded ${files.length} rule files in packages/core/src/rules/data/builtin-rules.json`);
