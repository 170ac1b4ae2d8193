import { z } from 'zod';

/** Pattern every id in a model follows: letters, digits, `.`, `_`, `-`; starts with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** An id declared by a model item (element, flow, boundary, asset ...). Ids share one namespace per model. */
export const idSchema = z
  .string()
  .regex(ID_PATTERN, 'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('Stable identifier, unique across the whole model (letters, digits, ".", "_", "-").');

/** A reference to another item's id. */
export function refSchema(to: string): z.ZodString {
  return z.string().min(1).describe(`Id of ${to}.`);
}

/** A list of references to other items' ids. */
export function refListSchema(to: string): z.ZodArray<z.ZodString> {
  return z.array(z.string().min(1)).describe(`Ids of ${to}.`);
}

export const textSchema = z.string().max(100_000);
export const nameSchema = z.string().min(1).max(500);
export const tagsSchema = z.array(z.string().min(1).max(100)).describe('Free labels used for filtering and by rules.');

/** A calendar date, `YYYY-MM-DD`. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date written YYYY-MM-DD')
  .describe('A calendar date, YYYY-MM-DD.');

/** Five ordinal levels used for likelihood, impact and risk (NIST SP 800-30 style). */
export const LEVELS = ['very-low', 'low', 'medium', 'high', 'very-high'] as const;
export const levelSchema = z.enum(LEVELS);
export type Level = z.infer<typeof levelSchema>;

/** Four ordinal levels used for security needs and actor capability. */
export const NEEDS = ['low', 'medium', 'high', 'critical'] as const;
export const needSchema = z.enum(NEEDS);

export const moneySchema = z
  .strictObject({
    amount: z.number().nonnegative().describe('Amount in the currency given.'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR or USD')
      .describe('ISO 4217 currency code.'),
  })
  .describe('An amount of money.');

export const referencesSchema = z
  .strictObject({
    cwe: z
      .array(z.string().regex(/^CWE-\d+$/, 'must look like CWE-79'))
      .optional()
      .describe('CWE ids, e.g. CWE-79.'),
    capec: z
      .array(z.string().regex(/^CAPEC-\d+$/, 'must look like CAPEC-66'))
      .optional()
      .describe('CAPEC ids, e.g. CAPEC-66.'),
    attack: z
      .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'must look like T1190 or T1078.004'))
      .optional()
      .describe('MITRE ATT&CK technique ids, e.g. T1190.'),
    asvs: z
      .array(z.string().regex(/^V?\d+(\.\d+){1,2}$/, 'must look like V6.2.1'))
      .optional()
      .describe('OWASP ASVS requirement ids, e.g. V6.2.1.'),
    links: z.array(z.string().min(1)).optional().describe('Other references (URLs or document names).'),
  })
  .describe('References to catalogs and documents.');

/** Marks an item as out of scope of the threat model; it yields no threats. */
export const outOfScopeSchema = z
  .strictObject({
    reason: z.string().min(1).describe('Why the item is out of scope.'),
  })
  .describe('Marks the item out of scope, with the reason; out-of-scope items yield no threats.');

/** Where an item came from, when a tool wrote it: an import from another format, or discovery from infrastructure code. */
export const originSchema = z
  .strictObject({
    format: z
      .string()
      .min(1)
      .max(100)
      .describe('The format or source kind it came from, e.g. "threat-dragon", "docker-compose", "terraform".'),
    file: z.string().min(1).max(1000).optional().describe('The file it came from, as given to the importer.'),
    line: z.number().int().positive().optional().describe('The line of that file where it is written (1-based).'),
    ref: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('Its id or address in the source (a Threat Dragon cell id, a Terraform resource address...).'),
    inferred: z
      .boolean()
      .optional()
      .describe('Guessed by discovery from infrastructure code rather than written by a person: review it.'),
  })
  .describe('Where the item came from: the file, line and id it was imported or discovered from.');
