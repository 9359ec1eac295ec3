const marker = Symbol.for('@thaw/tensor.ShapeError');

/**
 * Thrown when a tensor's shape does not match what an operation needs.
 *
 * Carries the offending tensor's `tensorName`, its `actual` shape and the `expected` one (`null`
 * = any extent). Use {@link ShapeError.isInstance} rather than `instanceof`: it also recognises
 * errors thrown by another installed copy of `@thaw/tensor`.
 */
export class ShapeError extends Error {
  readonly [marker] = true;
  readonly tensorName: string;
  readonly actual: readonly number[];
  readonly expected: readonly (number | null)[];

  constructor(message: string, details: { name: string; actual: readonly number[]; expected: readonly (number | null)[] }) {
    super(message);
    this.name = 'ShapeError';
    this.tensorName = details.name;
    this.actual = details.actual;
    this.expected = details.expected;
  }

  /** True for any `ShapeError`, whichever copy of the package threw it. */
  static isInstance(error: unknown): error is ShapeError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
