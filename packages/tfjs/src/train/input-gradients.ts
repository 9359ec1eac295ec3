import * as tf from '@tensorflow/tfjs-core';
import { type FeatureGroup, featureWidth } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import { fromTfjs } from '../backend/tensor-adapter.js';
import type { ThawModel } from '../model/build-model.js';
import type { ModelInput } from '../model/feature-tensors.js';

/** One input feature's gradient norm in an {@link InputGradientReport}. */
export interface FeatureGradientNorm {
  readonly feature: string;
  readonly group: FeatureGroup;
  /** Mean over the batch rows of `‖∂(Σ_t ŷ_t)/∂x_f‖₂` for this feature's embedded columns. */
  readonly meanNorm: number;
}

/**
 * Gradients of the predictions w.r.t. each input feature's embedding (paper Fig 2b, 6b): how much
 * each feature moves the model's output.
 */
export interface InputGradientReport {
  /** Per feature, in spec order. */
  readonly features: readonly FeatureGradientNorm[];
  /** Mean of `meanNorm` over the historical features; `NaN` when the spec has none. */
  readonly historical: number;
  /** Mean of `meanNorm` over the non-historical features; `NaN` when the spec has none. */
  readonly nonHistorical: number;
  /**
   * `nonHistorical / historical` — the ratio Fig 2b/6b plots (below 1: historical dominates);
   * `NaN` when a group is empty, `Infinity` when only the historical gradients are all 0.
   */
  readonly ratio: number;
  /** The raw per-row gradients `[N, width]` by feature, when asked for (`raw: true`). */
  readonly gradients?: Readonly<Record<string, Tensor>>;
}

/**
 * The gradient of the summed predicted probabilities `Σ_{i,t} ŷ_it` w.r.t. each feature's
 * embedded input (the dense values after normalisation, or the looked-up embedding rows), reduced
 * to per-feature mean row l2 norms. Since rows are independent in the forward, row `i` of the
 * gradient is `∂(Σ_t ŷ_it)/∂x_i`.
 *
 * Edge cases follow `gradientNormTracker` of `@thaw/importance`: a group with no features (e.g. a
 * spec without historical inputs) has `NaN` as its mean, and `ratio` is the plain IEEE quotient
 * `nonHistorical / historical` — `NaN` when either group is empty, `Infinity` when the historical
 * gradients are all exactly 0 and the non-historical ones are not, `NaN` for 0 / 0.
 *
 * @param raw also return the per-row gradients as host tensors.
 * @example
 * ```ts
 * const report = await inputGradients(model, batch);
 * console.log(report.ratio); // non-historical / historical
 * ```
 */
export async function inputGradients(model: ThawModel, input: ModelInput, raw = false): Promise<InputGradientReport> {
  const spec = model.spec;
  const groups: Record<FeatureGroup, { name: string; width: number }[]> = { historical: [], nonHistorical: [] };
  for (const f of spec.features) groups[f.group].push({ name: f.name, width: featureWidth(f) });
  // Differentiate only the non-empty groups: tf.grads refuses an [N, 0] input no output depends on.
  const differentiated = (['historical', 'nonHistorical'] as const).filter((g) => groups[g].length > 0);
  const result = tf.tidy(() => {
    const embedded = model.embed(input);
    const gradients = tf.grads((...xs: tf.Tensor[]) => {
      const inputs = { ...embedded };
      differentiated.forEach((g, i) => {
        inputs[g] = xs[i] as tf.Tensor;
      });
      return tf.sum(tf.sigmoid(model.predict(model.interactEmbedded(inputs))));
    })(differentiated.map((g) => embedded[g]));
    const perFeature: Record<string, tf.Tensor> = {};
    differentiated.forEach((g, i) => {
      let offset = 0;
      for (const { name, width } of groups[g]) {
        perFeature[name] = tf.slice(gradients[i] as tf.Tensor, [0, offset], [-1, width]);
        offset += width;
      }
    });
    const norms = tf.stack(spec.features.map((f) => tf.mean(tf.sqrt(tf.sum(tf.square(perFeature[f.name] as tf.Tensor), 1)))));
    return { norms, perFeature: raw ? perFeature : {} };
  });
  const values = await result.norms.data();
  const features = spec.features.map((f, i) => ({ feature: f.name, group: f.group, meanNorm: values[i] as number }));
  const mean = (group: FeatureGroup) => {
    const list = features.filter((f) => f.group === group);
    return list.length === 0 ? Number.NaN : list.reduce((s, f) => s + f.meanNorm, 0) / list.length;
  };
  const historical = mean('historical');
  const nonHistorical = mean('nonHistorical');
  let gradients: Record<string, Tensor> | undefined;
  if (raw) {
    gradients = {};
    for (const [name, g] of Object.entries(result.perFeature)) gradients[name] = await fromTfjs(g);
  }
  tf.dispose([result.norms, ...Object.values(result.perFeature)]);
  return {
    features,
    historical,
    nonHistorical,
    ratio: nonHistorical / historical,
    ...(gradients === undefined ? {} : { gradients }),
  };
}
