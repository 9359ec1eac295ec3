import type * as tf from '@tensorflow/tfjs-core';
import { featuresOnBackend } from '@thaw/model';
import type { FeatureBatch, ModelSpec } from '@thaw/spec';
import { isTensor } from '@thaw/tensor';
import { tfjsOps } from '../backend/tfjs-ops.js';

/** Model inputs as tfjs tensors, one per spec feature: dense float32 `[N, dim]`, categorical/id int32 `[N]`. */
export type TfjsFeatures = Readonly<Record<string, tf.Tensor>>;

/** A {@link FeatureBatch} (host typed arrays, e.g. from `@thaw/data`) or features already on tfjs. */
export type ModelInput = FeatureBatch | TfjsFeatures;

/** True when `input` is a host {@link FeatureBatch} rather than a record of tfjs tensors. */
export function isFeatureBatch(input: ModelInput): input is FeatureBatch {
  const features = (input as FeatureBatch).features;
  return typeof features === 'object' && features !== null && typeof (input as FeatureBatch).size === 'number';
}

/**
 * The model inputs of `input` as tfjs tensors (uploads a {@link FeatureBatch}; passes a record of
 * tfjs tensors through). Created tensors belong to the caller: call it inside `tf.tidy`.
 *
 * @throws TypeError naming the feature when the batch lacks one or has the wrong dtype.
 * @example
 * ```ts
 * const logits = tf.tidy(() => model.predict(model.interact(featureTensors(spec, batch))));
 * ```
 */
export function featureTensors(spec: ModelSpec, input: ModelInput): TfjsFeatures {
  if (!isFeatureBatch(input)) return input;
  for (const [name, t] of Object.entries(input.features)) {
    if (!isTensor(t)) throw new TypeError(`featureTensors: batch.features['${name}'] is not a thaw Tensor (dtype, shape, data)`);
  }
  return featuresOnBackend(tfjsOps, spec, input);
}
