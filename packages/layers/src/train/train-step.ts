import * as tf from '@tensorflow/tfjs-core';
import { warmerObjective } from '@thaw/losses';
import { manifoldMixup, randomDerangement } from '@thaw/mixup';
import {
  aldiStudent,
  dropHistorical,
  type Embedded,
  embed,
  historicalDropMask,
  interact,
  itemHistorical,
  type Params,
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
  readonly scoreReg: { readonly kernel: 'mean' | 'rbf'; readonly bandwidth: number };
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
    scoreReg: { kernel: scoreReg.kernel, bandwidth: scoreReg.bandwidth },
    dropoutRate: dropout.enabled ? dropout.rate : 0,
    ...(aldi.enabled ? { aldiStage: 'joint' as const } : {}),
  };
}

function frozen(params: Params<tf.Tensor>): Params<tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, value] of Object.entries(params)) out[name] = name.startsWith('aldi.') ? value : stopGradient(value);
  return out;
}

/**
 * ALDI: the student's distillation loss for this batch (teacher = the model itself, its outputs
 * and inputs held constant; only the `aldi.*` parameters receive gradients).
 */
function aldiLoss(
  model: ThawModel,
  e: Embedded<tf.Tensor>,
  logits: tf.Tensor,
  isCold: tf.Tensor,
  partner: Int32Array,
): tf.Tensor {
  const spec = model.spec;
  const ops = tfjsOps;
  const teacherInputs = { historical: stopGradient(e.historical), nonHistorical: stopGradient(e.nonHistorical) };
  const params = frozen(model.variables);
  const studentItem = aldiStudent(ops, spec, model.variables, teacherInputs.nonHistorical);
  const everyRow = tf.onesLike(isCold);
  const swapped = replaceItemHistorical(ops, spec, teacherInputs, studentItem, everyRow);
  const studentLogits = predict(ops, spec, params, interact(ops, spec, params, swapped));
  const { weights } = spec.coldStart.aldi;
  return aldiDistillationLoss(ops, {
    teacherLogits: stopGradient(logits),
    studentLogits,
    teacherItem: itemHistorical(ops, spec, teacherInputs.historical),
    studentItem,
    warm: tf.sub(everyRow, isCold),
    partner: tf.tensor1d(partner, 'int32'),
    weights,
  }).total;
}

function requireBatch(batch: FeatureBatch, config: StepConfig): void {
  if (batch.labels === undefined) throw new TypeError('train: a batch has no labels; training needs FeatureBatch.labels [N, T]');
  if (batch.isCold === undefined && (config.lambda2 > 0 || config.aldiStage !== undefined)) {
    throw new TypeError(
      'train: a batch has no isCold, which ScoreReg and ALDI need; give FeatureBatch.isCold or disable coldStart.scoreReg / coldStart.aldi',
    );
  }
  if (batch.size < 2 && (config.lambda1 > 0 || config.aldiStage !== undefined)) {
    throw new RangeError(`train: a batch has ${batch.size} row; mixup and ALDI pair rows, so batches need at least 2 rows`);
  }
}

/**
 * One optimisation step of the Warmer-for-Less objective (eq 11) on tfjs: embed → (Dropout
 * baseline) → `z̄ = I(x)` → `ŷ = F(z̄)`, mixup `F(z̄_mix)` (eq 8), `BCE + λ1·BCE_mix + λ2·L_MMD`
 * (+ the ALDI student's distillation loss), gradients, optimizer update. Randomness (dropout mask,
 * mixup pairs and λ, ALDI pairs) comes from `rng`, in that order.
 *
 * Nothing is read back: the loss terms come back as a `[5]` tensor (order {@link LOSS_TERMS}) for
 * the caller to read and dispose.
 */
export function trainStep(
  model: ThawModel,
  batch: FeatureBatch,
  rng: Rng,
  config: StepConfig,
  optimizer: Optimizer,
): tf.Tensor1D {
  requireBatch(batch, config);
  const spec = model.spec;
  const ops = tfjsOps;
  const n = batch.size;
  const dropMask = config.dropoutRate > 0 ? historicalDropMask(rng, n, config.dropoutRate) : undefined;
  const trainable =
    config.aldiStage === 'student'
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
      if (config.lambda1 > 0) {
        const options = { alpha: config.alpha, rng, perSample: config.perSample };
        if (config.mixupLayer === 'input') {
          const dh = e.historical.shape[1] as number;
          const m = manifoldMixup(ops, tf.concat([e.historical, e.nonHistorical], 1), labels, options);
          const xh = tf.slice(m.zMixed, [0, 0], [-1, dh]);
          const xnh = tf.slice(m.zMixed, [0, dh], [-1, -1]);
          mixed = {
            mixedLogits: predict(
              ops,
              spec,
              model.variables,
              interact(ops, spec, model.variables, { historical: xh, nonHistorical: xnh }),
            ),
            mixedLabels: m.yMixed,
          };
        } else {
          const m = manifoldMixup(ops, zBar, labels, options);
          mixed = { mixedLogits: predict(ops, spec, model.variables, m.zMixed), mixedLabels: m.yMixed };
        }
      }
      const objective = warmerObjective(ops, {
        labels,
        logits,
        ...(mixed ?? {}),
        ...(isCold === undefined ? {} : { isCold }),
        lambda1: config.lambda1,
        lambda2: config.lambda2,
        taskLosses: spec.tasks.map((t) => t.loss),
        scoreRegOptions: config.scoreReg,
      });
      let total: tf.Tensor = objective.total;
      let aldi: tf.Tensor = tf.scalar(0);
      if (config.aldiStage !== undefined) {
        aldi = aldiLoss(model, e, logits, isCold as tf.Tensor, randomDerangement(rng, n));
        total = config.aldiStage === 'student' ? aldi : tf.add(total, aldi);
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
