import type { ThreatModel } from '@parapet/core';
import {
  ARCHITECTURE_HEADING,
  ARCHITECTURE_IMAGE_LABEL,
  DATAFLOW_HEADING,
  DATAFLOW_IMAGE_LABEL,
  FORMAT,
  IMAGE_URL_PATTERN,
  LIMITS,
} from './threatComposerFormat.js';

/** A description with its optional image, as Threat Composer's `architecture` and `dataflow` hold them. */
export interface DiagramInfo {
  readonly description?: string;
  readonly image?: string;
}

/** The three texts of a Threat Composer file, from a model. */
export interface Descriptions {
  readonly application?: string;
  readonly architecture: DiagramInfo;
  readonly dataflow: DiagramInfo;
}

/** Notes the writer of the descriptions hands back: what went into text only, by model path. */
export type NoteText = (at: string, what: string, reason: string) => void;

/**
 * The application, architecture and data flow descriptions of a model. The model description is split at the
 * "## Architecture" and "## Data flow" headings an import from Threat Composer wrote; scope and business
 * context follow the application description; boundaries and elements are listed in the architecture
 * description and flows in the data flow description, since Threat Composer has no diagram.
 */
export function describeModel(model: ThreatModel, note: NoteText): Descriptions {
  const split = splitDescription(model.model.description ?? '');
  const application = joinParts([split.application, describeScope(model, note), describeBusinessContext(model, note)]);
  const architectureList = describeArchitecture(model, note);
  const dataflowList = describeFlows(model, note);
  return {
    ...(application === undefined ? {} : { application }),
    architecture: withImage(joinParts([split.architecture, architectureList]), ARCHITECTURE_IMAGE_LABEL),
    dataflow: withImage(joinParts([split.dataflow, dataflowList]), DATAFLOW_IMAGE_LABEL),
  };
}

/** The parts of a model description an import wrote: before the headings, and under each. */
function splitDescription(text: string): { application?: string; architecture?: string; dataflow?: string } {
  const padded = `\n\n${text}`;
  const dataflowAt = padded.lastIndexOf(`\n\n${DATAFLOW_HEADING}\n\n`);
  const beforeDataflow = dataflowAt === -1 ? padded : padded.slice(0, dataflowAt);
  const architectureAt = beforeDataflow.lastIndexOf(`\n\n${ARCHITECTURE_HEADING}\n\n`);
  const application = (architectureAt === -1 ? beforeDataflow : beforeDataflow.slice(0, architectureAt)).trim();
  const architecture =
    architectureAt === -1 ? '' : beforeDataflow.slice(architectureAt + ARCHITECTURE_HEADING.length + 4).trim();
  const dataflow = dataflowAt === -1 ? '' : padded.slice(dataflowAt + DATAFLOW_HEADING.length + 4).trim();
  return {
    ...(application === '' ? {} : { application }),
    ...(architecture === '' ? {} : { architecture }),
    ...(dataflow === '' ? {} : { dataflow }),
  };
}

/** A section's text with a trailing image link (as an import writes it) taken out as the image URL. */
function withImage(text: string | undefined, label: string): DiagramInfo {
  if (text === undefined) return {};
  const prefix = `![${label}](`;
  const at = text.lastIndexOf(prefix);
  if (at !== -1 && text.endsWith(')') && (at === 0 || text.slice(0, at).endsWith('\n\n'))) {
    const url = text.slice(at + prefix.length, -1);
    if (url.length <= LIMITS.imageUrl && IMAGE_URL_PATTERN.test(url)) {
      const rest = text.slice(0, at).trim();
      return { ...(rest === '' ? {} : { description: rest }), image: url };
    }
  }
  return { description: text };
}

/** Texts joined by blank lines, or undefined when there are none. */
function joinParts(parts: readonly (string | undefined)[]): string | undefined {
  const present = parts.filter((part): part is string => part !== undefined && part !== '');
  return present.length === 0 ? undefined : present.join('\n\n');
}

/** The model's scope as a Markdown section. */
function describeScope(model: ThreatModel, note: NoteText): string | undefined {
  const scope = model.model.scope;
  if (!scope) return undefined;
  note(
    'model.scope',
    'scope',
    'Threat Composer has no scope field: written as a "Scope" section of applicationInfo.description',
  );
  const lines = ['### Scope'];
  if (scope.summary) lines.push('', scope.summary);
  if (scope.in?.length) lines.push('', 'In scope:', '', ...scope.in.map((item) => `- ${item}`));
  if (scope.out?.length) lines.push('', 'Out of scope:', '', ...scope.out.map((item) => `- ${item}`));
  return lines.join('\n');
}

