import type { ImportFormat } from './ImportResult.js';

/** How much of the start of a file format detection reads. */
const SNIFF_LENGTH = 256 * 1024;

/**
 * Tells which tool wrote a file from its content (never from its name alone): the keys each format
 * always has near its start. Undefined when it looks like none of them. The importer then checks it fully.
 *
 * @example
 * detectImportFormat('{"otmVersion": "0.2.0", ...}', 'model.json') // 'otm'
 */
export function detectImportFormat(text: string, file: string): ImportFormat | undefined {
  const head = text.slice(0, SNIFF_LENGTH).replace(/^\uFEFF/, '');
  if (/^\s*</.test(head)) return /<ThreatModel[\s>]/.test(head) ? 'ms-tmt' : undefined;
  const key = (name: string): RegExp => new RegExp(`(^|[{,\\s])"?${name}"?\\s*:`, 'm');
  if (key('otmVersion').test(head)) return 'otm';
  if (key('applicationInfo').test(head) && (key('threats').test(head) || key('mitigations').test(head)))
    return 'threat-composer';
  if (key('summary').test(head) && key('detail').test(head)) return 'threat-dragon';
  if (key('technical_assets').test(head) || key('threagile_version').test(head) || key('data_assets').test(head))
    return 'threagile';
  if (/\.tc\.json$/i.test(file)) return 'threat-composer';
  if (/\.tm7$/i.test(file)) return 'ms-tmt';
  return undefined;
}
