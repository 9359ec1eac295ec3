import { availableParallelism } from 'node:os';
import type { MixupPlan } from '@thaw/mixup';
import { distills, drawObjectiveRandomness, type ObjectiveConfig } from '@thaw/model';
import type { FeatureBatch } from '@thaw/spec';
import type { Rng, Tensor } from '@thaw/tensor';
import type { OptimizerState, ResolvedOptimizerConfig, ThawModel } from '@thaw/tfjs';
import type * as Ort from 'onnxruntime-node';
import { createHostOptimizer, type EmbeddingUpdate, type HostGradient, type HostParameter } from './host-optimizer.js';
import { buildTrainingGraph, TRAINING_GRAPH_NAMES as NAMES, type TrainingGraph } from './training-graph.js';

/** Options of {@link createOnnxTrainingEngine}. */
export interface OnnxTrainingEngineOptions {
  /** onnxruntime intra-op threads; default `os.availableParallelism()`. */
  readonly threads?: number;
  /**
   * Let idle onnxruntime threads spin instead of sleeping; default false. Spinning lowers latency
   * on a dedicated machine, but on a busy one the spinning threads burn the cores the other jobs
   * (and the work itself) need: measured here at load 10, 2 spinning threads took 344 ms per ref-m
   * step against 173 ms sleeping and 152 ms on 1 thread.
   */
  readonly spinning?: boolean;
  /** Adam on embedding tables: `'dense'` (default, as PyTorch and the tfjs step) or `'lazy'`. */
  readonly embeddingUpdate?: EmbeddingUpdate;
  /**
   * Loads the onnxruntime module; default `import('onnxruntime-node')`. For another build with the
   * same API; a loader that fails makes `train`'s `engine: 'auto'` fall back to tfjs.
   */
  readonly loadRuntime?: () => Promise<typeof Ort>;
}

/**
 * Training steps run by onnxruntime: the objective's forward and backward as one graph
 * ({@link buildTrainingGraph}), the parameters and the optimizer on the host. Same objective, same
 * draws from the same `rng` and the same optimizer as `trainStep` of `@thaw/tfjs`; float32 sums in
 * another order, so the numbers agree to float32 rounding, not bit for bit.
 */
export interface OnnxTrainingEngine {
  /**
   * One step: draws from `rng`, the graph, the optimizer update. Returns the loss terms
   * (`LOSS_TERMS` order). `options.mixupPlan` mixes with fixed partners and λ instead of drawing
   * them (as `trainStep`'s option, for comparisons with a reference).
   */
  step(batch: FeatureBatch, rng: Rng, label?: string, options?: { readonly mixupPlan?: MixupPlan }): Promise<Float32Array>;
  /** The current parameters (views of the engine's arrays: copy them to keep a snapshot). */
  parameters(): Record<string, Tensor<'float32'>>;
  /** Writes the current parameters into the model's tfjs variables. */
  syncModel(): void;
  /** Replaces the parameters and the optimizer state (a checkpoint's). */
  restore(params: Readonly<Record<string, Tensor>>, optimizer: OptimizerState): void;
  optimizerState(): OptimizerState;
  readonly threads: number;
  dispose(): Promise<void>;
}

const unavailableMarker = Symbol.for('@thaw/training.OnnxRuntimeUnavailableError');

/** Thrown when the onnxruntime engine is asked for but `onnxruntime-node` cannot be loaded. */
export class OnnxRuntimeUnavailableError extends Error {
  readonly [unavailableMarker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'OnnxRuntimeUnavailableError';
  }

  /** True for any `OnnxRuntimeUnavailableError`, whichever copy of the package threw it. */
  static isInstance(error: unknown): error is OnnxRuntimeUnavailableError {
    return typeof error === 'object' && error !== null && unavailableMarker in error;
  }
}

async function loadOrt(load: () => Promise<typeof Ort>): Promise<typeof Ort> {
  try {
    return await load();
  } catch (error) {
    throw new OnnxRuntimeUnavailableError(
      `the onnxruntime training engine needs the optional peer dependency onnxruntime-node (npm install onnxruntime-node), which could not be loaded: ${(error as Error).message}`,
    );
  }
}

