import * as tf from '@tensorflow/tfjs-core';
import { warmerObjective } from '@thaw/losses';
import { createMixupPlan, type MixupPlan, mixRows, randomDerangement } from '@thaw/mixup';
import {
  aldiStudent,
  dropHistorical,
  type Embedded,
  embed,
  historicalDropMask,
  interact,
  itemHistorical,
  type ParameterComponent,
  type Params,
  parameterInfos,
  predict,
  replaceItemHistorical,
} from '@thaw/model';
import type { FeatureBatch, ModelSpec } from '@thaw/spec';
import type { Rng } from '@thaw/tensor';
import { aldiDistillationLoss } from '../baselines/aldi-distillation.js';
import type { ThawModel } from '../model/build-model.js';
import { featureTensors } from '../model/feature-tensors.js';
import { stopGradient } from '../tfjs/stop-gradient.js';
import { toTfjs } from '../tfjs/tensor-adapter.js';
import { tfjsOps } from '../tfjs/tfjs-ops.js';
import type { Optimizer } from './optimizer.js';

/** The names of the loss terms a step reports, in the order of its terms tensor. */
export const LOSS_TERMS = ['total', 'bce', 'mixup', 'scoreReg', 'aldi'] as const;

/** One value per {@link LOSS_TERMS} entry. */
export type LossTerms = Readonly<Record<(typeof LOSS_TERMS)[number], number>>;

/** The resolved objective of a run (from the spec, overridden by train options). */
export interface StepConfig {
  /** λ1: weight of the mixup term (0 = no mixup pass). */
  readonly lambda1: number;
  /** λ2: weight of ScoreReg (0 = off). */
  readonly lambda2: number;
  /** Beta(α, α) concentration of mixup. */
  readonly alpha: number;
  /** One λ per sample instead of per batch. */
  readonly perSample: boolean;
  /** Where mixup acts: the interaction output `z̄` (eq 8) or the embedded inputs `x0`. */
  readonly mixupLayer: 'interaction' | 'input';
  readonly scoreReg: { readonly kernel: 'mean' | 'rbf'; readonly bandwidth: number; readonly condition?: 'none' | 'label' };
  /** Dropout baseline: probability of zeroing a sample's historical inputs (0 = off). */
  readonly dropoutRate: number;
  /** ALDI baseline: `'joint'` trains everything, `'student'` only the student; undefined = off. */
  readonly aldiStage?: 'joint' | 'student';
}

/** Resolves the objective of a run from the spec's `coldStart` section. */
export function stepConfigFromSpec(spec: ModelSpec): StepConfig {
  const { mixup, scoreReg, dropout, aldi } = spec.coldStart;
  return {
    lambda1: mixup.enabled ? mixup.weight : 0,
    lambda2: scoreReg.enabled ? scoreReg.weight : 0,
    alpha: mixup.alpha,
    perSample: mixup.perSample,
    mixupLayer: mixup.layer,
    scoreReg: { kernel: scoreReg.kernel, bandwidth: scoreReg.bandwidth, condition: scoreReg.condition },
    dropoutRate: dropout.enabled ? dropout.rate : 0,
    ...(aldi.enabled ? { aldiStage: 'joint' as const } : {}),
  };
}

/** The parameters `interact` and `predict` read (not the embedding tables, not the ALDI student). */
const FROZEN_COMPONENTS: ReadonlySet<ParameterComponent> = new Set(['cross', 'deep', 'residual', 'experts', 'gates', 'towers']);
const frozenNames = new WeakMap<ModelSpec, ReadonlySet<string>>();

/**
 * The model's parameters with a zero gradient on those `interact`/`predict` read, so a loss computed
 * through them trains nothing but the student. Only those are wrapped: each `stopGradient` copies
 * its tensor on wasm, and the embedding tables (ref-m's item table is 100,000 × 32) are never read
 * on the frozen path.
 */
function frozen(spec: ModelSpec, params: Params<tf.Tensor>): Params<tf.Tensor> {
  let names = frozenNames.get(spec);
  if (names === undefined) {
    names = new Set(parameterInfos(spec).flatMap((info) => (FROZEN_COMPONENTS.has(info.component) ? [info.name] : [])));
    frozenNames.set(spec, names);
  }
  const out: Record<string, tf.Tensor> = {};
  for (const [name, value] of Object.entries(params)) out[name] = names.has(name) ? stopGradient(value) : value;
  return out;
}

