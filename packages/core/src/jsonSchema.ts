import { z } from 'zod';
import { threatModelSchema } from './schema/ThreatModel.js';

/** The schema's identifier (a URN: Parapet claims no web address). Editors take the committed file's path. */
export const MODEL_SCHEMA_ID = 'urn:parapet:schema:threatmodel:1';

/**
 * The JSON Schema (draft 2020-12) of the model format, generated from the zod schema so the two never drift.
 *
 * @example
 * JSON.stringify(getModelJsonSchema(), null, 2) // committed as schema/threatmodel.schema.json
 */
export function getModelJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(threatModelSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  const { $schema, ...rest } = generated;
  return { $schema, $id: MODEL_SCHEMA_ID, title: 'Parapet threat model, format version 1', ...rest };
}
