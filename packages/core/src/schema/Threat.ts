import { z } from 'zod';
import {
  idSchema,
  levelSchema,
  originSchema,
  referencesSchema,
  refListSchema,
  refSchema,
  tagsSchema,
  textSchema,
} from './common.js';

export const STRIDE = [
  'spoofing',
  'tampering',
  'repudiation',
  'information-disclosure',
  'denial-of-service',
  'elevation-of-privilege',
] as const;
export const LINDDUN = [
  'linking',
  'identifying',
  'non-repudiation',
  'detecting',
  'data-disclosure',
  'unawareness',
  'non-compliance',
] as const;
export const THREAT_CATEGORIES = [...STRIDE, ...LINDDUN] as const;
export const threatCategorySchema = z.enum(THREAT_CATEGORIES).describe('STRIDE or LINDDUN category.');

/** A threat statement in the Threat Composer grammar. */
export const threatStatementSchema = z
  .strictObject({
    source: z.string().min(1).describe('Who: "An external attacker with a stolen session".'),
    prerequisites: z.string().optional().describe('What they need: "who can reach the admin API".'),
    action: z.string().min(1).describe('What they do: "replays a captured refund request".'),
    impact: z.string().min(1).describe('What it leads to: "the refund is paid out twice".'),
  })
  .describe('A threat statement: source, prerequisites, action, impact.');

/** A threat written by a person (rules generate the others). */
export const threatSchema = z
  .strictObject({
    id: idSchema,
    title: z.string().min(1).max(500).describe('The threat in a few words.'),
    category: threatCategorySchema,
    target: refSchema('the element, flow or boundary threatened'),
    statement: threatStatementSchema.optional(),
    description: textSchema.optional().describe('Scenario in prose.'),
    assets: refListSchema('assets affected').optional(),
    actors: refListSchema('actors who could carry it out').optional(),
    likelihood: levelSchema.optional().describe('How likely it is (very-low to very-high).'),
    impact: levelSchema.optional().describe('How bad it would be (very-low to very-high).'),
    references: referencesSchema.optional(),
    mitigations: refListSchema('mitigations that address it').optional(),
    tags: tagsSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('A threat written by hand.');

export type Threat = z.infer<typeof threatSchema>;
export type ThreatCategory = z.infer<typeof threatCategorySchema>;
