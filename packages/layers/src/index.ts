/**
 * `@thaw/layers` — thaw on TensorFlow.js: the tfjs backend of `Ops`, tfjs-layers custom layers,
 * `buildModel(spec)`, the training loop with checkpoints, the Dropout and ALDI baselines, and weights
 * I/O.
 *
 * @packageDocumentation
 */

export { type AldiDistillationInputs, type AldiDistillationTerms, aldiDistillationLoss } from './baselines/aldi-distillation.js';
export { type ComponentOverhead, type ParameterOverhead, parameterOverhead } from './baselines/parameter-overhead.js';
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
export { type TfjsBackendName, type UseTfjsBackendOptions, useTfjsBackend } from './tfjs/backend.js';
export { denseMatMul } from './tfjs/dense-matmul.js';
export { embeddingGather } from './tfjs/embedding-gather.js';
export { stopGradient } from './tfjs/stop-gradient.js';
export { fromTfjs, fromTfjsSync, TFJS_DTYPES, tfjsTensorAdapter, toTfjs } from './tfjs/tensor-adapter.js';
export { tfjsOps } from './tfjs/tfjs-ops.js';
export { type BatchSource, type EpochBatches, type EpochContext, epochSeed } from './train/batch-source.js';
export {
  type Checkpoint,
  type CheckpointRun,
  checkpointPath,
  readCheckpoint,
  type StepRecord,
  type TrainPosition,
} from './train/checkpoint.js';
export { type FeatureGradientNorm, type InputGradientReport, inputGradients } from './train/input-gradients.js';
export {
  createOptimizer,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerState,
  type ResolvedOptimizerConfig,
} from './train/optimizer.js';
export { type StepInfo, type TrainOptions, type TrainResult, train } from './train/train.js';
export { LOSS_TERMS, type LossTerms, type StepConfig, stepConfigFromSpec, trainStep } from './train/train-step.js';
