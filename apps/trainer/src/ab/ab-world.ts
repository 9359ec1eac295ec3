import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  concatFrames,
  createOnlineEnvironment,
  type DayMetrics,
  type FeatureFrame,
  type OnlineArm,
  type OnlineEnvironment,
  type OnlineInput,
  SECONDS_PER_DAY,
  serveDay,
  temporalSplit,
} from '@thaw/data';
import type { ModelSpec } from '@thaw/spec';
import type { ThawModel } from '@thaw/tfjs';
import { writeFileAtomic, writeJsonAtomic } from '../atomic-write.js';
import type { Logger } from '../logger.js';
import { calibrationByTask } from '../model-artifacts.js';
import { runWeightsPath, trainRun } from '../train-run.js';
import { withTrainingStats } from '../training-stats.js';
import { variantSpec } from '../variants.js';
import { type BoostCalibration, calibrateBoost, rematchBoost, type ScoredChunk } from './ab-boost.js';
import type { ArmPlan } from './ab-plan.js';
import { modelRanker, type ServedModel } from './ab-ranker.js';

/** What one arm did in one world. */
export interface ArmWorldResult {
  /** Per A/B day. */
  readonly daily: readonly DayMetrics[];
  /** Unique fresh items reaching each Table 3 threshold over the run (same order as the thresholds). */
  readonly freshItems: { readonly impressions: readonly number[]; readonly saves: readonly number[] };
  /** The boost it was served with on each A/B day (0 except for the fresh-boost arm). */
  readonly boosts: readonly number[];
  /** Its fine-tunes: after which day, on how many of its own impressions, in how many seconds. */
  readonly fineTunes: readonly { readonly afterDay: number; readonly rows: number; readonly seconds: number }[];
}

/** One replicated world of `simulate-ab`. */
export interface WorldResult {
  /** World seed (1-based). */
  readonly world: number;
  readonly arms: Readonly<Record<string, ArmWorldResult>>;
  /** How the fresh-boost arm's constant was chosen, when there is one. */
  readonly boost?: BoostCalibration;
  /** Wall time of the world's last session, seconds: in all, training the initial models, serving the A/B days. */
  readonly seconds: number;
  readonly initialSeconds: number;
  readonly serveSeconds: number;
}

/** Everything a world needs from the run. */
export interface WorldContext {
  readonly out: string;
  /** The online environment (preset and overrides, with the spec's coldDays and utility). */
  readonly online: OnlineInput;
  readonly arms: readonly ArmPlan[];
  readonly retrainEvery: number;
  readonly trainWindow: number;
  /**
   * How the fresh-boost arm's boost follows its target: `pilot` — the day-0 pilot's boost for the
   * whole run; `daily` — re-matched every day to the target's realised fresh impression share of
   * the day before (impression shares only).
   */
  readonly boostMatch: 'pilot' | 'daily';
  readonly itemThresholds: { readonly impressions: readonly number[]; readonly saves: readonly number[] };
  /** Name of the run's configuration, recorded in every training run's identity. */
  readonly name: string;
  readonly logger: Logger;
}

interface ArmState {
  readonly plan: ArmPlan;
  readonly online: OnlineArm;
  readonly spec: ModelSpec;
  readonly seed: number;
  served: ServedModel;
  weights: string;
  readonly logs: Map<number, FeatureFrame>;
  readonly daily: DayMetrics[];
  readonly boosts: number[];
  readonly fineTunes: { afterDay: number; rows: number; seconds: number }[];
}

const pad = (day: number) => String(day).padStart(3, '0');
/** What re-matching needs of a scored chunk (not its feature frame). */
const slim = ({ chunk, probs, cold }: ScoredChunk): ScoredChunk => ({
  chunk: { requests: chunk.requests, offsets: chunk.offsets, fresh: chunk.fresh },
  probs,
  cold,
});
/** Where world `w` keeps its files. */
export const worldDir = (out: string, world: number) => join(out, `world-${world}`);

