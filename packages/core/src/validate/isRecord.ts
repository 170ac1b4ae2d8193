/** True for a plain mapping (an object that is not an array or null), as parsed YAML and JSON give them. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
