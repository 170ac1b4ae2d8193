// A Parapet model as an OWASP Threat Dragon v2 file: one diagram per view, cells written as Threat Dragon's
// drawing library writes them (the structure of its sample files), boundaries as boxes around their members.

import {
  SECTIONS,
  type Analysis,
  type AnalyzedThreat,
  type Boundary,
  type Element,
  type Flow,
  type ThreatModel,
} from '@parapet/core';
import type { ExportResult, Unmapped } from '../../ImportResult.js';
import { pathText } from '../../source.js';
import type { Box } from '../geometry.js';
import { gridLayout, membershipProblems, MIN_SIZE, surround, type Membership, type Rect } from './layout.js';
import {
  BOX_SHAPE,
  decisionMarker,
  DEFAULT_OUT_OF_SCOPE_REASON,
  ELEMENT_SHAPES,
  EXPORT_VERSION,
  FLAG_ASSETS,
  mitigationTitleOf,
  PROTOCOL_NAMES,
  SEVERITY_BY_LEVEL,
  STATUS_BY_DECISION,
  TAGS,
  TYPE_BY_CATEGORY,
  type DecisionStatus,
  type ElementShape,
  type ThreatCategory,
} from './vocabulary.js';

type Json = Record<string, unknown>;
type Threat = NonNullable<ThreatModel['threats']>[number];
type Decision = NonNullable<ThreatModel['decisions']>[number];
type Mitigation = NonNullable<ThreatModel['mitigations']>[number];
type View = NonNullable<ThreatModel['views']>[number];

/** The shape each element kind is drawn as. */
const SHAPE_OF_KIND: Readonly<Record<Element['kind'], ElementShape>> = {
  external: 'actor',
  process: 'process',
  datastore: 'store',
};

/** Element types Threat Dragon has a flag for, by shape. */
const FLAGGED_TYPES: Readonly<Record<ElementShape, Element['type']>> = {
  actor: 'identity-provider',
  process: 'web-app',
  store: 'log-store',
};

/** Element fields Threat Dragon has no place for (those it holds are read separately). */
const ELEMENT_FIELDS_LOST = ['technology', 'exposure', 'owner'] as const;
const FLOW_FIELDS_LOST = ['port', 'authentication', 'authorization', 'data', 'controls'] as const;

/** The port groups every node carries, as the drawing library saves them. */
const PORT_GROUPS = ['top', 'right', 'bottom', 'left'] as const;

/** One diagram to write: what is on it and where. */
interface DiagramPlan {
  readonly title: string;
  readonly description?: string;
  readonly elements: readonly Element[];
  readonly boundaries: readonly Boundary[];
  readonly flows: readonly Flow[];
  readonly view?: View;
  readonly path: string;
}

/**
 * Writes the model as a Threat Dragon v2 file: a diagram per view (or one for the whole model), elements as
 * actors, processes and stores, flows as flows, boundaries as trust boundary boxes drawn around their members,
 * manual threats (and, with `options.analysis`, generated ones with their statuses) on their targets. Parapet
 * ids are kept as cell and threat ids, so that importing the file again maps them back. What Threat Dragon
 * cannot hold is listed in `unmapped` (paths in the Parapet model).
 */
export function exportThreatDragon(model: ThreatModel, options: { analysis?: Analysis } = {}): ExportResult {
  return new ThreatDragonWriter(model, options.analysis).write();
}

/** The state of one export. */
class ThreatDragonWriter {
  readonly #model: ThreatModel;
  readonly #analysis: Analysis | undefined;
  readonly #unmapped: Unmapped[] = [];
  readonly #boundaries: ReadonlyMap<string, Boundary>;
  readonly #boundaryIndex: ReadonlyMap<string, number>;
  readonly #decisions: ReadonlyMap<string, Decision>;
  readonly #analyzed: ReadonlyMap<string, AnalyzedThreat>;
  /** Positions of items in their model sections, for the paths of notes. */
  readonly #indexOf = new Map<unknown, number>();
  readonly #assets: ReadonlyMap<string, NonNullable<ThreatModel['assets']>[number]>;
  readonly #mitigations: ReadonlyMap<string, Mitigation>;
  /** Manual threats by target, generated threats by target, mitigations by the threats they reduce. */
  readonly #manualByTarget = new Map<string, { threat: Threat; index: number }[]>();
  readonly #generatedByTarget = new Map<string, AnalyzedThreat[]>();
  readonly #reducing = new Map<string, string[]>();
  /** Notes already made (an item drawn on several diagrams is noted once). */
  readonly #noted = new Set<string>();
  /** Items whose threats are already written (on the first diagram that draws them). */
  readonly #threatsWritten = new Set<string>();
  /** Threat ids written, for the notes on what is left out. */
  readonly #threatIdsWritten = new Set<string>();
  /** Mitigations written into some threat's text. */
  readonly #mitigationsWritten = new Set<string>();
  #threatNumber = 0;

