import * as tf from '@tensorflow/tfjs-core';
import {
  assertParameters,
  type Calibration,
  type Embedded,
  embed,
  type ForwardResult,
  initParameters,
  interact,
  forward as modelForward,
  parameterInfos,
  predict,
} from '@thaw/model';
import type { ModelSpec } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import { fromTfjs, toTfjs } from '../backend/tensor-adapter.js';
import { tfjsOps } from '../backend/tfjs-ops.js';
import { featureTensors, isFeatureBatch, type ModelInput } from './feature-tensors.js';

/** Options of {@link ThawModel.forward} and the methods built on it. */
export interface ForwardOptions {
  /**
   * `[N]` float, 1 = cold item. Default: the `isCold` of a `FeatureBatch` input. With the ALDI
   * baseline enabled in the spec, cold rows use the content-only student (see {@link aldi}).
   */
  readonly isCold?: tf.Tensor;
  /**
   * ALDI inference: replace cold items' item-side historical inputs by the student's output
   * (`'auto'`, the default, does it when the spec enables ALDI and `isCold` is known; `false`
   * never does).
   */
  readonly aldi?: 'auto' | false;
  /** Platt parameters per task for `probabilities` and `scores` (`calibration.json` of a trained model); default none. */
  readonly calibration?: Calibration;
}

/**
 * The ranking model of a spec on tfjs: one `tf.Variable` per parameter of `parameterInfos(spec)`
 * and the math of `@thaw/model` run through {@link tfjsOps}. The interaction module `I` and the
 * prediction module `F` are separately callable so mixup can sit between them (eq 8).
 *
 * Methods free their intermediates and never dispose the caller's tensors. They return new tensors
 * (dispose them or call inside `tf.tidy`), with one exception: `embed` and `forward().embedded` may
 * be the caller's own input tensor when a feature group is a single dense feature without `stats`
 * (`x_h`/`x_nh` is then that feature as given) — dispose those only if you did not pass them in.
 */
export interface ThawModel {
  readonly spec: ModelSpec;
  /** The trainable variables by parameter name, in `parameterInfos(spec)` order. */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** Trainable parameters in total; equals `countParameters(spec).total`. */
  readonly parameterCount: number;
  /** `x_h`, `x_nh` of a batch (paper §3.1). */
  embed(input: ModelInput): Embedded<tf.Tensor>;
  /** `z̄ = [I(x0); P(x_nh)]` `[N, prediction]` from a batch (eq 3, 8). */
  interact(input: ModelInput): tf.Tensor;
  /** `z̄` from already embedded inputs (e.g. after the Dropout baseline zeroed `x_h`). */
  interactEmbedded(embedded: Embedded<tf.Tensor>): tf.Tensor;
  /** The prediction module `F`: logits `[N, T]` from `z̄` (original or mixed, eq 8). */
  predict(zBar: tf.Tensor): tf.Tensor;
  /**
   * The inference forward of `@thaw/model` (`forward`): embed → ALDI swap for cold rows →
   * interact → predict → calibration → eq 12, returning logits, probabilities, scores, `z̄` and the
   * embedded inputs.
   */
  forward(input: ModelInput, options?: ForwardOptions): ForwardResult<tf.Tensor>;
  /** Task probabilities `[N, T]`: `σ(logits)`, Platt-calibrated when `options.calibration` is given. */
  probabilities(input: ModelInput, options?: ForwardOptions): tf.Tensor;
  /** Ranking scores `s = Σ_t u_t·ŷ_t` `[N]` (eq 12) of {@link ThawModel.probabilities}. */
  scores(input: ModelInput, options?: ForwardOptions): tf.Tensor;
  /** The current parameter values as host tensors (copies). */
  getWeights(): Promise<Record<string, Tensor<'float32'>>>;
  /** Assigns parameter values; every name of the model must be given with its shape. */
  setWeights(tensors: Readonly<Record<string, Tensor>>): void;
  /** Frees the variables. */
  dispose(): void;
}

/** Options of {@link buildModel}. */
export interface BuildModelOptions {
  /** Seed of the parameter initialisation (`initParameters` of `@thaw/model`); default 0. */
  readonly seed?: number;
  /** Initial values to use instead of a seeded init (e.g. weights exported by another run). */
  readonly weights?: Readonly<Record<string, Tensor>>;
}

