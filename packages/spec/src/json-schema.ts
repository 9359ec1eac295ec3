import { z } from 'zod';
import { modelSpecSchema } from './schema.js';

/**
 * The JSON Schema (draft 2020-12) of what a spec author writes, for editors: point `"$schema"`
 * at `@thaw/spec/schema.json` (written at build) or call this.
 */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(modelSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'thaw model spec v1', $id: 'https://thaw.dev/schema/spec-v1.json' };
}
