import type { ThreatModelInput } from '@parapet/core';
import { slug } from '../../ids.js';
import type { ImportContext } from './ImportContext.js';
import { ownField, quote } from './sourceValues.js';
import {
  ARCHITECTURE_HEADING,
  ARCHITECTURE_IMAGE_LABEL,
  DATAFLOW_HEADING,
  DATAFLOW_IMAGE_LABEL,
  IMAGE_URL_PATTERN,
  LIMITS,
} from './threatComposerFormat.js';

type ModelInfoInput = ThreatModelInput['model'];

/** Longest model title and description Parapet accepts. */
const TITLE_MAX = 500;
const DESCRIPTION_MAX = 100_000;

const APPLICATION_KEYS = new Set(['name', 'description']);
const DIAGRAM_KEYS = new Set(['description', 'image']);

/** The model information read from `applicationInfo`, `architecture` and `dataflow`. */
export interface ApplicationInfo {
  readonly info: ModelInfoInput;
  /** The application's name, when the file gives one. */
  readonly name?: string;
}

/**
 * Model information from the file: the application name becomes the title (and id), its description the
 * description, followed by the architecture and data flow descriptions under their own headings, since
 * Parapet has no separate fields for them. Image URLs are kept there as links; embedded images are reported.
 */
export function readApplicationInfo(context: ImportContext, root: Readonly<Record<string, unknown>>): ApplicationInfo {
  const application = context.record(ownField(root, 'applicationInfo'), ['applicationInfo'], 'applicationInfo');
  let name: string | undefined;
  let description: string | undefined;
  if (application) {
    context.noteUnknownKeys(application, ['applicationInfo'], APPLICATION_KEYS, 'applicationInfo');
    name = context.text(ownField(application, 'name'), ['applicationInfo', 'name'], 'application name');
    description = context.text(ownField(application, 'description'), ['applicationInfo', 'description'], 'description');
  }
  const architecture = readDiagramSection(context, root, 'architecture', ARCHITECTURE_IMAGE_LABEL);
  const dataflow = readDiagramSection(context, root, 'dataflow', DATAFLOW_IMAGE_LABEL);
  const parts = [
    description,
    architecture === undefined ? undefined : `${ARCHITECTURE_HEADING}\n\n${architecture}`,
    dataflow === undefined ? undefined : `${DATAFLOW_HEADING}\n\n${dataflow}`,
  ].filter((part): part is string => part !== undefined);
  const title =
    name === undefined
      ? 'Threat Composer model'
      : context.fit(name, TITLE_MAX, ['applicationInfo', 'name'], 'application name');
  const info: ModelInfoInput = { id: modelId(name, context.file), title };
  if (parts.length > 0)
    info.description = context.fit(parts.join('\n\n'), DESCRIPTION_MAX, ['applicationInfo'], 'descriptions');
  return { info, ...(name === undefined ? {} : { name }) };
}

/** The model id: the application name as a slug, else the file name's, else a fixed one. */
function modelId(name: string | undefined, file: string): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/(\.tc)?\.json$/i, '');
  return slug(name ?? '') || slug(base) || 'threat-composer-model';
}

/**
 * The text of `architecture` or `dataflow`: its description, then its image as a Markdown link when the image
 * is a URL. Undefined when there is neither.
 */
function readDiagramSection(
  context: ImportContext,
  root: Readonly<Record<string, unknown>>,
  key: 'architecture' | 'dataflow',
  imageLabel: string,
): string | undefined {
  const section = context.record(ownField(root, key), [key], key);
  if (!section) return undefined;
  context.noteUnknownKeys(section, [key], DIAGRAM_KEYS, key);
  const heading = key === 'architecture' ? ARCHITECTURE_HEADING : DATAFLOW_HEADING;
  const description = context.text(ownField(section, 'description'), [key, 'description'], `${key} description`);
  if (description !== undefined) {
    context.note(
      [key, 'description'],
      `${key} description`,
      `Parapet has no field for it: kept in model.description under the heading "${heading}"`,
    );
  }
  const image = readImage(context, ownField(section, 'image'), key, heading);
  const parts = [description, image === undefined ? undefined : `![${imageLabel}](${image})`];
  const text = parts.filter((part): part is string => part !== undefined).join('\n\n');
  return text === '' ? undefined : text;
}

/** The image URL of a section, or undefined; an embedded (base64) image or anything else is reported. */
function readImage(context: ImportContext, value: unknown, key: string, heading: string): string | undefined {
  const path = [key, 'image'];
  const image = context.text(value, path, `${key} image`);
  if (image === undefined) return undefined;
  if (image.length <= LIMITS.imageUrl && IMAGE_URL_PATTERN.test(image)) {
    context.note(
      path,
      `${key} image ${quote(image)}`,
      `Parapet keeps no images: the URL is kept as a link under "${heading}"`,
    );
    return image;
  }
  const embedded = /^data:([^;,]+)/.exec(image);
  if (embedded) {
    context.note(
      path,
      `embedded ${embedded[1] ?? 'image'} (${image.length} characters)`,
      'Parapet keeps no images: not imported',
    );
  } else {
    context.note(path, `${key} image ${quote(image)}`, 'neither an image URL nor an embedded image: not imported');
  }
  return undefined;
}
