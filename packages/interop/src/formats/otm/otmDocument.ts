/** The parts of an OTM 0.2.0 document the exporter writes (see otm_schema.json). */

export type OtmAttributes = Record<string, string>;

export interface OtmPosition {
  x: number;
  y: number;
}

export interface OtmSize {
  width: number;
  height: number;
}

export interface OtmRepresentationElement {
  representation: string;
  id: string;
  position?: OtmPosition;
  size?: OtmSize;
}

export interface OtmRepresentation {
  name: string;
  id: string;
  type: 'diagram';
  description?: string;
  size?: OtmSize;
  attributes?: OtmAttributes;
}

export interface OtmMitigationInstance {
  mitigation: string;
  state: string;
}

export interface OtmThreatInstance {
  threat: string;
  state: string;
  mitigations?: OtmMitigationInstance[];
}

export interface OtmTrustZone {
  id: string;
  name: string;
  type: string;
  description?: string;
  risk: { trustRating: number };
  parent?: { trustZone: string };
  representations?: OtmRepresentationElement[];
  attributes?: OtmAttributes;
}

export interface OtmComponent {
  id: string;
  name: string;
  type: string;
  description?: string;
  parent: { trustZone: string };
  representations?: OtmRepresentationElement[];
  assets?: { processed?: string[]; stored?: string[] };
  threats?: OtmThreatInstance[];
  tags?: string[];
  attributes?: OtmAttributes;
}

export interface OtmDataflow {
  id: string;
  name: string;
  description?: string;
  bidirectional: boolean;
  source: string;
  destination: string;
  assets?: string[];
  threats?: OtmThreatInstance[];
  tags?: string[];
  attributes?: OtmAttributes;
}

export interface OtmAsset {
  id: string;
  name: string;
  description?: string;
  risk: { confidentiality: number; integrity: number; availability: number };
  attributes?: OtmAttributes;
}

export interface OtmThreat {
  id: string;
  name: string;
  description?: string;
  categories: string[];
  cwes?: string[];
  risk: { likelihood: number | null; impact: number };
  tags?: string[];
  attributes?: OtmAttributes;
}

export interface OtmMitigation {
  id: string;
  name: string;
  description?: string;
  riskReduction: number;
  attributes?: OtmAttributes;
}

export interface OtmDocument {
  otmVersion: '0.2.0';
  project: {
    name: string;
    id: string;
    description?: string;
    owner?: string;
    ownerContact?: string;
    attributes?: OtmAttributes;
  };
  representations?: OtmRepresentation[];
  assets?: OtmAsset[];
  components?: OtmComponent[];
  dataflows?: OtmDataflow[];
  trustZones?: OtmTrustZone[];
  threats?: OtmThreat[];
  mitigations?: OtmMitigation[];
}

/** `{ attributes }` when there are any, else nothing (to spread into an OTM object). */
export function withAttributes(attributes: OtmAttributes): { attributes?: OtmAttributes } {
  return Object.keys(attributes).length > 0 ? { attributes } : {};
}
