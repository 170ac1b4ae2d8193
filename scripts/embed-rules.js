// Embeds the built-in rule files (packages/core/rules/*.yaml) in packages/core/src/rules/data/builtin-rules.json
// as parsed data with the line of each rule, so that core ships them without reading files or parsing YAML at
// run time. With each rule go the syntax trees of its `when` clauses, so that core does not parse them again
// (integers, which JSON cannot hold, are written as {"$int": "digits"}). Run by every build; tests compare the
// embedded data and trees with the files.
import { Environment } from '@marcbachmann/cel-js';
import { embedYamlFiles } from './embedYamlFiles.js';

const environment = new Environment();

/** A clause's syntax tree as JSON data, without source positions; null when it does not parse. */
function treeOf(expression) {
  let ast;
  try {
    ast = environment.parse(String(expression)).ast;
  } catch {
    return null; // core reports the problem when it compiles the rule (and the test suite fails)
  }
  const toData = (node) => {
    if (Array.isArray(node)) return node.map(toData);
    if (typeof node === 'bigint') return { $int: node.toString() };
    if (node === null || typeof node !== 'object') return node;
    if (!('op' in node)) throw new Error(`cannot embed ${String(node.constructor?.name)} in "${expression}"`);
    return { op: node.op, args: toData(node.args) };
  };
  return toData(ast);
}

embedYamlFiles({
  dir: 'packages/core/rules',
  prefix: 'rules',
  out: 'packages/core/src/rules/data/builtin-rules.json',
  what: 'rule',
  content: (data) => {
    const rules = data?.rules ?? [];
    return { rules, trees: rules.map((rule) => (rule?.when ?? []).map((clause) => treeOf(clause?.if))) };
  },
});
