// Embeds the built-in discovery mapping files (packages/interop/mappings/*.yaml) in
// packages/interop/src/discover/data/builtin-mappings.json as parsed data with the line of each rule, so that
// interop ships them without reading files or parsing YAML at run time. Run by every build; a test compares
// the embedded data with the files, and getBuiltinMappings() checks them with the schema of users' files.
import { embedYamlFiles } from './embedYamlFiles.js';

embedYamlFiles({
  dir: 'packages/interop/mappings',
  prefix: 'mappings',
  out: 'packages/interop/src/discover/data/builtin-mappings.json',
  what: 'mapping',
  content: (data) => ({ mapping: data }),
});
