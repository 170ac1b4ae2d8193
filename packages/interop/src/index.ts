// Parapet interop: other tools' files to Parapet models and back, and models discovered from
// infrastructure code. Pure: text in, models and text out; no file system or network.

export {
  DISCOVERY_SOURCES,
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  ImportError,
  type DiscoverySource,
  type ExportFormat,
  type ExportResult,
  type ImportFormat,
  type ImportResult,
  type Unmapped,
} from './ImportResult.js';
export { IdAllocator, slug } from './ids.js';
export { readStructured, pathText, MAX_INPUT_BYTES, type StructuredSource } from './source.js';
export { writeModelYaml, checkModel } from './writeModel.js';
export { detectImportFormat } from './detect.js';
export { importModel, exportModel } from './importModel.js';
export { importThreatDragon } from './formats/threatDragon/importThreatDragon.js';
export { exportThreatDragon } from './formats/threatDragon/exportThreatDragon.js';
export { importOtm } from './formats/otm/importOtm.js';
export { exportOtm } from './formats/otm/exportOtm.js';
export { importThreagile } from './formats/threagile/importThreagile.js';
export { importTmt } from './formats/tmt/importTmt.js';
export { importThreatComposer } from './formats/threatComposer/importThreatComposer.js';
export { exportThreatComposer } from './formats/threatComposer/exportThreatComposer.js';
export { discover, detectKind, type DiscoverOptions } from './discover/discover.js';
export { mergeDiscovered, type MergeResult } from './discover/merge.js';
export { parseMappingFile, getBuiltinMappings } from './discover/mappingFile.js';
export { mapResources } from './discover/mapModel.js';
export type {
  DiscoveryInput,
  MappingFile,
  MappingRule,
  Relation,
  RelationKind,
  SourceResource,
} from './discover/types.js';
