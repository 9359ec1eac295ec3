import {
  type ArmEvaluator,
  bootstrapPValue,
  type ClusterDraw,
  type ClusterIds,
  type ClusterIndex,
  type CommonOptions,
  clusterIndex,
  drawReplicates,
  finiteSorted,
  pairedSeedCount,
  percentileInterval,
  pointValues,
  resolveCommonOptions,
} from './bootstrap-engine.js';
import { kish } from './effective-clusters.js';
import type { LiftEstimate } from './lift-estimate.js';
import { isPerRequestValues, type PerRequestValues } from './per-request.js';

/** An arm's per-request values: one {@link PerRequestValues}, or one per training seed (all over the same requests). */
export type ArmValues = PerRequestValues | readonly PerRequestValues[];

/** Options of {@link clusterBootstrap} and {@link bootstrapInterval}. */
export interface ClusterBootstrapOptions extends CommonOptions {
  /**
   * The cluster of each request (e.g. its user id), in request order: a replicate draws clusters
   * with replacement and keeps all their requests together. Omitted, every request is its own
   * cluster — right only when requests are independent, which requests of one user are not.
   */
  readonly clusters?: ClusterIds;
}

/** What a bootstrap resampled: clusters, their effective number, seeds. */
export interface ResamplingSummary {
  /** Replicates where the statistic is defined (the others are dropped). */
  readonly samples: number;
  /** Clusters resampled (all clusters given, including those with no counted request). */
  readonly clusters: number;
  /** Kish's effective number of clusters of the counted requests ({@link effectiveClusterCount}; mean denominator over seeds and arms). */
  readonly effectiveClusters: number;
  /** Training seeds per arm. */
  readonly seeds: number;
  /** True when seeds were resampled too (paired across arms). */
  readonly hierarchical: boolean;
}

/** A single model's metric with its bootstrap interval ({@link bootstrapInterval}). */
export interface MetricInterval extends ResamplingSummary {
  /** The metric: mean over seeds of `Σ numerator / Σ denominator`. */
  readonly value: number;
  /** Percentile interval at `confidence`. */
  readonly ci: readonly [number, number];
}

/**
 * The lift of arm B over arm A with its bootstrap intervals: `ci` and `differenceCi` are
 * percentile intervals (replicates where A is 0 are dropped from the lift's), `pValue` is the
 * two-sided bootstrap p-value of the difference replicates, `significant` is `pValue < 1 − confidence`.
 */
export interface LiftInterval extends ResamplingSummary, LiftEstimate {}

function armList(fn: string, arm: ArmValues, name: string): readonly PerRequestValues[] {
  const list = isPerRequestValues(arm) ? [arm] : arm;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isPerRequestValues)) {
    throw new TypeError(
      `${fn}: ${name} must be per-request values ({ numerator, denominator } Float64Arrays, e.g. hitsAtKPerRequest(…)) or a non-empty list of them, one per seed`,
    );
  }
  return list;
}

function checkValues(fn: string, values: PerRequestValues, name: string, requests: number): void {
  if (values.numerator.length !== requests || values.denominator.length !== requests) {
    throw new RangeError(
      `${fn}: ${name} has ${values.numerator.length} numerators and ${values.denominator.length} denominators but the first arm has ${requests} requests; every seed and arm must cover the same requests in the same order`,
    );
  }
  for (let r = 0; r < requests; r++) {
    const n = values.numerator[r] as number;
    const d = values.denominator[r] as number;
    if (!Number.isFinite(n) || !(Number.isFinite(d) && d >= 0)) {
      throw new RangeError(
        `${fn}: ${name} request ${r} has numerator ${n}, denominator ${d}; both must be finite, the denominator ≥ 0`,
      );
    }
  }
}

/** Per-seed sums per cluster: a replicate of a ratio metric costs O(clusters · seeds). */
export function perRequestEvaluator(
  seeds: readonly PerRequestValues[],
  clusters: ClusterIndex,
): ArmEvaluator & {
  readonly denominators: Float64Array[];
} {
  const numerators = seeds.map(() => new Float64Array(clusters.count));
  const denominators = seeds.map(() => new Float64Array(clusters.count));
  seeds.forEach((values, k) => {
    const num = numerators[k] as Float64Array;
    const den = denominators[k] as Float64Array;
    clusters.ofRequest.forEach((c, r) => {
      num[c] = (num[c] as number) + (values.numerator[r] as number);
      den[c] = (den[c] as number) + (values.denominator[r] as number);
    });
  });
  return {
    seeds: seeds.length,
    denominators,
    value(seed: number, draw: ClusterDraw): number {
      const num = numerators[seed] as Float64Array;
      const den = denominators[seed] as Float64Array;
      let n = 0;
      let d = 0;
      for (let c = 0; c < draw.counts.length; c++) {
        const m = draw.counts[c] as number;
        if (m === 0) continue;
        n += m * (num[c] as number);
        d += m * (den[c] as number);
      }
      return d > 0 ? n / d : Number.NaN;
    },
  };
}

/** Mean per-cluster denominator over every seed of every arm. */
export function meanDenominators(arms: readonly { readonly denominators: Float64Array[] }[], count: number): Float64Array {
  const mean = new Float64Array(count);
  let n = 0;
  for (const arm of arms) {
    for (const den of arm.denominators) {
      for (let c = 0; c < count; c++) mean[c] = (mean[c] as number) + (den[c] as number);
      n++;
    }
  }
  return mean.map((v) => v / n);
}

