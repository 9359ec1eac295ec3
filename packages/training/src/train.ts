import { type AldiStage, LOSS_TERMS, type LossTerms, type ObjectiveConfig, objectiveConfigFromSpec } from '@thaw/model';
import type { FeatureBatch } from '@thaw/spec';
import { specHash } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { createOptimizer, type InputGradientReport, inputGradients, type OptimizerConfig, type ThawModel } from '@thaw/tfjs';
import { type BatchSource, epochSeed, openEpoch } from './batch-source.js';
import {
  type CheckpointLogs,
  type CheckpointRun,
  loadCheckpoint,
  NO_LOGS,
  type StepRecord,
  type TrainPosition,
  writeCheckpoint,
} from './checkpoint.js';
import { checkResumable } from './run-settings.js';
import {
  createStepEngine,
  type OnnxRuntimeEngineOptions,
  type StepEngine,
  type TrainingEngineChoice,
  type TrainingEngineName,
} from './step-engine.js';

/** What the per-step callback receives. */
export interface StepInfo extends StepRecord {
  /** Batches of this epoch done (this one included). */
  readonly batchInEpoch: number;
  /** Examples trained on in the whole run. */
  readonly examples: number;
  /** Rows of this batch. */
  readonly batchSize: number;
}

/** Options of {@link train}. Defaults come from `spec.training` and `spec.coldStart`. */
export interface TrainOptions {
  /** Seed of the run: mixup pairs and λ, dropout masks, ALDI pairs and the epoch shuffle seeds. Default 0. */
  readonly seed?: number;
  readonly epochs?: number;
  /** Passed to a source function as `context.batchSize`; default `spec.training.batchSize`. */
  readonly batchSize?: number;
  /** Optimizer settings; default `spec.training.optimizer` with `spec.training.learningRate`. */
  readonly optimizer?: OptimizerConfig;
  /** Override λ1 (mixup weight, eq 11); default `coldStart.mixup.weight` when mixup is enabled, else 0. */
  readonly lambda1?: number;
  /** Override λ2 (ScoreReg weight, eq 11); default `coldStart.scoreReg.weight` when enabled, else 0. */
  readonly lambda2?: number;
  /** Override mixup's Beta(α, α); default `coldStart.mixup.alpha`. */
  readonly alpha?: number;
  /**
   * ALDI baseline (when `coldStart.aldi.enabled`): `'joint'` (default) trains model and student
   * together; ALDI's two stages are `'teacher'` (the model alone on eq 11) then `'student'` (only
   * the student, against the frozen model) — two `train` calls on the same model.
   */
  readonly aldiStage?: AldiStage;
  /**
   * What runs the steps: `'auto'` (default) — onnxruntime when `onnxruntime-node` is installed
   * (several times faster on a CPU), else tfjs; or `'onnxruntime'` / `'tfjs'`. Same objective,
   * draws and optimizer; see `TrainingEngineChoice`.
   */
  readonly engine?: TrainingEngineChoice;
  /** Settings of the onnxruntime engine (threads, embedding-table Adam). */
  readonly onnxruntime?: OnnxRuntimeEngineOptions;
  /** Stop after this many steps in total (the run can be resumed from its last checkpoint). */
  readonly maxSteps?: number;
  /** Stop at the next step boundary when aborted. */
  readonly signal?: AbortSignal;
  /** Called after every step with the step's loss terms. */
  readonly onStep?: (info: StepInfo) => void | Promise<void>;
  /** Metrics every `every` steps (e.g. an evaluation on held-out batches); results land in `TrainResult.metrics`. */
  readonly metrics?: {
    readonly every: number;
    compute(model: ThawModel, info: StepInfo): Record<string, number> | Promise<Record<string, number>>;
  };
  /**
   * Gradient hook every `every` steps, before the update: the gradient of the predictions w.r.t.
   * each input feature's embedding on the current batch (the importance analysis, Fig 2b/6b).
   */
  readonly gradients?: {
    readonly every: number;
    /** Also hand over the per-row gradients as host tensors. */
    readonly raw?: boolean;
    onGradients(report: InputGradientReport, info: { readonly step: number; readonly epoch: number }): void | Promise<void>;
  };
  /**
   * Checkpoints: written to `dir` every `every` steps, at the end, and when `maxSteps`/`signal`
   * stop the run (not when a step or callback throws). With `resume: true` (default),
   * a run finds the checkpoint in `dir` and continues from it — with results identical to an
   * uninterrupted run. Resuming needs the same spec, seed, λ1, λ2, α, `aldiStage`, optimizer,
   * batch size and epochs as the checkpoint's run (a difference is refused, naming it).
   */
  readonly checkpoint?: { readonly dir: string; readonly every: number; readonly resume?: boolean };
}

