/**
 * `@thaw/weights` — thaw's weights files, with no ML runtime: a JSON manifest (names, dtypes,
 * shapes, offsets, metadata) and a content-addressed binary checked by SHA-256 on load. The trainer
 * writes them; an export-only script (`exportOnnx` of `@thaw/onnx`) reads them without installing
 * TensorFlow.js. Node only (`node:fs`, `node:crypto`).
 *
 * @packageDocumentation
 */
export { WeightsFileError } from './weights-file-error.js';
export {
  type LoadedWeights,
  loadWeights,
  type SaveWeightsOptions,
  saveWeights,
  type WeightsDType,
  type WeightsEntry,
  type WeightsManifest,
  weightsDataPath,
} from './weights-io.js';
