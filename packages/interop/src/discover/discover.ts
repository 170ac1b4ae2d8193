// Discovery of a model skeleton from infrastructure code: tells each input file's kind from its content,
// reads it with the reader for that kind, and maps all resources together with the users' mapping files
// before the built-in ones.
import {
  DISCOVERY_SOURCES,
  ImportError,
  type DiscoverySource,
  type ImportResult,
  type Unmapped,
} from '../ImportResult.js';
import { readStructured } from '../source.js';
import { readCloudFormation } from './cloudformation.js';
import { readCompose } from './compose.js';
import { readKubernetes } from './kubernetes.js';
import { mapResources } from './mapModel.js';
import { getBuiltinMappings } from './mappingFile.js';
import { readTerraform, readTerraformPlan } from './terraform.js';
import type { DiscoveryInput, MappingFile, SourceResource } from './types.js';

/** Options of a discovery: the user's mapping files, tried before the built-in ones. */
export interface DiscoverOptions {
  readonly mappings?: readonly MappingFile[];
  /**
   * List files of no known kind in `unmapped` instead of refusing them (for a folder, where other YAML and
   * JSON sit beside the infrastructure code).
   */
  readonly skipUnknown?: boolean;
}

/**
 * Discovers a model from infrastructure code files: docker-compose files, Kubernetes manifests, Terraform
 * (`.tf` files of one module, or a `terraform show -json` plan) and CloudFormation templates, in any mix.
 * Every item of the model is marked `origin.inferred` with its file and line; what could not be placed is
 * in `unmapped`. Throws ImportError naming the file when a file is of no known kind or cannot be read.
 */
export async function discover(
  inputs: readonly DiscoveryInput[],
  options: DiscoverOptions = {},
): Promise<ImportResult> {
  const byKind = new Map<DiscoverySource, DiscoveryInput[]>(DISCOVERY_SOURCES.map((kind) => [kind, []]));
  let firstKind: DiscoverySource | undefined;
  const skipped: Unmapped[] = [];
  for (const input of inputs) {
    const kind = detectKind(input);
    if (kind === undefined && options.skipUnknown) {
      skipped.push({
        at: input.file,
        file: input.file,
        what: `file ${input.file}`,
        reason:
          'not infrastructure code discovery reads (docker-compose, Kubernetes, Terraform, CloudFormation): skipped',
      });
      continue;
    }
    if (kind === undefined) {
      throw new ImportError(
        'not a file discovery knows: expected a docker-compose file (`services:`), Kubernetes manifests (`apiVersion` and `kind`), Terraform (`.tf`, or a plan as JSON) or a CloudFormation template',
        input.file,
      );
    }
    firstKind ??= kind;
    byKind.get(kind)?.push(input);
  }
  const resources: SourceResource[] = [];
  for (const input of byKind.get('docker-compose') ?? [])
    resources.push(...guard(input.file, () => readCompose(input)));
  const manifests = byKind.get('kubernetes') ?? [];
  if (manifests.length > 0) resources.push(...guard(manifests[0]?.file ?? '', () => readKubernetes(manifests)));
  const modules = byKind.get('terraform') ?? [];
  if (modules.length > 0) resources.push(...(await guardAsync(modules[0]?.file ?? '', () => readTerraform(modules))));
  for (const input of byKind.get('terraform-plan') ?? [])
    resources.push(...guard(input.file, () => readTerraformPlan(input)));
  for (const input of byKind.get('cloudformation') ?? [])
    resources.push(...guard(input.file, () => readCloudFormation(input)));
  const mappings = [...(options.mappings ?? []), ...getBuiltinMappings()];
  const result = mapResources(resources, mappings, firstKind === undefined ? {} : { format: firstKind });
  return skipped.length === 0 ? result : { ...result, unmapped: [...skipped, ...result.unmapped] };
}

/**
 * The kind of an infrastructure code file, from its content (and `.tf` from its name), or undefined:
 * a CloudFormation template has `AWSTemplateFormatVersion` or `Resources` of `Type: AWS::...`; a Terraform
 * plan is JSON with `planned_values` or `resource_changes`; Kubernetes manifests have top-level `apiVersion`
 * and `kind`; a docker-compose file a top-level `services` mapping.
 */
export function detectKind(input: DiscoveryInput): DiscoverySource | undefined {
  if (/\.tf(\.json)?$/i.test(input.file)) return 'terraform';
  if (/\.json$/i.test(input.file) || /^\s*[[{]/.test(input.text)) return detectJsonKind(input);
  const text = input.text;
  if (/^AWSTemplateFormatVersion\s*:/m.test(text)) return 'cloudformation';
  if (/^Resources\s*:/m.test(text) && /^\s+Type\s*:\s*['"]?AWS::/m.test(text)) return 'cloudformation';
  if (/^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text)) return 'kubernetes';
  if (/^services\s*:/m.test(text)) return 'docker-compose';
  return undefined;
}

/** The kind of a JSON file, from its top-level keys. Throws ImportError when it is not JSON. */
function detectJsonKind(input: DiscoveryInput): DiscoverySource | undefined {
  const data = readStructured(input.text, input.file, 'json').data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const root = data as Record<string, unknown>;
  // A plan (`terraform show -json` of a plan) or a state (`terraform show -json` of the state: `values`).
  if ('planned_values' in root || 'resource_changes' in root) return 'terraform-plan';
  if (typeof root.format_version === 'string' && typeof root.values === 'object' && root.values !== null)
    return 'terraform-plan';
  if ('AWSTemplateFormatVersion' in root || hasAwsResources(root.Resources)) return 'cloudformation';
  if (typeof root.apiVersion === 'string' && typeof root.kind === 'string') return 'kubernetes';
  if (typeof root.services === 'object' && root.services !== null && !Array.isArray(root.services)) {
    return 'docker-compose';
  }
  return undefined;
}

/** Whether a `Resources` value holds a resource whose `Type` is `AWS::...`. */
function hasAwsResources(resources: unknown): boolean {
  if (typeof resources !== 'object' || resources === null) return false;
  return Object.values(resources).some((resource: unknown) => {
    const type = typeof resource === 'object' && resource !== null ? (resource as { Type?: unknown }).Type : undefined;
    return typeof type === 'string' && type.startsWith('AWS::');
  });
}

/** Runs a reader; any error but ImportError (a bug, or the stack overflowing) becomes an ImportError naming the file. */
function guard<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw asImportError(error, file);
  }
}

/** guard for an asynchronous reader. */
async function guardAsync<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw asImportError(error, file);
  }
}

/** An error as an ImportError: itself when it is one. */
function asImportError(error: unknown, file: string): ImportError {
  if (error instanceof ImportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ImportError(`could not read the file: ${message}`, file);
}
