import { z } from 'zod';
import { idSchema, nameSchema, originSchema, refSchema, tagsSchema, textSchema } from './common.js';

export const BOUNDARY_KINDS = [
  'internet',
  'network',
  'dmz',
  'cloud-account',
  'vpc',
  'subnet',
  'cluster',
  'namespace',
  'host',
  'container',
  'execution',
  'physical',
  'organisational',
  'third-party',
  'user-device',
  'other',
] as const;

/** A trust boundary: a zone whose inside trusts its members more than the outside. Boundaries nest. */
export const boundarySchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema.describe('Name shown on diagrams and in reports.'),
    description: textSchema.optional().describe('What the boundary encloses and why it is a boundary.'),
    kind: z.enum(BOUNDARY_KINDS).default('network').describe('What separates inside from outside.'),
    trustLevel: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe(
        'How much the zone is trusted, 0 (hostile) to 100 (fully trusted); inherited from the parent when absent.',
      ),
    parent: refSchema('the enclosing boundary').optional(),
    tags: tagsSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('A trust boundary (zone).');

export type Boundary = z.infer<typeof boundarySchema>;