  constructor(model: ThreatModel, analysis: Analysis | undefined) {
    this.#model = model;
    this.#analysis = analysis;
    this.#boundaries = new Map((model.boundaries ?? []).map((boundary) => [boundary.id, boundary]));
    this.#boundaryIndex = new Map((model.boundaries ?? []).map((boundary, index) => [boundary.id, index]));
    this.#decisions = new Map((model.decisions ?? []).map((decision) => [decision.threat, decision]));
    this.#analyzed = new Map((analysis?.threats ?? []).map((threat) => [threat.id, threat]));
    this.#assets = new Map((model.assets ?? []).map((asset) => [asset.id, asset]));
    this.#mitigations = new Map((model.mitigations ?? []).map((mitigation) => [mitigation.id, mitigation]));
    for (const list of [model.elements, model.flows, model.decisions] as const) {
      (list ?? []).forEach((item, index) => this.#indexOf.set(item, index));
    }
    (model.threats ?? []).forEach((threat, index) => pushTo(this.#manualByTarget, threat.target, { threat, index }));
    for (const threat of analysis?.threats ?? []) {
      if (threat.ruleId !== null)
        pushTo(this.#generatedByTarget, `${threat.target.section}:${threat.target.id}`, threat);
    }
    for (const mitigation of model.mitigations ?? []) {
      for (const threat of mitigation.reduces ?? []) pushTo(this.#reducing, threat, mitigation.id);
    }
  }

  /** Writes the file. */
  write(): ExportResult {
    this.#noteShortIds();
    const plans = this.#planDiagrams();
    const diagrams = plans.map((plan, index) => this.#writeDiagram(plan, index));
    this.#noteThreatsLeftOut();
    this.#noteModelLeftOut();
    const file = {
      summary: this.#summary(),
      detail: {
        contributors: this.#contributors(),
        diagrams,
        diagramTop: diagrams.length,
        reviewer: this.#people('reviewer')[0] ?? '',
        threatTop: this.#threatNumber,
      },
      version: EXPORT_VERSION,
    };
    return {
      format: 'threat-dragon',
      text: `${JSON.stringify(file, null, 2)}\n`,
      unmapped: inModelOrder(this.#unmapped),
    };
  }

  #note(path: readonly (string | number)[], what: string, reason: string): void {
    this.#unmapped.push({ at: pathText(path), what, reason });
  }

  /** A note made once per path (for items drawn on several diagrams). */
  #noteOnce(path: readonly (string | number)[], what: string, reason: string): void {
    const key = pathText(path);
    if (this.#noted.has(key)) return;
    this.#noted.add(key);
    this.#note(path, what, reason);
  }

  /** Notes the one-character ids, which Threat Dragon's schema does not take as cell ids (they get a `_`). */
  #noteShortIds(): void {
    for (const section of ['boundaries', 'elements', 'flows'] as const) {
      (this.#model[section] ?? []).forEach((item, index) => {
        if (item.id.length < 2) {
          this.#note(
            [section, index],
            `id "${item.id}"`,
            `Threat Dragon cell ids have two characters or more: written as "${cellId(item.id)}"`,
          );
        }
      });
    }
  }

  /** Owners by Threat Dragon role: the owner (role "owner", else the first), the reviewer, the contributors. */
  #people(role: 'owner' | 'reviewer' | 'contributor'): string[] {
    const owners = this.#model.model.owners ?? [];
    const owner = owners.find((person) => person.role === 'owner') ?? owners[0];
    const reviewer = owners.find((person) => person.role === 'reviewer' && person !== owner);
    if (role === 'owner') return owner === undefined ? [] : [owner.name];
    if (role === 'reviewer') return reviewer === undefined ? [] : [reviewer.name];
    return owners.filter((person) => person !== owner && person !== reviewer).map((person) => person.name);
  }

  #summary(): Json {
    const info = this.#model.model;
    return {
      title: info.title,
      owner: this.#people('owner')[0] ?? '',
      description: info.description ?? '',
      id: 0,
    };
  }

  #contributors(): Json[] {
    return this.#people('contributor').map((name) => ({ name }));
  }

