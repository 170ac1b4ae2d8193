import type { PathSegment } from '../diagnostics/Diagnostic.js';
import type { SectionName } from '../schema/ThreatModel.js';
import type { ModelIndex } from '../enrich/ModelIndex.js';
import type { PathProblem } from './fromZodIssues.js';
import { getDidYouMean } from './suggest.js';
import { isRecord } from './isRecord.js';

/** The sections whose items declare ids, and what one item is called in messages. */
const ID_SECTIONS = {
  boundaries: 'boundary',
  elements: 'element',
  flows: 'flow',
  assets: 'asset',
  actors: 'actor',
  mitigations: 'mitigation',
  threats: 'threat',
  assumptions: 'assumption',
  questions: 'question',
  sessions: 'session',
  attackTrees: 'attack tree',
  views: 'view',
} as const satisfies Partial<Record<SectionName, string>>;

type IdSection = keyof typeof ID_SECTIONS;
interface Declared {
  readonly section: IdSection;
  readonly index: number;
}

type Raw = Record<string, unknown>;
const PARTS: readonly IdSection[] = ['elements', 'flows', 'boundaries'];
const ANYTHING: readonly IdSection[] = ['elements', 'flows', 'boundaries', 'assets', 'actors'];
const BOUNDARIES: readonly IdSection[] = ['boundaries'];
const ELEMENTS: readonly IdSection[] = ['elements'];
const ASSETS: readonly IdSection[] = ['assets'];
const ACTORS: readonly IdSection[] = ['actors'];
const MITIGATIONS: readonly IdSection[] = ['mitigations'];
const SESSIONS: readonly IdSection[] = ['sessions'];
const THREATS: readonly IdSection[] = ['threats'];
const BOUNDARIES_OR_ELEMENTS: readonly IdSection[] = ['boundaries', 'elements'];
const ELEMENTS_OR_BOUNDARIES: readonly IdSection[] = ['elements', 'boundaries'];

/**
 * Checks what the schema cannot: unique ids, references that resolve to the right sort of item, boundary
 * nesting without cycles, and flows between two distinct elements. Works on raw (possibly invalid) data so
 * that every problem is reported at once; values of the wrong type are left to the schema.
 */
