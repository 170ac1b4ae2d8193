import type { ModelEnrichment } from '../enrich/enrichModel.js';
import type { ModelIndex } from '../enrich/ModelIndex.js';
import type { ThreatModel } from '../schema/ThreatModel.js';
import type { PathProblem } from './fromZodIssues.js';

/**
 * Warnings for models that are valid but likely incomplete: elements in no flow, assets neither stored nor
 * carried, and boundary-crossing flows that do not state their authentication or encryption.
 */
export function checkSmells(model: ThreatModel, enrichment: ModelEnrichment, index: ModelIndex): PathProblem[] {
  const problems: PathProblem[] = [];
  const inFlow = new Uint8Array(model.elements?.length ?? 0);
  for (const end of index.flowEnds) if (end >= 0) inFlow[end] = 1;
  (model.elements ?? []).forEach((element, i) => {
    if (inFlow[i] === 1 || element.outOfScope) return;
    problems.push({
      severity: 'warning',
      code: 'PARAPET_ELEMENT_WITHOUT_FLOWS',
      message: `element "${element.id}" takes part in no flow: add its flows or mark it outOfScope`,
      path: ['elements', i],
      part: 'value',
    });
  });
  (model.assets ?? []).forEach((asset, i) => {
    const location = enrichment.assets.get(asset.id);
    if (location && (location.storedIn.length > 0 || location.carriedBy.length > 0)) return;
    problems.push({
      severity: 'warning',
      code: 'PARAPET_ASSET_UNUSED',
      message: `asset "${asset.id}" is neither stored (elements[].stores) nor carried (flows[].data)`,
      path: ['assets', i],
      part: 'value',
    });
  });
  (model.flows ?? []).forEach((flow, i) => {
    const crossing = enrichment.crossings.get(flow.id);
    if (!crossing || crossing.exits.length + crossing.entries.length === 0 || flow.outOfScope) return;
    const missing = [flow.authentication ? '' : 'authentication', flow.encryption ? '' : 'encryption'].filter(Boolean);
    if (missing.length === 0) return;
    const crossed = [...crossing.exits, ...crossing.entries].map((b) => `"${b}"`).join(', ');
    problems.push({
      severity: 'warning',
      code: 'PARAPET_FLOW_UNPROTECTED',
      message: `flow "${flow.id}" crosses ${crossed} but states no ${missing.join(' or ')} (write "none" if there is none)`,
      path: ['flows', i],
      part: 'value',
    });
  });
  return problems;
}
