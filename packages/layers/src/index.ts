/**
 * `@thaw/layers` — thaw on TensorFlow.js: the tfjs backend of `Ops`, tfjs-layers custom layers,
 * `buildModel(spec)`, the training loop with checkpoints, the Dropout and ALDI baselines, and weights
 * I/O.
 *
 * @packageDocumentation
 */

export { WeightsFileError } from './io/weights-file-error.js';
export {
  type LoadedWeights,
  loadWeights,
  type SaveWeightsOptions,
  saveWeights,
  type WeightsDType,
  type WeightsEntry,
  type WeightsManifest,
  weightsDataPath,
} from './io/weights-io.js';
export { type TfjsBackendName, type UseTfjsBackendOptions, useTfjsBackend } from './tfjs/backend.js';
export { denseMatMul } from './tfjs/dense-matmul.js';
export { embeddingGather } from './tfjs/embedding-gather.js';
export { fromTfjs, fromTfjsSync, TFJS_DTYPES, tfjsTensorAdapter, toTfjs } from './tfjs/tensor-adapter.js';
export { tfjsOps } from './tfjs/tfjs-ops.js';
