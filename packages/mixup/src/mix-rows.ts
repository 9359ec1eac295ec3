import { formatShape, type Ops, ShapeError } from '@thaw/tensor';
import type { MixupPlan } from './mixup-plan.js';

/**
 * Mixes the rows of `x` by a {@link MixupPlan}: `λ·x + (1 − λ)·gather(x, partner)` (eq 7), with
 * `λ` a scalar or, for a per-sample plan, a `[N, 1, …]` column.
 *
 * The partner rows come from `ops.gather` with constant int32 indices, so on tfjs the result is
 * differentiable with respect to `x` (gather's gradient scatters back to the partner rows) — the
 * mixed representation trains the layers below the mixing point. Works for any rank ≥ 1 whose
 * axis 0 is the batch: representations `[N, d]` at any layer, labels `[N, T]`.
 *
 * @param ops the backend.
 * @param x `[N, …]` floats.
 * @param plan from {@link createMixupPlan} (or your own: a derangement and λ ∈ [0, 1]).
 * @returns a tensor of the shape of `x`.
 * @throws ShapeError when `x`'s batch extent differs from the plan's; RangeError for a per-sample
 * λ of the wrong length.
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * const plan = { partner: Int32Array.from([1, 0]), lambda: 0.75 };
 * mixRows(r, r.constant([1, 0, 0, 1], [2, 2]), plan).data; // [0.75, 0.25, 0.25, 0.75]
 * ```
 */
export function mixRows<T>(ops: Ops<T>, x: T, plan: MixupPlan): T {
  return rowMixer(ops, plan, 'mixRows')(x, 'x');
}

/**
 * A function mixing any `[N, …]` tensor by one plan (internal): the partner indices and λ
 * constants are made once and shared by every tensor mixed with the plan.
 */
export function rowMixer<T>(ops: Ops<T>, plan: MixupPlan, fn: string): (x: T, name: string) => T {
  const n = plan.partner.length;
  const { lambda } = plan;
  if (typeof lambda !== 'number' && lambda.length !== n) {
    throw new RangeError(`${fn}: plan.lambda has ${lambda.length} values but plan.partner has ${n}; give one λ per sample`);
  }
  const indices = ops.constant(plan.partner, [n], 'int32');
  const weights = new Map<number, { self: T; other: T }>();
  const weightsFor = (rank: number) => {
    let w = weights.get(rank);
    if (w === undefined) {
      if (typeof lambda === 'number') w = { self: ops.scalar(lambda), other: ops.scalar(1 - lambda) };
      else {
        const shape = [n, ...new Array<number>(rank - 1).fill(1)];
        w = {
          self: ops.constant(lambda, shape),
          other: ops.constant(
            Float64Array.from(lambda, (l) => 1 - l),
            shape,
          ),
        };
      }
      weights.set(rank, w);
    }
    return w;
  };
  return (x, name) => {
    const shape = ops.shape(x);
    const rows = shape[0];
    if (rows === undefined || (rows !== n && rows !== -1)) {
      throw new ShapeError(`${fn}: ${name} must have the plan's batch of ${n} rows on axis 0 (got shape ${formatShape(shape)})`, {
        name,
        actual: shape,
        expected: [n, ...shape.slice(1)],
      });
    }
    const w = weightsFor(shape.length);
    return ops.add(ops.mul(x, w.self), ops.mul(ops.gather(x, indices), w.other));
  };
}