/**
 * Assembles a {@link LiftInterval} from the engine's replicates of two arms (shared with
 * `pairedBootstrap`, which has its own evaluators).
 */
export function liftFromReplicates(
  point: readonly number[],
  replicates: readonly Float64Array[],
  confidence: number,
  summary: Omit<ResamplingSummary, 'samples'>,
): LiftInterval {
  const [valueA, valueB] = point as [number, number];
  const [a, b] = replicates as [Float64Array, Float64Array];
  const differences = finiteSorted(b.map((v, i) => v - (a[i] as number)));
  const lifts = finiteSorted(b.map((v, i) => (v / (a[i] as number) - 1) * 100));
  const pValue = bootstrapPValue(differences);
  return {
    valueA,
    valueB,
    lift: (valueB / valueA - 1) * 100,
    ci: percentileInterval(lifts, confidence),
    difference: valueB - valueA,
    differenceCi: percentileInterval(differences, confidence),
    pValue,
    significant: pValue < 1 - confidence,
    samples: differences.length,
    ...summary,
  };
}

/**
 * Cluster bootstrap of the lift of arm B over arm A, from per-request numerators and
 * denominators (any ratio metric: Hits@K, a slice-restricted mean, a micro-averaged ratio — the
 * metric of a replicate is `Σ numerator / Σ denominator` over its requests).
 *
 * Each replicate resamples **clusters** (`options.clusters`, e.g. users) with replacement, all
 * their requests together, the same clusters for both arms; when the arms hold several training
 * seeds it also resamples the seeds, **paired** — the same seed indices for both arms, so seed k
 * of A meets seed k of B. Returns the lift in % and the difference, each with its percentile
 * interval, a two-sided p-value, and the effective number of clusters of the counted requests.
 *
 * @param armA the reference (e.g. the baseline): per-request values, or a list per seed.
 * @param armB the variant, over the same requests (same seed count as A, or one set).
 * @throws TypeError for arms that are not per-request values; RangeError for arms over
 * different requests, unpaired seed counts, clusters of the wrong length or bad options.
 * @example
 * ```ts
 * const perSeed = (sets: RankingSet[]) => sets.map((s) => hitsAtKPerRequest(s, 3, { slice: 'fresh' }));
 * const users = requestClusters(baselineSets[0], evaluationUserIds); // one user per request
 * const r = clusterBootstrap(perSeed(baselineSets), perSeed(variantSets), { clusters: users, samples: 2000, seed: 1 });
 * console.log(`${r.lift.toFixed(1)}% [${r.ci[0].toFixed(1)}, ${r.ci[1].toFixed(1)}], ${r.effectiveClusters.toFixed(0)} effective users`);
 * ```
 */
export function clusterBootstrap(armA: ArmValues, armB: ArmValues, options: ClusterBootstrapOptions = {}): LiftInterval {
  const fn = 'clusterBootstrap';
  const settings = resolveCommonOptions(fn, options);
  const a = armList(fn, armA, 'armA');
  const b = armList(fn, armB, 'armB');
  const requests = (a[0] as PerRequestValues).numerator.length;
  for (const [k, v] of a.entries()) checkValues(fn, v, `armA[${k}]`, requests);
  for (const [k, v] of b.entries()) checkValues(fn, v, `armB[${k}]`, requests);
  const clusters = clusterIndex(fn, options.clusters, requests);
  const arms = [perRequestEvaluator(a, clusters), perRequestEvaluator(b, clusters)];
  const seeds = pairedSeedCount(fn, arms);
  const replicates = drawReplicates(arms, clusters, seeds, settings);
  return liftFromReplicates(pointValues(arms, clusters), replicates, settings.confidence, {
    clusters: clusters.count,
    effectiveClusters: kish(meanDenominators(arms, clusters.count)),
    seeds,
    hierarchical: settings.resampleSeeds && seeds > 1,
  });
}

/**
 * Cluster bootstrap interval of a single model's metric (the same engine as
 * {@link clusterBootstrap}): clusters resampled with all their requests, and the model's seeds
 * resampled too when it has several (`value` is the mean over seeds).
 *
 * @param arm per-request values, or a list per seed (same requests).
 * @example
 * ```ts
 * const r = bootstrapInterval(hitsAtKPerRequest(set, 3), { clusters: userOfRequest, seed: 1 });
 * console.log(`Hits@3 ${r.value.toFixed(3)} [${r.ci[0].toFixed(3)}, ${r.ci[1].toFixed(3)}]`);
 * ```
 */
export function bootstrapInterval(arm: ArmValues, options: ClusterBootstrapOptions = {}): MetricInterval {
  const fn = 'bootstrapInterval';
  const settings = resolveCommonOptions(fn, options);
  const list = armList(fn, arm, 'arm');
  const requests = (list[0] as PerRequestValues).numerator.length;
  for (const [k, v] of list.entries()) checkValues(fn, v, `arm[${k}]`, requests);
  const clusters = clusterIndex(fn, options.clusters, requests);
  const evaluator = perRequestEvaluator(list, clusters);
  const [replicates] = drawReplicates([evaluator], clusters, list.length, settings) as [Float64Array];
  const sorted = finiteSorted(replicates);
  return {
    value: pointValues([evaluator], clusters)[0] as number,
    ci: percentileInterval(sorted, settings.confidence),
    samples: sorted.length,
    clusters: clusters.count,
    effectiveClusters: kish(meanDenominators([evaluator], clusters.count)),
    seeds: list.length,
    hierarchical: settings.resampleSeeds && list.length > 1,
  };
}