  /**
   * The diagrams: one per view (with the boundaries around its elements, even those its `include` leaves out),
   * or one for the whole model; plus one for anything no view shows, so that nothing is lost.
   */
  #planDiagrams(): DiagramPlan[] {
    const elements = this.#model.elements ?? [];
    const boundaries = this.#model.boundaries ?? [];
    const views = this.#model.views ?? [];
    if (views.length === 0) {
      return [this.#plan(this.#model.model.title, elements, boundaries, undefined, 'model')];
    }
    const plans = views.map((view, index) => this.#planView(view, index));
    const drawnElements = new Set(plans.flatMap((plan) => plan.elements.map((element) => element.id)));
    const drawnBoundaries = new Set(plans.flatMap((plan) => plan.boundaries.map((boundary) => boundary.id)));
    const drawnFlows = new Set(plans.flatMap((plan) => plan.flows.map((flow) => flow.id)));
    const missingFlows = (this.#model.flows ?? []).filter((flow) => !drawnFlows.has(flow.id));
    const ends = new Set(missingFlows.flatMap((flow) => [flow.from, flow.to]));
    const restElements = elements.filter((element) => !drawnElements.has(element.id) || ends.has(element.id));
    const restBoundaries = boundaries.filter((boundary) => !drawnBoundaries.has(boundary.id));
    if (restElements.length > 0 || restBoundaries.length > 0) {
      const title = 'Not in any view';
      plans.push(this.#plan(title, restElements, restBoundaries, undefined, 'views'));
      this.#note(['views'], `elements, flows or boundaries in no view`, `drawn on an extra diagram "${title}"`);
    }
    return plans;
  }

  #planView(view: View, index: number): DiagramPlan {
    const path = ['views', index];
    const include = view.include === undefined ? undefined : new Set(view.include);
    const elements = (this.#model.elements ?? []).filter((element) => include?.has(element.id) ?? true);
    const boundaries = (this.#model.boundaries ?? []).filter((boundary) => include?.has(boundary.id) ?? true);
    this.#note(
      path,
      `view "${view.name}" (id ${view.id}, kind ${view.kind})`,
      'Threat Dragon numbers its diagrams and has no view kinds',
    );
    const plan = this.#plan(view.name, elements, boundaries, view, pathText(path));
    const added = plan.boundaries.filter((boundary) => !boundaries.includes(boundary));
    if (added.length > 0) {
      const names = added.map((boundary) => boundary.id).join(', ');
      this.#note(
        [...path, 'include'],
        `boundaries ${names}`,
        'drawn although the view leaves them out: in Threat Dragon, membership is drawn',
      );
    }
    return plan;
  }

  /** A diagram of these elements, their boundaries (and enclosing ones) and the flows between them. */
  #plan(
    title: string,
    elements: readonly Element[],
    boundaries: readonly Boundary[],
    view: View | undefined,
    path: string,
  ): DiagramPlan {
    const shown = new Set(boundaries.map((boundary) => boundary.id));
    for (const element of elements) for (const id of this.#chain(element.boundary)) shown.add(id);
    for (const boundary of boundaries) for (const id of this.#chain(boundary.parent)) shown.add(id);
    const onDiagram = new Set(elements.map((element) => element.id));
    return {
      title,
      ...(view?.description === undefined ? {} : { description: view.description }),
      elements,
      boundaries: (this.#model.boundaries ?? []).filter((boundary) => shown.has(boundary.id)),
      flows: (this.#model.flows ?? []).filter((flow) => onDiagram.has(flow.from) && onDiagram.has(flow.to)),
      ...(view === undefined ? {} : { view }),
      path,
    };
  }

  /** A boundary and its ancestors, innermost first (stopping at a loop or an unknown id). */
  #chain(start: string | undefined): string[] {
    const chain: string[] = [];
    for (let id = start; id !== undefined && this.#boundaries.has(id) && !chain.includes(id);) {
      chain.push(id);
      id = this.#boundaries.get(id)?.parent;
    }
    return chain;
  }

  /** The innermost of the boundaries on the diagram that holds the item (through its chain of parents). */
  #nearestShown(start: string | undefined, shown: ReadonlySet<string>): string | undefined {
    return this.#chain(start).find((id) => shown.has(id));
  }

  /** One diagram: boxes, nodes, flows, each with its threats. */
  #writeDiagram(plan: DiagramPlan, index: number): Json {
    const positions = this.#positions(plan);
    const cells: Json[] = [];
    const depth = (boundary: Boundary): number => this.#chain(boundary.parent).length;
    for (const boundary of plan.boundaries) {
      cells.push(this.#boxCell(boundary, positions.get(boundary.id), -100 + depth(boundary)));
    }
    plan.elements.forEach((element, order) =>
      cells.push(this.#nodeCell(element, positions.get(element.id), order + 1)),
    );
    for (const flow of plan.flows) cells.push(this.#flowCell(flow));
    const type = this.#model.model.settings?.rulePacks?.includes('linddun') === true ? 'Generic' : 'STRIDE';
    return {
      id: index,
      title: plan.title,
      diagramType: type,
      placeholder: `New ${type} diagram description`,
      thumbnail:
        type === 'STRIDE' ? './public/content/images/thumbnail.stride.jpg' : './public/content/images/thumbnail.jpg',
      version: EXPORT_VERSION,
      description: plan.description ?? '',
      cells,
    };
  }

  /**
   * Where each node and box goes: the view's positions when it has them for every element and the boxes
   * drawn around them say exactly the model's memberships; otherwise a tidy grid.
   */
  #positions(plan: DiagramPlan): Map<string, Rect> {
    const shown = new Set(plan.boundaries.map((boundary) => boundary.id));
    const expected: Membership = {
      elementBoundary: new Map(
        plan.elements.flatMap((element) => {
          const boundary = this.#nearestShown(element.boundary, shown);
          return boundary === undefined ? [] : [[element.id, boundary] as const];
        }),
      ),
      boundaryParent: new Map(
        plan.boundaries.flatMap((boundary) => {
          const parent = this.#nearestShown(boundary.parent, shown);
          return parent === undefined ? [] : [[boundary.id, parent] as const];
        }),
      ),
    };
    const fromView = plan.view === undefined ? undefined : this.#viewPositions(plan, expected);
    if (fromView !== undefined) return fromView;
    return gridLayout(
      plan.elements.map((element) => {
        const size = ELEMENT_SHAPES[SHAPE_OF_KIND[element.kind]];
        const boundary = expected.elementBoundary.get(element.id);
        return {
          id: element.id,
          width: size.width,
          height: size.height,
          ...(boundary === undefined ? {} : { boundary }),
        };
      }),
      plan.boundaries.map((boundary) => {
        const parent = expected.boundaryParent.get(boundary.id);
        return { id: boundary.id, ...(parent === undefined ? {} : { parent }) };
      }),
    );
  }

  /** The view's own positions, with boxes computed around members where it has none; undefined when unusable. */
  #viewPositions(plan: DiagramPlan, expected: Membership): Map<string, Rect> | undefined {
    const layout = plan.view?.layout ?? {};
    const positions = new Map<string, Rect>();
    for (const element of plan.elements) {
      const given = Object.hasOwn(layout, element.id) ? layout[element.id] : undefined;
      if (given === undefined) {
        if (Object.keys(layout).length > 0)
          this.#note(
            [plan.path, 'layout'],
            `positions of view "${plan.title}"`,
            `no position for "${element.id}": laid out as a grid`,
          );
        return undefined;
      }
      const size = ELEMENT_SHAPES[SHAPE_OF_KIND[element.kind]];
      positions.set(element.id, {
        x: given.x,
        y: given.y,
        width: Math.max(given.width ?? size.width, MIN_SIZE),
        height: Math.max(given.height ?? size.height, MIN_SIZE),
      });
    }
    const byDepth = [...plan.boundaries].sort((a, b) => this.#chain(b.parent).length - this.#chain(a.parent).length);
    const held = new Map<string, string[]>();
    for (const [id, holder] of [...expected.elementBoundary, ...expected.boundaryParent]) pushTo(held, holder, id);
    for (const boundary of byDepth) {
      const given = Object.hasOwn(layout, boundary.id) ? layout[boundary.id] : undefined;
      if (given?.width !== undefined && given.height !== undefined) {
        const width = Math.max(given.width, MIN_SIZE);
        positions.set(boundary.id, { x: given.x, y: given.y, width, height: Math.max(given.height, MIN_SIZE) });
        continue;
      }
      const inside = (held.get(boundary.id) ?? []).flatMap((id) => {
        const rect = positions.get(id);
        return rect === undefined ? [] : [rect];
      });
      const around = surround(inside);
      if (around === undefined) {
        this.#note(
          [plan.path, 'layout'],
          `positions of view "${plan.title}"`,
          `boundary "${boundary.id}" holds nothing to draw around: laid out as a grid`,
        );
        return undefined;
      }
      positions.set(boundary.id, around);
    }
    const asBoxes = (ids: readonly { id: string }[]): Box[] =>
      ids.flatMap(({ id }) => {
        const rect = positions.get(id);
        return rect === undefined ? [] : [{ id, ...rect }];
      });
    const problems = membershipProblems(asBoxes(plan.elements), asBoxes(plan.boundaries), expected);
    if (problems.length > 0) {
      this.#note(
        [plan.path, 'layout'],
        `positions of view "${plan.title}"`,
        `${problems[0] ?? ''}: laid out as a grid instead`,
      );
      return undefined;
    }
    return positions;
  }

  /** A trust boundary box. */
  #boxCell(boundary: Boundary, rect: Rect | undefined, zIndex: number): Json {
    const index = this.#boundaryIndex.get(boundary.id) ?? 0;
    const lost = [
      boundary.kind === 'network' ? undefined : `kind ${boundary.kind}`,
      boundary.trustLevel === undefined ? undefined : `trust level ${boundary.trustLevel}`,
      boundary.tags === undefined ? undefined : 'tags',
    ].filter((entry) => entry !== undefined);
    if (lost.length > 0) {
      this.#noteOnce(
        ['boundaries', index],
        `boundary "${boundary.id}": ${lost.join(', ')}`,
        'Threat Dragon boundaries are plain boxes',
      );
    }
    return {
      position: { x: rect?.x ?? 0, y: rect?.y ?? 0 },
      size: { width: rect?.width ?? BOX_SHAPE.width, height: rect?.height ?? BOX_SHAPE.height },
      attrs: { headerText: { text: boundary.name } },
      visible: true,
      shape: BOX_SHAPE.shape,
      zIndex,
      id: cellId(boundary.id),
      data: {
        type: BOX_SHAPE.type,
        name: boundary.name,
        description: boundary.description ?? '',
        isTrustBoundary: true,
        hasOpenThreats: false,
      },
    };
  }

  /** An actor, process or store, with its properties and (on its first diagram) its threats. */
  #nodeCell(element: Element, rect: Rect | undefined, zIndex: number): Json {
    const shape = SHAPE_OF_KIND[element.kind];
    const threats = this.#threatsOf(element.id, 'elements');
    const open = threats.some((threat) => threat.status === 'Open');
    const outOfScope = element.outOfScope !== undefined;
    const line = {
      stroke: open ? 'red' : '#333333',
      strokeWidth: open ? 2.5 : 1,
      strokeDasharray: outOfScope ? '4 3' : null,
    };
    const size = ELEMENT_SHAPES[shape];
    return {
      position: { x: rect?.x ?? 0, y: rect?.y ?? 0 },
      size: { width: rect?.width ?? size.width, height: rect?.height ?? size.height },
      attrs:
        shape === 'store'
          ? { text: { text: element.name }, topLine: line, bottomLine: line }
          : { text: { text: element.name }, body: line },
      visible: true,
      shape,
      zIndex,
      ports: ports(element.id),
      id: cellId(element.id),
      data: {
        type: size.type,
        name: element.name,
        description: element.description ?? '',
        outOfScope,
        reasonOutOfScope: reasonOf(element.outOfScope),
        ...this.#elementFlags(element, shape),
        isTrustBoundary: false,
        hasOpenThreats: open,
        threats,
      },
    };
  }

  /** The shape's flags from the element's type, security, controls, stores and tags; the rest is noted. */
  #elementFlags(element: Element, shape: ElementShape): Json {
    const index = this.#indexOf.get(element) ?? 0;
    const tags = element.tags ?? [];
    const lost: string[] = ELEMENT_FIELDS_LOST.filter((key) => element[key] !== undefined);
    if (element.type !== undefined && element.type !== FLAGGED_TYPES[shape]) lost.push(`type ${element.type}`);
    let flags: Json;
    if (shape === 'actor') {
      flags = { providesAuthentication: element.type === 'identity-provider' };
    } else if (shape === 'process') {
      const privilege = tags.find((tag) => tag.startsWith(TAGS.privilegeLevelPrefix));
      flags = {
        handlesCardPayment: tags.includes(TAGS.handlesCardPayment),
        handlesGoodsOrServices: tags.includes(TAGS.handlesGoodsOrServices),
        isWebApplication: element.type === 'web-app',
        privilegeLevel: privilege === undefined ? '' : privilege.slice(TAGS.privilegeLevelPrefix.length),
      };
    } else {
      const stores = this.#storeFlags(element, lost);
      flags = {
        isALog: element.type === 'log-store',
        isEncrypted: element.security?.encryptionAtRest === true,
        isSigned: tags.includes(TAGS.isSigned) || (element.controls ?? []).includes('tamper-evident-logs'),
        ...stores,
      };
    }
    const security = Object.keys(element.security ?? {}).filter(
      (key) => !(shape === 'store' && key === 'encryptionAtRest'),
    );
    if (security.length > 0) lost.push(`security (${security.join(', ')})`);
    const controls = (element.controls ?? []).filter(
      (control) => !(shape === 'store' && control === 'tamper-evident-logs'),
    );
    if (controls.length > 0) lost.push(`controls (${controls.join(', ')})`);
    const otherTags = tags.filter((tag) => !tag.startsWith('td:'));
    if (otherTags.length > 0) lost.push(`tags (${otherTags.join(', ')})`);
    if (lost.length > 0) {
      this.#noteOnce(
        ['elements', index],
        `element "${element.id}": ${lost.join('; ')}`,
        'Threat Dragon has no place for these',
      );
    }
    return flags;
  }

  /** A store's `storesCredentials` and `storesInventory`, from the assets it stores (others are noted in `lost`). */
  #storeFlags(element: Element, lost: string[]): Json {
    const assets = this.#assets;
    let credentials = false;
    let inventory = false;
    const other: string[] = [];
    for (const id of element.stores ?? []) {
      const asset = assets.get(id);
      if (asset?.kind === 'credential' || asset?.kind === 'key') credentials = true;
      else if (asset?.name.toLowerCase() === FLAG_ASSETS.storesInventory.name.toLowerCase()) inventory = true;
      else other.push(id);
    }
    if (other.length > 0) lost.push(`stores (${other.join(', ')})`);
    return { storesCredentials: credentials, storesInventory: inventory };
  }

  /** A flow edge between two cells, with its properties and (on its first diagram) its threats. */
  #flowCell(flow: Flow): Json {
    const index = this.#indexOf.get(flow) ?? 0;
    const threats = this.#threatsOf(flow.id, 'flows');
    const open = threats.some((threat) => threat.status === 'Open');
    const tags = flow.tags ?? [];
    const lost: string[] = FLOW_FIELDS_LOST.filter((key) => flow[key] !== undefined);
    const otherTags = tags.filter((tag) => !tag.startsWith('td:'));
    if (otherTags.length > 0) lost.push(`tags (${otherTags.join(', ')})`);
    if (flow.encryption !== undefined && flow.encryption !== 'none' && flow.encryption !== 'tls') {
      lost.push(`encryption ${flow.encryption} (written as encrypted)`);
    }
    if (lost.length > 0) {
      this.#noteOnce(
        ['flows', index],
        `flow "${flow.id}": ${lost.join('; ')}`,
        'Threat Dragon flows have no place for these',
      );
    }
    const name = flow.name ?? '';
    return {
      shape: 'flow',
      attrs: {
        line: {
          stroke: open ? 'red' : '#333333',
          strokeWidth: open ? 2.5 : 1,
          targetMarker: { name: 'block' },
          sourceMarker: { name: flow.bidirectional === true ? 'block' : '' },
          strokeDasharray: flow.outOfScope === undefined ? null : '4 3',
        },
      },
      width: 200,
      height: 100,
      zIndex: 10,
      labels: [flowLabel(name)],
      connector: 'smooth',
      data: {
        type: 'tm.Flow',
        name,
        description: flow.description ?? '',
        outOfScope: flow.outOfScope !== undefined,
        reasonOutOfScope: reasonOf(flow.outOfScope),
        hasOpenThreats: open,
        isBidirectional: flow.bidirectional === true,
        isEncrypted: flow.encryption !== undefined && flow.encryption !== 'none',
        isPublicNetwork: tags.includes(TAGS.isPublicNetwork),
        protocol: flow.protocol === undefined ? '' : PROTOCOL_NAMES[flow.protocol],
        threats,
        isTrustBoundary: false,
      },
      id: cellId(flow.id),
      source: { cell: cellId(flow.from) },
      target: { cell: cellId(flow.to) },
    };
  }

  /** The threats to write on an item: its manual threats, then generated ones; only on its first drawing. */
  #threatsOf(id: string, section: 'elements' | 'flows'): Json[] {
    if (this.#threatsWritten.has(id)) return [];
    this.#threatsWritten.add(id);
    const manual = (this.#manualByTarget.get(id) ?? []).map(({ threat, index }) => this.#manualThreat(threat, index));
    const generated = (this.#generatedByTarget.get(`${section}:${id}`) ?? []).map((threat) =>
      this.#generatedThreat(threat),
    );
    return [...manual, ...generated];
  }

  /** A threat written by hand: its decision as the status, its impact as the severity, its mitigations as text. */
  #manualThreat(threat: Threat, index: number): Json {
    const path = ['threats', index];
    const decision = this.#decisions.get(threat.id);
    const status = this.#analyzed.get(threat.id)?.status ?? decision?.status ?? 'open';
    const lost: string[] = (['likelihood', 'assets', 'actors', 'references', 'tags'] as const).filter(
      (key) => threat[key] !== undefined,
    );
    if (threat.statement !== undefined) lost.push('statement (written into the description)');
    if (lost.length > 0)
      this.#note(path, `threat "${threat.id}": ${lost.join(', ')}`, 'Threat Dragon threats have no place for these');
    if (decision !== undefined) this.#noteDecision(decision);
    const mitigations = this.#mitigationsOf(threat, decision);
    return this.#threatJson({
      id: threat.id,
      title: threat.title,
      category: threat.category,
      status,
      severity: threat.impact === undefined ? 'TBD' : SEVERITY_BY_LEVEL[threat.impact],
      description: [threat.description, statementText(threat.statement)]
        .filter((text) => text !== undefined)
        .join('\n\n'),
      mitigation: withMarker(mitigations, status, decision?.justification),
    });
  }

  /** A threat a rule generated: its status and severity from the analysis, its mitigations by title. */
  #generatedThreat(threat: AnalyzedThreat): Json {
    const fromModel = threat.mitigations.filter((reference) => reference.source === 'model');
    const text =
      fromModel.length > 0
        ? fromModel.map((reference) => reference.title).join('\n\n')
        : threat.mitigations.length > 0
          ? `Recommended: ${threat.mitigations.map((reference) => reference.title).join('; ')}`
          : '';
    for (const reference of fromModel) this.#mitigationsWritten.add(reference.id);
    return this.#threatJson({
      id: threat.id,
      title: threat.title,
      category: threat.category,
      status: threat.status,
      severity: SEVERITY_BY_LEVEL[threat.severity],
      description: threat.description,
      mitigation: withMarker(text, threat.status, threat.decision?.justification),
    });
  }

  #threatJson(threat: {
    id: string;
    title: string;
    category: ThreatCategory;
    status: DecisionStatus;
    severity: string;
    description: string;
    mitigation: string;
  }): Json {
    this.#threatNumber += 1;
    this.#threatIdsWritten.add(threat.id);
    const type = TYPE_BY_CATEGORY[threat.category];
    return {
      id: threat.id,
      title: threat.title,
      status: STATUS_BY_DECISION[threat.status],
      severity: threat.severity,
      type: type.type,
      description: threat.description,
      mitigation: threat.mitigation,
      modelType: type.modelType,
      new: false,
      number: this.#threatNumber,
      score: '',
    };
  }

  /** The text of the mitigations linked to a threat (by the threat, its decision, or the mitigation's `reduces`). */
  #mitigationsOf(threat: Threat, decision: Decision | undefined): string {
    const ids = [
      ...(threat.mitigations ?? []),
      ...(decision?.mitigations ?? []),
      ...(this.#reducing.get(threat.id) ?? []),
    ];
    const linked = [...new Set(ids)].flatMap((id) => {
      const mitigation = this.#mitigations.get(id);
      return mitigation === undefined ? [] : [mitigation];
    });
    for (const mitigation of linked) this.#mitigationsWritten.add(mitigation.id);
    return linked.map(mitigationText).join('\n\n');
  }

  /** Notes what Threat Dragon's status cannot say of a decision. */
  #noteDecision(decision: Decision): void {
    const index = this.#indexOf.get(decision) ?? 0;
    const kept = ['accepted', 'transferred', 'avoided'].includes(decision.status);
    const lost = (['owner', 'ticket', 'decided', 'expires', 'mitigations'] as const).filter(
      (key) => decision[key] !== undefined,
    ) as string[];
    if (!kept && decision.justification !== undefined) lost.unshift('justification');
    if (lost.length === 0) return;
    const how = kept
      ? `its status and justification are kept as a last paragraph of the mitigation text`
      : `its status is written as the Threat Dragon status`;
    this.#note(['decisions', index], `decision on "${decision.threat}": ${lost.join(', ')}`, `not kept; ${how}`);
  }

  /** Notes threats, decisions and mitigations that no cell carries. */
  #noteThreatsLeftOut(): void {
    (this.#model.threats ?? []).forEach((threat, index) => {
      if (!this.#threatIdsWritten.has(threat.id)) {
        this.#note(
          ['threats', index],
          `threat "${threat.id}"`,
          `its target "${threat.target}" is a boundary or not drawn; Threat Dragon boundaries hold no threats`,
        );
      }
    });
    for (const threat of this.#analysis?.threats ?? []) {
      if (threat.ruleId !== null && !this.#threatIdsWritten.has(threat.id)) {
        this.#note(
          ['threats'],
          `generated threat "${threat.id}"`,
          `on ${threat.target.section} "${threat.target.id}", which Threat Dragon draws no threats on`,
        );
      }
    }
    (this.#model.decisions ?? []).forEach((decision, index) => {
      if (!this.#threatIdsWritten.has(decision.threat)) {
        const reason =
          this.#analysis === undefined
            ? 'export with the analysis to write generated threats'
            : 'its threat is not written';
        this.#note(['decisions', index], `decision on "${decision.threat}"`, reason);
      }
    });
    (this.#model.mitigations ?? []).forEach((mitigation, index) => this.#noteMitigation(mitigation, index));
  }

  #noteMitigation(mitigation: Mitigation, index: number): void {
    const path = ['mitigations', index];
    if (!this.#mitigationsWritten.has(mitigation.id)) {
      this.#note(path, `mitigation "${mitigation.id}"`, 'linked to no threat written to Threat Dragon');
      return;
    }
    const lost = (['appliesTo', 'cost', 'owner', 'ticket', 'due', 'references', 'tags'] as const).filter(
      (key) => mitigation[key] !== undefined,
    ) as string[];
    lost.unshift(`status ${mitigation.status}`);
    this.#note(
      path,
      `mitigation "${mitigation.id}": ${lost.join(', ')}`,
      'written as text in its threats; Threat Dragon mitigations are free text',
    );
  }

  /** Notes the sections and model fields Threat Dragon has no place for. */
  #noteModelLeftOut(): void {
    const info = this.#model.model;
    const fields = (['version', 'updated', 'scope', 'businessContext', 'riskAppetite', 'settings'] as const).filter(
      (key) => info[key] !== undefined,
    );
    if (fields.length > 0)
      this.#note(
        ['model'],
        `model ${fields.join(', ')}`,
        'Threat Dragon summaries hold a title, owner and description',
      );
    if (
      (info.owners ?? []).some(
        (owner) =>
          owner.email !== undefined ||
          (owner.role !== undefined && !['owner', 'reviewer', 'contributor'].includes(owner.role)),
      )
    ) {
      this.#note(
        ['model', 'owners'],
        'owner e-mails and roles',
        'Threat Dragon keeps an owner, a reviewer and contributors by name',
      );
    }
    const model = this.#model;
    const sections = [
      ['assets', model.assets?.length ?? 0, 'stores keep only the flags storesCredentials and storesInventory'],
      ['actors', model.actors?.length ?? 0, 'Threat Dragon has no threat actors'],
      ['assumptions', model.assumptions?.length ?? 0, 'Threat Dragon has no assumptions'],
      ['questions', model.questions?.length ?? 0, 'Threat Dragon has no questions'],
      ['sessions', model.sessions?.length ?? 0, 'Threat Dragon has no sessions'],
      ['attackTrees', model.attackTrees?.length ?? 0, 'Threat Dragon has no attack trees'],
      ['rules', model.rules?.length ?? 0, 'Threat Dragon has no Parapet rules'],
    ] as const;
    for (const [section, count, reason] of sections) {
      if (count > 0) this.#note([section], `${count} ${section}`, reason);
    }
    if (model.include !== undefined)
      this.#note(['include'], 'included files', 'merged into the one Threat Dragon file');
  }
}

