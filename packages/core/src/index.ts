// Parapet core: the model format, parsing with source positions, validation, enrichment, canonical form.
// Pure: no file system, network, clock or randomness; runs unchanged in Node and in the browser.

export {
  compareDiagnostics,
  DIAGNOSTIC_CODES,
  formatDiagnostic,
  formatPath,
  type Diagnostic,
  type DiagnosticCode,
  type PathSegment,
  type Position,
  type Severity,
  type SourceLocation,
} from './diagnostics/Diagnostic.js';
export { DEFAULT_LIMITS, type ParseLimits } from './parse/limits.js';
export { parseSource, type ParseProblem, type ParseResult } from './parse/parseSource.js';
export type { SourceFile, SourceFormat } from './parse/SourceFile.js';
export { loadModel, type LoadOptions, type LoadResult, type ModelHost } from './load/loadModel.js';
export {
  enrichModel,
  toEnrichmentJson,
  type AssetLocation,
  type ElementAssets,
  type ElementExposure,
  type ElementZone,
  type FlowCrossing,
  type ModelEnrichment,
} from './enrich/enrichModel.js';
export { createModelIndex, getIndexOf, type Declaration, type ModelIndex } from './enrich/ModelIndex.js';
export { formatModelText, writeModelText, type FormatResult } from './format/formatModel.js';
export { getModelJsonSchema, MODEL_SCHEMA_ID } from './jsonSchema.js';
export { getSuggestion } from './validate/suggest.js';
export { ID_PATTERN } from './schema/common.js';
export { FORMAT_VERSION, SECTIONS, threatModelPartSchema, threatModelSchema } from './schema/ThreatModel.js';
export type { SectionName, ThreatModel, ThreatModelInput } from './schema/ThreatModel.js';
export type { Actor } from './schema/Actor.js';
export type { Asset } from './schema/Asset.js';
export type { Assumption } from './schema/Assumption.js';
export type { AttackTree } from './schema/AttackTree.js';
export type { Boundary } from './schema/Boundary.js';
export type { Decision } from './schema/Decision.js';
export type { Element } from './schema/Element.js';
export type { Flow } from './schema/Flow.js';
export type { Mitigation } from './schema/Mitigation.js';
export type { ModelInfo } from './schema/ModelInfo.js';
export type { Question } from './schema/Question.js';
export type { Rule } from './schema/Rule.js';
export type { Session } from './schema/Session.js';
export type { Threat } from './schema/Threat.js';
export type { View } from './schema/View.js';
export { TECHNOLOGIES, type TechnologyId } from './catalog/technologies.js';
export { CONTROLS, type ControlId } from './catalog/controls.js';
export {
  getMitigationCatalogEntry,
  MITIGATION_CATALOG,
  type MitigationCatalogEntry,
  type MitigationId,
} from './catalog/mitigationCatalog.js';
export { describeModelFields, renderFieldReference, type FieldDescription } from './describeFields.js';
export {
  CATALOG_KINDS,
  type AsvsEntry,
  type AttackMitigationEntry,
  type AttackTechniqueEntry,
  type CapecEntry,
  type CatalogEntry,
  type CatalogKind,
  type CweEntry,
} from './catalog/catalogData.js';
export {
  getCatalogEntry,
  isKnownReference,
  searchCatalog,
  type CatalogResult,
  type CatalogSearchOptions,
} from './catalog/searchCatalog.js';
export { analyze, type AnalyzeOptions } from './analyze/analyze.js';
export type {
  Analysis,
  AnalyzedThreat,
  Reference,
  SuppressedThreat,
  ThreatStatus,
  ThreatTarget,
  WhyFact,
} from './analyze/Analysis.js';
export { rateSeverity, shiftLevel, levelIndex } from './analyze/severity.js';
export { compileRules, type CompiledRule, type CompiledRules, type RuleEntry } from './rules/compileRules.js';
export { parseRuleFile, type RuleFileResult } from './rules/parseRuleFile.js';
export { getBuiltinRuleEntries, getBuiltinRuleFiles } from './rules/builtinRules.js';
export { FACT_TYPES, SUBJECT_VARIABLES, type FactField } from './rules/factTypes.js';
export { LEVELS, type Level } from './schema/common.js';
export { MITIGATION_IDS } from './catalog/mitigationCatalog.js';
export { renderFactsReference, renderRuleList } from './rules/describeRules.js';
export { PROTOCOLS } from './schema/Flow.js';
export { BOUNDARY_KINDS } from './schema/Boundary.js';
export { ASSET_KINDS, CLASSIFICATIONS } from './schema/Asset.js';
export { EXPOSURES } from './schema/Element.js';
export { AUTHENTICATION_METHODS, AUTHORIZATION_METHODS, ENCRYPTION_METHODS } from './schema/security.js';
