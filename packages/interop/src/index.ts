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
