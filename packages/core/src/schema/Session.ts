import { z } from 'zod';
import { dateSchema, idSchema, refListSchema, refSchema } from './common.js';

export const noteSchema = z
  .strictObject({
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM')
      .optional()
      .describe('Time within the session, HH:MM.'),
    text: z.string().min(1).max(10_000).describe('What was said or observed.'),
    about: refListSchema('elements, flows or threats the note concerns').optional(),
    finding: refSchema('the threat the note became').optional(),
  })
  .describe('A note taken during a session.');

export const checklistAnswerSchema = z
  .strictObject({
    question: z.string().min(1).max(2_000).describe('The checklist question.'),
    answer: z.string().max(10_000).optional().describe('The answer given.'),
    status: z
      .enum(['unasked', 'answered', 'follow-up', 'not-applicable'])
      .default('unasked')
      .describe('Where the question stands.'),
  })
  .describe('A checklist question and its answer.');

/** A threat modeling meeting. */
export const sessionSchema = z
  .strictObject({
    id: idSchema,
    title: z.string().max(500).optional().describe('What the session covered.'),
    date: dateSchema,
    attendees: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(200).describe('Attendee name.'),
          role: z.string().max(200).optional().describe('Role (e.g. product owner, architect).'),
          organisation: z.string().max(200).optional().describe('Team or company.'),
        }),
      )
      .optional()
      .describe('Who took part.'),
    notes: z.array(noteSchema).optional().describe('Notes taken, in order.'),
    checklist: z.array(checklistAnswerSchema).optional().describe('Checklist questions asked and their answers.'),
    recording: z.string().max(2_000).optional().describe('Link to the recording.'),
  })
  .describe('A threat modeling session.');

export type Session = z.infer<typeof sessionSchema>;
