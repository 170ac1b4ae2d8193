import { PROTOCOLS, type TechnologyId } from '@parapet/core';
import { yesNo, type AttributeSet } from './attributes.js';
import { LIMITS, quote, type Element, type Flow, type ImportContext } from './context.js';
import type { Connector, Stencil } from './surfaces.js';
import {
  FLOW_PROTOCOLS,
  FORGERY_PROTECTIONS,
  lookup,
  STORE_TYPES,
  technologyOf,
  type ElementKind,
  type Protocol,
} from './tables.js';

type Security = NonNullable<Element['security']>;
type Encryption = NonNullable<Flow['encryption']>;

/** An element made from a stencil, with what flows and threats need to know of it. */
export interface MappedElement {
  readonly element: Element;
  readonly stencil: Stencil;
  /** An external interactor's "Authenticates Itself" answer, applied to the flows it starts. */
  readonly authenticatesItself?: boolean;
}

/** A flow made from a line, with the line it came from. */
export interface MappedFlow {
  readonly flow: Flow;
  readonly connector: Connector;
}

const PROTOCOL_NAMES: ReadonlySet<string> = new Set<Protocol>(
  PROTOCOLS.filter((p) => !['in-process', 'file', 'cloud-api', 'human', 'other'].includes(p)),
);

/** The knowledge-base name of a type, when the type is not one of the generic ones (whose name says nothing). */
function specificTypeName(context: ImportContext, typeId: string | undefined): string | undefined {
  if (typeId === undefined || typeId.startsWith('GE.')) return undefined;
  return context.knowledgeBase.elementTypes.get(typeId)?.name ?? typeId;
}

/** The item's name: its Name attribute, else its type's name, else the fallback. */
export function nameOf(
  attributes: AttributeSet,
  context: ImportContext,
  typeId: string | undefined,
  fallback: string,
  at: string,
  line: number | undefined,
): string {
  const name = attributes.value('Name');
  attributes.take('Name');
  const chosen =
    name ?? (typeId === undefined ? undefined : context.knowledgeBase.elementTypes.get(typeId)?.name) ?? fallback;
  return context.clamp(chosen, LIMITS.name, at, line, `name ${quote(chosen)}`);
}

/**
 * A process, external interactor or data store: name, kind, technology (from the stencil type, else from a
 * generic store's Store Type or an interactor's Type), security properties from the display attributes, out
 * of scope, origin. Attributes with no Parapet field go to `unmapped`.
 */
export function mapStencil(stencil: Stencil, kind: ElementKind, context: ImportContext): MappedElement {
  const { attributes, at, line } = stencil;
  const name = nameOf(attributes, context, stencil.typeId, 'Unnamed element', at, line);
  const typeName = specificTypeName(context, stencil.typeId);
  const byStencil = technologyOf(stencil.typeId ?? '', typeName, kind);
  const stated = byStencil === undefined ? technologyFromAttributes(attributes, kind) : undefined;
  const type = byStencil ?? stated?.type;
  const technology = typeName ?? stated?.technology;
  const security = securityOf(attributes);
  const description = attributes.value('Description');
  attributes.take('Description');
  const outOfScope = outOfScopeOf(attributes);
  const authenticatesItself = kind === 'external' ? attributes.use('Authenticates Itself', yesNo) : undefined;
  if (authenticatesItself !== undefined) {
    context.note(
      attributes.take('Authenticates Itself')?.at ?? at,
      line,
      `"Authenticates Itself: ${authenticatesItself ? 'Yes' : 'No'}" of ${quote(name)}`,
      'Parapet states authentication on flows: applied to the flows this entity starts that do not state "Source Authenticated"',
    );
  }
  const element: Element = {
    id: context.ids.allocate(name, 'element'),
    name,
    ...(description === undefined
      ? {}
      : { description: context.clamp(description, LIMITS.text, at, line, 'description') }),
    kind,
    ...(type === undefined ? {} : { type }),
    ...(technology === undefined
      ? {}
      : { technology: context.clamp(technology, LIMITS.technology, at, line, `technology ${quote(technology)}`) }),
    ...(Object.keys(security).length === 0 ? {} : { security }),
    ...(outOfScope === undefined ? {} : { outOfScope }),
    origin: context.origin(stencil.guid, line),
  };
  noteRest(attributes, context, name);
  return { element, stencil, ...(authenticatesItself === undefined ? {} : { authenticatesItself }) };
}

