import { z } from 'zod';
import { idSchema, nameSchema, refListSchema, textSchema } from './common.js';

export const positionSchema = z
  .strictObject({
    x: z.number(),
    y: z.number(),
    width: z.number().positive().optional(),
    height: z.number().positive().optional(),
  })
  .describe('Where an element or boundary sits on the canvas.');

/** A diagram: a selection of elements and boundaries, without copying them. */
export const viewSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema,
    kind: z.enum(['context', 'detailed', 'deployment', 'other']).default('detailed'),
    description: textSchema.optional(),
    include: refListSchema('elements and boundaries shown (all when absent)').optional(),
    layout: z.record(z.string(), positionSchema).optional().describe('Canvas positions by element or boundary id.'),
  })
  .describe('A view (diagram) of the model.');

export type View = z.infer<typeof viewSchema>;
