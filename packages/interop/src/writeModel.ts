import { loadModel, writeModelText, type Diagnostic, type ThreatModelInput } from '@parapet/core';

/** A model as canonical Parapet YAML (keys in the format's order, two-space indents), as `parapet fmt` writes it. */
export function writeModelYaml(model: ThreatModelInput): string {
  return writeModelText(model, 'threatmodel.yaml');
}

/**
 * Checks a model as Parapet would load it from a file: its errors and warnings. An importer's model must
 * come back without errors. It is checked as JSON text (parsing JSON is many times faster than YAML), so
 * the diagnostics' locations point into that text: use their paths, or load the written file for lines.
 */
export function checkModel(model: ThreatModelInput): readonly Diagnostic[] {
  const text = JSON.stringify(model);
  const name = 'threatmodel.json';
  const result = loadModel(name, {
    readFile: (path) => (path === name ? text : undefined),
    resolvePath: (_from, reference) => reference,
  });
  return result.diagnostics;
}
