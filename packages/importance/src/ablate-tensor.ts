import { createTensor, gatherRows, type Rng, sizeOf, type Tensor } from '@thaw/tensor';

/**
 * How a feature is removed: `'zero'` — zeros (for an int32 categorical feature, its
 * out-of-vocabulary row `vocabSize`, the "unknown" value); `'mean'` — the column means over the
 * frame (for int32 features, the most frequent value); `'permute'` — the rows shuffled (seeded),
 * which keeps the feature's distribution but breaks its link to the labels.
 */
export type AblationMode = 'zero' | 'mean' | 'permute';

/** A feature to ablate: a spec feature (`spec.features[i]`) or just its name and group. */
export interface AblationFeature {
  readonly name: string;
  readonly group: 'historical' | 'nonHistorical';
  /** For a categorical feature: the out-of-vocabulary row used by `'zero'`. */
  readonly vocabSize?: number;
}

type FeatureTensor = Tensor<'float32'> | Tensor<'int32'>;

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
    row.fill(mode === 'zero' ? (feature.vocabSize ?? 0) : mostFrequent(tensor.data));
  } else if (mode === 'mean') {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < width; j++) row[j] = (row[j] as number) + (tensor.data[i * width + j] as number);
    for (let j = 0; j < width; j++) row[j] = (row[j] as number) / rows;
  }
  return row;
}

/**
 * The tensor of `feature` with the feature removed by `mode`. `permutation` (a row order) is
 * used by `'permute'`.
 */
export function ablateTensor(
  tensor: FeatureTensor,
  feature: AblationFeature,
  mode: AblationMode,
  permutation: ArrayLike<number> | undefined,
): FeatureTensor {
  const rows = tensor.shape[0] ?? 1;
  if (mode === 'permute') {
    if (permutation === undefined) throw new TypeError('ablateTensor: permute needs a permutation');
    return gatherRows(tensor as Tensor<'float32'>, permutation) as FeatureTensor;
  }
  const row = constantRow(tensor, rows, feature, mode);
  const data = tensor.dtype === 'int32' ? new Int32Array(sizeOf(tensor.shape)) : new Float32Array(sizeOf(tensor.shape));
  for (let i = 0; i < rows; i++) data.set(row, i * row.length);
  return createTensor(tensor.dtype, data as never, tensor.shape) as FeatureTensor;
}

/** A seeded random row order of `rows` rows. */
export function randomPermutation(rows: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  return rng.shuffle(order);
}
