import { z } from 'zod';
import { levelSchema, referencesSchema, textSchema } from './common.js';
import { threatCategorySchema } from './Threat.js';

export const RULE_SUBJECTS = ['element', 'flow', 'crossing', 'boundary', 'asset', 'actor'] as const;

/**
 * A threat rule written in the model. A rule with the id of a built-in rule overrides it; `disabled: true`
 * switches a rule off. Conditions are expressions in a safe language, never code.
 */
export const ruleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{0,99}$/, 'must be lower-case letters, digits, "." or "-"')
      .describe('Rule id; the same id as a built-in rule overrides it.'),
    disabled: z.boolean().optional().describe('Switch the rule off.'),
    title: z.string().max(500).optional().describe('Title template; may name {target.name} and its properties.'),
    description: textSchema.optional().describe('What the threat is, shown with each threat the rule yields.'),
    category: threatCategorySchema.optional(),
    appliesTo: z
      .strictObject({
        subject: z.enum(RULE_SUBJECTS).describe('What the rule looks at.'),
        kinds: z.array(z.string().min(1)).optional().describe('Element kinds it applies to.'),
        types: z.array(z.string().min(1)).optional().describe('Technology types it applies to.'),
      })
      .optional()
      .describe('What the rule looks at, narrowed by kind and type.'),
    condition: z.string().max(10_000).optional().describe('Expression that must hold for the rule to fire.'),
    likelihood: levelSchema.optional().describe('Likelihood hint for the threats it yields.'),
    impact: levelSchema.optional().describe('Impact hint for the threats it yields.'),
    references: referencesSchema.optional(),
    mitigations: z.array(z.string().min(1)).optional().describe('Ids from the mitigation catalog.'),
    clearsWhen: z.string().max(2_000).optional().describe('The change to the model that would stop the rule firing.'),
  })
  .describe('A threat rule defined, overridden or disabled by the model.');

export type Rule = z.infer<typeof ruleSchema>;