export function checkReferences(model: Raw): { problems: PathProblem[]; index: ModelIndex } {
  const problems: PathProblem[] = [];
  const ids = new Map<string, Declared>();
  const idsBySection = new Map<IdSection, string[]>();

  for (const section of Object.keys(ID_SECTIONS) as IdSection[]) {
    const list: string[] = [];
    idsBySection.set(section, list);
    forEachItem(model, section, (item, index) => {
      const id = item['id'];
      if (typeof id !== 'string') return;
      const previous = ids.get(id);
      if (previous) {
        problems.push({
          severity: 'error',
          code: 'PARAPET_DUPLICATE_ID',
          message: `duplicate id "${id}": ${previous.section}[${previous.index}] already has it`,
          path: [section, index, 'id'],
          part: 'value',
        });
        return;
      }
      ids.set(id, { section, index });
      list.push(id);
    });
  }

  const ref = (path: readonly PathSegment[], value: unknown, allowed: readonly IdSection[]): void => {
    if (typeof value !== 'string') return;
    const found = ids.get(value);
    if (found && allowed.includes(found.section)) return;
    const wanted = allowed.map((s) => ID_SECTIONS[s]).join(' or ');
    if (!found) {
      const candidates = allowed.flatMap((s) => idsBySection.get(s) ?? []);
      problems.push({
        severity: 'error',
        code: 'PARAPET_UNKNOWN_REFERENCE',
        message: `unknown ${wanted} "${value}"${getDidYouMean(value, candidates)}`,
        path,
        part: 'value',
      });
    } else {
      const isFlowEnd = allowed.length === 1 && allowed[0] === 'elements' && found.section === 'boundaries';
      problems.push({
        severity: 'error',
        code: isFlowEnd && path[0] === 'flows' ? 'PARAPET_FLOW_TO_BOUNDARY' : 'PARAPET_WRONG_REFERENCE',
        message: `"${value}" is ${withArticle(ID_SECTIONS[found.section])}, not ${withArticle(wanted)}${
          isFlowEnd && path[0] === 'flows' ? ': flows connect elements; the boundaries a flow crosses are derived' : ''
        }`,
        path,
        part: 'value',
      });
    }
  };
  // The common shapes below check first and build the path only for a problem: a large model has millions
  // of references and almost all of them resolve.
  const resolves = (value: unknown, allowed: readonly IdSection[]): boolean => {
    if (typeof value !== 'string') return true;
    const found = ids.get(value);
    return found !== undefined && allowed.includes(found.section);
  };
  const fieldRef = (
    section: string,
    index: number,
    field: string,
    value: unknown,
    allowed: readonly IdSection[],
  ): void => {
    if (!resolves(value, allowed)) ref([section, index, field], value, allowed);
  };
  const refs = (section: string, index: number, field: string, list: unknown, allowed: readonly IdSection[]): void => {
    if (!Array.isArray(list)) return;
    for (let k = 0; k < list.length; k++) {
      if (!resolves(list[k], allowed)) ref([section, index, field, k], list[k], allowed);
    }
  };
  /** Threat references may name generated threats (`rule@target`), which exist only after analysis. */
  const threatRef = (path: readonly PathSegment[], value: unknown): void => {
    if (typeof value === 'string' && !value.includes('@')) ref(path, value, THREATS);
  };

  const flowEnds = new Int32Array(Array.isArray(model['flows']) ? model['flows'].length * 2 : 0).fill(-1);
  const getElementAt = (value: unknown): number => {
    const found = typeof value === 'string' ? ids.get(value) : undefined;
    return found?.section === 'elements' ? found.index : -1;
  };
  forEachItem(model, 'boundaries', (b, i) => fieldRef('boundaries', i, 'parent', b['parent'], BOUNDARIES));
  forEachItem(model, 'elements', (e, i) => {
    fieldRef('elements', i, 'boundary', e['boundary'], BOUNDARIES);
    refs('elements', i, 'stores', e['stores'], ASSETS);
  });
  forEachItem(model, 'flows', (f, i) => {
    fieldRef('flows', i, 'from', f['from'], ELEMENTS);
    fieldRef('flows', i, 'to', f['to'], ELEMENTS);
    flowEnds[2 * i] = getElementAt(f['from']);
    flowEnds[2 * i + 1] = getElementAt(f['to']);
    refs('flows', i, 'data', f['data'], ASSETS);
    if (typeof f['from'] === 'string' && f['from'] === f['to']) {
      problems.push({
        severity: 'error',
        code: 'PARAPET_FLOW_TO_SELF',
        message: `flow goes from "${f['from']}" to itself; model the element's inner parts as separate elements`,
        path: ['flows', i, 'to'],
        part: 'value',
      });
    }
  });
  forEachItem(model, 'actors', (a, i) => {
    refs('actors', i, 'startsIn', a['startsIn'], BOUNDARIES_OR_ELEMENTS);
    refs('actors', i, 'wants', a['wants'], ASSETS);
  });
  forEachItem(model, 'mitigations', (m, i) => refs('mitigations', i, 'appliesTo', m['appliesTo'], PARTS));
  forEachItem(model, 'threats', (t, i) => {
    fieldRef('threats', i, 'target', t['target'], PARTS);
    refs('threats', i, 'assets', t['assets'], ASSETS);
    refs('threats', i, 'actors', t['actors'], ACTORS);
    refs('threats', i, 'mitigations', t['mitigations'], MITIGATIONS);
  });
  const decided = new Map<string, number>();
  forEachItem(model, 'decisions', (d, i) => {
    threatRef(['decisions', i, 'threat'], d['threat']);
    refs('decisions', i, 'mitigations', d['mitigations'], MITIGATIONS);
    const threat = d['threat'];
    if (typeof threat !== 'string') return;
    const earlier = decided.get(threat);
    if (earlier === undefined) decided.set(threat, i);
    else
      problems.push({
        severity: 'error',
        code: 'PARAPET_DUPLICATE_ID',
        message: `second decision on threat "${threat}": decisions[${earlier}] already decides it`,
        path: ['decisions', i, 'threat'],
        part: 'value',
      });
  });
  forEachItem(model, 'assumptions', (a, i) => refs('assumptions', i, 'about', a['about'], ANYTHING));
  forEachItem(model, 'questions', (q, i) => {
    refs('questions', i, 'about', q['about'], ANYTHING);
    fieldRef('questions', i, 'raisedIn', q['raisedIn'], SESSIONS);
  });
  forEachItem(model, 'sessions', (s, i) => {
    forEachOf(s['notes'], (note, j) => {
      if (Array.isArray(note['about'])) {
        note['about'].forEach((v, k) => {
          if (typeof v === 'string' && !v.includes('@'))
            ref(['sessions', i, 'notes', j, 'about', k], v, [...ANYTHING, 'threats']);
        });
      }
      threatRef(['sessions', i, 'notes', j, 'finding'], note['finding']);
    });
  });
  forEachItem(model, 'attackTrees', (t, i) => {
    fieldRef('attackTrees', i, 'asset', t['asset'], ASSETS);
    const stack: { node: unknown; path: PathSegment[] }[] = [{ node: t['root'], path: ['attackTrees', i, 'root'] }];
    for (let item = stack.pop(); item; item = stack.pop()) {
      const node = item.node;
      if (!isRecord(node)) continue;
      threatRef([...item.path, 'threat'], node['threat']);
      forEachOf(node['countermeasures'], (c, j) =>
        ref([...item.path, 'countermeasures', j, 'mitigation'], c['mitigation'], MITIGATIONS),
      );
      if (Array.isArray(node['children'])) {
        node['children'].forEach((child, j) => stack.push({ node: child, path: [...item.path, 'children', j] }));
      }
    }
  });
  forEachItem(model, 'views', (v, i) => {
    refs('views', i, 'include', v['include'], ELEMENTS_OR_BOUNDARIES);
    const layout = v['layout'];
    if (isRecord(layout)) {
      for (const key of Object.keys(layout)) ref(['views', i, 'layout', key], key, ELEMENTS_OR_BOUNDARIES);
    }
  });

  problems.push(...checkBoundaryCycles(model));
  return { problems, index: { ids, flowEnds } };
}