/**
 * The technology stated by a generic data store's Store Type (kept as its technology too, since the type is
 * coarser), or by an interactor's Type of Human.
 */
function technologyFromAttributes(
  attributes: AttributeSet,
  kind: ElementKind,
): { type: TechnologyId; technology?: string } | undefined {
  if (kind === 'datastore') {
    const storeType = attributes.value('Store Type');
    const type = attributes.use('Store Type', (value) => lookup(STORE_TYPES, value));
    return type === undefined || storeType === undefined ? undefined : { type, technology: storeType };
  }
  if (kind === 'external') {
    const type = attributes.use('Type', (value) => (value === 'Human' ? ('user' as const) : undefined));
    return type === undefined ? undefined : { type };
  }
  return undefined;
}

/** Security properties from the answers the tool records: a Yes or No is a fact, "Not Selected" is not stated. */
function securityOf(attributes: AttributeSet): Security {
  const method = (value: string) => {
    const answer = yesNo(value);
    return answer === undefined ? undefined : answer ? ('other' as const) : ('none' as const);
  };
  const authentication = attributes.use('Implements or Uses an Authentication Mechanism', method);
  const authorization = attributes.use('Implements or Uses an Authorization Mechanism', method);
  const inputValidation = attributes.use('Sanitizes Input', yesNo);
  const outputEncoding = attributes.use('Sanitizes Output', yesNo);
  const encryptionAtRest = attributes.use('Encrypted', yesNo);
  const backups = attributes.use('Backup', yesNo);
  return {
    ...(authentication === undefined ? {} : { authentication }),
    ...(authorization === undefined ? {} : { authorization }),
    ...(inputValidation === undefined ? {} : { inputValidation }),
    ...(outputEncoding === undefined ? {} : { outputEncoding }),
    ...(encryptionAtRest === undefined ? {} : { encryptionAtRest }),
    ...(backups === undefined ? {} : { backups }),
  };
}

/** Out of Scope with its reason (the tool allows an empty reason; Parapet needs one). */
function outOfScopeOf(attributes: AttributeSet): { reason: string } | undefined {
  const outOfScope = attributes.use('Out Of Scope', yesNo);
  if (outOfScope === undefined) return undefined;
  if (!outOfScope) {
    if (attributes.value('Reason For Out Of Scope') === undefined) attributes.take('Reason For Out Of Scope');
    return undefined;
  }
  const reason = attributes.value('Reason For Out Of Scope');
  attributes.take('Reason For Out Of Scope');
  return { reason: reason ?? 'marked out of scope in the Threat Modeling Tool, no reason given' };
}

/** Records the attributes no field took, one entry each, with their value. */
export function noteRest(attributes: AttributeSet, context: ImportContext, owner: string): void {
  const order = attributes.take('Dataflow Order');
  if (order !== undefined && order.value !== undefined && order.value !== '0') {
    context.note(
      order.at,
      order.line,
      `"Dataflow Order: ${order.value}" of ${quote(owner)}`,
      'Parapet has no order of flows',
    );
  }
  for (const attribute of attributes.rest()) {
    const value = attribute.value === undefined ? '' : `: ${quote(attribute.value)}`;
    context.note(
      attribute.at,
      attribute.line,
      `attribute "${attribute.displayName}"${value} of ${quote(owner)}`,
      attribute.problem ?? 'Parapet has no field for this attribute',
    );
  }
}

/**
 * A data flow between two mapped elements: name, protocol (from the flow type or a Protocol attribute),
 * authentication (Source Authenticated, else the source interactor's Authenticates Itself), encryption
 * (Provides Confidentiality with the method the protocol implies), CSRF protection, out of scope. A line
 * with an end on no element, or from an element to itself, is not a Parapet flow: it goes to `unmapped`.
 */
