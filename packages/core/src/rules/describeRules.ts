import { FACT_TYPES, SUBJECT_VARIABLES } from './factTypes.js';
import type { CompiledRule } from './compileRules.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The facts reference of docs/rules.md: every variable per subject, every fact type and field. */
export function renderFactsReference(): string {
  const lines: string[] = ['| Subject | Variables |', '| --- | --- |'];
  for (const [subject, variables] of Object.entries(SUBJECT_VARIABLES)) {
    lines.push(
      `| \`${subject}\` | ${Object.entries(variables)
        .map(([name, type]) => `\`${name}\`: ${type}`)
        .join(', ')} |`,
    );
  }
  for (const [name, type] of Object.entries(FACT_TYPES)) {
    lines.push('', `### ${name}`, '', cell(type.description), '', '| Field | Type | Meaning |', '| --- | --- | --- |');
    for (const [field, f] of Object.entries(type.fields)) {
      lines.push(`| \`${field}\` | ${f.type}${f.optional ? ' (may be absent)' : ''} | ${cell(f.description)} |`);
    }
  }
  return lines.join('\n');
}

/** The list of built-in rules for docs/rules.md, in library order. */
export function renderRuleList(rules: readonly CompiledRule[]): string {
  const lines = [
    '| Rule | Applies to | Category | Threat | Likelihood / impact | References |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rules) {
    const narrowed = [...(r.kinds ?? []), ...(r.types ?? [])];
    const refs = [...(r.references.cwe ?? []), ...(r.references.capec ?? []), ...(r.references.attack ?? [])];
    lines.push(
      `| \`${r.id}\` | ${r.subject}${narrowed.length > 0 ? ` (${narrowed.join(', ')})` : ''} | ${r.category} | ${cell(r.title)} | ${r.likelihood} / ${r.impact} | ${refs.join(', ')} |`,
    );
  }
  return lines.join('\n');
}