/** What {@link train} returns. */
export interface TrainResult {
  /** Steps done in the whole run (a resumed run counts the steps before the checkpoint). */
  readonly steps: number;
  readonly examples: number;
  /** False when `maxSteps` or `signal` stopped the run early. */
  readonly completed: boolean;
  /** Loss terms of every step. */
  readonly history: readonly StepRecord[];
  /** `{ step, ...values }` for each metrics call. */
  readonly metrics: readonly Readonly<Record<string, number>>[];
  /** The step the run resumed from (0 for a fresh run). */
  readonly resumedFrom: number;
  /** The engine that ran the steps, and why `'auto'` chose it. */
  readonly engine: { readonly name: TrainingEngineName; readonly reason: string };
  /** Wall time of this call and its throughput (resumed steps excluded). */
  readonly seconds: number;
  readonly examplesPerSecond: number;
}

function resolveConfig(model: ThawModel, options: TrainOptions): ObjectiveConfig {
  const base = objectiveConfigFromSpec(model.spec);
  const check = (value: number | undefined, name: string) => {
    if (value !== undefined && !(value >= 0 && Number.isFinite(value))) {
      throw new RangeError(`train: options.${name} must be a finite number ≥ 0 (got ${value})`);
    }
  };
  check(options.lambda1, 'lambda1');
  check(options.lambda2, 'lambda2');
  if (options.alpha !== undefined && !(options.alpha > 0))
    throw new RangeError(`train: options.alpha must be > 0 (got ${options.alpha})`);
  const aldiStage = options.aldiStage ?? base.aldiStage;
  if (options.aldiStage !== undefined && !model.spec.coldStart.aldi.enabled) {
    throw new TypeError(
      `train: options.aldiStage is '${options.aldiStage}' but spec.coldStart.aldi.enabled is false; enable ALDI in the spec`,
    );
  }
  return {
    ...base,
    lambda1: options.lambda1 ?? base.lambda1,
    lambda2: options.lambda2 ?? base.lambda2,
    alpha: options.alpha ?? base.alpha,
    ...(aldiStage === undefined ? {} : { aldiStage }),
  };
}

function checkPositiveInteger(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`train: options.${name} must be an integer ≥ 1 (got ${value})`);
  }
}

async function* batchesOf(batches: Iterable<FeatureBatch> | AsyncIterable<FeatureBatch>): AsyncGenerator<FeatureBatch> {
  if (Symbol.asyncIterator in batches) yield* batches as AsyncIterable<FeatureBatch>;
  else yield* batches as Iterable<FeatureBatch>;
}

/**
 * Trains a {@link ThawModel} with the Warmer-for-Less objective (eq 11: BCE + λ1·mixup BCE +
 * λ2·ScoreReg), in a custom loop (not `model.fit`): Adam by default, the spec's epochs, λ1, λ2, α
 * and baselines (Dropout, ALDI), seeded, with per-step loss terms, metrics and gradient hooks, and
 * checkpoints from which a run resumes exactly.
 *
 * The step reads nothing back but its `[5]` loss-terms tensor after the update.
 *
 * @param data a {@link BatchSource}: `(context) => batches`, an array of batches, or an iterable.
 * @throws TypeError for a batch without labels (or without `isCold` when ScoreReg/ALDI need it);
 * RangeError for bad options; WeightsFileError for a corrupted checkpoint.
 * @example
 * ```ts
 * const model = buildModel(spec, { seed: 1 });
 * const result = await train(model, ({ seed }) => batches(frame, spec, { seed }), {
 *   checkpoint: { dir: 'runs/a', every: 500 },
 *   onStep: ({ step, total }) => step % 100 === 0 && console.log(step, total),
 * });
 * ```
 */
