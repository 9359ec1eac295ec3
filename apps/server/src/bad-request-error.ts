const marker = Symbol.for('@thaw/server.BadRequestError');

/**
 * A request thaw-serve refuses with 400: `field` is the JSON path of the offending value
 * (`candidates[3].features.item_content`, or `body` for the body as a whole); the message says
 * what is wrong and what was got.
 *
 * @example `new BadRequestError('topK', 'must be an integer ≥ 1 (got 0)')` → 400
 * `{ error: 'bad_request', field: 'topK', message: 'topK must be an integer ≥ 1 (got 0)' }`
 */
export class BadRequestError extends Error {
  readonly [marker] = true;
  readonly statusCode = 400;
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'BadRequestError';
    this.field = field;
  }

  /** True for any `BadRequestError`, whichever copy of the module threw it. */
  static isInstance(error: unknown): error is BadRequestError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
