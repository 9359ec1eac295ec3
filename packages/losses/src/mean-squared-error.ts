import type { Ops } from '@thaw/tensor';
import type { LossWeightOptions } from './binary-cross-entropy.js';
import { assertSameShape } from './shape-checks.js';
import { weightedMean } from './weighted-mean.js';

/**
 * Mean squared error, `mean(w ⊙ (prediction − label)²)` over all elements.
 *
 * For a task declared `loss: 'mse'` in the spec, thaw applies it to `σ(logit)` (see
 * {@link multiTaskLoss}); here `predictions` are taken as they are.
 *
 * @param ops the backend.
 * @param labels targets, any shape.
 * @param predictions the shape of `labels`, in the labels' units.
 * @param options optional `weights` (`[N, 1]` per row, `[T]` per task, `[N, T]` per element).
 * @returns a scalar, in squared label units.
 * @throws ShapeError when `predictions` or `weights` do not fit `labels`.
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * meanSquaredError(r, r.constant([1, 0], [2]), r.constant([0.5, 0.5], [2])).data[0]; // 0.25
 * ```
 */
export function meanSquaredError<T>(ops: Ops<T>, labels: T, predictions: T, options: LossWeightOptions<T> = {}): T {
  assertSameShape(ops, labels, predictions, 'meanSquaredError', 'labels', 'predictions');
  return weightedMean(ops, ops.square(ops.sub(predictions, labels)), options.weights, 'meanSquaredError');
}
