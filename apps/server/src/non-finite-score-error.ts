const marker = Symbol.for('@thaw/server.NonFiniteScoreError');

/**
 * A valid request the model scores as NaN or ±Infinity (finite inputs far outside what it was
 * trained on, or utility weights whose weighted sum overflows): thaw-serve refuses it with 422
 * `{ error: 'non_finite_score', field, message }` instead of serving or failing to serialise it.
 * `field` is `candidates[i]` (the first candidate at fault) or `utility`.
 */
export class NonFiniteScoreError extends Error {
  readonly [marker] = true;
  readonly statusCode = 422;
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'NonFiniteScoreError';
    this.field = field;
  }

  /** True for any `NonFiniteScoreError`, whichever copy of the module threw it. */
  static isInstance(error: unknown): error is NonFiniteScoreError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
