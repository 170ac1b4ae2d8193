import { z } from 'zod';
import { dateSchema, refListSchema, textSchema } from './common.js';

export const DECISION_STATUSES = ['open', 'mitigated', 'accepted', 'transferred', 'avoided', 'false-positive'] as const;

/** What was decided about a threat, attached by the threat's stable id. */
export const decisionSchema = z
  .strictObject({
    threat: z
      .string()
      .min(1)
      .max(300)
      .describe('Id of the threat: a generated one ("<rule-id>@<target-id>") or a manual threat id.'),
    status: z.enum(DECISION_STATUSES).describe('The treatment decided.'),
    justification: textSchema.optional().describe('Why; required in practice for accepted and false-positive.'),
    owner: z.string().max(200).optional().describe('Who decided and answers for it.'),
    ticket: z.string().max(500).optional().describe('Ticket key or URL.'),
    decided: dateSchema.optional().describe('When it was decided.'),
    expires: dateSchema.optional().describe('When an acceptance lapses and the threat counts as open again.'),
    mitigations: refListSchema('mitigations the decision relies on').optional(),
  })
  .describe('A decision on a threat.');

export type Decision = z.infer<typeof decisionSchema>;
