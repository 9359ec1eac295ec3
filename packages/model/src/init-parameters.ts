import { hashToBucket, type ModelSpec } from '@thaw/spec';
import { createRng, createTensor, type Rng, type Tensor } from '@thaw/tensor';
import { type ParameterInfo, parameterInfos } from './parameter-infos.js';

/** Standard deviation of the N(0, σ²) initialiser of embedding rows. */
export const EMBEDDING_INIT_STD = 0.05;

/**
 * The seeded stream of one parameter: depends only on `seed` and the parameter's name (its 32-bit
 * FNV-1a hash, `hashToBucket(name, 2³²)` of `@thaw/spec`), so each parameter draws from its own
 * stream.
 *
 * @throws TypeError when `seed` is not an integer.
 * @example `initParameter(info, parameterRng(42, info.name))` — what {@link initParameters} does.
 */
export function parameterRng(seed: number, name: string): Rng {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`parameterRng: seed must be an integer (got ${seed}); pass an integer, e.g. Math.round(seed)`);
  }
  return createRng((seed ^ hashToBucket(name, 2 ** 32)) | 0);
}

/**
 * Fills one parameter as its {@link ParameterInfo.init} says:
 * - `glorotUniform` (kernels `[in, out]`): U(−l, l) with `l = √(6 / (in + out))` (Glorot & Bengio
 *   2010; the Keras/tfjs default for dense kernels);
 * - `zeros` (biases);
 * - `embedding` (tables): N(0, 0.05²) per entry.
 */
export function initParameter(info: ParameterInfo, rng: Rng): Tensor<'float32'> {
  const size = info.shape.reduce((n, e) => n * e, 1);
  const data = new Float32Array(size);
  if (info.init === 'glorotUniform') {
    const [fanIn = 1, fanOut = 1] = info.shape;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < size; i++) data[i] = (2 * rng.uniform() - 1) * limit;
  } else if (info.init === 'embedding') {
    for (let i = 0; i < size; i++) data[i] = rng.normal() * EMBEDDING_INIT_STD;
  }
  return createTensor('float32', data, info.shape);
}

/**
 * Seeded initial values of every parameter of the model a spec describes, keyed by the names of
 * {@link parameterInfos}: Glorot-uniform kernels, zero biases, N(0, 0.05²) embeddings.
 *
 * Each parameter draws from its own stream derived from `seed` and its name, so the same seed
 * gives the same values on every run, and enabling e.g. the ALDI student leaves the other
 * parameters unchanged.
 *
 * @param seed any integer.
 * @throws TypeError when `seed` is not an integer.
 * @example
 * ```ts
 * import { initParameters } from '@thaw/model';
 * import { demoSpec } from '@thaw/spec';
 * const params = initParameters(demoSpec, 42);
 * params['cross.0.kernel']?.shape; // [72, 72]
 * ```
 */
export function initParameters(spec: ModelSpec, seed: number): Record<string, Tensor<'float32'>> {
  if (!Number.isInteger(seed))
    throw new TypeError(`initParameters: seed must be an integer (got ${seed}); pass an integer, e.g. Math.round(seed)`);
  const out: Record<string, Tensor<'float32'>> = {};
  for (const info of parameterInfos(spec)) out[info.name] = initParameter(info, parameterRng(seed, info.name));
  return out;
}
