// Embeds the built-in discovery mapping files (packages/interop/mappings/*.yaml) in
// packages/interop/src/discover/data/builtin-mappings.json as parsed data with the line of each rule, so that
// interop ships them without reading files or parsing YAML at run time. Run by every build; a test compares
// the embedded data with the files, and getBuiltinMappings() checks them with the schema of users' files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';

const dir = 'packages/interop/mappings';
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
      name: `mappings/${name}`,
      lines: items.map((item) => lineCounter.linePos(item.range?.[0] ?? 0).line),
      mapping: document.toJS(),
    };
  });
writeFileSync('packages/interop/src/discover/data/builtin-mappings.json', `${JSON.stringify({ files })}\n`);
console.log(`embedded ${files.length} mapping files in packages/interop/src/discover/data/builtin-mappings.json`);
