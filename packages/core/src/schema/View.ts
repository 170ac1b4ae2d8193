import { z } from 'zod';
import { idSchema, nameSchema, refListSchema, textSchema } from './common.js';

export const positionSchema = z
  .strictObject({
    x: z.number().describe('Left edge, in canvas units.'),
    y: z.number().describe('Top edge, in canvas units.'),
    width: z.number().positive().optional().describe('Width (boundaries and resized elements).'),
    height: z.number().positive().optional().describe('Height (boundaries and resized elements).'),
  })
  .describe('Where an element or boundary sits on the canvas.');

/** A diagram: a selection of elements and boundaries, without copying them. */
export const viewSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema.describe('Name of the diagram.'),
    kind: z
      .enum(['context', 'detailed', 'deployment', 'other'])
      .default('detailed')
      .describe('A context view shows the system among its neighbours; a detailed view its insides.'),
    description: textSchema.optional().describe('What the diagram shows.'),
    include: refListSchema('elements and boundaries shown (all when absent)').optional(),
    layout: z.record(z.string(), positionSchema).optional().describe('Canvas positions by element or boundary id.'),
  })
  .describe('A view (diagram) of the model.');

export type View = z.infer<typeof viewSchema>;