/**
 * ALDI: the student's distillation loss for this batch (teacher = the model itself, its outputs
 * and inputs held constant; only the `aldi.*` parameters receive gradients). With `freeze` false
 * (the `'student'` stage, where only `aldi.*` variables are differentiated) nothing needs a
 * stopped gradient: no other variable is on the gradient's path.
 */
function aldiLoss(
  model: ThawModel,
  e: Embedded<tf.Tensor>,
  logits: tf.Tensor,
  isCold: tf.Tensor,
  partner: Int32Array,
  freeze: boolean,
): tf.Tensor {
  const spec = model.spec;
  const ops = tfjsOps;
  const hold = <T extends tf.Tensor>(x: T): T => (freeze ? stopGradient(x) : x);
  const teacherInputs = { historical: hold(e.historical), nonHistorical: hold(e.nonHistorical) };
  const params = freeze ? frozen(spec, model.variables) : model.variables;
  const studentItem = aldiStudent(ops, spec, model.variables, teacherInputs.nonHistorical);
  const everyRow = tf.onesLike(isCold);
  const swapped = replaceItemHistorical(ops, spec, teacherInputs, studentItem, everyRow);
  const studentLogits = predict(ops, spec, params, interact(ops, spec, params, swapped));
  const { weights } = spec.coldStart.aldi;
  return aldiDistillationLoss(ops, {
    teacherLogits: hold(logits),
    studentLogits,
    teacherItem: itemHistorical(ops, spec, teacherInputs.historical),
    studentItem,
    warm: tf.sub(everyRow, isCold),
    partner: tf.tensor1d(partner, 'int32'),
    weights,
  }).total;
}

function requireBatch(batch: FeatureBatch, config: StepConfig, label: string): void {
  if (batch.labels === undefined) throw new TypeError(`train: ${label} has no labels; training needs FeatureBatch.labels [N, T]`);
  if (batch.isCold === undefined && (config.lambda2 > 0 || config.aldiStage !== undefined)) {
    throw new TypeError(
      `train: ${label} has no isCold, which ScoreReg and ALDI need; give FeatureBatch.isCold or disable coldStart.scoreReg / coldStart.aldi`,
    );
  }
  if (batch.size < 2 && (config.lambda1 > 0 || config.aldiStage !== undefined)) {
    throw new RangeError(`train: ${label} has ${batch.size} row; mixup and ALDI pair rows, so batches need at least 2 rows`);
  }
}

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  /**
   * Mix with these partners and λ instead of drawing them from `rng` (nothing is drawn for mixup
   * then): for comparing a step with a reference that fixed them, such as the PyTorch fixture.
   */
  readonly mixupPlan?: MixupPlan;
  /** How errors name the batch, e.g. `'the batch of step 7 (epoch 1, batch 3)'`; default `'a batch'`. */
  readonly batchLabel?: string;
}

/**
 * One optimisation step of the Warmer-for-Less objective (eq 11) on tfjs: embed → (Dropout
 * baseline) → `z̄ = I(x)` → `ŷ = F(z̄)`, mixup `F(z̄_mix)` (eq 8), `BCE + λ1·BCE_mix + λ2·L_MMD`
 * (+ the ALDI student's distillation loss), gradients, optimizer update. Randomness (dropout mask,
 * mixup pairs and λ, ALDI pairs) comes from `rng`, in that order.
 *
 * In ALDI's `'student'` stage only the `aldi.*` parameters train, on the distillation loss alone:
 * the mixup pass is skipped (no mixup draw; `mixup` reported as 0) and `bce`/`scoreReg` describe the
 * frozen model.
 *
 * Nothing is read back: the loss terms come back as a `[5]` tensor (order {@link LOSS_TERMS}) for
 * the caller to read and dispose.
 *
 * @throws TypeError for a batch without labels (or `isCold` when ScoreReg/ALDI need it),
 * RangeError for a batch of one row when mixup or ALDI pair rows.
 * @example
 * ```ts
 * const optimizer = createOptimizer({ kind: 'adam', learningRate: 1e-3 });
 * const terms = trainStep(model, batch, createRng(0), stepConfigFromSpec(model.spec), optimizer);
 * const [total, bce, mixup, scoreReg, aldi] = await terms.data();
 * terms.dispose();
 * ```
 */