/**
 * The cell id for a Parapet id: the id itself (Threat Dragon takes any unique string of two characters or
 * more); a one-character id gets a `_` so that Threat Dragon's schema accepts it.
 */
function cellId(id: string): string {
  return id.length >= 2 ? id : `${id}_`;
}

/** The four connection ports of a node, with ids derived from the node's. */
function ports(id: string): Json {
  const circle = {
    r: 4,
    magnet: true,
    stroke: '#5F95FF',
    strokeWidth: 1,
    fill: '#fff',
    style: { visibility: 'hidden' },
  };
  return {
    groups: Object.fromEntries(PORT_GROUPS.map((group) => [group, { position: group, attrs: { circle } }])),
    items: PORT_GROUPS.map((group) => ({ group, id: `${cellId(id)}-port-${group}` })),
  };
}

/** A flow's label, as the drawing library writes it. */
function flowLabel(text: string): Json {
  return {
    markup: [
      { tagName: 'ellipse', selector: 'labelBody' },
      { tagName: 'text', selector: 'labelText' },
    ],
    attrs: {
      labelText: { text, textAnchor: 'middle', textVerticalAnchor: 'middle' },
      labelBody: { ref: 'labelText', refRx: '50%', refRy: '60%', fill: '#fff', strokeWidth: 0 },
    },
    position: { distance: 0.5, args: { keepGradient: true, ensureLegibility: true } },
  };
}

