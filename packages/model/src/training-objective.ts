import { aldiDistillationLoss, warmerObjective } from '@thaw/losses';
import { mixRows } from '@thaw/mixup';
import type { ModelSpec } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { aldiStudent, itemHistorical, replaceItemHistorical } from './aldi.js';
import { dropToColdValues } from './dropout.js';
import { type Embedded, embed } from './embed.js';
import { interact } from './interact.js';
import { distills, type LossTerm, type ObjectiveConfig, type ObjectiveDraws } from './objective-config.js';
import { type ParameterComponent, parameterInfos } from './parameter-infos.js';
import type { Params } from './params.js';
import { predict } from './predict.js';

/** The batch {@link trainingObjective} is computed on, on the backend. */
export interface ObjectiveInputs<T> {
  /** One tensor per spec feature (`featuresOnBackend` of `@thaw/model`, or the backend's own conversion). */
  readonly features: Readonly<Record<string, T>>;
  /** `[N, T]` labels, tasks in spec order. */
  readonly labels: T;
  /** `[N]` float, 1 = cold item. Required by ScoreReg (λ2 > 0) and ALDI. */
  readonly isCold?: T;
}

/** Options of {@link trainingObjective}. */
export interface TrainingObjectiveOptions<T> {
  /**
   * The autodiff backend's stop-gradient (identity forward, zero gradient), which ALDI's joint stage
   * needs to hold the teacher constant. Default: the identity — right for backends without
   * gradients (the reference backend, the ONNX builder).
   */
  readonly stopGradient?: (x: T) => T;
}

/** The parameters `interact` and `predict` read (not the embedding tables, not the ALDI student). */
const FROZEN_COMPONENTS: ReadonlySet<ParameterComponent> = new Set(['cross', 'deep', 'residual', 'experts', 'gates', 'towers']);
const frozenNames = new WeakMap<ModelSpec, ReadonlySet<string>>();

/**
 * The model's parameters with a stopped gradient on those `interact`/`predict` read, so a loss
 * computed through them trains nothing but the student. Only those are wrapped: a stop-gradient may
 * copy its tensor (it does on tfjs-wasm), and the embedding tables are never read on this path.
 */
function frozen<T>(spec: ModelSpec, params: Params<T>, stopGradient: (x: T) => T): Params<T> {
  let names = frozenNames.get(spec);
  if (names === undefined) {
    names = new Set(parameterInfos(spec).flatMap((info) => (FROZEN_COMPONENTS.has(info.component) ? [info.name] : [])));
    frozenNames.set(spec, names);
  }
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(params)) out[name] = names.has(name) ? stopGradient(value) : value;
  return out;
}

/**
 * ALDI: the student's distillation loss for this batch (teacher = the model itself, its outputs and
 * inputs held constant in the joint stage; only the `aldi.*` parameters then receive gradients).
 * In the `'student'` stage nothing needs a stopped gradient: only `aldi.*` parameters are
 * differentiated.
 */
function aldiTerm<T>(
  ops: Ops<T>,
  spec: ModelSpec,
  params: Params<T>,
  e: Embedded<T>,
  logits: T,
  isCold: T,
  partner: Int32Array,
  hold: ((x: T) => T) | undefined,
): T {
  const keep = hold ?? ((x: T) => x);
  const teacherInputs = { historical: keep(e.historical), nonHistorical: keep(e.nonHistorical) };
  const through = hold === undefined ? params : frozen(spec, params, hold);
  const studentItem = aldiStudent(ops, spec, params, teacherInputs.nonHistorical);
  const n = partner.length;
  // Ones shaped like the batch's cold mask, so a graph backend keeps the batch axis symbolic.
  const everyRow = ops.add(ops.zerosLike(isCold), ops.scalar(1));
  const swapped = replaceItemHistorical(ops, spec, teacherInputs, studentItem, everyRow);
  const studentLogits = predict(ops, spec, through, interact(ops, spec, through, swapped));
  return aldiDistillationLoss(ops, {
    teacherLogits: keep(logits),
    studentLogits,
    teacherItem: itemHistorical(ops, spec, teacherInputs.historical),
    studentItem,
    warm: ops.sub(everyRow, isCold),
    partner: ops.constant(partner, [n], 'int32'),
    weights: spec.coldStart.aldi.weights,
  }).total;
}

