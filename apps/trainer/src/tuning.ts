import { join } from 'node:path';
import { hitsAtK } from '@thaw/metrics';
import type { ModelSpec } from '@thaw/spec';
import type { TrainingEngineChoice } from '@thaw/training';
import type { LoadedData } from './data-source.js';
import { predictionProbabilities, predictionRanking } from './evaluate-predictions.js';
import type { Logger } from './logger.js';
import { calibrationByTask } from './model-artifacts.js';
import { predictRows } from './predict-rows.js';
import { HITS_K, type TunedChoiceResult } from './results.js';
import { trainRun } from './train-run.js';
import { variantSpec } from './variants.js';

/**
 * A shared choice to tune on the calibration window: the candidate values, how a value enters the
 * spec, the variant trained to judge it and the calibration metric that decides (declared before
 * any result is seen). Evaluation rows are never read.
 */
export interface TuningPlan {
  /** What is tuned, e.g. `training.learningRate`. */
  readonly name: string;
  /** The variant trained for each candidate (e.g. `baseline` for the learning rate, `dropout` for its rate). */
  readonly variant: string;
  /** Candidate values, in the order ties are broken (the first best wins). */
  readonly candidates: readonly number[];
  /** The spec with the candidate value in place. */
  readonly apply: (spec: ModelSpec, value: number) => ModelSpec;
  /** The deciding metric: calibration Hits@3 on this slice … */
  readonly slice: 'fresh' | 'all';
  /** … for this task (index in spec order). */
  readonly task: number;
}

/** A tuned choice as results.json records it. */
export type TunedChoice = TunedChoiceResult;

/** Where and how tuning runs train. */
export interface TuningContext {
  readonly data: LoadedData;
  /** The spec the candidates start from (training stats already in it). */
  readonly spec: ModelSpec;
  /** Training seed of every candidate run. */
  readonly seed: number;
  /** Runs go to `<dir>/<name>/<value>`. */
  readonly dir: string;
  readonly resume: boolean;
  readonly logger: Logger;
  /** The training engine of the runs (default: trainRun's). */
  readonly engine?: TrainingEngineChoice;
}

/**
 * The calibration metric of a trained spec: trains it (training window only), predicts the
 * calibration window, applies the Platt scaling fitted there, and returns calibration Hits@3 on
 * `slice` for `task` (eq 12 ranking). Reads no evaluation row.
 */
async function calibrationHits(spec: ModelSpec, plan: TuningPlan, value: number, context: TuningContext): Promise<number> {
  const { data, seed, logger } = context;
  const label = `tune:${plan.name}=${value} seed ${seed}`;
  const { model, summary } = await trainRun({
    spec,
    frame: data.frame,
    split: data.split,
    dataName: data.name,
    seed,
    dir: join(context.dir, plan.name, String(value)),
    resume: context.resume,
    logger,
    label,
    ...(context.engine ? { engine: context.engine } : {}),
  });
  try {
    const predictions = await predictRows(model, data.frame, data.split.rows.calibration, { warn: (m) => logger.warn(m) });
    const ranking = predictionRanking(
      spec,
      predictions,
      predictionProbabilities(spec, predictions, calibrationByTask(spec, summary.calibration)),
    );
    return hitsAtK(ranking, HITS_K, { task: plan.task, slice: plan.slice });
  } finally {
    model.dispose();
  }
}

/**
 * Tunes one shared choice on the calibration window: trains `plan.variant` once per candidate
 * (seed `context.seed`) and keeps the candidate with the best calibration Hits@3 on the declared
 * slice and task (ties: the earlier candidate; a NaN score never wins). The evaluation window is
 * never read, so poisoning it cannot move the choice (a test proves it).
 *
 * @throws RangeError for an empty candidate list or a task outside the spec.
 * @example
 * ```ts
 * const lr = await tuneOnCalibration(
 *   { name: 'training.learningRate', variant: 'baseline', candidates: [1e-3, 3e-3, 1e-2], slice: 'all', task: 0,
 *     apply: (s, v) => ({ ...s, training: { ...s.training, learningRate: v } }) },
 *   { data, spec, seed: 1, dir: 'runs/tuning', resume: false, logger },
 * );
 * ```
 */