export function mapConnector(
  connector: Connector,
  elementsByGuid: ReadonlyMap<string, MappedElement>,
  context: ImportContext,
): MappedFlow | undefined {
  const { attributes, at, line } = connector;
  const name = nameOf(attributes, context, connector.typeId, 'Data flow', at, line);
  const source = connector.sourceGuid === undefined ? undefined : elementsByGuid.get(connector.sourceGuid);
  const target = connector.targetGuid === undefined ? undefined : elementsByGuid.get(connector.targetGuid);
  if (source === undefined || target === undefined) {
    const ends = [source === undefined ? 'its source' : undefined, target === undefined ? 'its target' : undefined];
    context.note(
      at,
      line,
      `data flow ${quote(name)}`,
      `${ends.filter((end) => end !== undefined).join(' and ')} is not connected to a process, interactor or data store: a Parapet flow needs both ends`,
    );
    return undefined;
  }
  if (source.element.id === target.element.id) {
    context.note(
      at,
      line,
      `data flow ${quote(name)}`,
      `goes from ${quote(source.element.name)} to itself: Parapet has no such flow`,
    );
    return undefined;
  }
  const protocol = protocolOf(connector, context);
  const authentication = authenticationOf(attributes, source);
  const encryption = attributes.use('Provides Confidentiality', (value) => encryptionOf(value, connector, protocol));
  const csrf = attributes.use('Forgery Protection', (value) => (FORGERY_PROTECTIONS.has(value) ? true : undefined));
  const outOfScope = outOfScopeOf(attributes);
  if (encryption === undefined && yesNo(attributes.value('Provides Confidentiality')) === true) {
    const stated = attributes.take('Provides Confidentiality');
    context.note(
      stated?.at ?? at,
      line,
      `"Provides Confidentiality: Yes" of ${quote(name)}`,
      'no protocol says how: Parapet states the encryption method (tls, ipsec...), so encryption is left unstated',
    );
  }
  const flow: Flow = {
    id: context.ids.allocate(name, 'flow'),
    from: source.element.id,
    to: target.element.id,
    name,
    ...(protocol === undefined ? {} : { protocol }),
    ...(authentication === undefined ? {} : { authentication }),
    ...(encryption === undefined ? {} : { encryption }),
    ...(csrf === undefined ? {} : { controls: ['csrf-protection'] }),
    ...(outOfScope === undefined ? {} : { outOfScope }),
    origin: context.origin(connector.guid, line),
  };
  noteRest(attributes, context, name);
  return { flow, connector };
}

/** The protocol of the flow type (HTTP, HTTPS, SMB...) or of a Protocol attribute naming one Parapet knows. */
function protocolOf(connector: Connector, context: ImportContext): Protocol | undefined {
  const typeId = connector.typeId ?? '';
  const byType = lookup(FLOW_PROTOCOLS, typeId);
  const byAttribute = connector.attributes.use('Protocol', (value) => {
    const lower = value.toLowerCase();
    return PROTOCOL_NAMES.has(lower) ? (lower as Protocol) : undefined;
  });
  if (byType === undefined && !typeId.startsWith('GE.') && typeId !== '' && typeId !== 'SE.DF.TMCore.IPsec') {
    const typeName = specificTypeName(context, typeId) ?? typeId;
    context.note(
      connector.at,
      connector.line,
      `data flow type ${quote(typeName)}`,
      'names no protocol Parapet has: the flow states none',
    );
  }
  return byType ?? byAttribute;
}

/** Source Authenticated as the flow's authentication; when not stated, the source interactor's own answer. */
function authenticationOf(attributes: AttributeSet, source: MappedElement): Flow['authentication'] {
  const method = (answer: boolean | undefined) =>
    answer === undefined ? undefined : answer ? ('other' as const) : ('none' as const);
  return attributes.use('Source Authenticated', (value) => method(yesNo(value))) ?? method(source.authenticatesItself);
}

/** Provides Confidentiality as an encryption method: No is none; Yes needs a protocol or type that says how. */
function encryptionOf(value: string, connector: Connector, protocol: Protocol | undefined): Encryption | undefined {
  const answer = yesNo(value);
  if (answer === undefined) return undefined;
  if (!answer) return 'none';
  if (connector.typeId === 'SE.DF.TMCore.IPsec') return 'ipsec';
  if (protocol === 'https' || protocol === 'tls' || protocol === 'ldaps') return 'tls';
  if (protocol === 'ssh' || protocol === 'sftp') return 'ssh';
  return undefined;
}