/** The out-of-scope reason, empty when it is the one the importer gives (so that the round trip is exact). */
function reasonOf(outOfScope: { reason: string } | undefined): string {
  return outOfScope === undefined || outOfScope.reason === DEFAULT_OUT_OF_SCOPE_REASON ? '' : outOfScope.reason;
}

/** A mitigation as text: its description when the title is the one read from it, else the title and the description. */
function mitigationText(mitigation: Mitigation): string {
  const description = mitigation.description;
  if (description === undefined) return mitigation.title;
  return mitigationTitleOf(description) === mitigation.title ? description : `${mitigation.title}\n\n${description}`;
}

/** The mitigation text with the decision appended when Threat Dragon's statuses cannot say it. */
function withMarker(text: string, status: DecisionStatus, justification: string | undefined): string {
  if (status !== 'accepted' && status !== 'transferred' && status !== 'avoided') return text;
  const marker = decisionMarker(status, justification);
  return text === '' ? marker : `${text}\n\n${marker}`;
}

/** A threat statement as a sentence. */
function statementText(statement: Threat['statement']): string | undefined {
  if (statement === undefined) return undefined;
  const prerequisites = statement.prerequisites === undefined ? '' : ` ${statement.prerequisites}`;
  return `${statement.source}${prerequisites} can ${statement.action}, which leads to ${statement.impact}.`;
}

/** Appends to the list under a key, creating it. */
function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Sections in the order of the format, for sorting notes. */
const SECTION_ORDER: readonly string[] = ['model', 'include', ...SECTIONS];

/** Notes sorted by the place of their path in the model: section, then item. */
function inModelOrder(notes: readonly Unmapped[]): Unmapped[] {
  const key = (note: Unmapped): [number, number] => {
    const match = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(note.at);
    const section = SECTION_ORDER.indexOf(match?.[1] ?? '');
    return [section === -1 ? SECTION_ORDER.length : section, Number(match?.[2] ?? -1)];
  };
  return [...notes].sort((a, b) => {
    const [sectionA, indexA] = key(a);
    const [sectionB, indexB] = key(b);
    return sectionA - sectionB || indexA - indexB;
  });
}
