import type { FeatureSpec, ModelSpec } from '@thaw/spec';
import type { Ops, Rng } from '@thaw/tensor';
import { historicalBlocks } from './aldi.js';
import { type Embedded, featureColumns } from './embed.js';
import type { Params } from './params.js';

/**
 * The Dropout baseline (DropoutNet-style; paper Table 1) with the values a cold item actually
 * has: on rows where `dropMask` is 1, each **item-side** historical feature of `x_h` takes its
 * cold value — a dense one the spec's `fill` (what a new item is served with: thaw-train sets it
 * to the mean over training rows whose item had no history yet), normalised and clipped exactly
 * as `embed` treats a real input; an id or categorical one a zero vector (the expected value of
 * an embedding row no history has trained: rows start N(0, 0.05²)). User-side historical
 * features (the user's own history does not change when the item is new) and `x_nh` are kept.
 * Zeroing the whole normalised `x_h` instead would show the model the *training mean* of every
 * historical input, which is not what a cold item looks like.
 *
 * @param dropMask float `[N]`, 1 = show this sample as a cold item, 0 = keep.
 * @throws TypeError when a dense item-side historical feature has no `fill` (compute it from the
 * training rows first, e.g. thaw-train's training stats).
 * @example
 * ```ts
 * const mask = ops.constant(historicalDropMask(rng, n, 0.25), [n]);
 * const dropped = dropToColdValues(ops, spec, params, embed(ops, spec, params, features), mask);
 * const logits = predict(ops, spec, params, interact(ops, spec, params, dropped));
 * ```
 */
export function dropToColdValues<T>(
  ops: Ops<T>,
  spec: ModelSpec,
  params: Params<T>,
  embedded: Embedded<T>,
  dropMask: T,
): Embedded<T> {
  const byName = new Map<string, FeatureSpec>(spec.features.map((f) => [f.name, f]));
  const m = ops.reshape(dropMask, [-1, 1]);
  const keep = ops.sub(ops.scalar(1), m);
  const parts = historicalBlocks(spec).map((block) => {
    const own = ops.slice(embedded.historical, [0, block.offset], [-1, block.width]);
    if (!block.itemSide) return own;
    const feature = byName.get(block.feature) as FeatureSpec;
    if (feature.kind !== 'dense') return ops.mul(own, keep);
    if (feature.fill === undefined) {
      throw new TypeError(
        `dropToColdValues: historical item feature '${feature.name}' has no fill, the value a cold item has; ` +
          'set it from the training rows whose item had no history (thaw-train does this in spec.json)',
      );
    }
    const cold = featureColumns(ops, params, feature, ops.constant(feature.fill, [1, feature.dim]));
    return ops.add(ops.mul(m, cold), ops.mul(keep, own));
  });
  if (parts.length === 0) return embedded;
  const historical = parts.length === 1 ? (parts[0] as T) : ops.concat(parts, 1);
  return { historical, nonHistorical: embedded.nonHistorical };
}

/**
 * A seeded drop mask for {@link dropToColdValues}: each of `size` samples is dropped (1) with
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
