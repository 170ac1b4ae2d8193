// The vocabulary of rule conditions: the CEL types a rule's expressions read, with what each field means.
// One table drives the expression type checker and the facts reference in docs/rules.md.

/** A field of a fact type: its CEL type and what it says. */
export interface FactField {
  readonly type: string;
  readonly description: string;
  /** Absent when the model does not state it (test with `has()`); otherwise always present. */
  readonly optional?: boolean;
}

export type FactTypeName =
  | 'Security'
  | 'Zone'
  | 'Reach'
  | 'Data'
  | 'FlowSet'
  | 'Element'
  | 'Crossing'
  | 'Flow'
  | 'Needs'
  | 'Asset'
  | 'Actor'
  | 'Boundary';

const stated = (type: string, description: string): FactField => ({ type, description, optional: true });
const always = (type: string, description: string): FactField => ({ type, description });

/** Every fact type, in the order the reference lists them. */
export const FACT_TYPES: Readonly<Record<FactTypeName, { description: string; fields: Record<string, FactField> }>> = {
  Element: {
    description: 'An element of the diagram (`target` of element rules; `source` and `destination` of flow rules).',
    fields: {
      id: always('string', 'Element id.'),
      name: always('string', 'Element name.'),
      kind: always('string', 'process, datastore or external.'),
      type: stated('string', 'Technology type from the catalog.'),
      technology: stated('string', 'Product or stack, free text.'),
      exposure: stated('string', 'Stated exposure: internet, partner, internal or private.'),
      internetFacing: always(
        'bool',
        'Stated as exposed to the internet, or a non-external element receiving a flow straight from the least-trusted zone.',
      ),
      controls: always('list<string>', 'Controls in place on the element.'),
      tags: always('list<string>', 'Tags.'),
      owner: stated('string', 'Owner.'),
      security: always('Security', 'How the element is secured, as stated.'),
      zone: always('Zone', 'Where the element sits.'),
      reach: always('Reach', 'Whether an attacker in the least-trusted zone can reach it along flows.'),
      stores: always('list<string>', 'Ids of the assets the element stores.'),
      data: always('Data', 'The assets the element stores and processes.'),
      inbound: always('FlowSet', 'Flows the element receives.'),
      outbound: always('FlowSet', 'Flows the element initiates.'),
    },
  },
  Security: {
    description: 'How an element is secured. Every field is absent unless the model states it.',
    fields: {
      authentication: stated('string', 'How callers prove who they are ("none" states that nothing is checked).'),
      authorization: stated('string', 'How access is decided ("none" states that nothing is checked).'),
      inputValidation: stated('bool', 'Inputs are validated.'),
      outputEncoding: stated('bool', 'Outputs are encoded for their context.'),
      encryptionAtRest: stated('bool', 'Stored data is encrypted.'),
      logging: stated('bool', 'Security-relevant events are logged.'),
      monitoring: stated('bool', 'Logs and health are watched.'),
      hardening: stated('bool', 'Configuration is hardened.'),
      secretsHandling: stated('string', 'vault, kms, platform, environment, config-file, hard-coded or none.'),
      multiTenant: stated('bool', 'Serves several customers from shared resources.'),
      customDeveloped: stated('bool', 'Written by the team.'),
      sessionManagement: stated('bool', 'Keeps user sessions.'),
      adminInterface: stated('bool', 'Exposes an administrative interface.'),
      backups: stated('bool', 'Data is backed up.'),
      redundancy: stated('bool', 'Runs redundantly.'),
    },
  },
  Zone: {
    description: 'Where an element sits among the trust boundaries.',
    fields: {
      boundary: always('string', 'Innermost boundary id; "" when outside every boundary.'),
      boundaries: always('list<string>', 'Boundary ids around the element, innermost first.'),
      kinds: always('list<string>', 'Kinds of those boundaries (e.g. "third-party", "vpc").'),
      trust: always('double', 'Trust level of the zone, 0 (hostile) to 100.'),
    },
  },
  Reach: {
    description: 'Reachability from the least-trusted zone, following flows.',
    fields: {
      entryPoint: always('bool', 'The element sits in the least-trusted zone itself.'),
      reachable: always('bool', 'An attacker there can reach it along flows.'),
      hops: always('double', 'Fewest flows from the least-trusted zone; -1 when unreachable.'),
    },
  },
  Data: {
    description: 'The assets an element or flow handles (stores, processes or carries).',
    fields: {
      assets: always('list<string>', 'Asset ids.'),
      any: always('bool', 'Handles at least one asset.'),
      personal: always('bool', 'Handles personal data (asset kind personal-data or personal: true).'),
      credentials: always('bool', 'Handles credentials or keys.'),
      kinds: always('list<string>', 'Asset kinds handled.'),
      regulations: always('list<string>', 'Regulations that apply to the assets handled.'),
      confidentiality: always(
        'double',
        'Highest confidentiality need: 0 unstated, 1 low, 2 medium, 3 high, 4 critical.',
      ),
      integrity: always('double', 'Highest integrity need, same scale.'),
      availability: always('double', 'Highest availability need, same scale.'),
      sensitive: always(
        'bool',
        'Handles confidential or restricted data, personal data, credentials, or data with a high or critical confidentiality need.',
      ),
    },
  },
  FlowSet: {
    description: "A summary of an element's inbound or outbound flows (in-scope flows only).",
    fields: {
      count: always('double', 'How many flows.'),
      protocols: always('list<string>', 'Protocols stated on them.'),
      peerKinds: always('list<string>', 'Kinds of the elements at the other end.'),
      peerTypes: always('list<string>', 'Technology types of the elements at the other end.'),
      unauthenticated: always('bool', 'Some flow states authentication "none".'),
      authenticationUnstated: always('bool', 'Some flow states no authentication.'),
      unencrypted: always('bool', 'Some flow states encryption "none".'),
      crossing: always('bool', 'Some flow crosses a trust boundary.'),
      fromLessTrusted: always('bool', 'Some flow goes from a less trusted zone to a more trusted one.'),
      personal: always('bool', 'Some flow carries personal data.'),
    },
  },
  Flow: {
    description: 'A data flow (`target` of flow and crossing rules).',
    fields: {
      id: always('string', 'Flow id.'),
      name: always('string', 'Flow name; its id when it has none.'),
      protocol: stated('string', 'Protocol.'),
      port: stated('double', 'Destination port.'),
      authentication: stated('string', 'How the caller is authenticated ("none" states nothing is checked).'),
      authorization: stated('string', 'How access is decided.'),
      encryption: stated('string', 'How traffic is protected in transit ("none" states it travels in clear).'),
      bidirectional: always('bool', 'Both ends initiate exchanges.'),
      controls: always('list<string>', 'Controls in place on the flow.'),
      tags: always('list<string>', 'Tags.'),
      data: always('Data', 'The assets the flow carries.'),
      crossing: always('Crossing', 'The trust boundaries the flow crosses.'),
    },
  },
  Crossing: {
    description: 'The trust boundaries a flow crosses.',
    fields: {
      crosses: always('bool', 'The flow crosses at least one boundary.'),
      exits: always('list<string>', 'Boundaries left, innermost first.'),
      entries: always('list<string>', 'Boundaries entered, outermost first.'),
      kinds: always('list<string>', 'Kinds of the boundaries left or entered.'),
      fromTrust: always('double', 'Trust level where the flow starts.'),
      toTrust: always('double', 'Trust level where it arrives.'),
      trustChange: always('double', 'toTrust - fromTrust: positive when the flow goes into a more trusted zone.'),
    },
  },
  Needs: {
    description: "An asset's security needs: 0 unstated, 1 low, 2 medium, 3 high, 4 critical.",
    fields: {
      confidentiality: always('double', 'Confidentiality need.'),
      integrity: always('double', 'Integrity need.'),
      availability: always('double', 'Availability need.'),
    },
  },
  Asset: {
    description: 'An asset (`target` of asset rules).',
    fields: {
      id: always('string', 'Asset id.'),
      name: always('string', 'Asset name.'),
      kind: always('string', 'Asset kind (data, personal-data, credential, key ...).'),
      classification: stated('string', 'public, internal, confidential or restricted.'),
      personal: always('bool', 'Relates to identifiable people.'),
      needs: always('Needs', 'Security needs.'),
      quantity: stated('double', 'About how many records exist.'),
      regulations: always('list<string>', 'Regulations that apply.'),
      tags: always('list<string>', 'Tags.'),
      storedIn: always('list<string>', 'Elements that store it.'),
      processedBy: always('list<string>', 'Elements that process it.'),
      carriedBy: always('list<string>', 'Flows that carry it.'),
      storedUnencrypted: always(
        'bool',
        'Some element storing it does not state encryption at rest (neither security.encryptionAtRest nor the control).',
      ),
      carriedInClear: always('bool', 'Some flow carrying it states encryption "none".'),
      crossesBoundaries: always('bool', 'Some flow carrying it crosses a trust boundary.'),
      leavesToThirdParty: always('bool', 'Some flow carries it to an external element or a third-party zone.'),
      backedUp: always('bool', 'Every element storing it states backups (security.backups or the control).'),
    },
  },
  Actor: {
    description: 'A threat actor (`target` of actor rules).',
    fields: {
      id: always('string', 'Actor id.'),
      name: always('string', 'Actor name.'),
      kind: always('string', 'external or internal.'),
      capability: always('double', 'Capability: 0 unstated, 1 low, 2 medium, 3 high, 4 critical.'),
      motivation: always('list<string>', 'Motivations.'),
      startsIn: always('list<string>', 'Boundaries or elements the actor starts in.'),
      wants: always('list<string>', 'Assets the actor is after.'),
      tags: always('list<string>', 'Tags.'),
    },
  },
  Boundary: {
    description: 'A trust boundary (`target` of boundary rules).',
    fields: {
      id: always('string', 'Boundary id.'),
      name: always('string', 'Boundary name.'),
      kind: always('string', 'Boundary kind.'),
      trust: always('double', 'Effective trust level.'),
      parent: always('string', 'Parent boundary id; "" for a top-level boundary.'),
      members: always('list<string>', 'Elements directly inside.'),
      tags: always('list<string>', 'Tags.'),
    },
  },
};

/** The variables each subject's expressions may read. */
export const SUBJECT_VARIABLES = {
  element: { target: 'Element' },
  flow: { target: 'Flow', source: 'Element', destination: 'Element' },
  crossing: { target: 'Flow', source: 'Element', destination: 'Element' },
  asset: { target: 'Asset' },
  actor: { target: 'Actor' },
  boundary: { target: 'Boundary' },
} as const satisfies Record<string, Record<string, FactTypeName>>;
