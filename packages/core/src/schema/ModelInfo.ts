import { z } from 'zod';
import { dateSchema, levelSchema, textSchema } from './common.js';

export const RULE_PACKS = ['stride', 'linddun'] as const;
export type RulePack = (typeof RULE_PACKS)[number];

/** Metadata, scope, business context, risk appetite and settings of a model. */
export const modelInfoSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be lower-case letters, digits or "-"')
      .describe('Stable id of the model (lower-case letters, digits, "-").'),
    title: z.string().min(1).max(500).describe('Name of the system modeled.'),
    description: textSchema.optional().describe('What the system is, in a paragraph.'),
    version: z.string().max(100).optional().describe('Version of the model (or of the system it describes).'),
    updated: dateSchema.optional(),
    owners: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(200).describe('Person or team.'),
          email: z.string().max(320).optional().describe('Contact address.'),
          role: z.string().max(200).optional().describe('Role in the model (e.g. security champion).'),
        }),
      )
      .optional()
      .describe('Who maintains the model.'),
    scope: z
      .strictObject({
        summary: textSchema.optional().describe('The scope in a sentence or two.'),
        in: z.array(z.string().min(1)).optional().describe('What the model covers.'),
        out: z.array(z.string().min(1)).optional().describe('What it leaves out, on purpose.'),
      })
      .optional()
      .describe('What the model covers and what it leaves out.'),
    businessContext: z
      .strictObject({
        purpose: textSchema.optional().describe('What the system is for.'),
        audience: textSchema.optional().describe('Who uses it.'),
        dataHandled: textSchema.optional().describe('What data it handles.'),
        adversaries: textSchema.optional().describe('Who may want to break it.'),
        criticality: z
          .enum(['low', 'medium', 'high', 'critical'])
          .optional()
          .describe('How critical the system is to the business.'),
        compliance: z.array(z.string().min(1)).optional().describe('Regulations and standards that apply.'),
      })
      .optional()
      .describe('Why the system exists and who cares about breaking it.'),
    riskAppetite: z
      .strictObject({
        accept: levelSchema.optional().describe('Highest risk level that may be accepted.'),
        mustTreat: levelSchema.optional().describe('Lowest risk level that must be reduced or avoided.'),
        maxAcceptanceDays: z.number().int().positive().optional().describe('Longest an acceptance may last.'),
        statement: textSchema.optional().describe("The risk appetite in the organisation's words."),
      })
      .optional()
      .describe('How much risk the organisation accepts; drives recommended treatments.'),
    settings: z
      .strictObject({
        rulePacks: z.array(z.enum(RULE_PACKS)).optional().describe('Built-in rule packs to run (default: stride).'),
        riskMatrix: z
          .strictObject({
            likelihood: z
              .array(z.string().min(1))
              .length(5)
              .optional()
              .describe('Five likelihood level names, lowest first.'),
            impact: z.array(z.string().min(1)).length(5).optional().describe('Five impact level names, lowest first.'),
            levels: z.array(z.string().min(1)).length(5).optional().describe('Five risk level names, lowest first.'),
          })
          .optional()
          .describe('Names for the five likelihood, impact and risk levels.'),
      })
      .optional()
      .describe('Analysis settings.'),
  })
  .describe('What the model is about.');

export type ModelInfo = z.infer<typeof modelInfoSchema>;
