import type { Ops } from '@thaw/tensor';
import { assertSameShape } from './shape-checks.js';
import { softplus } from './softplus.js';
import { weightedMean } from './weighted-mean.js';

/** Options of {@link binaryCrossEntropyWithLogits} and {@link meanSquaredError}. */
export interface LossWeightOptions<T> {
  /**
   * Element weights, broadcast against the loss elements with NumPy rules: `[N, 1]` per row,
   * `[T]` per task, `[N, T]` per element. The result is `mean(w ⊙ loss)` over all elements
   * (PyTorch's `reduction='mean'` with a weight), not renormalised by `Σw`.
   */
  readonly weights?: T;
}

/**
 * Element-wise binary cross-entropy from logits, `softplus(x) − x·y`, before any reduction.
 *
 * Equal to `−y·log σ(x) − (1 − y)·log(1 − σ(x))` and to the stable form
 * `max(x, 0) − x·y + log(1 + e^(−|x|))`; finite for any finite logit (see {@link softplus} for
 * why its gradient `σ(x) − y` is exact even at `x = 0`). Soft labels `y ∈ [0, 1]` (mixup, eq 7)
 * are allowed.
 *
 * @param labels targets, any shape; 0/1 or soft.
 * @param logits pre-sigmoid scores, the shape of `labels`.
 * @returns a tensor of the shape of `labels`, in nats.
 */
export function binaryCrossEntropyElements<T>(ops: Ops<T>, labels: T, logits: T): T {
  assertSameShape(ops, labels, logits, 'binaryCrossEntropyWithLogits', 'labels', 'logits');
  return ops.sub(softplus(ops, logits), ops.mul(logits, labels));
}

/**
 * Binary cross-entropy from logits, mean over all elements: the `L_BCE` of eq 11 (and of the
 * mixup term with soft labels, eq 9).
 *
 * Numerically stable: at `|logit| = 100` the loss is `100` or `~0`, never `log(0)`. With `[N, T]`
 * inputs it is the mean over samples **and** tasks, like PyTorch's `BCEWithLogitsLoss()`.
 *
 * @param ops the backend (tfjs, reference, ONNX builder).
 * @param labels targets `[N, T]` (any shape), 0/1 or soft labels in [0, 1].
 * @param logits pre-sigmoid scores, the shape of `labels`.
 * @param options optional `weights` (see {@link LossWeightOptions}).
 * @returns a scalar, in nats per element.
 * @throws ShapeError when `logits` or `weights` do not fit `labels`.
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * const loss = binaryCrossEntropyWithLogits(r, r.constant([1, 0], [2, 1]), r.constant([0, 0], [2, 1]));
 * loss.data[0]; // ln 2 ≈ 0.6931
 * ```
 */
export function binaryCrossEntropyWithLogits<T>(ops: Ops<T>, labels: T, logits: T, options: LossWeightOptions<T> = {}): T {
  return weightedMean(ops, binaryCrossEntropyElements(ops, labels, logits), options.weights, 'binaryCrossEntropyWithLogits');
}
