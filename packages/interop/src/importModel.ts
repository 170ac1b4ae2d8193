import type { Analysis, ThreatModel } from '@parapet/core';
import { detectImportFormat } from './detect.js';
import { exportOtm } from './formats/otm/exportOtm.js';
import { importOtm } from './formats/otm/importOtm.js';
import { exportThreatComposer } from './formats/threatComposer/exportThreatComposer.js';
import { importThreatComposer } from './formats/threatComposer/importThreatComposer.js';
import { exportThreatDragon } from './formats/threatDragon/exportThreatDragon.js';
import { importThreatDragon } from './formats/threatDragon/importThreatDragon.js';
import { importThreagile } from './formats/threagile/importThreagile.js';
import { importTmt } from './formats/tmt/importTmt.js';
import {
  IMPORT_FORMATS,
  ImportError,
  type ExportFormat,
  type ExportResult,
  type ImportFormat,
  type ImportResult,
} from './ImportResult.js';

const IMPORTERS: Readonly<Record<ImportFormat, (text: string, file: string) => ImportResult>> = {
  'threat-dragon': importThreatDragon,
  otm: importOtm,
  threagile: importThreagile,
  'ms-tmt': importTmt,
  'threat-composer': importThreatComposer,
};

/**
 * Imports another tool's file: the format given, or the one its content shows. Throws ImportError when the
 * format cannot be told or the file cannot be read as it.
 *
 * @example
 * const { model, unmapped } = importModel(text, 'demo.json'); // Threat Dragon, OTM, Threagile, TMT or Threat Composer
 */
export function importModel(text: string, file: string, format?: ImportFormat): ImportResult {
  const detected = format ?? detectImportFormat(text, file);
  if (!detected) {
    throw new ImportError(
      `cannot tell which tool wrote this file; name the format with --from (${IMPORT_FORMATS.join(', ')})`,
      file,
    );
  }
  return IMPORTERS[detected](text, file);
}

/** Writes a model in another tool's format; with an analysis, the threats the rules found go too. */
export function exportModel(
  model: ThreatModel,
  format: ExportFormat,
  options: { readonly analysis?: Analysis } = {},
): ExportResult {
  switch (format) {
    case 'threat-dragon':
      return exportThreatDragon(model, options);
    case 'otm':
      return exportOtm(model, options);
    case 'threat-composer':
      return exportThreatComposer(model, options);
  }
}