function checkBoundaryCycles(model: Raw): PathProblem[] {
  const parentOf = new Map<string, string>();
  const indexOf = new Map<string, number>();
  forEachItem(model, 'boundaries', (b, i) => {
    if (typeof b['id'] !== 'string' || indexOf.has(b['id'])) return;
    indexOf.set(b['id'], i);
    if (typeof b['parent'] === 'string') parentOf.set(b['id'], b['parent']);
  });
  const problems: PathProblem[] = [];
  const done = new Set<string>();
  for (const start of indexOf.keys()) {
    const chain: string[] = [];
    const onChain = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && !onChain.has(current)) {
      chain.push(current);
      onChain.add(current);
      current = parentOf.get(current);
    }
    if (current !== undefined && onChain.has(current)) {
      const cycle = chain.slice(chain.indexOf(current));
      const first = [...cycle].sort()[0] ?? current;
      const rotated = [...cycle.slice(cycle.indexOf(first)), first];
      problems.push({
        severity: 'error',
        code: 'PARAPET_BOUNDARY_CYCLE',
        message: `boundaries contain each other: ${rotated.join(' → ')}`,
        path: ['boundaries', indexOf.get(first) ?? 0, 'parent'],
        part: 'value',
      });
    }
    for (const id of chain) done.add(id);
  }
  return problems;
}

function forEachItem(model: Raw, section: string, visit: (item: Raw, index: number) => void): void {
  forEachOf(model[section], visit);
}

function forEachOf(list: unknown, visit: (item: Raw, index: number) => void): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (isRecord(item)) visit(item, i);
  }
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}
