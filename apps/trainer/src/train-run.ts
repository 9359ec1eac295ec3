import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { batches, type FeatureFrame, type FrameSplit } from '@thaw/data';
import type { AldiStage } from '@thaw/model';
import { type ModelSpec, specHash } from '@thaw/spec';
import { buildModel, type ThawModel } from '@thaw/tfjs';
import { loadModelWeights, saveModelWeights, type TrainingEngineChoice, type TrainResult, train } from '@thaw/training';
import { writeJsonAtomic, writingTo } from './atomic-write.js';
import { fitTaskCalibrations, type PlattFit } from './calibration.js';
import type { Logger } from './logger.js';
import { describeScoring, predictRows } from './predict-rows.js';

/** What a run was trained on: a finished run is reused by `--resume` only when this matches. */
export interface RunIdentity {
  /** `specHash` of the trained spec (variant flags, weights, stats and training settings included). */
  readonly specHash: string;
  readonly seed: number;
  /** The data source, e.g. `sim:demo`. */
  readonly data: string;
  /** Rows of the training and calibration windows. */
  readonly trainRows: number;
  readonly calibrationRows: number;
}

/** What a finished training run leaves in its directory (`run.json`), beside `weights.json` and the data file it names. */
export interface RunSummary {
  readonly identity: RunIdentity;
  readonly spec: string;
  readonly seed: number;
  readonly steps: number;
  readonly examples: number;
  /** The step the last session resumed from (0: trained in one go). */
  readonly resumedFrom: number;
  /** Wall time of the last session (a resumed run counts only the part after the resume). */
  readonly trainSeconds: number;
  readonly examplesPerSecond: number;
  /** Per-task Platt parameters fitted on the calibration window, in spec task order. */
  readonly calibration: readonly PlattFit[];
  /** `[step, non-historical / historical gradient-norm ratio]` (Fig 2b, 6b). */
  readonly gradNormRatio: readonly (readonly [number, number])[];
  /** Mean loss terms over the last 10% of steps. */
  readonly finalLoss: Readonly<Record<string, number>>;
  /** The engine that ran the (last stage's) steps, and why `auto` chose it (absent in older runs). */
  readonly engine?: { readonly name: string; readonly reason: string };
}

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  readonly spec: ModelSpec;
  readonly frame: FeatureFrame;
  readonly split: FrameSplit;
  /** The data source's name, recorded in the run's identity. */
  readonly dataName: string;
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
  /** The training engine (`train`'s `engine` option of `@thaw/training`); default `'auto'`. */
  readonly engine?: TrainingEngineChoice;
  /**
   * Fine-tuning: start from these weights (a weights manifest, e.g. an earlier run's
   * `weights.json`) instead of the seed's initialisation. Name the starting point in `dataName`
   * so a resumed run is matched to it.
   */
  readonly initialWeights?: string;
}

const RUN_FILES = ['run.json', 'grad-ratio.json', 'checkpoint', 'checkpoint-teacher'] as const;

/** Path of a run's weights manifest (`<dir>/weights.json`; the data is beside it). */
export const runWeightsPath = (dir: string) => join(dir, 'weights.json');

function identityOf(options: TrainRunOptions): RunIdentity {
  return {
    specHash: specHash(options.spec),
    seed: options.seed,
    data: options.dataName,
    trainRows: options.split.rows.train.length,
    calibrationRows: options.split.rows.calibration.length,
  };
}

function describeMismatch(saved: Partial<RunIdentity> | undefined, wanted: RunIdentity): string | undefined {
  for (const key of Object.keys(wanted) as (keyof RunIdentity)[]) {
    if (saved?.[key] !== wanted[key]) return `${key} was ${JSON.stringify(saved?.[key])}, now ${JSON.stringify(wanted[key])}`;
  }
  return undefined;
}

/**
 * Trains one model (one variant, one seed) on the training window, checkpointing as it goes,
 * fits per-task Platt scaling on the calibration window, and saves weights + `run.json`.
 *
 * Without `resume`, whatever an earlier run left in `dir` is removed first. With `resume`, a
 * finished run is reused only when it was trained on the same spec, seed and data (else an error
 * says what differs), and an unfinished one continues from its last checkpoint — with results
 * identical to an uninterrupted run.
 *
 * @returns the trained model (dispose it) and its summary.
 */
