import { formatShape, type Ops, ShapeError } from '@thaw/tensor';

/**
 * Shape checks shared by the losses (internal). An extent of `-1` (a symbolic batch axis on the
 * ONNX builder) matches anything, so the checks never need a host read of tensor values.
 */

const agree = (a: number, b: number) => a === b || a === -1 || b === -1;

/** Throws a ShapeError unless `x` has rank `rank`. */
export function assertRank<T>(ops: Ops<T>, x: T, rank: number, fn: string, name: string, layout: string): readonly number[] {
  const shape = ops.shape(x);
  if (shape.length !== rank) {
    throw new ShapeError(`${fn}: ${name} must be ${layout} (got shape ${formatShape(shape)})`, {
      name,
      actual: shape,
      expected: new Array<null>(rank).fill(null),
    });
  }
  return shape;
}

/** Throws a ShapeError unless `a` and `b` have the same shape. */
export function assertSameShape<T>(ops: Ops<T>, a: T, b: T, fn: string, nameA: string, nameB: string): readonly number[] {
  const sa = ops.shape(a);
  const sb = ops.shape(b);
  if (sa.length !== sb.length || !sa.every((e, i) => agree(e, sb[i] as number))) {
    throw new ShapeError(`${fn}: ${nameB} must have the shape of ${nameA} ${formatShape(sa)} (got ${formatShape(sb)})`, {
      name: nameB,
      actual: sb,
      expected: sa,
    });
  }
  return sa;
}

/**
 * Throws a ShapeError unless `weights` broadcasts to `target` without growing it (NumPy rules,
 * aligned from the right: each extent equal to the target's or 1).
 */
export function assertWeightsFit<T>(ops: Ops<T>, weights: T, target: readonly number[], fn: string): void {
  const sw = ops.shape(weights);
  const offset = target.length - sw.length;
  const fits = offset >= 0 && sw.every((e, i) => e === 1 || agree(e, target[offset + i] as number));
  if (!fits) {
    const perRow =
      target.length === 2 ? `; per-row weights are [N, 1] = [${target[0]}, 1], per-task weights [T] = [${target[1]}]` : '';
    throw new ShapeError(
      `${fn}: options.weights of shape ${formatShape(sw)} does not broadcast to the loss shape ${formatShape(target)}${perRow}`,
      { name: 'weights', actual: sw, expected: target },
    );
  }
}

/** Throws a RangeError unless `value` is a finite number ≥ 0. */
export function assertNonNegative(value: number, fn: string, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${fn}: ${name} must be a finite number ≥ 0 (got ${String(value)})`);
  }
}
