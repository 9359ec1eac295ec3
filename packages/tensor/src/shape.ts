import { ShapeError } from './shape-error.js';

/** A tensor shape: one non-negative integer extent per axis, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** Formats a shape the way error messages print it: `[512, 240]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Number of elements of a tensor of this shape (1 for a scalar).
 *
 * @throws TypeError when an extent is not a non-negative integer.
 * @example `sizeOf([2, 3]) === 6`
 */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (let axis = 0; axis < shape.length; axis++) {
    const extent = shape[axis] as number;
    if (!Number.isInteger(extent) || extent < 0) {
      throw new TypeError(
        `sizeOf: shape${formatShape(shape)} has extent ${extent} at axis ${axis}; extents must be integers ≥ 0`,
      );
    }
    size *= extent;
  }
  return size;
}

/**
 * Row-major strides: how many elements to skip to step once along each axis.
 *
 * @example `stridesOf([2, 3, 4])` is `[12, 4, 1]`.
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis] as number;
  }
  return strides;
}

/** True when both shapes have the same rank and extents. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((extent, axis) => extent === b[axis]);
}

/**
 * Asserts that `actual` matches `expected`, where `expected` may hold `null` for "any extent".
 *
 * @param name what the tensor is, for the message (`'batch.features.price'`).
 * @throws ShapeError naming the tensor, both shapes and the first axis that differs.
 * @example
 * ```ts
 * assertShape(logits.shape, [null, 3], 'logits'); // any batch size, 3 tasks
 * ```
 */
export function assertShape(actual: Shape, expected: readonly (number | null)[], name: string): void {
  const printable = `[${expected.map((e) => (e === null ? '*' : String(e))).join(', ')}]`;
  if (actual.length !== expected.length) {
    throw new ShapeError(
      `${name} must have rank ${expected.length} with shape ${printable} (got shape ${formatShape(actual)}, rank ${actual.length})`,
      { name, actual, expected },
    );
  }
  for (let axis = 0; axis < expected.length; axis++) {
    const want = expected[axis];
    if (want !== null && want !== actual[axis]) {
      throw new ShapeError(
        `${name} must have shape ${printable} (got ${formatShape(actual)}: axis ${axis} is ${actual[axis]}, expected ${want})`,
        { name, actual, expected },
      );
    }
  }
}