export async function trainRun(options: TrainRunOptions): Promise<{ model: ThawModel; summary: RunSummary }> {
  const { spec, frame, split, seed, dir, logger } = options;
  const identity = identityOf(options);
  const summaryPath = join(dir, 'run.json');
  if (!options.resume) {
    for (const file of RUN_FILES) await rm(join(dir, file), { recursive: true, force: true });
  }
  const model = buildModel(spec, { seed });
  if (options.resume && existsSync(summaryPath)) {
    const saved = JSON.parse(await readFile(summaryPath, 'utf8')) as Partial<RunSummary>;
    const mismatch = describeMismatch(saved.identity, identity);
    if (mismatch) {
      model.dispose();
      throw new Error(
        `--resume: ${dir} holds a finished run of something else (${mismatch}); drop --resume to retrain, or use another --out`,
      );
    }
    await loadModelWeights(model, runWeightsPath(dir));
    logger.info(`${options.label}: finished earlier, loaded from ${dir}`);
    return { model, summary: saved as RunSummary };
  }
  if (options.initialWeights) await loadModelWeights(model, options.initialWeights);
  const gradientPath = join(dir, 'grad-ratio.json');
  let gradNormRatio: [number, number][] = [];
  if (options.resume && existsSync(gradientPath)) {
    gradNormRatio = JSON.parse(await readFile(gradientPath, 'utf8')) as [number, number][];
  }
  const trainRows = split.rows.train;
  const batchSize = spec.training.batchSize;
  // ALDI as in its paper: the teacher (the model on eq 11, the student untouched) first, then the
  // student alone against the frozen teacher, each for the spec's epochs, each with its checkpoint.
  const stages: readonly (AldiStage | undefined)[] = spec.coldStart.aldi.enabled ? ['teacher', 'student'] : [undefined];
  const progress = logger.progress(`train ${options.label}`, trainRows.length * spec.training.epochs * stages.length);
  const gradientEvery = options.gradientEvery ?? 0;
  const results: TrainResult[] = [];
  for (const aldiStage of stages) {
    const first = results.length === 0;
    results.push(
      await train(model, ({ seed: epochSeed }) => batches(frame, spec, { rows: trainRows, seed: epochSeed, batchSize }), {
        seed,
        ...(aldiStage === undefined ? {} : { aldiStage }),
        ...(options.engine ? { engine: options.engine } : {}),
        checkpoint: {
          dir: join(dir, aldiStage === 'teacher' ? 'checkpoint-teacher' : 'checkpoint'),
          every: options.checkpointEvery ?? 100,
          resume: options.resume,
        },
        onStep: (info) => progress.tick(info.batchSize, `${aldiStage ? `${aldiStage} ` : ''}loss ${info.total.toFixed(4)}`),
        ...(gradientEvery > 0 && first
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
      }),
    );
  }
  const result = results[0] as TrainResult;
  const last = results.at(-1) as TrainResult;
  const resumedFrom = results.reduce((s, r) => s + r.resumedFrom, 0);
  progress.done(resumedFrom > 0 ? `resumed from step ${resumedFrom}` : undefined);
  if (resumedFrom > 0) logger.info(`${options.label}: resumed from step ${resumedFrom}`);

  const calibrationRows = split.rows.calibration;
  const calibrating = logger.progress(`calibrate ${options.label}`, calibrationRows.length);
  const calibrationPredictions = await predictRows(model, frame, calibrationRows, {
    progress: calibrating,
    warn: (m) => logger.warn(m),
  });
  calibrating.done(describeScoring(calibrationPredictions.scoring));
  const calibration = fitTaskCalibrations(spec, calibrationPredictions, (message) => logger.warn(`${options.label}: ${message}`));
  // The model's terms from its own training (the teacher stage with ALDI), ALDI's from the student stage.
  const tailOf = (r: TrainResult) => r.history.slice(Math.floor(r.history.length * 0.9));
  const finalLoss: Record<string, number> = {};
  for (const key of ['total', 'bce', 'mixup', 'scoreReg', 'aldi'] as const) {
    const tail = tailOf(key === 'aldi' ? last : result);
    finalLoss[key] = tail.reduce((s, h) => s + (h[key] ?? 0), 0) / Math.max(tail.length, 1);
  }
  const summary: RunSummary = {
    identity,
    spec: spec.name,
    seed,
    steps: results.reduce((s, r) => s + r.steps, 0),
    examples: results.reduce((s, r) => s + r.examples, 0),
    resumedFrom,
    trainSeconds: results.reduce((s, r) => s + r.seconds, 0),
    // Examples this session processed over its wall time (each stage's own throughput × its time).
    examplesPerSecond:
      results.reduce((s, r) => s + r.examplesPerSecond * r.seconds, 0) /
      Math.max(
        results.reduce((s, r) => s + r.seconds, 0),
        1e-9,
      ),
    calibration,
    gradNormRatio,
    finalLoss,
    engine: last.engine,
  };
  await writingTo(runWeightsPath(dir), () => saveModelWeights(model, runWeightsPath(dir)));
  // run.json last: its presence means the run finished (weights included).
  await writeJsonAtomic(summaryPath, summary);
  return { model, summary };
}
