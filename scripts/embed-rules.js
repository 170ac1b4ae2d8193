// Embeds the built-in rule files (packages/core/rules/*.yaml) in packages/core/src/rules/data/builtin-rules.json
// as parsed data with the line of each rule, so that core ships them without reading files or parsing YAML at
// run time. Run by every build; a test compares the embedded data with the files.
import { embedYamlFiles } from './embedYamlFiles.js';

embedYamlFiles({
  dir: 'packages/core/rules',
  prefix: 'rules',
  out: 'packages/core/src/rules/data/builtin-rules.json',
  what: 'rule',
  content: (data) => ({ rules: data?.rules ?? [] }),
});
