import type { FeatureBatch, FeatureSpec, ModelSpec } from '@thaw/spec';
import { formatShape, type Ops, ShapeError } from '@thaw/tensor';
import { type Params, param } from './params.js';

const article = (kind: FeatureSpec['kind']) => (kind === 'id' ? 'an' : 'a');

/**
 * The embedded inputs of a batch (paper §3.1): `x_h` `[N, d_h]`, the historical features
 * concatenated in spec order, and `x_nh` `[N, d_nh]`, the non-historical ones. A group without
 * features is a zero-width `[N, 0]` tensor.
 */
export interface Embedded<T> {
  /** `x_h` `[N, d_h]`: engagement-derived inputs (ids, counts, CTRs, user sequence). */
  readonly historical: T;
  /** `x_nh` `[N, d_nh]`: content/attribute inputs. */
  readonly nonHistorical: T;
}

function checkShape(shape: readonly number[], expected: readonly number[], feature: FeatureSpec): void {
  const ok = shape.length === expected.length && shape.every((e, i) => i === 0 || e === expected[i]);
  if (!ok) {
    const what = feature.kind === 'dense' ? `float [N, ${feature.dim}]` : 'int32 [N] row indices';
    throw new ShapeError(
      `embed: features['${feature.name}'] must be ${what} for ${article(feature.kind)} ${feature.kind} feature (got shape ${formatShape(shape)})`,
      { name: `features['${feature.name}']`, actual: shape, expected: expected.map((e) => (e < 0 ? null : e)) },
    );
  }
}

/** One feature's input as model columns: normalised dense values or embedding rows (internal; `embed` and Dropout's cold values). */
export function featureColumns<T>(ops: Ops<T>, params: Params<T>, feature: FeatureSpec, input: T): T {
  const shape = ops.shape(input);
  if (feature.kind === 'dense') {
    checkShape(shape, [-1, feature.dim], feature);
    if (!feature.stats) return input;
    const mean = ops.constant(feature.stats.mean, [feature.dim]);
    const std = ops.constant(feature.stats.std, [feature.dim]);
    const z = ops.div(ops.sub(input, mean), std);
    const clip = feature.stats.clip;
    if (clip === undefined) return z;
    // clip(z, −c, c) = −max(−max(z, −c), −c): only maximum and neg, so every backend has it.
    const bound = ops.scalar(-clip);
    return ops.neg(ops.maximum(ops.neg(ops.maximum(z, bound)), bound));
  }
  checkShape(shape, [-1], feature);
  return ops.gather(param(params, `embedding.${feature.name}`), input);
}

/**
 * Turns raw inputs into `x_h` and `x_nh` (paper §3.1): dense features are normalised with the
 * spec's `stats` as `(x − mean) / std` when present (raw otherwise), clipped to `[−clip, clip]` when
 * `stats.clip` is set; categorical and id features
 * look up rows of `embedding.<name>` (a categorical's row `vocabSize` is out-of-vocabulary).
 *
 * @param features one tensor per spec feature, laid out as `FeatureBatch` says: dense float
 *   `[N, dim]`, categorical/id int32 `[N]`. Extra entries are ignored.
 * @throws TypeError naming the feature when one is missing; ShapeError when one has the wrong shape.
 * @example
 * ```ts
 * const { historical, nonHistorical } = embed(ops, spec, params, featuresOnBackend(ops, spec, batch));
 * ```
 */
export function embed<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, features: Readonly<Record<string, T>>): Embedded<T> {
  const parts: Record<'historical' | 'nonHistorical', T[]> = { historical: [], nonHistorical: [] };
  for (const feature of spec.features) {
    const input = features[feature.name];
    if (input === undefined) {
      throw new TypeError(
        `embed: features['${feature.name}'] is missing; pass one tensor per spec feature (${spec.features.map((f) => f.name).join(', ')})`,
      );
    }
    parts[feature.group].push(featureColumns(ops, params, feature, input));
  }
  const join = (list: T[], other: T[]): T => {
    if (list.length === 1) return list[0] as T;
    if (list.length > 1) return ops.concat(list, 1);
    // An empty group: a zero-width [N, 0] block cut from the other group, so N stays symbolic.
    const source = other[0] as T;
    return ops.slice(source, [0, 0], [-1, 0]);
  };
  return { historical: join(parts.historical, parts.nonHistorical), nonHistorical: join(parts.nonHistorical, parts.historical) };
}

/**
 * A `FeatureBatch`'s features as constants of a backend (dense as float, categorical/id as int32),
 * ready for {@link embed} / {@link forward}.
 *
 * @throws TypeError naming the feature when the batch lacks one or has the wrong dtype.
 */
export function featuresOnBackend<T>(ops: Ops<T>, spec: ModelSpec, batch: FeatureBatch): Record<string, T> {
  const out: Record<string, T> = {};
  for (const feature of spec.features) {
    const tensor = batch.features[feature.name];
    if (tensor === undefined) {
      throw new TypeError(
        `featuresOnBackend: batch.features['${feature.name}'] is missing; give one tensor per spec feature (${spec.features.map((f) => f.name).join(', ')})`,
      );
    }
    const dtype = feature.kind === 'dense' ? 'float32' : 'int32';
    if (tensor.dtype !== dtype) {
      throw new TypeError(
        `featuresOnBackend: batch.features['${feature.name}'] must be ${dtype} for ${article(feature.kind)} ${feature.kind} feature (got ${tensor.dtype})`,
      );
    }
    out[feature.name] = ops.constant(tensor.data, tensor.shape, dtype);
  }
  return out;
}
