import { formatIssues } from './format-issues.js';
import { describeValue } from './json-path.js';
import { modelSpecSchema } from './schema.js';
import { crossReferenceChecks, semanticChecks } from './semantic-checks.js';
import { type SpecIssue, SpecValidationError } from './spec-validation-error.js';
import type { ModelSpec } from './types.js';

/** The spec version this package reads. */
export const SPEC_VERSION = 1 as const;

/** The result of {@link safeValidateSpec}. */
export type SpecValidationResult = { success: true; spec: ModelSpec } | { success: false; issues: SpecIssue[] };

/**
 * Validates a model spec and fills its defaults, collecting every problem instead of stopping at
 * the first.
 *
 * @param json the parsed JSON document.
 * @example
 * ```ts
 * import { safeValidateSpec } from '@thaw/spec';
 * const result = safeValidateSpec({ specVersion: 1 });
 * if (!result.success) console.log(result.issues.map((i) => i.message));
 * ```
 */
export function safeValidateSpec(json: unknown): SpecValidationResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { success: false, issues: [{ path: '', message: `the spec must be a JSON object (got ${describeValue(json)})` }] };
  }
  const version = (json as { specVersion?: unknown }).specVersion;
  if (version !== SPEC_VERSION) {
    const message =
      version === undefined
        ? 'specVersion is missing: add "specVersion": 1 (the version of the thaw spec format this document follows)'
        : `specVersion ${describeValue(version)} is not supported: this version of @thaw/spec reads specVersion 1; upgrade @thaw/spec or convert the spec`;
    return { success: false, issues: [{ path: 'specVersion', message }] };
  }
  const parsed = modelSpecSchema.safeParse(json);
  if (!parsed.success) {
    return { success: false, issues: [...formatIssues(parsed.error.issues, json), ...crossReferenceChecks(json)] };
  }
  const issues = semanticChecks(parsed.data);
  return issues.length > 0 ? { success: false, issues } : { success: true, spec: parsed.data };
}

/**
 * Validates a model spec v1 and returns it typed, with defaults filled.
 *
 * @param json the parsed JSON document.
 * @param source where it came from, for the message (a file path).
 * @throws SpecValidationError listing every problem with its JSON path, the value and what is
 * allowed, e.g. `features[3].vocabSize must be an integer ≥ 1 (got 0)`.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { validateSpec } from '@thaw/spec';
 * const spec = validateSpec(JSON.parse(readFileSync('spec.json', 'utf8')), 'spec.json');
 * ```
 */
export function validateSpec(json: unknown, source?: string): ModelSpec {
  const result = safeValidateSpec(json);
  if (!result.success) throw new SpecValidationError(result.issues, source);
  return result.spec;
}
