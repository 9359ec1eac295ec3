import { forward, paramsOnBackend } from '@thaw/model';
import { hashToBucket, type ModelSpec } from '@thaw/spec';
import { createRng, createTensor, type ReferenceTensor, referenceOps, type Tensor } from '@thaw/tensor';

/** Raw graph feeds (what a server sends) and the rows the model should see after the graph's id guards. */
export interface ParityRows {
  readonly size: number;
  /** ONNX feeds: dense float32 [N, dim], categorical/id int64 [N] (some out of range on purpose). */
  readonly feeds: Record<string, Tensor>;
  /** The same rows as the model math expects them: out-of-range categoricals → OOV, ids mod buckets. */
  readonly modelRows: Record<string, Tensor>;
  /** 1 for rows built as cold items (unseen id, historical dense features at their fill value). */
  readonly isCold: Float32Array;
}

/**
 * `size` random rows: ~20% cold items with missing historical features (dense `fill` or zeros, an
 * id hashed from a never-seen item), ~10% out-of-vocabulary categoricals (the OOV row itself,
 * above it, or negative) and ~5% out-of-range ids.
 */
export function parityRows(spec: ModelSpec, size: number, seed: number): ParityRows {
  const rng = createRng(seed);
  const isCold = Float32Array.from({ length: size }, () => (rng.uniform() < 0.2 ? 1 : 0));
  const feeds: Record<string, Tensor> = {};
  const modelRows: Record<string, Tensor> = {};
  for (const f of spec.features) {
    if (f.kind === 'dense') {
      const data = new Float32Array(size * f.dim);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < f.dim; j++) {
          const missing = isCold[i] === 1 && f.group === 'historical' && f.source === 'item';
          data[i * f.dim + j] = missing ? (f.fill?.[j] ?? 0) : 2 * rng.normal();
        }
      }
      feeds[f.name] = createTensor('float32', data, [size, f.dim]);
      modelRows[f.name] = feeds[f.name] as Tensor;
      continue;
    }
    const raw = new BigInt64Array(size);
    const rows = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const u = rng.uniform();
      if (f.kind === 'categorical') {
        const V = f.vocabSize;
        const value =
          u < 0.04
            ? V
            : u < 0.07
              ? V + 1 + Math.floor(rng.uniform() * 1e6)
              : u < 0.1
                ? -1 - Math.floor(rng.uniform() * 50)
                : Math.floor(rng.uniform() * V);
        raw[i] = BigInt(value);
        rows[i] = value < 0 || value > V ? V : value;
      } else {
        const B = f.buckets;
        const item =
          isCold[i] === 1 && f.source === 'item' ? `new-item-${seed}-${i}` : `item-${Math.floor(rng.uniform() * 5000)}`;
        const value = u < 0.05 ? B + Math.floor(rng.uniform() * 1e9) : hashToBucket(item, B);
        raw[i] = BigInt(value);
        rows[i] = ((value % B) + B) % B;
      }
    }
    feeds[f.name] = createTensor('int64', raw, [size]);
    modelRows[f.name] = createTensor('int32', rows, [size]);
  }
  return { size, feeds, modelRows, isCold };
}

/** The model's logits `[N, T]` in float64 on the reference backend, for rows already mapped to model rows. */
export function referenceLogits(
  spec: ModelSpec,
  weights: Readonly<Record<string, Tensor>>,
  rows: Record<string, Tensor>,
): ReferenceTensor {
  const r = referenceOps;
  const features = Object.fromEntries(
    Object.entries(rows).map(([name, t]) => [
      name,
      r.constant(t.data as Float32Array | Int32Array, t.shape, t.dtype === 'int32' ? 'int32' : 'float32'),
    ]),
  );
  return forward(r, spec, paramsOnBackend(r, weights), features).logits;
}