export async function tuneOnCalibration(plan: TuningPlan, context: TuningContext): Promise<TunedChoice> {
  if (plan.candidates.length === 0) throw new RangeError(`tuneOnCalibration: ${plan.name} has no candidate values`);
  const task = context.spec.tasks[plan.task];
  if (task === undefined) {
    throw new RangeError(
      `tuneOnCalibration: ${plan.name} is judged on task ${plan.task}, but the spec has ${context.spec.tasks.length} tasks`,
    );
  }
  const scores: number[] = [];
  for (const value of plan.candidates) {
    const spec = variantSpec(plan.apply(context.spec, value), plan.variant);
    scores.push(await calibrationHits(spec, plan, value, context));
  }
  let best = 0;
  scores.forEach((score, i) => {
    if (score > (scores[best] as number) || Number.isNaN(scores[best] as number)) best = i;
  });
  const chosen = plan.candidates[best] as number;
  const criterion = `calibration Hits@${HITS_K}, ${plan.slice === 'fresh' ? 'fresh items' : 'all items'}, ${task.name} (${plan.variant}, seed ${context.seed})`;
  context.logger.info(
    `tuned ${plan.name} = ${chosen} on ${criterion}: ${plan.candidates.map((v, i) => `${v} → ${(scores[i] as number).toFixed(4)}`).join(', ')}`,
  );
  return { name: plan.name, variant: plan.variant, candidates: plan.candidates, criterion, scores, chosen };
}

/** The learning rates tried (declared before any run; the demo and MovieLens specs start at 3e-3). */
export const LEARNING_RATES: readonly number[] = [1e-3, 3e-3, 1e-2];
/** The Dropout rates tried (the spec default 0.5 included). */
export const DROPOUT_RATES: readonly number[] = [0.1, 0.25, 0.5];
/** The training seed of every tuning run: none of the experiment's seeds (1 … S), so no evaluated run was selected on. */
export const TUNING_SEED = 0;

/** The shared choices of an experiment, in tuning order. */
export function sharedChoices(variants: readonly string[]): TuningPlan[] {
  const plans: TuningPlan[] = [
    {
      name: 'training.learningRate',
      variant: 'baseline',
      candidates: LEARNING_RATES,
      apply: (spec, value) => ({ ...spec, training: { ...spec.training, learningRate: value } }),
      slice: 'all',
      task: 0,
    },
  ];
  if (variants.some((v) => v.split('+').includes('dropout'))) {
    plans.push({
      name: 'coldStart.dropout.rate',
      variant: 'dropout',
      candidates: DROPOUT_RATES,
      apply: (spec, value) => ({
        ...spec,
        coldStart: { ...spec.coldStart, dropout: { ...spec.coldStart.dropout, rate: value } },
      }),
      slice: 'fresh',
      task: 0,
    });
  }
  return plans;
}

/**
 * Tunes every shared choice of an experiment on the calibration window, one after the other, each
 * on the spec the previous ones left: the learning rate (the baseline, calibration Hits@3 on all
 * items, first task), then — when a Dropout variant is trained — Dropout's rate (calibration Hits@3
 * on fresh items, first task, the target of a cold-start method). Seed {@link TUNING_SEED}.
 *
 * @returns the spec with the chosen values, and every choice with its candidates' scores.
 */
export async function tuneSharedChoices(
  spec: ModelSpec,
  variants: readonly string[],
  context: Omit<TuningContext, 'spec' | 'seed'>,
): Promise<{ spec: ModelSpec; choices: TunedChoice[] }> {
  let tuned = spec;
  const choices: TunedChoice[] = [];
  for (const plan of sharedChoices(variants)) {
    const choice = await tuneOnCalibration(plan, { ...context, spec: tuned, seed: TUNING_SEED });
    choices.push(choice);
    tuned = plan.apply(tuned, choice.chosen);
  }
  return { spec: tuned, choices };
}
