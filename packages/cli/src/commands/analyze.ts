import { levelIndex, toEnrichmentJson, type Analysis, type AnalyzedThreat, type ThreatModel } from '@parapet/core';
import { EXIT } from '../errors.js';
import type { CliIo } from '../io.js';
import { loadAnalysis, type AnalysisRequest } from '../loadAnalysis.js';
import { countLabel, printDiagnostics } from '../printDiagnostics.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { createStyle, type Style } from '../style.js';
import { describeDerived } from './describeDerived.js';
import type { LevelName, OutputFormat } from './options.js';

export interface AnalyzeOptions extends AnalysisRequest {
  readonly format: OutputFormat;
  /** Exit 3 when an open threat has this severity or higher. */
  readonly failOn?: LevelName | undefined;
  /** Also show what is derived from the structure (zones, exposure, crossings, asset locations). */
  readonly derived?: boolean | undefined;
  /** List the threats ruled out by controls or assumptions. */
  readonly showSuppressed?: boolean | undefined;
}

/** `parapet analyze <file>`: the threats of a model, grouped by what they threaten; a CI gate with --fail-on. */
export function runAnalyze(file: string, options: AnalyzeOptions, io: CliIo): number {
  const style = createStyle(io);
  const loaded = loadAnalysis(file, options, io);
  const { result, analysis } = loaded;
  const gated = analysis && options.failOn ? findGated(analysis, options.failOn) : [];
  if (options.format === 'json') {
    const model = result.model;
    io.stdout(
      `${JSON.stringify(
        {
          model: model ? { id: model.model.id, title: model.model.title, version: model.model.version ?? null } : null,
          files: result.files.map((f) => f.name),
          summary: analysis ? summarize(analysis) : null,
          threats: analysis?.threats ?? [],
          suppressed: analysis?.suppressed ?? [],
          diagnostics: loaded.diagnostics,
          ...(options.derived && result.enrichment ? { derived: toEnrichmentJson(result.enrichment) } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else if (result.model && analysis && !loaded.hasErrors) {
    io.stdout(describeAnalysis(result.model, analysis, options, style));
    if (options.derived && result.enrichment) io.stdout(`\n${describeDerived(result.model, result.enrichment, style)}`);
    if (loaded.diagnostics.length > 0)
      io.stdout(`\n${style.bold('Warnings')}\n${printDiagnostics(loaded.diagnostics, style)}`);
    if (options.failOn) {
      io.stdout(
        gated.length > 0
          ? `\n${style.red(`✖ ${countLabel(gated.length, 'open threat')} at or above ${options.failOn} (--fail-on ${options.failOn})`)}\n`
          : `\n${style.green(`✔ no open threat at or above ${options.failOn}`)}\n`,
      );
    }
  } else {
    io.stdout(printDiagnostics(loaded.diagnostics, style));
  }
  if (loaded.hasErrors) return EXIT.invalid;
  return gated.length > 0 ? EXIT.gate : EXIT.ok;
}

/** Open threats at or above a severity: what `--fail-on` gates on. */
function findGated(analysis: Analysis, level: LevelName): AnalyzedThreat[] {
  return analysis.threats.filter((t) => t.status === 'open' && levelIndex(t.severity) >= levelIndex(level));
}

function summarize(analysis: Analysis): Record<string, unknown> {
  const count = (key: (t: AnalyzedThreat) => string): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const t of analysis.threats) counts[key(t)] = (counts[key(t)] ?? 0) + 1;
    return counts;
  };
  return {
    threats: analysis.threats.length,
    open: analysis.threats.filter((t) => t.status === 'open').length,
    bySeverity: count((t) => t.severity),
    byStatus: count((t) => t.status),
    suppressed: analysis.suppressed.length,
    rules: analysis.rules,
  };
}

const SEVERITY_LABEL: Record<string, string> = {
  'very-high': 'VERY HIGH',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  'very-low': 'VERY LOW',
};

function paintSeverity(severity: string, style: Style): string {
  const label = (SEVERITY_LABEL[severity] ?? severity).padEnd(9);
  if (severity === 'very-high' || severity === 'high') return style.red(label);
  return severity === 'medium' ? style.yellow(label) : style.dim(label);
}

function describeAnalysis(model: ThreatModel, analysis: Analysis, options: AnalyzeOptions, style: Style): string {
  const clean = sanitizeForTerminal;
  const lines: string[] = [];
  const info = model.model;
  lines.push(style.bold(clean(`${info.title}${info.version ? ` (version ${info.version})` : ''}`)));
  lines.push(
    [
      countLabel(model.elements?.length ?? 0, 'element'),
      countLabel(model.flows?.length ?? 0, 'flow'),
      `${model.boundaries?.length ?? 0} trust ${model.boundaries?.length === 1 ? 'boundary' : 'boundaries'}`,
      countLabel(model.assets?.length ?? 0, 'asset'),
      countLabel(analysis.rules, 'rule'),
    ].join(', '),
  );
  const threats = analysis.threats;
  const open = threats.filter((t) => t.status === 'open');
  const bySeverity = ['very-high', 'high', 'medium', 'low', 'very-low']
    .map((level) => [level, open.filter((t) => t.severity === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`);
  lines.push(
    `${countLabel(threats.length, 'threat')}, ${open.length} open${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}; ` +
      `${analysis.suppressed.length} ruled out by controls or assumptions`,
  );

  const names = new Map<string, string>((model.elements ?? []).map((e) => [e.id, e.name]));
  let group = '';
  for (const t of threats) {
    const key = `${t.target.section}:${t.target.id}`;
    if (key !== group) {
      group = key;
      const heading =
        t.target.section === 'flows'
          ? `Flow ${t.target.name} [${t.target.id}]: ${names.get(t.target.from ?? '') ?? t.target.from ?? '?'} → ${names.get(t.target.to ?? '') ?? t.target.to ?? '?'}`
          : `${t.target.section === 'elements' ? '' : `${t.target.section.slice(0, -1).replace('boundarie', 'boundary')} `}${t.target.name} [${t.target.id}]`;
      lines.push('', style.bold(clean(heading.charAt(0).toUpperCase() + heading.slice(1))));
    }
    const status = t.status === 'open' ? t.status.padEnd(14) : style.dim(t.status.padEnd(14));
    lines.push(
      `  ${paintSeverity(t.severity, style)} ${status} ${clean(t.title)} ${style.dim(`(${t.category}) ${t.id}`)}`,
    );
  }
  if (options.showSuppressed && analysis.suppressed.length > 0) {
    lines.push('', style.bold('Ruled out'));
    for (const s of analysis.suppressed) lines.push(`  ${style.dim(s.id)}: ${clean(s.reason)}`);
  }
  lines.push('', style.dim('parapet explain <threat-id> <model> shows why a threat was found and what clears it.'));
  return `${lines.join('\n')}\n`;
}
