import { type MatrixInput, prAuc, taskColumns } from '@thaw/metrics';
import { type FeatureBatch, type FeatureGroup, hashToBucket } from '@thaw/spec';
import { createRng, isTensor, type Tensor } from '@thaw/tensor';
import { type AblationFeature, type AblationMode, ablateTensor, permutesFeature, randomPermutation } from './ablate-tensor.js';

/** The model under study: predicted probabilities `[N, T]` for a batch (sync or async). */
export type PredictFn = (batch: FeatureBatch) => MatrixInput | Promise<MatrixInput>;

/** A quality metric of one task's predictions, higher = better (default `prAuc`). */
export type AblationMetric = (labels: Float64Array, predictions: Float64Array) => number;

/** Options of {@link featureAblation}. */
export interface FeatureAblationOptions {
  /**
   * The features to ablate: pass `spec.features` (name, group, and the kind, `vocabSize` and
   * `stats` that tell `'zero'` what "absent" means for each).
   */
  readonly features: readonly AblationFeature[];
  /** 0/1 labels `[N, T]`; default `frame.labels`. */
  readonly labels?: MatrixInput;
  /** How a feature is removed (default `'zero'`); `id` features are permuted in every mode. */
  readonly mode?: AblationMode;
  /** Metric per task (default `prAuc`, the paper's ΔPR-AUC). */
  readonly metric?: AblationMetric;
  /** Seed of the permutations (default 0). */
  readonly seed?: number;
  /** `'permute'` only: permutations averaged per ablation (default 1). */
  readonly repeats?: number;
}

/** The effect of removing one feature, or one group of features, per task. */
export interface AblationEffect {
  /** The feature's name, or the group's name. */
  readonly name: string;
  readonly group: FeatureGroup;
  /** The features removed together (one for a single feature). */
  readonly removed: readonly string[];
  /** Metric per task with the features removed. */
  readonly ablated: readonly number[];
  /** `ablated − intact` per task: negative when the features helped (Fig 6a). */
  readonly delta: readonly number[];
}

/** What {@link featureAblation} measured. */
export interface FeatureAblationResult {
  readonly mode: AblationMode;
  /** Metric per task of the intact predictions (computed once, reused by every ablation). */
  readonly intact: readonly number[];
  /** One effect per feature, in `options.features` order. */
  readonly features: readonly AblationEffect[];
  /** The effect of removing every historical / every non-historical feature at once. */
  readonly groups: { readonly historical: AblationEffect; readonly nonHistorical: AblationEffect };
  /**
   * Per task, `groups.nonHistorical.delta / groups.historical.delta` — the ΔPR-AUC ratio of Fig 2a
   * (×100 for %); below 1 when the model leans on historical features. `NaN` when a group is empty.
   */
  readonly ratio: readonly number[];
  /** Calls made to `predictFn` (1 intact + one per ablation and repeat). */
  readonly predictCalls: number;
}

const GROUPS: readonly FeatureGroup[] = ['historical', 'nonHistorical'];

/**
 * Refuses, before any prediction, a feature whose replacement under `'zero'`/`'mean'` is unknown
 * (an int32 column that may be an id) or mis-sized.
 */
function checkRemoval(tensor: Tensor, feature: AblationFeature, i: number, mode: AblationMode): void {
  if (permutesFeature(feature, mode)) return;
  const where = `featureAblation: options.features[${i}] '${feature.name}'`;
  if (tensor.dtype === 'int32' && feature.kind !== 'categorical' && feature.vocabSize === undefined) {
    throw new RangeError(
      `${where} is an int32 column with neither vocabSize (categorical) nor kind 'id' (permuted in every mode); pass spec.features, or use mode 'permute'`,
    );
  }
  if (tensor.dtype === 'int32' && mode === 'zero' && feature.vocabSize === undefined) {
    throw new RangeError(`${where} is categorical without vocabSize, so 'zero' has no out-of-vocabulary row; pass spec.features`);
  }
  const width = tensor.shape.slice(1).reduce((n, e) => n * e, 1);
  if (tensor.dtype !== 'int32' && feature.stats !== undefined && feature.stats.mean.length !== width) {
    throw new RangeError(
      `${where}: stats.mean has ${feature.stats.mean.length} values but the column is ${width} wide; pass the spec the frame was built for`,
    );
  }
}

function validate(frame: FeatureBatch, options: FeatureAblationOptions): void {
  if (!Array.isArray(options?.features) || options.features.length === 0) {
    throw new TypeError('featureAblation: options.features must list the features to ablate (pass spec.features)');
  }
  const seen = new Set<string>();
  options.features.forEach((feature, i) => {
    if (!isTensor(frame.features[feature.name])) {
      throw new RangeError(
        `featureAblation: options.features[${i}] '${feature.name}' is not in the frame (frame features: ${Object.keys(frame.features).join(', ')})`,
      );
    }
    if (!GROUPS.includes(feature.group)) {
      throw new TypeError(
        `featureAblation: options.features[${i}].group must be 'historical' or 'nonHistorical' (got ${String(feature.group)})`,
      );
    }
    if (seen.has(feature.name)) throw new RangeError(`featureAblation: options.features lists '${feature.name}' twice`);
    seen.add(feature.name);
  });
  const mode = options.mode ?? 'zero';
  if (mode !== 'zero' && mode !== 'mean' && mode !== 'permute') {
    throw new TypeError(`featureAblation: options.mode must be 'zero', 'mean' or 'permute' (got ${String(mode)})`);
  }
  for (const [i, feature] of options.features.entries()) checkRemoval(frame.features[feature.name] as Tensor, feature, i, mode);
  const repeats = options.repeats ?? 1;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new RangeError(`featureAblation: options.repeats must be an integer ≥ 1 (got ${repeats})`);
  if (repeats > 1 && mode !== 'permute') {
    throw new RangeError(`featureAblation: options.repeats applies to mode 'permute' only (got ${repeats} with '${mode}')`);
  }
}

