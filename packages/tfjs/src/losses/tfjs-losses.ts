import type * as tf from '@tensorflow/tfjs-core';
import {
  binaryCrossEntropyWithLogits,
  type LossWeightOptions,
  meanSquaredError,
  type ScoreRegOptions,
  scoreRegLoss,
  type WarmerObjectiveInputs,
  type WarmerObjectiveTerms,
  warmerObjective,
} from '@thaw/losses';
import { type ManifoldMixupResult, type MixupOptions, manifoldMixup } from '@thaw/mixup';
import { tfjsOps } from '../backend/tfjs-ops.js';

/**
 * `binaryCrossEntropyWithLogits` of `@thaw/losses` on tfjs tensors (eq 11's `L_BCE`; stable, soft
 * labels allowed) — for users training their own tfjs model. Differentiable with tfjs autodiff.
 *
 * @example `const loss = tfBinaryCrossEntropyWithLogits(labels, logits);`
 */
export function tfBinaryCrossEntropyWithLogits(
  labels: tf.Tensor,
  logits: tf.Tensor,
  options?: LossWeightOptions<tf.Tensor>,
): tf.Tensor {
  return binaryCrossEntropyWithLogits(tfjsOps, labels, logits, options);
}

/** `meanSquaredError` of `@thaw/losses` on tfjs tensors. */
export function tfMeanSquaredError(labels: tf.Tensor, predictions: tf.Tensor, options?: LossWeightOptions<tf.Tensor>): tf.Tensor {
  return meanSquaredError(tfjsOps, labels, predictions, options);
}

/**
 * ScoreReg (eq 6, or the RBF-kernel MMD of eq 5) of `@thaw/losses` on tfjs tensors: `probs`
 * `[N, T]`, `isCold` `[N]`.
 *
 * @example `const reg = tfScoreRegLoss(tf.sigmoid(logits), isCold);`
 */
export function tfScoreRegLoss(probs: tf.Tensor, isCold: tf.Tensor, options?: ScoreRegOptions<tf.Tensor>): tf.Tensor {
  return scoreRegLoss(tfjsOps, probs, isCold, options);
}

/**
 * The Warmer-for-Less objective (eq 10/11) of `@thaw/losses` on tfjs tensors; returns the total
 * and each term.
 *
 * @example
 * ```ts
 * const { total } = tfWarmerObjective({ labels, logits, mixedLabels, mixedLogits, isCold });
 * ```
 */
export function tfWarmerObjective(inputs: WarmerObjectiveInputs<tf.Tensor>): WarmerObjectiveTerms<tf.Tensor> {
  return warmerObjective(tfjsOps, inputs);
}

/**
 * Manifold mixup (eq 7) of `@thaw/mixup` on a tfjs representation `z` `[N, d]` and labels `y`.
 *
 * @example
 * ```ts
 * const { zMixed, yMixed } = tfManifoldMixup(zBar, labels, { alpha: 0.4, rng: createRng(1) });
 * ```
 */
export function tfManifoldMixup(z: tf.Tensor, y: tf.Tensor, options: MixupOptions): ManifoldMixupResult<tf.Tensor> {
  return manifoldMixup(tfjsOps, z, y, options);
}