async function readSlates(path: string): Promise<Int32Array> {
  const bytes = await readFile(path);
  return new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The arm's own log of `[from, to]` as a training frame: every day but the last trains, the last calibrates. */
function fineTuneData(env: OnlineEnvironment, logs: Map<number, FeatureFrame>, from: number, to: number) {
  const frame = concatFrames(Array.from({ length: to - from + 1 }, (_, i) => logs.get(from + i) as FeatureFrame));
  const dayStart = (day: number) => env.start + day * SECONDS_PER_DAY;
  const windows = {
    train: { start: dayStart(from), end: dayStart(to) },
    calibration: { start: dayStart(to), end: dayStart(to + 1) },
    eval: { start: dayStart(to + 1), end: dayStart(to + 1) },
  };
  return { frame, split: temporalSplit(frame, { windows }) };
}

/**
 * Runs one replicated world: the warm-up, each recipe's initial model (trained on the warm-up's
 * training days, calibrated on its calibration day), the boost's pilot calibration, then every A/B
 * day for every arm — ranking, engagement, the arm's own history — with a fine-tune of every arm on
 * its own last `trainWindow` days every `retrainEvery` days.
 *
 * Resumable per simulated day: each arm's shown slates of a finished day are stored
 * (`arms/<id>/day-NNN.slates`) before `progress.json` counts the day; a resumed world replays the
 * counted days from their slates (rebuilding history, logs and metrics exactly, without scoring),
 * reuses finished training runs, continues an interrupted one from its checkpoint, and ranks the
 * rest live — ending identical to an uninterrupted run. A finished world is read back from
 * `world.json`.
 */
export async function runWorld(context: WorldContext, world: number, resume: boolean): Promise<WorldResult> {
  const started = performance.now();
  const dir = worldDir(context.out, world);
  const resultPath = join(dir, 'world.json');
  if (resume && existsSync(resultPath)) return JSON.parse(await readFile(resultPath, 'utf8')) as WorldResult;
  const { logger } = context;
  const env = createOnlineEnvironment(context.online, world);
  const days = env.options.days;
  const base = withTrainingStats(env.spec, env.warmup.frame, env.warmup.split.rows.train);
  const models = new Map<ThawModel, number>();
  const release = (model: ThawModel) => {
    const left = (models.get(model) ?? 1) - 1;
    if (left <= 0) {
      models.delete(model);
      model.dispose();
    } else models.set(model, left);
  };
  const initial = new Map<string, { served: Omit<ServedModel, 'boost'>; weights: string }>();
  let initialSeconds = 0;
  let serveSeconds = 0;
  const arms: ArmState[] = [];
  try {
    for (const plan of context.arms) {
      const spec = variantSpec(base, plan.variant);
      const seed = world + plan.seedOffset;
      const key = `${plan.variant}-seed-${seed}`;
      let start = initial.get(key);
      if (!start) {
        const runDir = join(dir, 'initial', key);
        const trainStarted = performance.now();
        const { model, summary } = await trainRun({
          spec,
          frame: env.warmup.frame,
          split: env.warmup.split,
          dataName: `${context.name} world ${world} warm-up`,
          seed,
          dir: runDir,
          resume: true,
          logger,
          label: `world ${world} ${plan.variant} seed ${seed}`,
        });
        initialSeconds += (performance.now() - trainStarted) / 1000;
        models.set(model, 0);
        await rm(join(runDir, 'checkpoint'), { recursive: true, force: true }); // finished: the weights are saved
        start = {
          served: { model, spec, calibration: calibrationByTask(spec, summary.calibration) },
          weights: runWeightsPath(runDir),
        };
        initial.set(key, start);
      }
      models.set(start.served.model, (models.get(start.served.model) ?? 0) + 1);
      arms.push({
        plan,
        online: env.newArm(),
        spec,
        seed,
        served: { ...start.served, boost: 0 },
        weights: start.weights,
        logs: new Map(),
        daily: [],
        boosts: [],
        fineTunes: [],
      });
    }
    let boost: BoostCalibration | undefined;
    const boostArm = arms.find((a) => a.plan.role === 'boost');
    if (boostArm) {
      const target = arms.find((a) => a.plan.id === boostArm.plan.boostTarget) as ArmState;
      boost = await calibrateBoost(env, boostArm.served, target.served);
      logger.info(
        `world ${world}: fresh boost ${boost.boost.toFixed(3)} logits (${boost.kind}): ${(100 * boost.boostedShare).toFixed(1)}% fresh impressions on the pilot; ${boostArm.plan.boostTarget} ${(100 * boost.targetShare).toFixed(1)}%, control ${(100 * boost.controlShare).toFixed(1)}%`,
      );
    }

    const progressPath = join(dir, 'progress.json');
    const saved =
      resume && existsSync(progressPath)
        ? (JSON.parse(await readFile(progressPath, 'utf8')) as { completedDays: number; boosts: number[] })
        : { completedDays: 0, boosts: [boost?.boost ?? 0] };
    const completed = saved.completedDays;
    const boosts = saved.boosts; // the boost arm's boost per day, known up to day `completed`
    const target = boostArm && arms.find((a) => a.plan.id === boostArm.plan.boostTarget);
    const progress = logger.progress(`world ${world}: A/B days × arms`, days * arms.length, 'arm-days');
    for (let day = 0; day < days; day++) {
      const requests = env.dayRequests(day);
      const scored: ScoredChunk[] = [];
      if (boostArm) boostArm.served = { ...boostArm.served, boost: boosts[day] as number };
      for (const arm of arms) {
        const slatesPath = join(dir, 'arms', arm.plan.id, `day-${pad(day)}.slates`);
        const replay = day < completed;
        const keep = arm === boostArm && context.boostMatch === 'daily' ? (s: ScoredChunk) => scored.push(slim(s)) : undefined;
        const source = replay ? { slates: await readSlates(slatesPath) } : { ranker: modelRanker(arm.served, keep) };
        const serveStarted = performance.now();
        const result = await serveDay(env, arm.online, day, source, requests);
        serveSeconds += (performance.now() - serveStarted) / 1000;
        if (!replay) await writeFileAtomic(slatesPath, new Uint8Array(result.slates.buffer));
        arm.daily.push(result.metrics);
        arm.boosts.push(arm.served.boost);
        arm.logs.set(day, result.log);
        arm.logs.delete(day - context.trainWindow);
        progress.tick(1, replay ? `day ${day} replayed` : `day ${day}`);
      }
      if (day >= completed) {
        let next = boosts[day] as number;
        if (boostArm && target && context.boostMatch === 'daily') {
          const m = target.daily[day] as DayMetrics;
          next = rematchBoost(boostArm.spec, scored, m.freshImpressions / m.impressions).boost;
        }
        boosts[day + 1] = next;
        await writeJsonAtomic(progressPath, { completedDays: day + 1, boosts });
      }
      if (context.retrainEvery > 0 && (day + 1) % context.retrainEvery === 0 && day + 1 < days) {
        for (const arm of arms) await fineTune(context, env, arm, world, day, models, release);
      }
    }
    progress.done();
    const result: WorldResult = {
      world,
      arms: Object.fromEntries(
        arms.map((arm) => [
          arm.plan.id,
          {
            daily: arm.daily,
            freshItems: {
              impressions: arm.online.fresh.itemsWithAtLeast('impressions', context.itemThresholds.impressions),
              saves: arm.online.fresh.itemsWithAtLeast('saves', context.itemThresholds.saves),
            },
            boosts: arm.boosts,
            fineTunes: arm.fineTunes,
          },
        ]),
      ),
      ...(boost ? { boost } : {}),
      seconds: (performance.now() - started) / 1000,
      initialSeconds,
      serveSeconds,
    };
    await writeJsonAtomic(resultPath, result);
    return result;
  } finally {
    for (const model of models.keys()) model.dispose();
  }
}

async function fineTune(
  context: WorldContext,
  env: OnlineEnvironment,
  arm: ArmState,
  world: number,
  day: number,
  models: Map<ThawModel, number>,
  release: (model: ThawModel) => void,
): Promise<void> {
  const from = Math.max(0, day + 1 - context.trainWindow);
  const { frame, split } = fineTuneData(env, arm.logs, from, day);
  const runDir = join(worldDir(context.out, world), 'arms', arm.plan.id, `fine-tune-after-day-${pad(day)}`);
  const { model, summary } = await trainRun({
    spec: arm.spec,
    frame,
    split,
    dataName: `${context.name} world ${world} arm ${arm.plan.id}: own log of days ${from}–${day}, from ${relative(context.out, arm.weights)}`,
    seed: arm.seed,
    dir: runDir,
    resume: true,
    logger: context.logger,
    label: `world ${world} ${arm.plan.id} fine-tune after day ${day}`,
    initialWeights: arm.weights,
  });
  await rm(join(runDir, 'checkpoint'), { recursive: true, force: true }); // finished: the weights are saved
  release(arm.served.model);
  models.set(model, 1);
  arm.served = { model, spec: arm.spec, calibration: calibrationByTask(arm.spec, summary.calibration), boost: arm.served.boost };
  arm.weights = runWeightsPath(runDir);
  arm.fineTunes.push({ afterDay: day, rows: split.rows.train.length, seconds: summary.trainSeconds });
}
