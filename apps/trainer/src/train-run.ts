import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { batches, type FeatureFrame, type FrameSplit } from '@thaw/data';
import { buildModel, type ThawModel, train } from '@thaw/layers';
import type { ModelSpec } from '@thaw/spec';
import { writeJsonAtomic } from './atomic-write.js';
import { fitPlatt, type PlattParameters } from './calibration.js';
import type { Logger } from './logger.js';
import { predictRows } from './predict-rows.js';

/** What a finished training run leaves in its directory (`run.json`), beside `weights.json` + `weights.bin`. */
export interface RunSummary {
  readonly spec: string;
  readonly seed: number;
  readonly steps: number;
  readonly examples: number;
  readonly trainSeconds: number;
  readonly examplesPerSecond: number;
  /** Per-task Platt parameters fitted on the calibration window, in spec task order. */
  readonly calibration: readonly PlattParameters[];
  /** `[step, non-historical / historical gradient-norm ratio]` (Fig 2b, 6b). */
  readonly gradNormRatio: readonly (readonly [number, number])[];
  /** Mean loss terms over the last 10% of steps. */
  readonly finalLoss: Readonly<Record<string, number>>;
}

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  readonly spec: ModelSpec;
  readonly frame: FeatureFrame;
  readonly split: FrameSplit;
  readonly seed: number;
  /** The run's directory: checkpoint/, weights.*, run.json, grad-ratio.json. */
  readonly dir: string;
  /** Continue from `dir`: reuse a finished run, or resume an unfinished one from its checkpoint. */
  readonly resume: boolean;
  readonly logger: Logger;
  /** Progress label, e.g. `residual seed 2`. */
  readonly label: string;
  /** Record the gradient-norm ratio every this many steps (0 = never). */
  readonly gradientEvery?: number;
  readonly checkpointEvery?: number;
  /** Stop after this many steps (tests of `--resume`). */
  readonly maxSteps?: number;
}

const WEIGHTS = 'weights.json';

/** Path prefix of a run's weights (`<dir>/weights.json` + `.bin`). */
export const runWeightsPath = (dir: string) => join(dir, WEIGHTS);

/**
 * Trains one model (one variant, one seed) on the training window, checkpointing as it goes,
 * fits per-task Platt scaling on the calibration window, and saves weights + `run.json`.
 * With `resume`, a finished run is loaded instead of retrained and an unfinished one continues
 * from its last checkpoint (with results identical to an uninterrupted run).
 *
 * @returns the trained model (dispose it) and its summary; `summary` is undefined when
 * `maxSteps` stopped the run early.
 */
export async function trainRun(options: TrainRunOptions): Promise<{ model: ThawModel; summary?: RunSummary }> {
  const { spec, frame, split, seed, dir, logger } = options;
  const model = buildModel(spec, { seed });
  const summaryPath = join(dir, 'run.json');
  if (options.resume && existsSync(summaryPath)) {
    await model.load(runWeightsPath(dir));
    const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as RunSummary;
    logger.info(`${options.label}: finished earlier, loaded from ${dir}`);
    return { model, summary };
  }
  const gradientPath = join(dir, 'grad-ratio.json');
  let gradNormRatio: [number, number][] = [];
  if (options.resume && existsSync(gradientPath)) {
    gradNormRatio = JSON.parse(await readFile(gradientPath, 'utf8')) as [number, number][];
  }
  const trainRows = split.rows.train;
  const batchSize = spec.training.batchSize;
  const total = trainRows.length * spec.training.epochs;
  const progress = logger.progress(`train ${options.label}`, total);
  const gradientEvery = options.gradientEvery ?? 0;
  const result = await train(
    model,
    ({ seed: epochSeed }) => batches(frame, spec, { rows: trainRows, seed: epochSeed, batchSize }),
    {
      seed,
      ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
      checkpoint: { dir: join(dir, 'checkpoint'), every: options.checkpointEvery ?? 100, resume: options.resume },
      onStep: (info) => progress.tick(info.batchSize, `loss ${info.total.toFixed(4)}`),
      ...(gradientEvery > 0
        ? {
            gradients: {
              every: gradientEvery,
              onGradients: async (report, { step }) => {
                gradNormRatio = gradNormRatio.filter(([s]) => s < step);
                gradNormRatio.push([step, report.ratio]);
                await writeJsonAtomic(gradientPath, gradNormRatio);
              },
            },
          }
        : {}),
    },
  );
  if (result.resumedFrom > 0) logger.info(`${options.label}: resumed from step ${result.resumedFrom}`);
  if (!result.completed) {
    progress.done('stopped early; continue with --resume');
    return { model };
  }
  progress.done();

  const calibrationPredictions = await predictRows(model, frame, split.rows.calibration);
  const T = spec.tasks.length;
  const calibration = spec.tasks.map((_, t) => {
    const n = calibrationPredictions.rows.length;
    const logits = new Float64Array(n);
    const labels = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      logits[r] = calibrationPredictions.logits[r * T + t] as number;
      labels[r] = calibrationPredictions.labels[r * T + t] as number;
    }
    return n > 0 ? fitPlatt(logits, labels) : { a: 1, b: 0, note: 'empty calibration window; identity kept' };
  });
  const tail = result.history.slice(Math.floor(result.history.length * 0.9));
  const finalLoss: Record<string, number> = {};
  for (const key of ['total', 'bce', 'mixup', 'scoreReg', 'aldi'] as const) {
    finalLoss[key] = tail.reduce((s, h) => s + (h[key] ?? 0), 0) / Math.max(tail.length, 1);
  }
  const summary: RunSummary = {
    spec: spec.name,
    seed,
    steps: result.steps,
    examples: result.examples,
    trainSeconds: result.seconds,
    examplesPerSecond: result.examplesPerSecond,
    calibration,
    gradNormRatio,
    finalLoss,
  };
  await model.save(runWeightsPath(dir));
  await writeJsonAtomic(summaryPath, summary);
  return { model, summary };
}
