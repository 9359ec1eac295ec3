import type { ObjectiveConfig } from '@thaw/model';
import type { FeatureBatch } from '@thaw/spec';
import type { Rng, Tensor } from '@thaw/tensor';
import { createOptimizer, type OptimizerState, type ResolvedOptimizerConfig, type ThawModel, trainStep } from '@thaw/tfjs';
import type { EmbeddingUpdate } from './onnx/host-optimizer.js';
import {
  createOnnxTrainingEngine,
  OnnxRuntimeUnavailableError,
  type OnnxTrainingEngineOptions,
} from './onnx/onnx-training-engine.js';
import { UnsupportedTrainingGraphError } from './onnx/training-graph.js';

/** Which implementation runs the training steps. */
export type TrainingEngineName = 'tfjs' | 'onnxruntime';

/**
 * The `engine` option of `train`: `'onnxruntime'` (the objective's forward and backward as one
 * onnxruntime graph, parameters and Adam on the host), `'tfjs'` (`trainStep` of `@thaw/tfjs`, tfjs
 * autodiff on the active tfjs backend), or `'auto'` (default): onnxruntime when `onnxruntime-node`
 * is installed, tfjs otherwise. Both run the same objective with the same draws and optimizer;
 * they agree to float32 rounding (summation order), not bit for bit, so a run resumes exactly only
 * on the engine that wrote its checkpoint.
 */
export type TrainingEngineChoice = TrainingEngineName | 'auto';

/** Settings of the onnxruntime engine (`train`'s `onnxruntime` option). */
export interface OnnxRuntimeEngineOptions {
  /** Intra-op threads; default `os.availableParallelism()`. */
  readonly threads?: number;
  /** Let idle onnxruntime threads spin (default false); see `OnnxTrainingEngineOptions`. */
  readonly spinning?: boolean;
  /** Loads the onnxruntime module (default `import('onnxruntime-node')`); see `OnnxTrainingEngineOptions`. */
  readonly loadRuntime?: OnnxTrainingEngineOptions['loadRuntime'];
  /**
   * Adam on embedding tables: `'dense'` (default; every row every step, as PyTorch and the tfjs
   * engine) or `'lazy'` (only the rows a batch looks up; a different optimizer — see the README).
   */
  readonly embeddingUpdate?: EmbeddingUpdate;
}

/** What the training loop needs from an engine. */
export interface StepEngine {
  readonly name: TrainingEngineName;
  /** Why `'auto'` chose this engine (e.g. onnxruntime-node is not installed). */
  readonly reason: string;
  /** One step (draws from `rng`, update); the loss terms in `LOSS_TERMS` order. */
  step(batch: FeatureBatch, rng: Rng, label: string): Promise<Float32Array>;
  /** Makes `model.variables` hold the current parameters (the onnxruntime engine keeps them on the host). */
  syncModel(): void;
  parameters(): Promise<Record<string, Tensor>>;
  optimizerState(): Promise<OptimizerState>;
  restore(params: Readonly<Record<string, Tensor>>, optimizer: OptimizerState): void;
  dispose(): Promise<void>;
}

function tfjsEngine(
  model: ThawModel,
  config: ObjectiveConfig,
  optimizerConfig: ResolvedOptimizerConfig,
  reason: string,
): StepEngine {
  const optimizer = createOptimizer(optimizerConfig);
  return {
    name: 'tfjs',
    reason,
    async step(batch, rng, label) {
      const terms = trainStep(model, batch, rng, config, optimizer, { batchLabel: label });
      const values = (await terms.data()) as Float32Array;
      terms.dispose();
      return values;
    },
    syncModel() {},
    parameters: () => model.getWeights(),
    optimizerState: () => optimizer.state(),
    restore(params, state) {
      model.setWeights(params);
      optimizer.restore(state, model.variables);
    },
    async dispose() {
      optimizer.dispose();
    },
  };
}

/**
 * The engine `train` steps with (see {@link TrainingEngineChoice}), starting from `model`'s
 * current weights.
 *
 * @throws whatever starting the requested `'onnxruntime'` engine throws (not installed, an
 *   unsupported objective); `'auto'` falls back to tfjs in those two cases and says why.
 */
export async function createStepEngine(
  model: ThawModel,
  config: ObjectiveConfig,
  optimizerConfig: ResolvedOptimizerConfig,
  choice: TrainingEngineChoice = 'auto',
  options: OnnxRuntimeEngineOptions = {},
): Promise<StepEngine> {
  if (choice !== 'auto' && choice !== 'tfjs' && choice !== 'onnxruntime') {
    throw new RangeError(`train: options.engine must be 'auto', 'onnxruntime' or 'tfjs' (got ${JSON.stringify(choice)})`);
  }
  if (choice === 'tfjs') return tfjsEngine(model, config, optimizerConfig, 'requested');
  try {
    const onnx = await createOnnxTrainingEngine(model, config, optimizerConfig, options);
    return {
      name: 'onnxruntime',
      reason: choice === 'auto' ? `onnxruntime-node is installed (${onnx.threads} threads)` : 'requested',
      step: (batch, rng, label) => onnx.step(batch, rng, label),
      syncModel: () => onnx.syncModel(),
      parameters: async () => onnx.parameters(),
      optimizerState: async () => onnx.optimizerState(),
      restore: (params, state) => onnx.restore(params, state),
      dispose: () => onnx.dispose(),
    };
  } catch (error) {
    const fallback = OnnxRuntimeUnavailableError.isInstance(error) || UnsupportedTrainingGraphError.isInstance(error);
    if (choice === 'onnxruntime' || !fallback) throw error;
    return tfjsEngine(model, config, optimizerConfig, (error as Error).message);
  }
}