function checkBatch(batch: FeatureBatch, config: ObjectiveConfig, label: string): void {
  if (batch.labels === undefined) throw new TypeError(`train: ${label} has no labels; training needs FeatureBatch.labels [N, T]`);
  if ((config.lambda2 > 0 || distills(config)) && batch.isCold === undefined) {
    throw new TypeError(
      `train: ${label} has no isCold, which ScoreReg and ALDI need; give FeatureBatch.isCold or disable coldStart.scoreReg / coldStart.aldi`,
    );
  }
  if (batch.size < 2 && (config.lambda1 > 0 || distills(config))) {
    throw new RangeError(`train: ${label} has ${batch.size} row; mixup and ALDI pair rows, so batches need at least 2 rows`);
  }
}

const float32 = (data: ArrayLike<number>): Float32Array => (data instanceof Float32Array ? data : Float32Array.from(data));

/**
 * Starts the onnxruntime training engine for `model` (its current weights), an objective and an
 * optimizer. See {@link OnnxTrainingEngine}.
 *
 * @throws UnsupportedTrainingGraphError (from {@link buildTrainingGraph}) for the ALDI baseline;
 *   Error when onnxruntime-node is not installed.
 * @example
 * ```ts
 * const engine = await createOnnxTrainingEngine(model, objectiveConfigFromSpec(spec), optimizer.config);
 * const terms = await engine.step(batch, rng);
 * engine.syncModel(); // the tfjs model now holds the trained weights
 * ```
 */
