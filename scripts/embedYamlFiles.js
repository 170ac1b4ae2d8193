// Embeds a folder of YAML files (built-in rules, discovery mappings) in a JSON file of the package that ships
// them, as parsed data with the line of each entry of their `rules:` list, so that the package reads no files
// and parses no YAML at run time. Used by embed-rules.js and embed-mappings.js, which every build runs.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';

/**
 * @param {object} options
 * @param {string} options.dir The folder of `*.yaml` files.
 * @param {string} options.prefix The name each file is known by is `<prefix>/<file name>`.
 * @param {string} options.out The JSON file to write.
 * @param {string} options.what What the files are, for the message.
 * @param {(data: any) => Record<string, unknown>} options.content The fields a file's parsed data gives its entry.
 */
export function embedYamlFiles({ dir, prefix, out, what, content }) {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => {
      const lineCounter = new LineCounter();
      const document = parseDocument(readFileSync(`${dir}/${name}`, 'utf8'), { lineCounter, uniqueKeys: true });
      if (document.errors.length > 0) throw new Error(`${dir}/${name}: ${document.errors[0]?.message}`);
      const rules = document.get('rules');
      const items = rules && typeof rules === 'object' && 'items' in rules ? /** @type {any[]} */ (rules.items) : [];
      return {
        name: `${prefix}/${name}`,
        lines: items.map((item) => lineCounter.linePos(item.range?.[0] ?? 0).line),
        ...content(document.toJS()),
      };
    });
  writeFileSync(out, `${JSON.stringify({ files })}\n`);
  console.log(`embedded ${files.length} ${what} files in ${out}`);
}
