import { z } from 'zod';
import { ELEMENT_KINDS, TECHNOLOGY_IDS } from '../catalog/technologies.js';
import { MITIGATION_IDS } from '../catalog/mitigationCatalog.js';
import { getDidYouMean } from '../validate/suggest.js';
import { levelSchema, referencesSchema, textSchema } from './common.js';
import { controlsSchema } from './security.js';
import { threatCategorySchema } from './Threat.js';

/** What a rule looks at. A `crossing` is a flow that crosses at least one trust boundary. */
export const RULE_SUBJECTS = ['element', 'flow', 'crossing', 'boundary', 'asset', 'actor'] as const;
export type RuleSubject = (typeof RULE_SUBJECTS)[number];

const mitigationIds: ReadonlySet<string> = new Set(MITIGATION_IDS);
const mitigationIdSchema = z
  .string()
  .check((ctx) => {
    if (mitigationIds.has(ctx.value)) return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `unknown mitigation "${ctx.value}"${getDidYouMean(ctx.value, MITIGATION_IDS)}; rules recommend mitigations from Parapet's catalog`,
    });
  })
  .meta({ enum: [...MITIGATION_IDS] })
  .describe("An id from Parapet's mitigation catalog.");

/** One fact a rule needs; all of a rule's clauses must hold for it to fire. */
export const ruleClauseSchema = z
  .strictObject({
    if: z
      .string()
      .min(1)
      .max(5_000)
      .describe('A CEL expression over the subject\'s facts, e.g. `target.security.authentication == "none"`.'),
    because: z
      .string()
      .min(1)
      .max(1_000)
      .describe('The fact in words, shown in the threat\'s "why"; may name facts as {target.name}.'),
    clearsWhen: z
      .string()
      .min(1)
      .max(1_000)
      .optional()
      .describe('The change to the model that makes this clause false, shown in "clears when".'),
  })
  .describe('A condition of a rule, with the words that explain it.');

export type RuleClause = z.infer<typeof ruleClauseSchema>;

/**
 * A threat rule. Built-in rules and user rules share this format. In a model, a rule with the id of a
 * built-in rule overrides the fields it gives; `disabled: true` switches a rule off.
 */
export const ruleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{0,99}$/, 'must be lower-case letters, digits, "." or "-"')
      .describe('Rule id; threats it yields have the id "<rule-id>@<target-id>".'),
    disabled: z.boolean().optional().describe('Switch the rule off.'),
    title: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Title template; names facts in braces, e.g. "Injection into {target.name}".'),
    description: textSchema
      .optional()
      .describe('What the threat is and how it is carried out; a template like the title.'),
    category: threatCategorySchema.optional(),
    appliesTo: z
      .strictObject({
        subject: z.enum(RULE_SUBJECTS).describe('What the rule looks at.'),
        kinds: z.array(z.enum(ELEMENT_KINDS)).optional().describe('Element kinds it applies to (element rules only).'),
        types: z
          .array(z.enum(TECHNOLOGY_IDS))
          .optional()
          .describe('Technology types it applies to (element rules only).'),
      })
      .optional()
      .describe('What the rule looks at, narrowed by element kind and technology type.'),
    when: z.array(ruleClauseSchema).min(1).max(20).optional().describe('Conditions that must all hold.'),
    unless: controlsSchema
      .optional()
      .describe('Controls any one of which, in place on the target, means the threat does not arise.'),
    lowers: controlsSchema.optional().describe('Controls that make the threat less likely (one level each).'),
    likelihood: levelSchema.optional().describe('Likelihood hint for the threats it yields.'),
    impact: levelSchema.optional().describe('Impact hint for the threats it yields.'),
    references: referencesSchema.optional(),
    mitigations: z.array(mitigationIdSchema).optional().describe('Recommended mitigations, ids from the catalog.'),
    clearsWhen: z
      .string()
      .min(1)
      .max(2_000)
      .optional()
      .describe('The change that would stop the rule firing, when no clause or control says it.'),
  })
  .describe('A threat rule defined, overridden or disabled by the model.');

export type Rule = z.infer<typeof ruleSchema>;

/** A file of rules, as given to `--rules`. */
export const ruleFileSchema = z
  .strictObject({
    rules: z.array(ruleSchema).describe('The rules the file defines.'),
  })
  .describe('A file of threat rules.');
