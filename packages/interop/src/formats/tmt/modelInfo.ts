import type { ThreatModelInput } from '@parapet/core';
import { slug } from '../../ids.js';
import { LIMITS, quote, type ImportContext } from './context.js';
import type { XmlNode } from './readXml.js';
import { asNode, child, childNode, childText, textOf } from './xmlNodes.js';

type ModelInfo = ThreatModelInput['model'];
type Assumption = NonNullable<ThreatModelInput['assumptions']>[number];
type Owner = NonNullable<ModelInfo['owners']>[number];

const META_PATH = '/ThreatModel/MetaInformation';

/**
 * The model's id, title, description and owners from `MetaInformation` (the title from the file name when
 * the model has none), its Assumptions text as assumptions (one per line), and notes in `unmapped` for the
 * external dependencies, the model's notes and validations, and the embedded knowledge base.
 */
export function mapModelInfo(root: XmlNode, context: ImportContext): { model: ModelInfo; assumptions: Assumption[] } {
  const meta = childNode(root, 'MetaInformation');
  const metaLine = context.lineOf(meta) ?? context.lineOf(root);
  const rawTitle = childText(meta, 'ThreatModelName') ?? titleFromFile(context.file);
  const title = context.clamp(rawTitle, LIMITS.name, `${META_PATH}/ThreatModelName`, metaLine, 'model name');
  const description = childText(meta, 'HighLevelSystemDescription');
  const owners = ownersOf(meta, metaLine, context);
  const model: ModelInfo = {
    id: slug(title) || 'threat-model',
    title,
    ...(description === undefined
      ? {}
      : {
          description: context.clamp(
            description,
            LIMITS.text,
            `${META_PATH}/HighLevelSystemDescription`,
            metaLine,
            'system description',
          ),
        }),
    ...(owners.length === 0 ? {} : { owners }),
  };
  const dependencies = childText(meta, 'ExternalDependencies');
  if (dependencies !== undefined) {
    context.note(
      `${META_PATH}/ExternalDependencies`,
      metaLine,
      `external dependencies ${quote(dependencies)}`,
      'free text: Parapet models dependencies as elements and flows',
    );
  }
  noteDocumentParts(root, context);
  return { model, assumptions: assumptionsOf(meta, metaLine, context) };
}

/** A title from the file name: its last path part without extension, underscores as spaces. */
function titleFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? '';
  const title = base
    .replace(/\.[^.]*$/, '')
    .replace(/_+/g, ' ')
    .trim();
  return title === '' ? 'Imported Threat Modeling Tool model' : title.slice(0, LIMITS.name);
}

/** Owner, Reviewer and Contributors (a list separated by commas, semicolons or lines) as owners with roles. */
function ownersOf(meta: XmlNode | undefined, line: number | undefined, context: ImportContext): Owner[] {
  const owners: Owner[] = [];
  const add = (field: string, role: string, split: boolean) => {
    const text = childText(meta, field);
    if (text === undefined) return;
    const names = split ? text.split(/[,;\n]/) : [text];
    for (const name of names.map((part) => part.trim()).filter((part) => part !== '')) {
      owners.push({
        name: context.clamp(name, LIMITS.owner, `${META_PATH}/${field}`, line, `${role} ${quote(name)}`),
        role,
      });
    }
  };
  add('Owner', 'owner', false);
  add('Reviewer', 'reviewer', false);
  add('Contributors', 'contributor', true);
  return owners;
}

/** The Assumptions text, one assumption per non-empty line. */
function assumptionsOf(meta: XmlNode | undefined, line: number | undefined, context: ImportContext): Assumption[] {
  const text = childText(meta, 'Assumptions');
  if (text === undefined) return [];
  return text
    .split(/\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => ({
      id: context.ids.allocate(part.slice(0, 60), 'assumption'),
      text: context.clamp(part, LIMITS.assumption, `${META_PATH}/Assumptions`, line, 'assumption'),
      origin: context.origin(undefined, line),
    }));
}

/** Records the model's notes, its validation results and the knowledge base, none of which Parapet holds. */
function noteDocumentParts(root: XmlNode, context: ImportContext): void {
  const notes = childNode(root, 'Notes');
  for (const name of Object.keys(notes ?? {})) {
    if (name.startsWith('@_') || name.startsWith('#')) continue;
    const list = notes?.[name];
    (Array.isArray(list) ? (list as unknown[]) : [list]).forEach((note, index) => {
      const message = childText(asNode(note), 'Message') ?? textOf(note) ?? '';
      context.note(
        `/ThreatModel/Notes/${name}[${index + 1}]`,
        context.lineOf(note) ?? context.lineOf(notes),
        `note ${quote(message)}`,
        'Parapet has no notes on a model: record it as a question or in a session',
      );
    });
  }
  const validations = child(root, 'Validations');
  const validationNode = asNode(validations);
  const hasValidations =
    validationNode === undefined
      ? (textOf(validations)?.trim() ?? '') !== ''
      : Object.keys(validationNode).some((key) => !key.startsWith('@_'));
  if (hasValidations) {
    context.note(
      '/ThreatModel/Validations',
      context.lineOf(validations) ?? context.lineOf(root),
      'validation messages',
      "the tool's diagram checks: Parapet runs its own (parapet validate)",
    );
  }
  const knowledgeBase = childNode(root, 'KnowledgeBase');
  if (knowledgeBase !== undefined) {
    const { name, version, threatTypes, elementTypes } = context.knowledgeBase;
    const label = [name, version].filter((part) => part !== undefined).join(' ');
    context.note(
      '/ThreatModel/KnowledgeBase',
      context.lineOf(knowledgeBase),
      `knowledge base ${quote(label || 'unnamed')} (${elementTypes.size} stencil types, ${threatTypes.size} threat types with generation filters)`,
      'Parapet generates threats from its own rules: the template named the stencils and filled the threat titles; its generation filters are not carried over',
    );
  }
}
