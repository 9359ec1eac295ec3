/**
 * `@thaw/training` — train thaw models on Node: the training loop over a batch source with
 * checkpoints that resume exactly (same numbers as an uninterrupted run), the gradient and metrics
 * hooks, and model weights files. The step itself (objective, gradients, optimizer) is `trainStep`
 * of `@thaw/tfjs`, which also runs in a browser; this package adds what needs a file system.
 *
 * @packageDocumentation
 */
export { type BatchSource, type EpochBatches, type EpochContext, epochSeed } from './batch-source.js';
export {
  type Checkpoint,
  type CheckpointRun,
  checkpointPath,
  readCheckpoint,
  type StepRecord,
  type TrainPosition,
} from './checkpoint.js';
export { loadModelWeights, type SaveModelWeightsOptions, saveModelWeights } from './model-weights.js';
export { createHostOptimizer, type EmbeddingUpdate, type HostOptimizer } from './onnx/host-optimizer.js';
export {
  createOnnxTrainingEngine,
  OnnxRuntimeUnavailableError,
  type OnnxTrainingEngine,
  type OnnxTrainingEngineOptions,
} from './onnx/onnx-training-engine.js';
export {
  buildTrainingGraph,
  TRAINING_GRAPH_NAMES,
  type TrainingGraph,
  UnsupportedTrainingGraphError,
} from './onnx/training-graph.js';
export {
  createStepEngine,
  type OnnxRuntimeEngineOptions,
  type StepEngine,
  type TrainingEngineChoice,
  type TrainingEngineName,
} from './step-engine.js';
export { type StepInfo, type TrainOptions, type TrainResult, train } from './train.js';
