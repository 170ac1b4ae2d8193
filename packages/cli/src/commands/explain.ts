import {
  getCatalogEntry,
  getMitigationCatalogEntry,
  getSuggestion,
  type AnalyzedThreat,
  type CatalogEntry,
} from '@parapet/core';
import { EXIT } from '../errors.js';
import type { CliIo } from '../io.js';
import { loadAnalysis, type AnalysisRequest } from '../loadAnalysis.js';
import { printDiagnostics } from '../printDiagnostics.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { createStyle, type Style } from '../style.js';
import type { OutputFormat } from './options.js';

export interface ExplainOptions extends AnalysisRequest {
  readonly format: OutputFormat;
}

/** `parapet explain <threat-id> <model>`: why a threat was found, what clears it, references and mitigations. */
export function runExplain(threatId: string, file: string, options: ExplainOptions, io: CliIo): number {
  const style = createStyle(io);
  const loaded = loadAnalysis(file, options, io);
  const { analysis } = loaded;
  if (!analysis || loaded.hasErrors) {
    io.stdout(printDiagnostics(loaded.diagnostics, style));
    return EXIT.invalid;
  }
  const threat = analysis.threats.find((t) => t.id === threatId);
  const suppressed = analysis.suppressed.find((s) => s.id === threatId);
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify(threat ?? (suppressed ? { ...suppressed, status: 'ruled-out' } : null), null, 2)}\n`);
  } else if (threat) {
    io.stdout(describeThreat(threat, style));
  } else if (suppressed) {
    io.stdout(
      `${sanitizeForTerminal(`${suppressed.id} is ruled out: ${suppressed.reason}.`)}\n` +
        `Remove that control or assumption and rule ${suppressed.ruleId} reports it again.\n`,
    );
  } else {
    const ids = [...analysis.threats.map((t) => t.id), ...analysis.suppressed.map((s) => s.id)];
    const suggestion = getSuggestion(threatId, ids);
    io.stderr(
      sanitizeForTerminal(
        `parapet: no threat "${threatId}" in ${file}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; parapet analyze ${file} lists them\n`,
      ),
    );
  }
  return threat || suppressed ? EXIT.ok : EXIT.invalid;
}

function describeReference(id: string): string {
  const entry: CatalogEntry | undefined = getCatalogEntry(id);
  if (!entry) return id;
  const name = 'name' in entry ? entry.name : 'text' in entry ? entry.text : '';
  return `${id} ${name}`;
}

function describeThreat(t: AnalyzedThreat, style: Style): string {
  const clean = sanitizeForTerminal;
  const lines: string[] = [];
  lines.push(style.bold(clean(t.title)));
  lines.push(
    clean(
      `${t.id} · ${t.category} · severity ${t.severity} (likelihood ${t.likelihood}, impact ${t.impact}) · ${t.status}${t.statusReason ? ` (${t.statusReason})` : ''}`,
    ),
  );
  lines.push(
    clean(`Target: ${t.target.name} [${t.target.id}]${t.ruleId ? ` · rule ${t.ruleId}` : ' · written by hand'}`),
  );
  if (t.description) lines.push('', clean(t.description));
  lines.push('', style.bold('Why'));
  for (const fact of t.why) {
    lines.push(clean(`  - ${fact.text}`));
    const values = Object.entries(fact.facts).map(([path, value]) => `${path} = ${JSON.stringify(value)}`);
    if (fact.expression)
      lines.push(style.dim(clean(`      ${fact.expression}${values.length > 0 ? `   (${values.join(', ')})` : ''}`)));
  }
  lines.push('', style.bold('Clears when (any one of)'));
  for (const change of t.clearsWhen) lines.push(clean(`  - ${change}`));
  lines.push('', style.bold('Rating'));
  for (const step of t.rating) lines.push(clean(`  - ${step}`));
  if (t.decision) {
    const d = t.decision;
    lines.push('', style.bold('Decision'));
    lines.push(
      clean(
        `  ${d.status}${d.owner ? ` by ${d.owner}` : ''}${d.decided ? ` on ${d.decided}` : ''}${d.expires ? `, expires ${d.expires}${d.expired ? ' (EXPIRED)' : ''}` : ''}${d.ticket ? `, ticket ${d.ticket}` : ''}`,
      ),
    );
    if (d.justification) lines.push(clean(`  ${d.justification}`));
  }
  const refs = t.references;
  const refIds = [...(refs.cwe ?? []), ...(refs.capec ?? []), ...(refs.attack ?? []), ...(refs.asvs ?? [])];
  if (refIds.length > 0 || (refs.links?.length ?? 0) > 0) {
    lines.push('', style.bold('References'));
    for (const id of refIds) lines.push(clean(`  - ${describeReference(id)}`));
    for (const link of refs.links ?? []) lines.push(clean(`  - ${link}`));
  }
  const recommended = t.mitigations.filter((m) => m.source === 'catalog');
  const inModel = t.mitigations.filter((m) => m.source === 'model');
  if (recommended.length > 0) {
    lines.push('', style.bold('Recommended mitigations'));
    for (const m of recommended) {
      lines.push(clean(`  - ${m.title} [${m.id}]${m.asvs.length > 0 ? ` (ASVS ${m.asvs.join(', ')})` : ''}`));
      const entry = getMitigationCatalogEntry(m.id);
      if (entry) lines.push(style.dim(clean(`      ${entry.description}`)));
    }
  }
  if (inModel.length > 0) {
    lines.push('', style.bold('Mitigations in the model'));
    for (const m of inModel) lines.push(clean(`  - ${m.title} [${m.id}]: ${m.status ?? 'proposed'}`));
  }
  return `${lines.join('\n')}\n`;
}