export function trainStep(
  model: ThawModel,
  batch: FeatureBatch,
  rng: Rng,
  config: StepConfig,
  optimizer: Optimizer,
  options: TrainStepOptions = {},
): tf.Tensor1D {
  requireBatch(batch, config, options.batchLabel ?? 'a batch');
  const spec = model.spec;
  const ops = tfjsOps;
  const n = batch.size;
  const studentOnly = config.aldiStage === 'student';
  const dropMask = config.dropoutRate > 0 ? historicalDropMask(rng, n, config.dropoutRate) : undefined;
  const plan =
    config.lambda1 > 0 && !studentOnly
      ? (options.mixupPlan ?? createMixupPlan(n, { alpha: config.alpha, rng, perSample: config.perSample }))
      : undefined;
  const aldiPartner = config.aldiStage !== undefined ? randomDerangement(rng, n) : undefined;
  const trainable = studentOnly
    ? Object.entries(model.variables).filter(([name]) => name.startsWith('aldi.'))
    : Object.entries(model.variables);
  const nameOf = new Map(trainable.map(([name, v]) => [v.name, name]));
  let terms: tf.Tensor1D | undefined;
  const { value, grads } = tf.variableGrads(
    () => {
      const features = featureTensors(spec, batch);
      const labels = toTfjs(batch.labels as NonNullable<FeatureBatch['labels']>);
      const isCold = batch.isCold === undefined ? undefined : toTfjs(batch.isCold);
      let e = embed(ops, spec, model.variables, features);
      if (dropMask !== undefined) e = dropHistorical(ops, e, tf.tensor1d(dropMask));
      const zBar = interact(ops, spec, model.variables, e);
      const logits = predict(ops, spec, model.variables, zBar);
      let mixed: { mixedLogits: tf.Tensor; mixedLabels: tf.Tensor } | undefined;
      if (plan !== undefined) {
        let mixedZBar: tf.Tensor;
        if (config.mixupLayer === 'input') {
          const dh = e.historical.shape[1] as number;
          const x0 = mixRows(ops, tf.concat([e.historical, e.nonHistorical], 1), plan);
          const mixedInputs = { historical: tf.slice(x0, [0, 0], [-1, dh]), nonHistorical: tf.slice(x0, [0, dh], [-1, -1]) };
          mixedZBar = interact(ops, spec, model.variables, mixedInputs);
        } else mixedZBar = mixRows(ops, zBar, plan);
        mixed = { mixedLogits: predict(ops, spec, model.variables, mixedZBar), mixedLabels: mixRows(ops, labels, plan) };
      }
      const objective = warmerObjective(ops, {
        labels,
        logits,
        ...(mixed ?? {}),
        ...(isCold === undefined ? {} : { isCold }),
        lambda1: studentOnly ? 0 : config.lambda1,
        lambda2: config.lambda2,
        taskLosses: spec.tasks.map((t) => t.loss),
        scoreRegOptions: config.scoreReg,
      });
      let total: tf.Tensor = objective.total;
      let aldi: tf.Tensor = tf.scalar(0);
      if (aldiPartner !== undefined) {
        aldi = aldiLoss(model, e, logits, isCold as tf.Tensor, aldiPartner, !studentOnly);
        total = studentOnly ? aldi : tf.add(total, aldi);
      }
      terms = tf.keep(tf.stack([total, objective.bce, objective.mixup, objective.scoreReg, aldi]) as tf.Tensor1D);
      return total as tf.Scalar;
    },
    trainable.map(([, v]) => v),
  );
  const byName: Record<string, tf.Tensor> = {};
  for (const [tfName, g] of Object.entries(grads)) byName[nameOf.get(tfName) ?? tfName] = g;
  optimizer.apply(model.variables, byName);
  tf.dispose([value, ...Object.values(grads)]);
  return terms as tf.Tensor1D;
}
