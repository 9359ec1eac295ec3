import {
  type ArmEvaluator,
  type ClusterDraw,
  type ClusterIds,
  clusterIndex,
  drawReplicates,
  pairedSeedCount,
  pointValues,
  resolveCommonOptions,
} from './bootstrap-engine.js';
import { type LiftInterval, liftFromReplicates, meanDenominators, perRequestEvaluator } from './cluster-bootstrap.js';
import { kish } from './effective-clusters.js';
import { isPerRequestValues, type PerRequestValues } from './per-request.js';
import { type RankingInput, rankingSet } from './ranking-input.js';
import { isRankingSet, type RankingColumns, type RankingSet, selectRequests } from './ranking-set.js';

/**
 * The metric a bootstrap compares: per-request values (fast: a replicate re-weights clusters,
 * e.g. `(set) => hitsAtKPerRequest(set, 3, { slice: 'fresh' })`) or a number (general: each
 * replicate re-runs it on the resampled requests).
 */
export type ArmMetric = (set: RankingSet) => number | PerRequestValues;

/** An arm: one prediction set, or one per training seed (all over the same requests). */
export type BootstrapArm = RankingInput | readonly (RankingSet | RankingColumns)[];

/** Options of {@link pairedBootstrap}. */
export interface PairedBootstrapOptions {
  /** Bootstrap replicates (default 1000). */
  readonly samples?: number;
  /** Seed of the resampling (default 0); the same seed gives the same interval. */
  readonly seed?: number;
  /** Confidence level of the interval (default 0.95); `significant` is `pValue < 1 − confidence`. */
  readonly confidence?: number;
  /** Resample training seeds too when the arms have several, paired across arms (default true: hierarchical). */
  readonly resampleSeeds?: boolean;
  /**
   * The cluster (e.g. user) of each request, in the order of `armA[0]`'s requests — see
   * {@link requestClusters}. Omitted, every request is its own cluster.
   */
  readonly clusters?: ClusterIds;
}

/** The result of {@link pairedBootstrap}: a {@link LiftInterval}. @deprecated use `LiftInterval`. */
export type BootstrapResult = LiftInterval;

function armSets(arm: BootstrapArm, name: string): RankingSet[] {
  if (Array.isArray(arm) && arm.length > 0 && arm.every((item) => isRankingSet(item) || (item as RankingColumns).requestId)) {
    return (arm as readonly (RankingSet | RankingColumns)[]).map((item) => rankingSet(item));
  }
  if (Array.isArray(arm) && arm.length === 0) throw new TypeError(`pairedBootstrap: ${name} is an empty list`);
  return [rankingSet(arm as RankingInput)];
}

function assertSameRequests(reference: RankingSet, set: RankingSet, name: string): void {
  const mismatch =
    set.requestCount !== reference.requestCount ? 0 : set.requestIds.findIndex((id, r) => id !== reference.requestIds[r]);
  if (set.requestCount !== reference.requestCount || mismatch >= 0) {
    throw new RangeError(
      `pairedBootstrap: ${name} does not hold the same requests as armA[0] (${set.requestCount} vs ${reference.requestCount} requests${
        mismatch >= 0 ? `, first difference at request ${mismatch}` : ''
      }); a paired comparison needs both arms scored on the same requests in the same order`,
    );
  }
}

/** Re-runs a number metric on each replicate's requests (the general, slow path). */
function rerankEvaluator(metric: ArmMetric, sets: readonly RankingSet[]): ArmEvaluator {
  return {
    seeds: sets.length,
    value: (seed: number, draw: ClusterDraw) => metric(selectRequests(sets[seed] as RankingSet, draw.requestIndices())) as number,
  };
}

/**
 * Paired bootstrap of the lift of arm B over arm A on prediction sets (Table 1's "lift %" and
 * its significance) — {@link clusterBootstrap} for a metric given as a function of a set.
 *
 * Each replicate resamples clusters of requests (`options.clusters`, e.g. users; default: each
 * request alone) with replacement, the same for both arms (pairing removes the variance both
 * arms share). When the arms hold several training seeds, each replicate also resamples the
 * seed indices, the same indices for both arms (seed k of A with seed k of B), because seed
 * spread of a lift can be as large as request noise; an arm's value is the mean over seeds. The
 * interval is the percentile interval of the replicate lifts; the p-value comes from the
 * replicate differences: `min(1, 2 · min(1 + #{d* ≤ 0}, 1 + #{d* ≥ 0}) / (samples + 1))`.
 *
 * With few seeds the seed part of the spread is underestimated (a resample of S values has
 * (S − 1)/S of their variance); prefer ≥ 5 seeds per arm when seed noise matters.
 *
 * @param metric per-request values (fast path) or a number, for one prediction set.
 * @throws RangeError when the arms' requests differ, seed counts are unpaired, for bad options;
 * TypeError when the metric returns neither a number nor per-request values.
 * @example
 * ```ts
 * const users = requestClusters(baseline, evaluationUserIds);
 * const result = pairedBootstrap((s) => hitsAtKPerRequest(s, 3, { slice: 'fresh' }), baseline, variant, { clusters: users, seed: 7 });
 * console.log(`${result.lift.toFixed(2)}% [${result.ci[0].toFixed(2)}, ${result.ci[1].toFixed(2)}] p=${result.pValue}`);
 * ```
 */
export function pairedBootstrap(
  metric: ArmMetric,
  armA: BootstrapArm,
  armB: BootstrapArm,
  options: PairedBootstrapOptions = {},
): LiftInterval {
  const fn = 'pairedBootstrap';
  const settings = resolveCommonOptions(fn, options);
  const setsA = armSets(armA, 'armA');
  const setsB = armSets(armB, 'armB');
  const reference = setsA[0] as RankingSet;
  setsA.forEach((set, s) => {
    assertSameRequests(reference, set, `armA[${s}]`);
  });
  setsB.forEach((set, s) => {
    assertSameRequests(reference, set, `armB[${s}]`);
  });
  const clusters = clusterIndex(fn, options.clusters, reference.requestCount);
  const outputs = [setsA.map((set) => metric(set)), setsB.map((set) => metric(set))];
  const perRequest = outputs.every((arm) => arm.every(isPerRequestValues));
  if (!perRequest && !outputs.every((arm) => arm.every((value) => typeof value === 'number'))) {
    throw new TypeError('pairedBootstrap: metric must return a number for every set, or PerRequestValues for every set');
  }
  const ratioArms = perRequest ? outputs.map((arm) => perRequestEvaluator(arm as PerRequestValues[], clusters)) : undefined;
  const arms: ArmEvaluator[] = ratioArms ?? [rerankEvaluator(metric, setsA), rerankEvaluator(metric, setsB)];
  const seeds = pairedSeedCount(fn, arms);
  const replicates = drawReplicates(arms, clusters, seeds, settings);
  return liftFromReplicates(pointValues(arms, clusters), replicates, settings.confidence, {
    clusters: clusters.count,
    effectiveClusters: ratioArms ? kish(meanDenominators(ratioArms, clusters.count)) : Number.NaN,
    seeds,
    hierarchical: settings.resampleSeeds && seeds > 1,
  });
}
