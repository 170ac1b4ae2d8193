import { z } from 'zod';
import { idSchema, nameSchema, needSchema, originSchema, refListSchema, tagsSchema, textSchema } from './common.js';

export const MOTIVATIONS = [
  'financial',
  'espionage',
  'disruption',
  'ideology',
  'revenge',
  'curiosity',
  'fraud',
  'accidental',
] as const;

/** Someone who may want to harm the system, and where they start. */
export const actorSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema.describe('Name shown in reports.'),
    description: textSchema.optional().describe('Who they are and how they operate.'),
    kind: z.enum(['external', 'internal']).describe('Whether the actor is outside or inside the organisation.'),
    capability: needSchema.optional().describe('Skill and tooling (low, medium, high, critical).'),
    resources: needSchema.optional().describe('Time and money they can spend (low, medium, high, critical).'),
    motivation: z.array(z.enum(MOTIVATIONS)).optional().describe('What drives them.'),
    startsIn: refListSchema('boundaries or elements the actor can reach at the start').optional(),
    wants: refListSchema('assets the actor is after').optional(),
    tags: tagsSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('A threat actor.');

export type Actor = z.infer<typeof actorSchema>;
