import type { Ops, Rng } from '@thaw/tensor';
import type { Embedded } from './embed.js';

/**
 * The Dropout baseline (DropoutNet-style; paper Table 1): `x_h` with the rows where `dropMask`
 * is 1 set to zero, as if the item had no engagement history; `x_nh` is unchanged.
 *
 * @param dropMask float `[N]`, 1 = drop this sample's historical features, 0 = keep.
 * @example
 * ```ts
 * const mask = ops.constant(historicalDropMask(rng, n, 0.5), [n]);
 * const logits = predict(ops, spec, params, interact(ops, spec, params, dropHistorical(ops, embedded, mask)));
 * ```
 */
export function dropHistorical<T>(ops: Ops<T>, embedded: Embedded<T>, dropMask: T): Embedded<T> {
  const keep = ops.sub(ops.scalar(1), ops.reshape(dropMask, [-1, 1]));
  return { historical: ops.mul(embedded.historical, keep), nonHistorical: embedded.nonHistorical };
}

/**
 * A seeded drop mask for {@link dropHistorical}: each of `size` samples is dropped (1) with
 * probability `rate`, else kept (0).
 *
 * @throws RangeError when `rate` is outside [0, 1] or `size` is not a non-negative integer.
 */
export function historicalDropMask(rng: Rng, size: number, rate: number): Float32Array {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`historicalDropMask: rate must be in [0, 1] (got ${rate})`);
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`historicalDropMask: size must be an integer ≥ 0 (got ${size})`);
  }
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = rng.uniform() < rate ? 1 : 0;
  return mask;
}