/**
 * The training objective of one batch, eq 11 with the paper's baselines, written once for every
 * backend: embed → (Dropout baseline: zero `x_h` of the dropped rows) → `z̄ = I(x)` (eq 3) →
 * `ŷ = F(z̄)`; mixup (eq 7–8) mixes `z̄` (or the embedded inputs `x0`, `mixupLayer: 'input'`) and
 * the labels with the drawn plan and runs `F` on the mix; then
 * `total = BCE(ŷ, y) + λ1·BCE(ŷ_mix, y_mix) + λ2·L_MMD` (`warmerObjective` of `@thaw/losses`), plus
 * the ALDI student's distillation loss when the baseline is on (`'student'` stage: that loss alone).
 *
 * Differentiate `total` with the backend's autodiff (`trainStep` of `@thaw/tfjs` does, and applies
 * the optimizer); the other terms are for logging. Randomness comes in through `draws`
 * ({@link drawObjectiveRandomness}), so the objective itself is deterministic.
 *
 * @returns one scalar per {@link LOSS_TERMS} entry; `mixup` is 0 without a mixup pass and `aldi` 0
 *   without the ALDI baseline.
 * @throws TypeError when ScoreReg or ALDI is on and `inputs.isCold` is missing.
 * @example
 * ```ts
 * import { drawObjectiveRandomness, featuresOnBackend, initParameters, objectiveConfigFromSpec, paramsOnBackend, trainingObjective } from '@thaw/model';
 * import { createRng, referenceOps as ops } from '@thaw/tensor';
 * const config = objectiveConfigFromSpec(spec);
 * const terms = trainingObjective(ops, spec, paramsOnBackend(ops, initParameters(spec, 1)),
 *   { features: featuresOnBackend(ops, spec, batch), labels: batch.labels, isCold: batch.isCold },
 *   config, drawObjectiveRandomness(createRng(7), batch.size, config));
 * terms.total; // a scalar
 * ```
 */
export function trainingObjective<T>(
  ops: Ops<T>,
  spec: ModelSpec,
  params: Params<T>,
  inputs: ObjectiveInputs<T>,
  config: ObjectiveConfig,
  draws: ObjectiveDraws,
  options: TrainingObjectiveOptions<T> = {},
): Record<LossTerm, T> {
  const { labels, isCold } = inputs;
  const studentOnly = config.aldiStage === 'student';
  if (isCold === undefined && (config.lambda2 > 0 || distills(config))) {
    throw new TypeError(
      'trainingObjective: inputs.isCold is missing, which ScoreReg and ALDI need; give it or disable coldStart.scoreReg / coldStart.aldi',
    );
  }
  let e = embed(ops, spec, params, inputs.features);
  if (draws.dropMask !== undefined) {
    e = dropToColdValues(ops, spec, params, e, ops.constant(draws.dropMask, [draws.dropMask.length]));
  }
  const zBar = interact(ops, spec, params, e);
  const logits = predict(ops, spec, params, zBar);
  const plan = studentOnly ? undefined : draws.mixupPlan;
  let mixed: { mixedLogits: T; mixedLabels: T } | undefined;
  if (plan !== undefined && config.lambda1 > 0) {
    let mixedZBar: T;
    if (config.mixupLayer === 'input') {
      const dh = ops.shape(e.historical)[1] as number;
      const x0 = mixRows(ops, ops.concat([e.historical, e.nonHistorical], 1), plan);
      const mixedInputs = { historical: ops.slice(x0, [0, 0], [-1, dh]), nonHistorical: ops.slice(x0, [0, dh], [-1, -1]) };
      mixedZBar = interact(ops, spec, params, mixedInputs);
    } else mixedZBar = mixRows(ops, zBar, plan);
    mixed = { mixedLogits: predict(ops, spec, params, mixedZBar), mixedLabels: mixRows(ops, labels, plan) };
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
  let total = objective.total;
  let aldi = ops.scalar(0);
  if (distills(config)) {
    if (draws.aldiPartner === undefined) {
      throw new TypeError('trainingObjective: ALDI is on but draws.aldiPartner is missing; draw it with drawObjectiveRandomness');
    }
    const hold = studentOnly ? undefined : (options.stopGradient ?? ((x: T) => x));
    aldi = aldiTerm(ops, spec, params, e, logits, isCold as T, draws.aldiPartner, hold);
    total = studentOnly ? aldi : ops.add(total, aldi);
  }
  return { total, bce: objective.bce, mixup: objective.mixup, scoreReg: objective.scoreReg, aldi };
}
