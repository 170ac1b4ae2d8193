import { z } from 'zod';
import { ELEMENT_KINDS, TECHNOLOGY_IDS } from '../catalog/technologies.js';
import {
  idSchema,
  nameSchema,
  originSchema,
  outOfScopeSchema,
  refListSchema,
  refSchema,
  tagsSchema,
  textSchema,
} from './common.js';
import { controlsSchema, securityPropertiesSchema } from './security.js';

export const EXPOSURES = ['internet', 'partner', 'internal', 'private'] as const;

/** A node of the data flow diagram: a process, a data store or an external entity. */
export const elementSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema.describe('Name shown on diagrams and in reports.'),
    description: textSchema.optional().describe('What the element does.'),
    kind: z.enum(ELEMENT_KINDS).describe('DFD shape: process, datastore or external (entity outside your control).'),
    type: z.enum(TECHNOLOGY_IDS).optional().describe('Technology type from the catalog; rules match on it.'),
    technology: z.string().max(200).optional().describe('Product or stack, free text (e.g. "PostgreSQL 16").'),
    boundary: refSchema('the innermost trust boundary holding the element').optional(),
    exposure: z
      .enum(EXPOSURES)
      .optional()
      .describe(
        'Who the element is meant to be reachable by, as stated; Parapet also derives reachability from flows.',
      ),
    security: securityPropertiesSchema.optional(),
    controls: controlsSchema.optional(),
    stores: refListSchema('assets the element stores').optional(),
    owner: z.string().max(200).optional().describe('Team or person responsible.'),
    tags: tagsSchema.optional(),
    outOfScope: outOfScopeSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('An element of the data flow diagram.');

export type Element = z.infer<typeof elementSchema>;
