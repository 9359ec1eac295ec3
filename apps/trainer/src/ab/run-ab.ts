import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OnlineOptions, resolveOnlineOptions, simulatorSpec } from '@thaw/data';
import { utilityWeights } from '@thaw/model';
import { writeFileAtomic, writeJsonAtomic } from '../atomic-write.js';
import type { Logger } from '../logger.js';
import { type AbPreset, type ArmPlan, armPlans } from './ab-plan.js';
import { renderAbHtml, renderAbMarkdown } from './ab-report.js';
import type { AbResults } from './ab-results.js';
import { dailySeries, metricDefinitions, reachedBuckets, sharedTraffic, summariseMetrics } from './ab-summary.js';
import { runWorld, type WorldResult } from './ab-world.js';

/** What `simulate-ab` runs. */
export interface SimulateAbOptions {
  /** Name of the preset (recorded in ab.json and in training identities). */
  readonly presetName: string;
  readonly preset: AbPreset;
  /** Trainer variants; the first is the control. */
  readonly variants: readonly string[];
  readonly aa: boolean;
  readonly boost: boolean;
  readonly boostTarget?: string;
  /** How the boost follows its target (default `daily`). */
  readonly boostMatch?: 'pilot' | 'daily';
  /** Overrides of the preset. */
  readonly worlds?: number;
  readonly online?: Partial<Pick<OnlineOptions, 'days' | 'requestsPerDay' | 'candidates'>>;
  readonly retrainEvery?: number;
  readonly trainWindow?: number;
  readonly out: string;
  readonly resume: boolean;
  readonly logger: Logger;
  readonly backend: string;
  readonly bootstrapSamples?: number;
}

/** The estimand, printed in ab.json, the report and the terminal. */
export const AB_ESTIMAND =
  'Full rollout: each arm runs its own copy of the world from the same warm-up log and its recipe’s initial model; its items build their own history from its own impressions (item features, user profiles and the engagement retrieval source), and its model is fine-tuned on its own log. A lift is what switching the whole surface would do. The paper’s user-split online test shares item features between arms (the treatment’s impressions are a small part of each item’s history), so it measures a diluted version of this effect.';

/** How the noise is measured, printed beside the estimand. */
export const AB_VARIANCE =
  'The unit is the replicated world (world seeds 1…W: new users, items, warm-up log and initial models). Arms are paired within a world by common random numbers: the same users, item arrivals, requests, queries and scroll depths, and one engagement draw per (request, item, task). Intervals are Student t over worlds (W − 1 degrees of freedom) on paired per-world values, the lift as a linearised ratio of means; a bootstrap resampling worlds is shown beside it (too narrow with few worlds). Users and requests are not resampled: a world’s items are shared by all its users and every arm retrains on its own log, so requests are not independent, and item counts (Table 3) do not split by user.';

const MARKER = '.thaw-simulate-ab';

