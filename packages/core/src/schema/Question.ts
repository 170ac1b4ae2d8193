import { z } from 'zod';
import { idSchema, refListSchema, refSchema, tagsSchema, textSchema } from './common.js';

/** An open question raised while modeling; coverage counts the unanswered ones. */
export const questionSchema = z
  .strictObject({
    id: idSchema,
    text: z.string().min(1).max(10_000).describe('The question.'),
    about: refListSchema('elements, flows, boundaries or assets it concerns').optional(),
    status: z.enum(['open', 'answered']).default('open').describe('Whether it has been answered.'),
    answer: textSchema.optional().describe('The answer, once known.'),
    owner: z.string().max(200).optional().describe('Who should answer.'),
    raisedIn: refSchema('the session where it came up').optional(),
    tags: tagsSchema.optional(),
  })
  .describe('An open question.');

export type Question = z.infer<typeof questionSchema>;