export async function train(model: ThawModel, data: BatchSource, options: TrainOptions = {}): Promise<TrainResult> {
  const spec = model.spec;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new TypeError(`train: options.seed must be an integer (got ${seed})`);
  checkPositiveInteger(options.epochs, 'epochs');
  checkPositiveInteger(options.batchSize, 'batchSize');
  const checkpointing = options.checkpoint;
  checkPositiveInteger(checkpointing?.every, 'checkpoint.every');
  checkPositiveInteger(options.metrics?.every, 'metrics.every');
  checkPositiveInteger(options.gradients?.every, 'gradients.every');
  const epochs = options.epochs ?? spec.training.epochs;
  const batchSize = options.batchSize ?? spec.training.batchSize;
  const config = resolveConfig(model, options);
  // Resolves and checks the settings (the engine owns the optimizer's state).
  const optimizerConfig = createOptimizer({
    kind: spec.training.optimizer,
    learningRate: spec.training.learningRate,
    ...options.optimizer,
  }).config;
  const rng = createRng(seed);
  const hash = specHash(spec);
  const history: StepRecord[] = [];
  const metrics: Record<string, number>[] = [];
  let position: TrainPosition = { epoch: 0, batch: 0, step: 0, examples: 0 };

  let logs: CheckpointLogs = NO_LOGS;
  const loaded =
    checkpointing !== undefined && checkpointing.resume !== false ? await loadCheckpoint(checkpointing.dir) : undefined;
  // 'auto' resumes on the engine that wrote the checkpoint (tfjs for one that does not say), so a
  // resumed run stays identical to an uninterrupted one.
  const choice = options.engine ?? (loaded !== undefined ? (loaded.checkpoint.run.engine ?? 'tfjs') : 'auto');
  const engine: StepEngine = await createStepEngine(model, config, optimizerConfig, choice, options.onnxruntime);
  const run: Required<CheckpointRun> = {
    specHash: hash,
    seed,
    stepConfig: config,
    optimizer: optimizerConfig,
    batchSize,
    epochs,
    engine: engine.name,
  };
  if (loaded !== undefined && checkpointing !== undefined) {
    try {
      checkResumable(loaded.checkpoint.run, run, checkpointing.dir);
    } catch (error) {
      await engine.dispose();
      throw error;
    }
    const saved = loaded.checkpoint;
    logs = loaded.logs;
    engine.restore(saved.params, saved.optimizer);
    rng.restore(saved.rng);
    position = saved.position;
    history.push(...saved.history);
    metrics.push(...saved.metrics);
  }
  const resumedFrom = position.step;
  const save = async () => {
    if (checkpointing === undefined) return;
    const optimizerState = await engine.optimizerState();
    logs = await writeCheckpoint(
      checkpointing.dir,
      { position, params: await engine.parameters(), optimizer: optimizerState, rng: rng.state(), history, metrics, run },
      logs,
    );
  };

  const started = performance.now();
  let examplesThisCall = 0;
  let completed = true;
  try {
    outer: for (let epoch = position.epoch; epoch < epochs; epoch++) {
      const skip = epoch === position.epoch ? position.batch : 0;
      let index = 0;
      for await (const batch of batchesOf(openEpoch(data, { epoch, seed: epochSeed(seed, epoch), batchSize }))) {
        if (index < skip) {
          index += 1;
          continue;
        }
        if ((options.maxSteps !== undefined && position.step >= options.maxSteps) || options.signal?.aborted) {
          completed = false;
          break outer;
        }
        const info = { step: position.step + 1, epoch };
        if (options.gradients !== undefined && info.step % options.gradients.every === 0) {
          engine.syncModel();
          await options.gradients.onGradients(await inputGradients(model, batch, options.gradients.raw ?? false), info);
        }
        const values = await engine.step(
          batch,
          rng,
          `the batch of step ${info.step} (batch ${index} of epoch ${epoch}, both 0-based)`,
        );
        index += 1;
        position = { epoch, batch: index, step: info.step, examples: position.examples + batch.size };
        examplesThisCall += batch.size;
        const record = {
          ...info,
          ...(Object.fromEntries(LOSS_TERMS.map((k, i) => [k, values[i] as number])) as unknown as LossTerms),
        };
        history.push(record);
        const stepInfo: StepInfo = { ...record, batchInEpoch: index, examples: position.examples, batchSize: batch.size };
        await options.onStep?.(stepInfo);
        if (options.metrics !== undefined && info.step % options.metrics.every === 0) {
          engine.syncModel();
          metrics.push({ step: info.step, ...(await options.metrics.compute(model, stepInfo)) });
        }
        if (checkpointing !== undefined && info.step % checkpointing.every === 0) await save();
      }
      position = { ...position, epoch: epoch + 1, batch: 0 };
    }
    // A finished or gracefully stopped run leaves a checkpoint of where it is; a crash (an
    // exception) leaves the last periodic one.
    await save();
  } finally {
    // The model holds the trained weights whatever stopped the run.
    engine.syncModel();
    await engine.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    steps: position.step,
    examples: position.examples,
    completed,
    history,
    metrics,
    resumedFrom,
    engine: { name: engine.name, reason: engine.reason },
    seconds,
    examplesPerSecond: seconds > 0 ? examplesThisCall / seconds : 0,
  };
}
