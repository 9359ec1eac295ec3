/**
 * `@thaw/tfjs` — thaw on TensorFlow.js, browser-safe (no `node:*` import): the tfjs backend of
 * `Ops<T>` and the tensor adapter, `buildModel(spec)` (the `@thaw/model` math on tfjs variables),
 * `trainStep` (the objective of `@thaw/model`, tfjs gradients, the optimizer), the input-gradient
 * report of the importance analysis, `tf*` wrappers of the losses and mixup for your own tfjs
 * model, and Keras-style layers. The Node training loop with checkpoints is `@thaw/training`.
 *
 * @packageDocumentation
 */
export { type TfjsBackendName, type UseTfjsBackendOptions, useTfjsBackend } from './backend/backend.js';
export { denseMatMul } from './backend/dense-matmul.js';
export { embeddingGather } from './backend/embedding-gather.js';
export { stopGradient } from './backend/stop-gradient.js';
export { fromTfjs, fromTfjsSync, TFJS_DTYPES, tfjsTensorAdapter, toTfjs } from './backend/tensor-adapter.js';
export { tfjsOps } from './backend/tfjs-ops.js';
export { CrossLayer, type CrossLayerArgs } from './keras/cross-layer.js';
export { MmoeLayer, type MmoeLayerArgs } from './keras/mmoe-layer.js';
export { ResidualProjectionLayer, type ResidualProjectionLayerArgs } from './keras/residual-projection-layer.js';
export {
  tfBinaryCrossEntropyWithLogits,
  tfManifoldMixup,
  tfMeanSquaredError,
  tfScoreRegLoss,
  tfWarmerObjective,
} from './losses/tfjs-losses.js';
export { type BuildModelOptions, buildModel, type ForwardOptions, type ThawModel } from './model/build-model.js';
export { featureTensors, isFeatureBatch, type ModelInput, type TfjsFeatures } from './model/feature-tensors.js';
export { type FeatureGradientNorm, type InputGradientReport, inputGradients } from './train/input-gradients.js';
export {
  createOptimizer,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerState,
  type ResolvedOptimizerConfig,
} from './train/optimizer.js';
export { type TrainStepOptions, trainStep } from './train/train-step.js';
