import { z } from 'zod';
import {
  idSchema,
  originSchema,
  outOfScopeSchema,
  refListSchema,
  refSchema,
  tagsSchema,
  textSchema,
} from './common.js';
import { authenticationSchema, authorizationSchema, controlsSchema, encryptionSchema } from './security.js';

export const PROTOCOLS = [
  'https',
  'http',
  'http2',
  'grpc',
  'websocket',
  'graphql',
  'soap',
  'tcp',
  'udp',
  'tls',
  'ssh',
  'sftp',
  'ftp',
  'smtp',
  'imap',
  'dns',
  'ldap',
  'ldaps',
  'kerberos',
  'amqp',
  'mqtt',
  'kafka',
  'nats',
  'sql',
  'postgres',
  'mysql',
  'mongodb',
  'redis',
  'memcached',
  'nfs',
  'smb',
  'rdp',
  'ipc',
  'in-process',
  'file',
  'cloud-api',
  'human',
  'other',
] as const;

/** A data flow: `from` sends to (or calls) `to`. The boundaries it crosses are derived, never typed. */
export const flowSchema = z
  .strictObject({
    id: idSchema,
    from: refSchema('the element that initiates the flow'),
    to: refSchema('the element that receives the flow'),
    name: z.string().max(500).optional().describe('Label shown on diagrams (e.g. "place order").'),
    description: textSchema.optional().describe('What the flow is for.'),
    protocol: z.enum(PROTOCOLS).optional().describe('Application or transport protocol.'),
    port: z.number().int().min(0).max(65_535).optional().describe('Destination port.'),
    authentication: authenticationSchema.optional(),
    authorization: authorizationSchema.optional(),
    encryption: encryptionSchema.optional(),
    data: refListSchema('assets the flow carries').optional(),
    bidirectional: z.boolean().optional().describe('Both ends initiate exchanges (not just replies).'),
    controls: controlsSchema.optional(),
    tags: tagsSchema.optional(),
    outOfScope: outOfScopeSchema.optional(),
    origin: originSchema.optional(),
  })
  .describe('A data flow between two elements.');

export type Flow = z.infer<typeof flowSchema>;
