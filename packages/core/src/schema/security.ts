import { z } from 'zod';
import { CONTROL_IDS, CUSTOM_CONTROL_PATTERN } from '../catalog/controls.js';
import { getDidYouMean } from '../validate/suggest.js';

export const AUTHENTICATION_METHODS = [
  'none',
  'password',
  'mfa',
  'api-key',
  'token',
  'jwt',
  'oauth2',
  'oidc',
  'saml',
  'mtls',
  'certificate',
  'kerberos',
  'session-cookie',
  'iam',
  'hmac',
  'ssh-key',
  'other',
] as const;
export const authenticationSchema = z
  .enum(AUTHENTICATION_METHODS)
  .describe('How the caller proves who it is; "none" states that nothing is checked.');

export const AUTHORIZATION_METHODS = [
  'none',
  'rbac',
  'abac',
  'acl',
  'scopes',
  'ownership',
  'iam-policy',
  'other',
] as const;
export const authorizationSchema = z
  .enum(AUTHORIZATION_METHODS)
  .describe('How access is decided once the caller is known; "none" states that nothing is checked.');

export const ENCRYPTION_METHODS = ['none', 'tls', 'mtls', 'ssh', 'vpn', 'ipsec', 'application'] as const;
export const encryptionSchema = z
  .enum(ENCRYPTION_METHODS)
  .describe('How the traffic is protected in transit; "none" states that it travels in clear.');

export const SECRETS_HANDLING = [
  'vault',
  'kms',
  'platform',
  'environment',
  'config-file',
  'hard-coded',
  'none',
] as const;

const controlIds: ReadonlySet<string> = new Set(CONTROL_IDS);

export const controlSchema = z
  .string()
  .check((ctx) => {
    if (controlIds.has(ctx.value) || CUSTOM_CONTROL_PATTERN.test(ctx.value)) return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `unknown control "${ctx.value}"${getDidYouMean(ctx.value, CONTROL_IDS)}; name your own controls x-something`,
    });
  })
  .meta({ anyOf: [{ enum: [...CONTROL_IDS] }, { pattern: CUSTOM_CONTROL_PATTERN.source }] })
  .describe('A control from the catalog, or a custom one named x-something.');
export const controlsSchema = z.array(controlSchema).describe('Security controls in place.');

/** What is known of how an element is secured. A field left out means "not stated", not "absent". */
export const securityPropertiesSchema = z
  .strictObject({
    authentication: authenticationSchema.optional(),
    authorization: authorizationSchema.optional(),
    inputValidation: z.boolean().optional().describe('Inputs are validated.'),
    outputEncoding: z.boolean().optional().describe('Outputs are encoded for their context.'),
    encryptionAtRest: z.boolean().optional().describe('Stored data is encrypted.'),
    logging: z.boolean().optional().describe('Security-relevant events are logged.'),
    monitoring: z.boolean().optional().describe('Logs and health are watched and alert a person.'),
    hardening: z.boolean().optional().describe('Configuration is hardened against a benchmark.'),
    secretsHandling: z.enum(SECRETS_HANDLING).optional().describe('Where the element keeps the secrets it uses.'),
    multiTenant: z.boolean().optional().describe('Serves several customers from shared resources.'),
    customDeveloped: z.boolean().optional().describe('Written by the team (rather than bought or open source).'),
    sessionManagement: z.boolean().optional().describe('Keeps user sessions.'),
    adminInterface: z.boolean().optional().describe('Exposes an administrative interface.'),
    backups: z.boolean().optional().describe('Data is backed up.'),
    redundancy: z.boolean().optional().describe('Runs redundantly, without a single point of failure.'),
  })
  .describe('How the element is secured; absent fields mean "not stated".');
