import { createTensor, gatherRows, type Rng, sizeOf, type Tensor } from '@thaw/tensor';

/**
 * How a feature is removed:
 * - `'zero'` — the feature's "absent" value, as the model sees it: a dense feature with `stats`
 *   gets `stats.mean` (0 after the model's `(x − mean) / std`), one without stats gets 0; a
 *   categorical feature gets its out-of-vocabulary row `vocabSize` (the "unknown" value);
 * - `'mean'` — the column means over the frame (for a categorical feature, its most frequent
 *   value);
 * - `'permute'` — the rows shuffled (seeded), which keeps the feature's distribution but breaks
 *   its link to the labels.
 *
 * An `id` feature (hashed into embedding buckets) has no "absent" value: every bucket, 0
 * included, is a real item's embedding, and its most frequent value is the most popular item. So
 * it is **always permuted**, whatever the mode.
 */
export type AblationMode = 'zero' | 'mean' | 'permute';

/**
 * A feature to ablate: pass a spec feature (`spec.features[i]`); only these fields are read.
 * A hand-made one needs `name` and `group`, plus `kind` (or `vocabSize`) for an int32 column
 * under `'zero'`/`'mean'`.
 */
export interface AblationFeature {
  readonly name: string;
  readonly group: 'historical' | 'nonHistorical';
  /** `'id'` features are permuted in every mode; `'categorical'` ones need `vocabSize`. */
  readonly kind?: 'dense' | 'categorical' | 'id';
  /** For a categorical feature: the out-of-vocabulary row used by `'zero'`. */
  readonly vocabSize?: number;
  /** For a dense feature the model normalises: `'zero'` writes `stats.mean` (0 once normalised). */
  readonly stats?: { readonly mean: readonly number[] };
}

type FeatureTensor = Tensor<'float32'> | Tensor<'int32'>;

/**
 * True when `feature` is removed by permuting its rows under `mode`: always for `'permute'`,
 * and for an `id` feature in every mode.
 */
export function permutesFeature(feature: AblationFeature, mode: AblationMode): boolean {
  return mode === 'permute' || feature.kind === 'id';
}

function mostFrequent(data: Int32Array): number {
  const counts = new Map<number, number>();
  let best = data[0] ?? 0;
  let bestCount = 0;
  for (const value of data) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** The values that replace a feature of `rows` rows under `'zero'` or `'mean'`. */
function constantRow(tensor: FeatureTensor, rows: number, feature: AblationFeature, mode: 'zero' | 'mean'): Float64Array {
  const width = rows === 0 ? 0 : tensor.data.length / rows;
  const row = new Float64Array(width);
  if (tensor.dtype === 'int32') {
    if (mode === 'mean') row.fill(mostFrequent(tensor.data));
    else if (feature.vocabSize !== undefined) row.fill(feature.vocabSize);
    else {
      throw new TypeError(
        `ablateTensor: '${feature.name}' is an int32 column without vocabSize, so it has no out-of-vocabulary row; pass the spec feature (categorical: vocabSize; id: kind 'id')`,
      );
    }
  } else if (mode === 'mean') {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < width; j++) row[j] = (row[j] as number) + (tensor.data[i * width + j] as number);
    for (let j = 0; j < width; j++) row[j] = (row[j] as number) / rows;
  } else if (feature.stats !== undefined) {
    row.set(feature.stats.mean);
  }
  return row;
}

/**
 * The tensor of `feature` with the feature removed as {@link AblationMode} says. `permutation`
 * (a row order) is used when {@link permutesFeature} is true.
 */
export function ablateTensor(
  tensor: FeatureTensor,
  feature: AblationFeature,
  mode: AblationMode,
  permutation: ArrayLike<number> | undefined,
): FeatureTensor {
  const rows = tensor.shape[0] ?? 1;
  if (permutesFeature(feature, mode)) {
    if (permutation === undefined) throw new TypeError(`ablateTensor: '${feature.name}' is permuted and needs a permutation`);
    return gatherRows(tensor as Tensor<'float32'>, permutation) as FeatureTensor;
  }
  const row = constantRow(tensor, rows, feature, mode as 'zero' | 'mean');
  const data = tensor.dtype === 'int32' ? new Int32Array(sizeOf(tensor.shape)) : new Float32Array(sizeOf(tensor.shape));
  for (let i = 0; i < rows; i++) data.set(row, i * row.length);
  return createTensor(tensor.dtype, data as never, tensor.shape) as FeatureTensor;
}

/** A seeded random row order of `rows` rows. */
export function randomPermutation(rows: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  return rng.shuffle(order);
}
