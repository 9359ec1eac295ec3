import type { FeatureBatch, ModelSpec } from '@thaw/spec';
import { createRng, createTensor, type Tensor } from '@thaw/tensor';

/** Options of {@link randomFeatureBatch}. */
export interface RandomFeatureBatchOptions {
  /** Rows `N`. */
  readonly size: number;
  /** Seed; the same seed gives the same batch. Default 0. */
  readonly seed?: number;
  /** Probability that a row is a cold item (`isCold = 1`). Default 0.1. */
  readonly coldFraction?: number;
  /** Probability of a positive label per task. Default 0.1. */
  readonly positiveRate?: number;
}

/**
 * A batch of random inputs in the layout of a spec — dense features N(0, 1), categorical rows
 * uniform over `[0, vocabSize]` (the OOV row included), id rows uniform over `[0, buckets)`,
 * Bernoulli labels and cold flags — for smoke tests and benchmarks (it carries no signal; the
 * `ref-m` benchmark uses it as PyTorch's reference does).
 *
 * @throws RangeError when `size` is not an integer ≥ 1 or a rate is outside [0, 1].
 * @example
 * ```ts
 * import { refMSpec } from '@thaw/spec';
 * const batch = randomFeatureBatch(refMSpec, { size: 512, seed: 1 });
 * batch.features.item_id.shape; // [512]
 * ```
 */
export function randomFeatureBatch(spec: ModelSpec, options: RandomFeatureBatchOptions): FeatureBatch {
  const { size } = options;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`randomFeatureBatch: options.size must be an integer ≥ 1 (got ${size})`);
  const coldFraction = options.coldFraction ?? 0.1;
  const positiveRate = options.positiveRate ?? 0.1;
  for (const [name, p] of [
    ['coldFraction', coldFraction],
    ['positiveRate', positiveRate],
  ] as const) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`randomFeatureBatch: options.${name} must be in [0, 1] (got ${p})`);
  }
  const rng = createRng(options.seed ?? 0);
  const features: Record<string, Tensor<'float32'> | Tensor<'int32'>> = {};
  for (const f of spec.features) {
    if (f.kind === 'dense') {
      features[f.name] = createTensor(
        'float32',
        Float32Array.from({ length: size * f.dim }, () => rng.normal()),
        [size, f.dim],
      );
    } else {
      const rows = f.kind === 'categorical' ? f.vocabSize + 1 : f.buckets;
      features[f.name] = createTensor(
        'int32',
        Int32Array.from({ length: size }, () => rng.int(rows)),
        [size],
      );
    }
  }
  const tasks = spec.tasks.length;
  const labels = Float32Array.from({ length: size * tasks }, () => (rng.uniform() < positiveRate ? 1 : 0));
  const isCold = Float32Array.from({ length: size }, () => (rng.uniform() < coldFraction ? 1 : 0));
  return {
    size,
    features,
    labels: createTensor('float32', labels, [size, tasks]),
    isCold: createTensor('float32', isCold, [size]),
  };
}
