import { getModelJsonSchema } from '@parapet/core';
import { EXIT } from '../errors.js';
import { writeTextFile, type CliIo } from '../io.js';

/** The model format's JSON Schema, as committed in schema/threatmodel.schema.json. */
export function getSchemaText(): string {
  return `${JSON.stringify(getModelJsonSchema(), null, 2)}\n`;
}

/** `parapet schema [--out file]`. */
export function runSchema(options: { out?: string | undefined }, io: CliIo): number {
  const text = getSchemaText();
  if (options.out) writeTextFile(io.cwd, options.out, text);
  else io.stdout(text);
  return EXIT.ok;
}
