const marker = Symbol.for('@thaw/spec.SpecValidationError');

/** One problem found in a spec: where, what was found, and what is allowed. */
export interface SpecIssue {
  /** JSON path in dotted/bracket form, e.g. `features[3].vocabSize`; `''` for the document itself. */
  readonly path: string;
  /** The full sentence, e.g. `features[3].vocabSize must be an integer ≥ 1 (got 0)`. */
  readonly message: string;
}

/**
 * Thrown by `validateSpec` with every problem of a spec at once, one per line.
 *
 * Use {@link SpecValidationError.isInstance} rather than `instanceof` (it also recognises errors
 * from another installed copy of `@thaw/spec`).
 */
export class SpecValidationError extends Error {
  readonly [marker] = true;
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[], source?: string) {
    const where = source ? ` in ${source}` : '';
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`invalid thaw model spec${where} (${count}):\n${issues.map((i) => `  - ${i.message}`).join('\n')}`);
    this.name = 'SpecValidationError';
    this.issues = issues;
  }

  /** True for any `SpecValidationError`, whichever copy of the package threw it. */
  static isInstance(error: unknown): error is SpecValidationError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
