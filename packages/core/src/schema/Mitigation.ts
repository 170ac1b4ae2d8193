import { z } from 'zod';
import {
  dateSchema,
  idSchema,
  moneySchema,
  originSchema,
  referencesSchema,
  refListSchema,
  tagsSchema,
  textSchema,
} from './common.js';

export const MITIGATION_STATUSES = ['proposed', 'planned', 'implemented', 'verified'] as const;

/** Something done (or to be done) to reduce threats. */
export const mitigationSchema = z
  .strictObject({
    id: idSchema,
    title: z.string().min(1).max(500).describe('What is done, in a few words.'),
    description: textSchema.optional().describe('How it is done and what it covers.'),
    status: z.enum(MITIGATION_STATUSES).default('proposed').describe('How far along the mitigation is.'),
    appliesTo: refListSchema('elements, flows or boundaries the mitigation is applied to').optional(),
    reduces: z
      .array(z.string().min(1))
      .optional()
      .describe('Threat ids (e.g. "web.xss@storefront") or rule ids the mitigation reduces.'),
    cost: moneySchema.optional().describe('What it costs to put in place.'),
    owner: z.string().max(200).optional().describe('Who carries it out.'),
    ticket: z.string().max(500).optional().describe('Ticket key or URL in the team tracker.'),
    due: dateSchema.optional(),
    references: referencesSchema.optional(),
    tags: tagsSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('A mitigation.');

export type Mitigation = z.infer<typeof mitigationSchema>;