export async function createOnnxTrainingEngine(
  model: ThawModel,
  config: ObjectiveConfig,
  optimizerConfig: ResolvedOptimizerConfig,
  options: OnnxTrainingEngineOptions = {},
): Promise<OnnxTrainingEngine> {
  const spec = model.spec;
  // Fail early (before loading onnxruntime) on an objective the graph cannot run.
  const first = buildTrainingGraph(spec, config);
  const ort = await loadOrt(options.loadRuntime ?? (async () => (await import('onnxruntime-node')) as typeof Ort));
  const threads = options.threads ?? availableParallelism();
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: options.spinning === true ? '1' : '0' } } },
  };
  // One graph per "does the batch carry isCold" (the tfjs step reads it whenever it is there).
  const graphs = new Map<boolean, Promise<{ graph: TrainingGraph; session: Ort.InferenceSession }>>();
  const graphFor = (isCold: boolean) => {
    let entry = graphs.get(isCold);
    if (entry === undefined) {
      const graph = isCold === first.readsIsCold ? first : buildTrainingGraph(spec, config, { isCold });
      entry = ort.InferenceSession.create(graph.model, sessionOptions).then((session) => ({ graph, session }));
      graphs.set(isCold, entry);
    }
    return entry;
  };
  const weights = await model.getWeights();
  const initial: HostParameter[] = Object.entries(weights).map(([name, t]) => ({
    name,
    shape: t.shape,
    values: t.data as Float32Array,
  }));
  const optimizer = createHostOptimizer(initial, optimizerConfig, { embeddingUpdate: options.embeddingUpdate ?? 'dense' });
  const params = optimizer.parameters;
  const byName = new Map(params.map((p) => [p.name, p]));
  const value = (name: string) => byName.get(name) as HostParameter;

  return {
    threads,
    async step(batch, rng, label = 'a batch', stepOptions = {}) {
      checkBatch(batch, config, label);
      const { graph, session } = await graphFor(batch.isCold !== undefined);
      const n = batch.size;
      const draws = drawObjectiveRandomness(rng, n, config, stepOptions.mixupPlan);
      const feeds: Record<string, Ort.Tensor> = {};
      for (const name of graph.params) {
        const p = value(name);
        feeds[NAMES.param(name)] = new ort.Tensor('float32', p.values, [...p.shape]);
      }
      const lookups = new Map<string, Int32Array>();
      for (const table of graph.tables) {
        const indices = batch.features[table.feature];
        if (indices === undefined) throw new TypeError(`train: ${label} lacks features['${table.feature}']`);
        const ids = indices.data as Int32Array;
        const p = value(table.name);
        const rows = (p.shape[0] as number) ?? 0;
        const w = table.width;
        const out = new Float32Array(n * w);
        for (let i = 0; i < n; i++) {
          const r = ids[i] as number;
          if (!(r >= 0 && r < rows)) {
            throw new RangeError(
              `train: ${label} features['${table.feature}'][${i}] is ${r}, outside the table's rows [0, ${rows}); encode values with the spec's vocabulary (row ${rows - 1} is out-of-vocabulary)`,
            );
          }
          out.set(p.values.subarray(r * w, r * w + w), i * w);
        }
        lookups.set(table.name, ids);
        feeds[NAMES.rows(table.name)] = new ort.Tensor('float32', out, [n, w]);
      }
      feeds[NAMES.rowIndex] = new ort.Tensor(
        'int32',
        Int32Array.from({ length: n }, (_, i) => i),
        [n],
      );
      for (const f of graph.denseFeatures) {
        const t = batch.features[f.name];
        if (t === undefined) throw new TypeError(`train: ${label} lacks features['${f.name}']`);
        feeds[NAMES.feature(f.name)] = new ort.Tensor('float32', float32(t.data as ArrayLike<number>), [n, f.dim]);
      }
      const labels = batch.labels as Tensor;
      feeds[NAMES.labels] = new ort.Tensor('float32', float32(labels.data as ArrayLike<number>), [...labels.shape]);
      if (graph.readsIsCold)
        feeds[NAMES.isCold] = new ort.Tensor('float32', float32((batch.isCold as Tensor).data as ArrayLike<number>), [n]);
      if (graph.draws.dropMask) feeds[NAMES.dropMask] = new ort.Tensor('float32', draws.dropMask as Float32Array, [n]);
      if (graph.draws.aldiPartner) feeds[NAMES.aldiPartner] = new ort.Tensor('int32', draws.aldiPartner as Int32Array, [n]);
      const plan = draws.mixupPlan;
      if (plan !== undefined) {
        feeds[NAMES.mixupPartner] = new ort.Tensor('int32', plan.partner, [n]);
        if (typeof plan.lambda === 'number') {
          feeds[NAMES.mixupLambda] = new ort.Tensor('float32', Float32Array.of(plan.lambda), []);
          feeds[NAMES.mixupOther] = new ort.Tensor('float32', Float32Array.of(1 - plan.lambda), []);
        } else {
          feeds[NAMES.mixupLambda] = new ort.Tensor('float32', Float32Array.from(plan.lambda), [n, 1]);
          feeds[NAMES.mixupOther] = new ort.Tensor(
            'float32',
            Float32Array.from(plan.lambda, (l) => 1 - l),
            [n, 1],
          );
        }
      }
      const out = await session.run(feeds);
      const gradients = new Map<string, HostGradient>();
      for (const name of graph.trainable) {
        const g = (out[NAMES.grad(name)] as Ort.Tensor).data as Float32Array;
        const rows = lookups.get(name);
        gradients.set(name, rows === undefined ? { kind: 'dense', values: g } : { kind: 'rows', rows, values: g });
      }
      optimizer.apply(gradients);
      return Float32Array.from((out[NAMES.terms] as Ort.Tensor).data as Float32Array);
    },
    parameters() {
      const out: Record<string, Tensor<'float32'>> = {};
      for (const p of params) out[p.name] = { dtype: 'float32', shape: p.shape, data: p.values };
      return out;
    },
    syncModel() {
      const out: Record<string, Tensor> = {};
      for (const p of params) out[p.name] = { dtype: 'float32', shape: p.shape, data: p.values };
      model.setWeights(out);
    },
    restore(saved, state) {
      for (const p of params) {
        const t = saved[p.name];
        if (t === undefined || t.data.length !== p.values.length) {
          throw new TypeError(
            `restore: the saved parameters lack '${p.name}' or have another shape; restore a checkpoint of this model`,
          );
        }
        p.values.set(t.data as ArrayLike<number>);
      }
      optimizer.restore(state);
    },
    optimizerState: () => optimizer.state(),
    async dispose() {
      for (const entry of graphs.values()) await (await entry).session.release();
      graphs.clear();
    },
  };
}