/** Makes `out` ready: kept for `--resume`; else emptied when it is a simulate-ab directory (or empty). */
async function prepareOut(out: string, resume: boolean): Promise<void> {
  if (existsSync(out) && !resume) {
    const entries = (await readdir(out)).filter((e) => !e.startsWith('.write-test-'));
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${out} is not empty and was not made by thaw-train simulate-ab; choose another --out or empty it`);
    }
    for (const entry of entries) await rm(join(out, entry), { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, MARKER), 'worlds and arms of thaw-train simulate-ab\n');
}

/**
 * Refuses to resume a run made with other settings, naming the first difference. The number of
 * worlds may change: a world's results do not depend on it, so `--resume --worlds 8` adds worlds
 * 5–8 to a finished 4-world run (and a smaller number summarises the first worlds only).
 */
async function checkSettings(out: string, settings: Record<string, unknown>, resume: boolean): Promise<void> {
  const path = join(out, 'settings.json');
  if (resume && existsSync(path)) {
    const saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(settings).filter((k) => k !== 'worlds')) {
      if (JSON.stringify(saved[key]) !== JSON.stringify(settings[key])) {
        throw new Error(
          `--resume: ${out} holds a run with other settings (${key} was ${JSON.stringify(saved[key])}, now ${JSON.stringify(settings[key])}); drop --resume to start over, or use another --out`,
        );
      }
    }
  }
  await writeJsonAtomic(path, settings);
}

/**
 * `thaw-train simulate-ab`: replicated worlds × arms (full rollouts with common random numbers),
 * every world resumable per simulated day; writes `ab.json`, `ab.html` and `ab.md` to `out`.
 */
export async function runSimulateAb(options: SimulateAbOptions): Promise<AbResults> {
  const started = performance.now();
  const { logger, preset } = options;
  const arms: ArmPlan[] = armPlans(options.variants, {
    aa: options.aa,
    boost: options.boost,
    ...(options.boostTarget ? { boostTarget: options.boostTarget } : {}),
  });
  const worlds = options.worlds ?? preset.worlds;
  const retrainEvery = options.retrainEvery ?? preset.retrainEvery;
  const trainWindow = options.trainWindow ?? preset.trainWindow;
  const bootstrapSamples = options.bootstrapSamples ?? 2000;
  const boostMatch = options.boostMatch ?? 'daily';
  const draft = resolveOnlineOptions({ ...preset.online, ...options.online });
  const spec = simulatorSpec(draft.simulation);
  const [g, s, c] = utilityWeights(spec) as [number, number, number];
  const online = { ...preset.online, ...options.online, freshDays: spec.coldStart.coldDays, utility: [g, s, c] as const };
  const resolved = resolveOnlineOptions(online);
  const settings = {
    preset: options.presetName,
    online,
    arms,
    worlds,
    retrainEvery,
    trainWindow,
    boostMatch,
    itemThresholds: preset.itemThresholds,
  };
  await prepareOut(options.out, options.resume);
  await checkSettings(options.out, settings, options.resume);
  logger.info(`estimand — ${AB_ESTIMAND}`);
  logger.info(
    `${worlds} worlds × ${arms.length} arms (${arms.map((a) => a.id).join(', ')}), ${resolved.days} days, ~${resolved.requestsPerDay} requests/day, ${resolved.candidates} candidates, fine-tune every ${retrainEvery || '∞'} days`,
  );
  const context = {
    out: options.out,
    online,
    arms,
    retrainEvery,
    trainWindow,
    boostMatch,
    itemThresholds: preset.itemThresholds,
    name: `sim-ab:${options.presetName}`,
    logger,
  };
  const results: WorldResult[] = [];
  for (let world = 1; world <= worlds; world++) {
    const result = await runWorld(context, world, options.resume);
    results.push(result);
    logger.info(`world ${world}/${worlds} done (${result.seconds.toFixed(0)} s)`);
  }
  const definitions = metricDefinitions(preset.itemThresholds, resolved.candidates);
  const ab: AbResults = {
    schemaVersion: 1,
    kind: 'simulate-ab',
    createdAt: new Date().toISOString(),
    estimand: AB_ESTIMAND,
    variance: AB_VARIANCE,
    settings: {
      preset: options.presetName,
      worlds,
      days: resolved.days,
      requestsPerDay: resolved.requestsPerDay,
      candidates: resolved.candidates,
      scroll: { median: resolved.scrollMedian, spread: resolved.scrollSpread },
      refreshHours: resolved.refreshHours,
      retrainEvery,
      trainWindow,
      boostMatch,
      freshDays: resolved.freshDays,
      world: typeof resolved.world === 'string' ? resolved.world : (resolved.world.preset ?? 'demo'),
      worldOptions: {
        qualityVisibility: resolved.simulation.qualityVisibility,
        warmupRequestsPerDay: resolved.simulation.requestsPerDay,
        newItemsPerDay: resolved.simulation.newItemsPerDay,
        users: resolved.simulation.users,
        initialItems: resolved.simulation.initialItems,
      },
      itemThresholds: preset.itemThresholds,
      bootstrapSamples,
      backend: options.backend,
    },
    control: (arms[0] as ArmPlan).id,
    arms: arms.map((a) => ({
      id: a.id,
      label: a.label,
      role: a.role,
      variant: a.variant,
      trainingSeed: a.seedOffset === 0 ? 'world' : `${a.seedOffset} + world`,
    })),
    positionBuckets: reachedBuckets(resolved.candidates),
    metrics: summariseMetrics(results, arms, definitions, bootstrapSamples),
    daily: dailySeries(results, arms, resolved.days),
    ...(results.some((r) => r.boost)
      ? {
          boost: results.flatMap((r) => {
            const arm = Object.values(r.arms).find((a) => a.boosts.some((b) => b !== 0)) ?? Object.values(r.arms)[0];
            return r.boost ? [{ world: r.world, ...r.boost, daily: arm?.boosts ?? [] }] : [];
          }),
        }
      : {}),
    traffic: sharedTraffic(results, arms),
    seconds: {
      total: (performance.now() - started) / 1000,
      perWorld: results.map((r) => r.seconds),
      initialTraining: results.reduce((s, r) => s + (r.initialSeconds ?? 0), 0),
      serving: results.reduce((s, r) => s + (r.serveSeconds ?? 0), 0),
      fineTunes: results.reduce(
        (s, r) => s + Object.values(r.arms).reduce((t, a) => t + a.fineTunes.reduce((u, f) => u + f.seconds, 0), 0),
        0,
      ),
    },
  };
  await writeJsonAtomic(join(options.out, 'ab.json'), ab);
  await writeFileAtomic(join(options.out, 'ab.html'), renderAbHtml(ab));
  await writeFileAtomic(join(options.out, 'ab.md'), renderAbMarkdown(ab));
  return ab;
}
