// Regenerates the files derived from the code: schema/threatmodel.schema.json, the field reference in
// docs/model-format.md, the facts reference and the built-in rule list in docs/rules.md. Tests fail when either is stale; run `npm run generate` to refresh.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  compileRules,
  getBuiltinRuleEntries,
  getModelJsonSchema,
  renderFactsReference,
  renderFieldReference,
  renderRuleList,
} from '@parapet/core';

writeFileSync('schema/threatmodel.schema.json', `${JSON.stringify(getModelJsonSchema(), null, 2)}\n`);

/** Replaces the text between `<!-- name:start ... -->` and `<!-- name:end -->` in a document. */
function fill(path, name, content) {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(`<!-- ${name}:start`);
  const startEnd = text.indexOf('-->', start) + 3;
  const end = text.indexOf(`<!-- ${name}:end -->`);
  if (start === -1 || end === -1)
    throw new Error(`${path} needs the markers <!-- ${name}:start --> and <!-- ${name}:end -->`);
  writeFileSync(path, `${text.slice(0, startEnd)}\n${content}\n${text.slice(end)}`);
}
fill('docs/model-format.md', 'fields', renderFieldReference());
fill('docs/rules.md', 'facts', renderFactsReference());
fill('docs/rules.md', 'rules', renderRuleList(compileRules(getBuiltinRuleEntries()).rules));
console.log(
  'wrote schema/threatmodel.schema.json, the field reference in docs/model-format.md, the facts and rules in docs/rules.md',
);
