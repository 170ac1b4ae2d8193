import { loadModel, toEnrichmentJson, type LoadResult, type ModelEnrichment, type ThreatModel } from '@parapet/core';
import { EXIT } from '../errors.js';
import { createFileHost, type CliIo } from '../io.js';
import { countLabel, printDiagnostics } from '../printDiagnostics.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { createStyle, type Style } from '../style.js';
import { toLoadOptions, type OutputFormat } from './options.js';

export interface AnalyzeOptions {
  readonly format: OutputFormat;
  readonly maxBytes?: number | undefined;
}

/** `parapet analyze <file>`: load, validate and derive boundaries crossed, exposure and asset locations. */
export function runAnalyze(file: string, options: AnalyzeOptions, io: CliIo): number {
  const style = createStyle(io);
  const result = loadModel(file, createFileHost(io.cwd), toLoadOptions(options.maxBytes));
  const { model, enrichment } = result;
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify(toJson(result), null, 2)}\n`);
  } else if (model && enrichment) {
    io.stdout(describe(model, enrichment, style));
    if (result.diagnostics.length > 0)
      io.stdout(`\n${style.bold('Warnings')}\n${printDiagnostics(result.diagnostics, style)}`);
  } else {
    io.stdout(printDiagnostics(result.diagnostics, style));
  }
  return model ? EXIT.ok : EXIT.invalid;
}

function toJson(result: LoadResult): Record<string, unknown> {
  const { model, enrichment } = result;
  return {
    model: model ? { id: model.model.id, title: model.model.title, version: model.model.version ?? null } : null,
    files: result.files.map((f) => f.name),
    enrichment: enrichment ? toEnrichmentJson(enrichment) : null,
    diagnostics: result.diagnostics,
  };
}

function describe(model: ThreatModel, e: ModelEnrichment, style: Style): string {
  const lines: string[] = [];
  const info = model.model;
  lines.push(style.bold(sanitizeForTerminal(`${info.title}${info.version ? ` (version ${info.version})` : ''}`)));
  const elements = model.elements ?? [];
  const flows = model.flows ?? [];
  const boundaries = model.boundaries ?? [];
  const assets = model.assets ?? [];
  const actors = model.actors ?? [];
  lines.push(
    [
      countLabel(elements.length, 'element'),
      countLabel(flows.length, 'flow'),
      `${boundaries.length} trust ${boundaries.length === 1 ? 'boundary' : 'boundaries'}`,
      countLabel(assets.length, 'asset'),
      countLabel(actors.length, 'actor'),
    ].join(', '),
  );

  lines.push('', style.bold('Trust boundaries'));
  const children = new Map<string | undefined, typeof boundaries>();
  for (const b of boundaries) children.set(b.parent, [...(children.get(b.parent) ?? []), b]);
  const walk = (parent: string | undefined, depth: number): void => {
    for (const b of children.get(parent) ?? []) {
      lines.push(
        `${'  '.repeat(depth + 1)}${sanitizeForTerminal(b.name)} [${b.id}] ${style.dim(`${b.kind}, trust ${e.boundaryTrust.get(b.id) ?? 0}`)}`,
      );
      walk(b.id, depth + 1);
    }
  };
  walk(undefined, 0);

  lines.push(
    '',
    style.bold(`Exposure (reachable by following flows from the least-trusted zone, trust ${e.minTrustLevel})`),
  );
  const idWidth = Math.min(28, Math.max(...elements.map((el) => el.id.length), 2));
  for (const el of elements) {
    const x = e.exposure.get(el.id);
    const zone = e.zones.get(el.id);
    const where = zone?.boundary ? `in ${zone.boundary}` : 'outside every boundary';
    const reach = !x?.reachable
      ? style.green('not reachable')
      : x.entryPoint
        ? style.red('entry point')
        : style.yellow(`reachable in ${x.hops} ${x.hops === 1 ? 'hop' : 'hops'} (via ${x.via})`);
    lines.push(`  ${el.id.padEnd(idWidth)}  ${reach}, ${where}${el.outOfScope ? style.dim(' (out of scope)') : ''}`);
  }

  const crossing = flows.filter((f) => {
    const c = e.crossings.get(f.id);
    return c && c.exits.length + c.entries.length > 0;
  });
  lines.push('', style.bold(`Boundary crossings (${crossing.length} of ${countLabel(flows.length, 'flow')})`));
  for (const f of crossing) {
    const c = e.crossings.get(f.id);
    if (!c) continue;
    const moves = [...c.exits.map((b) => `leaves ${b}`), ...c.entries.map((b) => `enters ${b}`)].join(', ');
    const trust = c.trustChange === 0 ? 'trust ±0' : `trust ${c.trustChange > 0 ? '+' : ''}${c.trustChange}`;
    const security = `${f.protocol ?? 'protocol ?'}, authentication ${f.authentication ?? '?'}, encryption ${f.encryption ?? '?'}`;
    lines.push(
      `  ${f.id}: ${f.from} → ${f.to}; ${moves}; ${c.trustChange > 0 ? style.yellow(trust) : trust}; ${style.dim(security)}`,
    );
  }

  lines.push('', style.bold('Assets'));
  for (const a of assets) {
    const loc = e.assets.get(a.id);
    if (!loc) continue;
    const parts = [
      loc.storedIn.length > 0 ? `stored in ${loc.storedIn.join(', ')}` : 'stored nowhere',
      loc.processedBy.length > 0 ? `processed by ${loc.processedBy.join(', ')}` : '',
      `carried by ${loc.carriedBy.length} ${loc.carriedBy.length === 1 ? 'flow' : 'flows'}`,
    ].filter(Boolean);
    lines.push(`  ${a.id}${a.classification ? style.dim(` (${a.classification})`) : ''}: ${parts.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
