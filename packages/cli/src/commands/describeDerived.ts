import type { ModelEnrichment, ThreatModel } from '@parapet/core';
import { countLabel } from '../printDiagnostics.js';
import { sanitizeForTerminal } from '../sanitize.js';
import type { Style } from '../style.js';

/** What Parapet derives from the model's structure: zones, exposure, boundary crossings, asset locations. */
export function describeDerived(model: ThreatModel, e: ModelEnrichment, style: Style): string {
  const lines: string[] = [];
  const elements = model.elements ?? [];
  const flows = model.flows ?? [];
  const boundaries = model.boundaries ?? [];
  const assets = model.assets ?? [];
  lines.push(style.bold('Trust boundaries'));
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