/** The model's business context as a Markdown section. */
function describeBusinessContext(model: ThreatModel, note: NoteText): string | undefined {
  const context = model.model.businessContext;
  if (!context) return undefined;
  note(
    'model.businessContext',
    'business context',
    'Threat Composer has no business context fields: written as a "Business context" section of applicationInfo.description',
  );
  const entries: [string, string | undefined][] = [
    ['Purpose', context.purpose],
    ['Audience', context.audience],
    ['Data handled', context.dataHandled],
    ['Adversaries', context.adversaries],
    ['Criticality', context.criticality],
    ['Compliance', context.compliance?.join(', ')],
  ];
  const lines = entries.filter(([, value]) => value).map(([label, value]) => `- **${label}:** ${value ?? ''}`);
  return lines.length === 0 ? undefined : ['### Business context', '', ...lines].join('\n');
}

/** One line of Markdown from a text that may span lines. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The model's boundaries and elements listed in Markdown. The element an import from Threat Composer made to
 * stand for the application is left out: it is the application itself.
 */
function describeArchitecture(model: ThreatModel, note: NoteText): string | undefined {
  const boundaries = model.boundaries ?? [];
  const elements = (model.elements ?? []).filter((element) => element.origin?.format !== FORMAT);
  const boundaryNames = new Map(boundaries.map((boundary) => [boundary.id, boundary.name]));
  const sections: string[] = [];
  if (boundaries.length > 0) {
    note(
      'boundaries',
      `${boundaries.length} trust boundaries`,
      'Threat Composer has no diagram: listed by name, kind and parent in architecture.description',
    );
    const lines = boundaries.map((boundary) => {
      const trust = boundary.trustLevel === undefined ? '' : `, trust ${boundary.trustLevel}`;
      const parent =
        boundary.parent === undefined ? '' : ` inside ${boundaryNames.get(boundary.parent) ?? boundary.parent}`;
      return `- **${oneLine(boundary.name)}** (${boundary.kind}${trust})${parent}`;
    });
    sections.push(['### Trust boundaries', '', ...lines].join('\n'));
  }
  if (elements.length > 0) {
    note(
      'elements',
      `${elements.length} elements`,
      'Threat Composer has no diagram: listed with kind, type, technology, boundary and description in architecture.description; security properties, controls and stored assets are not carried',
    );
    const lines = elements.map((element) => {
      const kind = [element.kind, element.type, element.technology].filter(Boolean).join(', ');
      const boundary =
        element.boundary === undefined ? '' : ` in ${boundaryNames.get(element.boundary) ?? element.boundary}`;
      const scope = element.outOfScope ? ' (out of scope)' : '';
      const description = element.description ? `: ${oneLine(element.description)}` : '';
      return `- **${oneLine(element.name)}** (${kind})${boundary}${scope}${description}`;
    });
    sections.push(['### Elements', '', ...lines].join('\n'));
  }
  return joinParts(sections);
}

/** The model's flows listed in Markdown: ends, protocol, port, authentication, encryption and data carried. */
function describeFlows(model: ThreatModel, note: NoteText): string | undefined {
  const flows = model.flows ?? [];
  if (flows.length === 0) return undefined;
  note(
    'flows',
    `${flows.length} flows`,
    'Threat Composer has no diagram: listed with their ends, protocol, port, authentication, encryption and data in dataflow.description; controls are not carried',
  );
  const elementNames = new Map((model.elements ?? []).map((element) => [element.id, element.name]));
  const assetNames = new Map((model.assets ?? []).map((asset) => [asset.id, asset.name]));
  const lines = flows.map((flow) => {
    const details = [
      flow.protocol,
      flow.port === undefined ? undefined : `port ${flow.port}`,
      flow.authentication === undefined ? undefined : `authentication ${flow.authentication}`,
      flow.encryption === undefined ? undefined : `encryption ${flow.encryption}`,
    ].filter((detail): detail is string => detail !== undefined);
    const arrow = flow.bidirectional ? '↔' : '→';
    const ends = `${oneLine(elementNames.get(flow.from) ?? flow.from)} ${arrow} ${oneLine(elementNames.get(flow.to) ?? flow.to)}`;
    const data = flow.data?.length ? `; data: ${flow.data.map((id) => assetNames.get(id) ?? id).join(', ')}` : '';
    return `- **${oneLine(flow.name ?? flow.id)}**: ${ends}${details.length > 0 ? ` (${details.join(', ')})` : ''}${data}`;
  });
  return ['### Data flows', '', ...lines].join('\n');
}
