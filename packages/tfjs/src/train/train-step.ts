import * as tf from '@tensorflow/tfjs-core';
import type { MixupPlan } from '@thaw/mixup';
import { distills, drawObjectiveRandomness, LOSS_TERMS, type ObjectiveConfig, trainingObjective } from '@thaw/model';
import type { FeatureBatch } from '@thaw/spec';
import type { Rng } from '@thaw/tensor';
import { stopGradient } from '../backend/stop-gradient.js';
import { toTfjs } from '../backend/tensor-adapter.js';
import { tfjsOps } from '../backend/tfjs-ops.js';
import type { ThawModel } from '../model/build-model.js';
import { featureTensors } from '../model/feature-tensors.js';
import type { Optimizer } from './optimizer.js';

function requireBatch(batch: FeatureBatch, config: ObjectiveConfig, label: string): void {
  if (batch.labels === undefined) throw new TypeError(`train: ${label} has no labels; training needs FeatureBatch.labels [N, T]`);
  if (batch.isCold === undefined && (config.lambda2 > 0 || distills(config))) {
    throw new TypeError(
      `train: ${label} has no isCold, which ScoreReg and ALDI need; give FeatureBatch.isCold or disable coldStart.scoreReg / coldStart.aldi`,
    );
  }
  if (batch.size < 2 && (config.lambda1 > 0 || distills(config))) {
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
 * One optimisation step on tfjs: the objective of `trainingObjective` of `@thaw/model` (eq 8 and
 * 11 with the Dropout and ALDI baselines, written once against `Ops<T>`) run on {@link tfjsOps},
 * its gradients by tfjs autodiff, and the optimizer's update. Randomness (dropout mask, mixup pairs
 * and λ, ALDI pairs) is drawn from `rng` by `drawObjectiveRandomness`, in that order.
 *
 * In ALDI's `'teacher'` stage everything but the student trains, on eq 11 alone (no distillation
 * term, no ALDI draw). In ALDI's `'student'` stage only the `aldi.*` parameters train, on the distillation loss alone:
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
 * const terms = trainStep(model, batch, createRng(0), objectiveConfigFromSpec(model.spec), optimizer);
 * const [total, bce, mixup, scoreReg, aldi] = await terms.data();
 * terms.dispose();
 * ```
 */
export function trainStep(
  model: ThawModel,
  batch: FeatureBatch,
  rng: Rng,
  config: ObjectiveConfig,
  optimizer: Optimizer,
  options: TrainStepOptions = {},
): tf.Tensor1D {
  requireBatch(batch, config, options.batchLabel ?? 'a batch');
  const spec = model.spec;
  const draws = drawObjectiveRandomness(rng, batch.size, config, options.mixupPlan);
  // 'student': only the student trains; 'teacher': everything but the student (it is not in the loss).
  const trainable = Object.entries(model.variables).filter(([name]) =>
    config.aldiStage === 'student' ? name.startsWith('aldi.') : config.aldiStage !== 'teacher' || !name.startsWith('aldi.'),
  );
  const nameOf = new Map(trainable.map(([name, v]) => [v.name, name]));
  let terms: tf.Tensor1D | undefined;
  const { value, grads } = tf.variableGrads(
    () => {
      const inputs = {
        features: featureTensors(spec, batch),
        labels: toTfjs(batch.labels as NonNullable<FeatureBatch['labels']>),
        ...(batch.isCold === undefined ? {} : { isCold: toTfjs(batch.isCold) }),
      };
      const objective = trainingObjective(tfjsOps, spec, model.variables, inputs, config, draws, { stopGradient });
      terms = tf.keep(tf.stack(LOSS_TERMS.map((term) => objective[term])) as tf.Tensor1D);
      return objective.total as tf.Scalar;
    },
    trainable.map(([, v]) => v),
  );
  const byName: Record<string, tf.Tensor> = {};
  for (const [tfName, g] of Object.entries(grads)) byName[nameOf.get(tfName) ?? tfName] = g;
  optimizer.apply(model.variables, byName);
  tf.dispose([value, ...Object.values(grads)]);
  return terms as tf.Tensor1D;
}