let modelCounter = 0;

/** `tf.tidy` for a function returning an object of tensors that tfjs's container type does not describe. */
function tidyAll<R>(fn: () => R): R {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as R;
}

/**
 * Builds the model a spec describes on tfjs: a `tf.Variable` per parameter of
 * `parameterInfos(spec)` (seeded Glorot/normal init from `@thaw/model`), with `interact`,
 * `predict`, `forward` and `scores` (eq 12). Its trainable parameter count equals
 * `countParameters(spec).total`.
 *
 * Call {@link useTfjsBackend} first to train on wasm.
 *
 * @throws TypeError when `options.weights` lacks a parameter, has a wrong shape or dtype, or has
 * extra tensors (`assertParameters` of `@thaw/model`).
 * @example
 * ```ts
 * import { buildModel, useTfjsBackend } from '@thaw/tfjs';
 * import { demoSpec } from '@thaw/spec';
 * await useTfjsBackend();
 * const model = buildModel(demoSpec, { seed: 1 });
 * const scores = model.scores(batch); // tf.Tensor1D [N]
 * ```
 */
export function buildModel(spec: ModelSpec, options: BuildModelOptions = {}): ThawModel {
  const initial = options.weights ?? initParameters(spec, options.seed ?? 0);
  assertParameters(spec, initial, 'buildModel: options.weights');
  modelCounter += 1;
  const prefix = `thaw/${spec.name}/${modelCounter}/`;
  const variables: Record<string, tf.Variable> = {};
  for (const info of parameterInfos(spec)) {
    const value = initial[info.name] as Tensor;
    variables[info.name] = tf.tidy(() => tf.variable(toTfjs(value), true, `${prefix}${info.name}`, 'float32'));
  }
  const parameterCount = Object.values(variables).reduce((n, v) => n + v.size, 0);
  const ops = tfjsOps;

  const embedded = (input: ModelInput) => embed(ops, spec, variables, featureTensors(spec, input));
  const coldMaskOf = (input: ModelInput, options: ForwardOptions): tf.Tensor | undefined => {
    if (options.isCold !== undefined) return options.isCold;
    if (isFeatureBatch(input) && input.isCold !== undefined) return toTfjs(input.isCold);
    return undefined;
  };
  const forward = (input: ModelInput, options: ForwardOptions = {}): ForwardResult<tf.Tensor> =>
    tidyAll(() => {
      const coldMask = options.aldi === false ? undefined : coldMaskOf(input, options);
      return modelForward(ops, spec, variables, featureTensors(spec, input), {
        ...(coldMask === undefined ? {} : { coldMask }),
        ...(options.calibration === undefined ? {} : { calibration: options.calibration }),
      });
    });

  const model: ThawModel = {
    spec,
    variables,
    parameterCount,
    embed: (input) => tidyAll(() => embedded(input)),
    interact: (input) => tf.tidy(() => interact(ops, spec, variables, embedded(input))),
    interactEmbedded: (e) => tf.tidy(() => interact(ops, spec, variables, e)),
    predict: (zBar) => tf.tidy(() => predict(ops, spec, variables, zBar)),
    forward,
    // The tidy frees forward's z̄ and embedded inputs but never the caller's tensors, which embed
    // may pass through as x_h or x_nh (a group of one dense feature without stats).
    probabilities: (input, options) => tf.tidy(() => forward(input, options).probabilities),
    scores: (input, options) => tf.tidy(() => forward(input, options).scores),
    async getWeights() {
      const out: Record<string, Tensor<'float32'>> = {};
      for (const [name, v] of Object.entries(variables)) out[name] = (await fromTfjs(v)) as Tensor<'float32'>;
      return out;
    },
    setWeights(tensors) {
      assertParameters(spec, tensors, 'setWeights: the tensors');
      for (const [name, v] of Object.entries(variables)) {
        tf.tidy(() => v.assign(toTfjs(tensors[name] as Tensor)));
      }
    },
    dispose() {
      tf.dispose(Object.values(variables));
    },
  };
  return model;
}
