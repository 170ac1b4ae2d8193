import { z } from 'zod';
import { idSchema, moneySchema, nameSchema, needSchema, originSchema, tagsSchema, textSchema } from './common.js';

export const ASSET_KINDS = [
  'data',
  'personal-data',
  'credential',
  'key',
  'configuration',
  'code',
  'service',
  'money',
  'reputation',
  'other',
] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

/** Something worth protecting. Where it is stored and processed is derived from elements and flows. */
export const assetSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema.describe('Name shown in reports.'),
    description: textSchema.optional().describe('What the asset is and why it matters.'),
    kind: z.enum(ASSET_KINDS).default('data').describe('What sort of asset it is.'),
    classification: z.enum(CLASSIFICATIONS).optional().describe('Data classification.'),
    personal: z.boolean().optional().describe('Relates to identifiable people (enables privacy rules).'),
    needs: z
      .strictObject({
        confidentiality: needSchema.optional().describe('How much disclosure would hurt.'),
        integrity: needSchema.optional().describe('How much unauthorised change would hurt.'),
        availability: needSchema.optional().describe('How much loss of access would hurt.'),
      })
      .optional()
      .describe('How much confidentiality, integrity and availability matter (low, medium, high, critical).'),
    quantity: z.number().int().nonnegative().optional().describe('About how many records or items exist.'),
    value: moneySchema
      .extend({
        per: z
          .enum(['record', 'total'])
          .default('total')
          .describe('Whether the amount is per record or for all of it.'),
      })
      .optional()
      .describe('What losing the asset would cost, for financial impact.'),
    regulations: z
      .array(z.string().min(1).max(100))
      .optional()
      .describe('Regulations that apply (e.g. GDPR, PCI-DSS).'),
    owner: z.string().max(200).optional().describe('Who answers for the asset.'),
    tags: tagsSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('An asset worth protecting.');

export type Asset = z.infer<typeof assetSchema>;
