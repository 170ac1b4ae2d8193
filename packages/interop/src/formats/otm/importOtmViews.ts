import { TEXT_MAX, type OtmContext, type OtmItem, type Section } from './otmContext.js';
import { squash } from './otmMapping.js';
import { asFields, describeValue, get, readId, type Fields, type Path } from './otmReader.js';

type View = Section<'views'>;
type Position = NonNullable<View['layout']>[string];

const REPRESENTATION_KEYS = ['name', 'id', 'type', 'description', 'size', 'repository', 'attributes'];
const PLACEMENT_KEYS = ['representation', 'id', 'position', 'size'];
const CODE_KEYS = ['file', 'line', 'codeSnippet', 'package'];

/** A representation element of a trust zone or component: where the Parapet item `target` is drawn. */
export interface Placement {
  readonly representation: string;
  /** The OTM id of the trust zone or component. */
  readonly owner: string;
  readonly target: string;
  readonly fields: Fields;
  readonly path: Path;
}

/** Reads the `representations` of a trust zone or component whose Parapet id is `target`. */
export function readPlacements(
  context: OtmContext,
  owner: { fields: Fields; path: Path; ref: string },
  target: string,
): Placement[] {
  const placements: Placement[] = [];
  context.reader.list(owner.fields, 'representations', owner.path).forEach((value, index) => {
    const path = [...owner.path, 'representations', index];
    const fields = asFields(value);
    const representation = fields === undefined ? undefined : readId(get(fields, 'representation'));
    if (fields === undefined || representation === undefined) {
      if (value !== null)
        context.reader.note(
          path,
          `representation element ${describeValue(value)}`,
          'names no representation; left out',
        );
      return;
    }
    placements.push({ representation, owner: owner.ref, target, fields, path });
  });
  return placements;
}

/**
 * Makes a view of each `diagram` representation, with the positions and sizes its elements give the
 * boundaries and elements drawn in it. A view lists what it shows (`include`) unless it shows every element
 * and boundary. Other representations (code) and what refers to them are noted.
 */
export function importViews(
  context: OtmContext,
  representations: readonly OtmItem[],
  placements: readonly Placement[],
  itemCount: number,
): View[] {
  const byRepresentation = new Map<string, Placement[]>();
  for (const placement of placements) {
    const list = byRepresentation.get(placement.representation);
    if (list === undefined) byRepresentation.set(placement.representation, [placement]);
    else list.push(placement);
  }
  const views: View[] = [];
  for (const item of representations) {
    const own = item.duplicate ? [] : (byRepresentation.get(item.ref) ?? []);
    byRepresentation.delete(item.ref);
    const type = context.reader.text(item.fields, 'type', item.path, 100);
    if (type !== undefined && squash(type) === 'diagram') views.push(makeView(context, item, own, itemCount));
    else noteOtherRepresentation(context, item, type, own);
  }
  for (const [ref, rest] of byRepresentation) {
    for (const placement of rest) {
      context.reader.note(
        placement.path,
        `representation element in ${describeValue(ref)}`,
        'no representation has this id; left out',
      );
    }
  }
  return views;
}