/**
 * Feature ablation (the paper's ΔPR-AUC analysis, Fig 2a and 6a): removes each feature — and
 * each whole group, historical and non-historical — from the frame, re-predicts, and reports
 * `metric(ablated) − metric(intact)` per task, plus the Fig 2a ratio
 * `Δ(all non-historical removed) / Δ(all historical removed)`.
 *
 * What "removed" means is {@link AblationMode}: with the default `'zero'` each feature takes the
 * value the model reads as absent — a dense feature its `stats.mean` (0 after normalisation), a
 * categorical one its out-of-vocabulary row. An `id` feature has no such value (every bucket is a
 * real item, bucket 0 included), so it is permuted in every mode.
 *
 * The intact predictions are computed once. Permutations are seeded per feature name (and
 * shared by the features of a group when the group is removed together), so a feature's result
 * does not depend on the order of `options.features`.
 *
 * @param predictFn the model: batch → probabilities `[N, T]` (tfjs, onnxruntime, anything).
 * @param frame the evaluation rows as a `FeatureBatch` (what `@thaw/data` yields), raw values as
 *   the model takes them.
 * @param options `features` (pass `spec.features`), `labels` (default `frame.labels`), `mode`,
 *   `metric`, `seed`, `repeats`.
 * @throws TypeError / RangeError naming the option at fault (e.g. an int32 column whose 'zero' value
 *   is unknown) before any prediction; errors of `predictFn` propagate.
 * @example
 * ```ts
 * const result = await featureAblation((batch) => model.predict(batch), evalBatch, { features: spec.features });
 * console.log(result.ratio[0]); // Fig 2a: ΔPR-AUC(non-historical) / ΔPR-AUC(historical)
 * ```
 */
export async function featureAblation(
  predictFn: PredictFn,
  frame: FeatureBatch,
  options: FeatureAblationOptions,
): Promise<FeatureAblationResult> {
  validate(frame, options);
  const mode = options.mode ?? 'zero';
  const metric = options.metric ?? ((y: Float64Array, p: Float64Array) => prAuc(y, p));
  const repeats = options.repeats ?? 1;
  const seed = options.seed ?? 0;
  const labelInput = options.labels ?? (frame.labels as Tensor | undefined);
  if (labelInput === undefined) {
    throw new TypeError('featureAblation: labels are required (pass options.labels, or a frame with labels)');
  }
  const labelColumns = taskColumns(labelInput, 'featureAblation: labels', frame.size);
  let predictCalls = 0;
  const score = async (batch: FeatureBatch): Promise<number[]> => {
    predictCalls++;
    const predictions = taskColumns(await predictFn(batch), 'featureAblation: predictFn output', frame.size);
    if (predictions.length !== labelColumns.length) {
      throw new RangeError(
        `featureAblation: predictFn returned ${predictions.length} tasks but labels have ${labelColumns.length}`,
      );
    }
    return predictions.map((column, t) => metric(labelColumns[t] as Float64Array, column));
  };
  const intact = await score(frame);

  const ablate = async (name: string, group: FeatureGroup, removed: readonly AblationFeature[]): Promise<AblationEffect> => {
    const rng = createRng((seed ^ hashToBucket(name, 0x7fffffff)) | 0);
    const sums = new Array<number>(intact.length).fill(0);
    for (let r = 0; r < repeats; r++) {
      const permutation = removed.some((f) => permutesFeature(f, mode)) ? randomPermutation(frame.size, rng) : undefined;
      const features = { ...frame.features };
      for (const feature of removed) {
        features[feature.name] = ablateTensor(frame.features[feature.name] as Tensor<'float32'>, feature, mode, permutation);
      }
      const values = await score({ ...frame, features });
      values.forEach((value, t) => {
        sums[t] = (sums[t] as number) + value;
      });
    }
    const ablated = sums.map((sum) => sum / repeats);
    return {
      name,
      group,
      removed: removed.map((f) => f.name),
      ablated,
      delta: ablated.map((value, t) => value - (intact[t] as number)),
    };
  };

  const features: AblationEffect[] = [];
  for (const feature of options.features) features.push(await ablate(feature.name, feature.group, [feature]));
  const groupEffect = async (group: FeatureGroup): Promise<AblationEffect> => {
    const members = options.features.filter((feature) => feature.group === group);
    if (members.length === 0)
      return { name: group, group, removed: [], ablated: intact.map(() => Number.NaN), delta: intact.map(() => Number.NaN) };
    return ablate(`group:${group}`, group, members);
  };
  const historical = await groupEffect('historical');
  const nonHistorical = await groupEffect('nonHistorical');
  const ratio = historical.delta.map((delta, t) => (nonHistorical.delta[t] as number) / delta);
  return { mode, intact, features, groups: { historical, nonHistorical }, ratio, predictCalls };
}
