import { createMixupPlan, type MixupPlan, randomDerangement } from '@thaw/mixup';
import type { ModelSpec } from '@thaw/spec';
import type { Rng } from '@thaw/tensor';
import { historicalDropMask } from './dropout.js';

/** A stage of the ALDI baseline (see {@link ObjectiveConfig.aldiStage}). */
export type AldiStage = 'teacher' | 'joint' | 'student';

/** The names of the loss terms of {@link trainingObjective}, in the order a training step reports them. */
export const LOSS_TERMS = ['total', 'bce', 'mixup', 'scoreReg', 'aldi'] as const;

/** The name of one loss term. */
export type LossTerm = (typeof LOSS_TERMS)[number];

/** One value per {@link LOSS_TERMS} entry. */
export type LossTerms = Readonly<Record<LossTerm, number>>;

/** The resolved objective of a run (eq 11 and the baselines), from the spec, possibly overridden by train options. */
export interface ObjectiveConfig {
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
  /** ScoreReg's kernel, RBF bandwidth and conditioning (`'label'`: warm and cold compared within each label). */
  readonly scoreReg: { readonly kernel: 'mean' | 'rbf'; readonly bandwidth: number; readonly condition?: 'none' | 'label' };
  /** Dropout baseline: probability of showing a sample with a cold item's historical inputs (`dropToColdValues`; 0 = off). */
  readonly dropoutRate: number;
  /**
   * ALDI baseline: `'joint'` trains the model (eq 11) and the student (distillation) together;
   * the two stages of ALDI's paper are `'teacher'` (the model alone on eq 11, the student
   * untouched and no distillation term) then `'student'` (only the student, on the distillation
   * loss against the frozen model); undefined = off.
   */
  readonly aldiStage?: AldiStage;
}

/**
 * Resolves the objective of a run from the spec's `coldStart` section.
 *
 * @example
 * ```ts
 * objectiveConfigFromSpec(demoSpec).lambda1; // 0.2 when coldStart.mixup is enabled with the paper's weight, else 0
 * ```
 */
export function objectiveConfigFromSpec(spec: ModelSpec): ObjectiveConfig {
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

/** True when the objective has ALDI's distillation term (stages `'joint'` and `'student'`). */
export function distills(config: ObjectiveConfig): boolean {
  return config.aldiStage === 'joint' || config.aldiStage === 'student';
}

/** The random choices of one training step, drawn by {@link drawObjectiveRandomness}. */
export interface ObjectiveDraws {
  /** Dropout baseline: `[N]`, 1 = show this row with a cold item's historical inputs. */
  readonly dropMask?: Float32Array;
  /** Mixup partners and λ (eq 7–8). */
  readonly mixupPlan?: MixupPlan;
  /** ALDI: the row each row is ranked against (a derangement of the batch). */
  readonly aldiPartner?: Int32Array;
}

/**
 * Draws what {@link trainingObjective} needs at random for a batch of `size` rows, from `rng`, in
 * this order: the Dropout mask, the mixup plan (not in ALDI's `'student'` stage, which has no mixup
 * pass), the ALDI partners. The same seed gives the same draws on every backend.
 *
 * @param mixupPlan use this plan instead of drawing one (nothing is drawn for mixup then), e.g. the
 *   partners and λ a reference implementation fixed.
 * @example
 * ```ts
 * const draws = drawObjectiveRandomness(createRng(7), batch.size, objectiveConfigFromSpec(spec));
 * ```
 */
export function drawObjectiveRandomness(rng: Rng, size: number, config: ObjectiveConfig, mixupPlan?: MixupPlan): ObjectiveDraws {
  const studentOnly = config.aldiStage === 'student';
  const dropMask = config.dropoutRate > 0 ? historicalDropMask(rng, size, config.dropoutRate) : undefined;
  const plan =
    config.lambda1 > 0 && !studentOnly
      ? (mixupPlan ?? createMixupPlan(size, { alpha: config.alpha, rng, perSample: config.perSample }))
      : undefined;
  const aldiPartner = distills(config) ? randomDerangement(rng, size) : undefined;
  return {
    ...(dropMask === undefined ? {} : { dropMask }),
    ...(plan === undefined ? {} : { mixupPlan: plan }),
    ...(aldiPartner === undefined ? {} : { aldiPartner }),
  };
}