/** One view of a diagram representation. */
function makeView(context: OtmContext, item: OtmItem, placements: readonly Placement[], itemCount: number): View {
  const { reader } = context;
  reader.unknownKeys(item.fields, REPRESENTATION_KEYS, item.path, 'representation');
  const size = get(item.fields, 'size');
  if (size !== undefined && size !== null) {
    reader.note(
      [...item.path, 'size'],
      `diagram size ${describeValue(size)}`,
      'Parapet views have no canvas size; left out',
    );
  }
  const repository = get(item.fields, 'repository');
  if (repository !== undefined && repository !== null) {
    reader.note(
      [...item.path, 'repository'],
      `diagram repository ${describeValue(repository)}`,
      'Parapet views have no repository; left out',
    );
  }
  const id = context.idFor(item, 'view');
  const description = reader.text(item.fields, 'description', item.path, TEXT_MAX);
  const shown = new Set<string>();
  const layout: Record<string, Position> = {};
  for (const placement of placements) {
    if (shown.has(placement.target)) {
      reader.note(
        placement.path,
        `second representation element of one item in ${describeValue(item.ref)}`,
        'the first is kept',
      );
      continue;
    }
    shown.add(placement.target);
    const position = readPosition(context, placement, id);
    if (position !== undefined) layout[placement.target] = position;
  }
  const decoded = context.attributes('view', item, 'representation');
  return {
    id,
    name: item.name,
    ...(description === undefined ? {} : { description }),
    ...(shown.size === itemCount ? {} : { include: [...shown] }),
    ...(Object.keys(layout).length > 0 ? { layout } : {}),
    ...decoded,
  };
}

/** The position and size of a representation element, when it gives a position; the rest is noted. */
function readPosition(context: OtmContext, placement: Placement, view: string): Position | undefined {
  const { reader } = context;
  const { fields, path } = placement;
  reader.unknownKeys(fields, PLACEMENT_KEYS, path, 'representation element');
  const shape = readId(get(fields, 'id'));
  if (shape !== undefined && shape !== `${placement.owner}@${placement.representation}`) {
    reader.note(
      [...path, 'id'],
      `diagram shape id ${describeValue(shape)}`,
      `Parapet keeps no shape ids; the item is drawn in view ${view}`,
    );
  }
  const position = reader.mapping(fields, 'position', path);
  if (position === undefined) return undefined;
  reader.unknownKeys(position, ['x', 'y'], [...path, 'position'], 'position');
  const x = reader.number(position, 'x', [...path, 'position']);
  const y = reader.number(position, 'y', [...path, 'position']);
  if (x === undefined || y === undefined) {
    reader.note([...path, 'position'], 'position without x and y', 'the item is listed in the view without a position');
    return undefined;
  }
  const size = reader.mapping(fields, 'size', path);
  if (size === undefined) return { x, y };
  reader.unknownKeys(size, ['width', 'height'], [...path, 'size'], 'size');
  const width = reader.number(size, 'width', [...path, 'size']);
  const height = reader.number(size, 'height', [...path, 'size']);
  const valid = (value: number | undefined): value is number => value !== undefined && value > 0;
  if (!valid(width) || !valid(height)) {
    reader.note([...path, 'size'], `size ${describeValue(size)}`, 'a size needs a positive width and height; left out');
    return { x, y };
  }
  return { x, y, width, height };
}

/** Notes a representation that is not a diagram (code, or an unknown type) and the elements that refer to it. */
function noteOtherRepresentation(
  context: OtmContext,
  item: OtmItem,
  type: string | undefined,
  placements: readonly Placement[],
): void {
  const { reader } = context;
  const repository = asFields(get(item.fields, 'repository'));
  const url = repository === undefined ? undefined : get(repository, 'url');
  reader.note(
    item.path,
    `representation "${item.name.slice(0, 80)}" of type ${describeValue(type ?? '(none)')}${typeof url === 'string' ? ` at ${describeValue(url)}` : ''}`,
    'Parapet views are diagrams; left out',
  );
  reader.unknownKeys(item.fields, REPRESENTATION_KEYS, item.path, 'representation');
  for (const placement of placements) {
    const file = get(placement.fields, 'file');
    const line = get(placement.fields, 'line');
    const where =
      typeof file === 'string' ? ` ${describeValue(typeof line === 'number' ? `${file}:${line}` : file)}` : '';
    reader.note(
      placement.path,
      `code reference${where} of ${placement.target}`,
      `representation ${describeValue(item.ref)} is not a diagram; Parapet elements have no code references`,
    );
    reader.unknownKeys(
      placement.fields,
      [...PLACEMENT_KEYS, ...CODE_KEYS, 'name'],
      placement.path,
      'representation element',
    );
  }
}
