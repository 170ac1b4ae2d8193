import { z } from 'zod';
import { idSchema, refSchema, textSchema } from './common.js';

export const ATTACK_NODE_TYPES = ['or', 'and', 'sand', 'leaf'] as const;

export const attackAttributesSchema = z
  .strictObject({
    cost: z.number().nonnegative().optional().describe('What the step costs the attacker.'),
    probability: z.number().min(0).max(1).optional().describe('Chance the step succeeds, 0 to 1.'),
    time: z.number().nonnegative().optional().describe('Time the step takes, in hours.'),
    skill: z.number().int().min(1).max(5).optional().describe('Skill it needs, 1 (anyone) to 5 (expert).'),
  })
  .describe('Attributes of an attack step.');

export const countermeasureSchema = z
  .strictObject({
    id: idSchema,
    title: z.string().min(1).max(500).describe('What the countermeasure is.'),
    enabled: z.boolean().default(true).describe('Switch it off to see the tree without it.'),
    effectiveness: z.number().min(0).max(1).optional().describe('Chance it stops the step, 0 to 1.'),
    mitigation: refSchema('the mitigation it stands for').optional(),
  })
  .describe('A countermeasure on an attack step.');

export interface AttackNodeInput {
  id: string;
  title: string;
  type?: (typeof ATTACK_NODE_TYPES)[number] | undefined;
  description?: string | undefined;
  threat?: string | undefined;
  attributes?: z.input<typeof attackAttributesSchema> | undefined;
  countermeasures?: z.input<typeof countermeasureSchema>[] | undefined;
  children?: AttackNodeInput[] | undefined;
}

/** A node of an attack tree: an OR, AND or sequential-AND (sand) of its children, or a leaf. */
export const attackNodeSchema: z.ZodType<AttackNodeInput> = z
  .strictObject({
    id: idSchema,
    title: z.string().min(1).max(500).describe('The sub-goal or step.'),
    type: z
      .enum(ATTACK_NODE_TYPES)
      .optional()
      .describe('or, and, sand (sequential and) or leaf; a node without children is a leaf.'),
    description: textSchema.optional().describe('How the step is carried out.'),
    threat: refSchema('the threat this step realises').optional(),
    attributes: attackAttributesSchema.optional(),
    countermeasures: z.array(countermeasureSchema).optional().describe('What stands in the way of the step.'),
    get children() {
      return z.array(attackNodeSchema).optional().describe('Sub-goals or steps.');
    },
  })
  .describe('A node of an attack tree.');

/** An attack tree: a goal refined into the ways to reach it. */
export const attackTreeSchema = z
  .strictObject({
    id: idSchema,
    goal: z.string().min(1).max(500).describe('What the attacker wants.'),
    asset: refSchema('the asset the goal is about').optional(),
    root: attackNodeSchema,
  })
  .describe('An attack tree.');

export type AttackTree = z.infer<typeof attackTreeSchema>;
