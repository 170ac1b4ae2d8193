import { formatModelText, loadModel, type Diagnostic, type ThreatModelInput } from '@parapet/core';
import { stringify } from 'yaml';

/** A model as canonical Parapet YAML (keys in the format's order, two-space indents). */
export function writeModelYaml(model: ThreatModelInput): string {
  const text = stringify(model, { lineWidth: 0, aliasDuplicateObjects: false });
  const formatted = formatModelText(text, 'threatmodel.yaml');
  if (!formatted.ok) throw new Error(`could not format the model: ${formatted.problems[0]?.message ?? ''}`);
  return formatted.text;
}

/**
 * Loads a written model back as Parapet would from a file: its errors and warnings. An importer's model
 * must come back without errors.
 */
export function checkModel(model: ThreatModelInput): readonly Diagnostic[] {
  const text = writeModelYaml(model);
  const name = 'threatmodel.yaml';
  const result = loadModel(name, {
    readFile: (path) => (path === name ? text : undefined),
    resolvePath: (_from, reference) => reference,
  });
  return result.diagnostics;
}
