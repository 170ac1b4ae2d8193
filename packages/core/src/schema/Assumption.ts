import { z } from 'zod';
import { idSchema, originSchema, refListSchema, tagsSchema, textSchema } from './common.js';

/** Something taken as true; it can exclude the threats it makes moot. */
export const assumptionSchema = z
  .strictObject({
    id: idSchema,
    text: z.string().min(1).max(10_000).describe('The assumption, as a sentence.'),
    about: refListSchema('elements, flows, boundaries or assets it concerns').optional(),
    excludes: z
      .array(z.string().min(1))
      .optional()
      .describe('Rule ids or threat ids that do not apply while the assumption holds.'),
    status: z.enum(['unverified', 'verified', 'invalid']).default('unverified').describe('Whether someone checked it.'),
    owner: z.string().max(200).optional().describe('Who vouches for it.'),
    notes: textSchema.optional().describe('How it was checked, or why it is believed.'),
    tags: tagsSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('An assumption.');

export type Assumption = z.infer<typeof assumptionSchema>;
