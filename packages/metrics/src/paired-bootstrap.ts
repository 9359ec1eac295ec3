import { createRng, type Rng } from '@thaw/tensor';
import { aggregatePerRequest, isPerRequestValues, type PerRequestValues } from './per-request.js';
import { type RankingInput, rankingSet } from './ranking-input.js';
import { isRankingSet, type RankingColumns, type RankingSet, selectRequests } from './ranking-set.js';

/**
 * The metric a bootstrap compares: per-request values (fast: a replicate re-weights requests,
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
  /** Resample training seeds too when an arm has several (default true: hierarchical). */
  readonly resampleSeeds?: boolean;
}

/** The lift of arm B over arm A, with its bootstrap interval and p-value. */
export interface BootstrapResult {
  /** Metric of arm A (mean over its seeds). */
  readonly valueA: number;
  /** Metric of arm B (mean over its seeds). */
  readonly valueB: number;
  /** Lift in %: `(valueB / valueA − 1) · 100`. */
  readonly lift: number;
  /** Percentile interval of the lift in % at `confidence`. */
  readonly ci: readonly [number, number];
  /** Two-sided bootstrap p-value of "lift = 0". */
  readonly pValue: number;
  /** `pValue < 1 − confidence` (the paper bolds p < 0.05). */
  readonly significant: boolean;
  /** Replicates with a finite lift (replicates where arm A scores 0 are dropped). */
  readonly samples: number;
  /** True when training seeds were resampled as well as requests. */
  readonly hierarchical: boolean;
}

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

function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const low = sorted[lower] as number;
  return low + (position - lower) * ((sorted[upper] as number) - low);
}

/** Mean over resampled seeds of per-seed statistics. */
function seedMean(values: Float64Array, rng: Rng, resample: boolean): number {
  if (!resample || values.length === 1) return values.reduce((a, b) => a + b, 0) / values.length;
  let sum = 0;
  for (let s = 0; s < values.length; s++) sum += values[rng.int(values.length)] as number;
  return sum / values.length;
}

function weightedRatio(values: PerRequestValues, counts: Int32Array): number {
  let numerator = 0;
  let denominator = 0;
  for (let r = 0; r < counts.length; r++) {
    const c = counts[r] as number;
    if (c === 0) continue;
    numerator += c * (values.numerator[r] as number);
    denominator += c * (values.denominator[r] as number);
  }
  return denominator > 0 ? numerator / denominator : Number.NaN;
}

/**
 * Paired bootstrap of the lift of arm B over arm A (Table 1's "lift %" and its significance).
 *
 * Each replicate resamples requests with replacement, the same requests for both arms (pairing
 * removes the request-to-request variance both arms share). When an arm holds several training
 * seeds, each replicate also resamples that arm's seeds (hierarchical bootstrap), because seed
 * spread of a lift can be as large as request noise; the arm's value is the mean over seeds.
 * The interval is the percentile interval of the replicate lifts; the p-value is
 * `min(1, 2 · min(1 + #{lift* ≤ 0}, 1 + #{lift* ≥ 0}) / (samples + 1))`.
 *
 * With few seeds the seed part of the spread is underestimated (a resample of S values has
 * (S − 1)/S of their variance); prefer ≥ 5 seeds per arm when seed noise matters.
 *
 * @param metric per-request values (fast path) or a number, for one prediction set.
 * @throws RangeError when the arms' requests differ, for bad options; TypeError when the metric
 * returns neither a number nor per-request values.
 * @example
 * ```ts
 * const result = pairedBootstrap((s) => hitsAtKPerRequest(s, 3, { slice: 'fresh' }), baseline, variant, { samples: 1000, seed: 7 });
 * console.log(`${result.lift.toFixed(2)}% [${result.ci[0].toFixed(2)}, ${result.ci[1].toFixed(2)}] p=${result.pValue}`);
 * ```
 */
export function pairedBootstrap(
  metric: ArmMetric,
  armA: BootstrapArm,
  armB: BootstrapArm,
  options: PairedBootstrapOptions = {},
): BootstrapResult {
  const samples = options.samples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(samples) || samples < 1)
    throw new RangeError(`pairedBootstrap: options.samples must be an integer ≥ 1 (got ${samples})`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`pairedBootstrap: options.confidence must be in (0, 1) (got ${confidence})`);
  const setsA = armSets(armA, 'armA');
  const setsB = armSets(armB, 'armB');
  const reference = setsA[0] as RankingSet;
  setsA.forEach((set, s) => {
    assertSameRequests(reference, set, `armA[${s}]`);
  });
  setsB.forEach((set, s) => {
    assertSameRequests(reference, set, `armB[${s}]`);
  });
  const resampleSeeds = (options.resampleSeeds ?? true) && (setsA.length > 1 || setsB.length > 1);
  const requests = reference.requestCount;
  const rng = createRng(options.seed ?? 0);

  const outputs = [setsA.map((set) => metric(set)), setsB.map((set) => metric(set))];
  const perRequest = outputs.every((arm) => arm.every(isPerRequestValues));
  if (!perRequest && !outputs.every((arm) => arm.every((value) => typeof value === 'number'))) {
    throw new TypeError('pairedBootstrap: metric must return a number for every set, or PerRequestValues for every set');
  }
  const pointOf = (arm: (number | PerRequestValues)[]) =>
    arm.reduce<number>((sum, value) => sum + (typeof value === 'number' ? value : aggregatePerRequest(value)), 0) / arm.length;
  const valueA = pointOf(outputs[0] as (number | PerRequestValues)[]);
  const valueB = pointOf(outputs[1] as (number | PerRequestValues)[]);

  const lifts = new Float64Array(samples);
  let finite = 0;
  const counts = new Int32Array(requests);
  const indices = new Int32Array(requests);
  for (let b = 0; b < samples; b++) {
    for (let r = 0; r < requests; r++) indices[r] = rng.int(requests);
    let replicateA: number;
    let replicateB: number;
    if (perRequest) {
      counts.fill(0);
      for (let r = 0; r < requests; r++) counts[indices[r] as number] = (counts[indices[r] as number] as number) + 1;
      const perSeed = (arm: (number | PerRequestValues)[]) =>
        Float64Array.from(arm, (v) => weightedRatio(v as PerRequestValues, counts));
      replicateA = seedMean(perSeed(outputs[0] as PerRequestValues[]), rng, resampleSeeds);
      replicateB = seedMean(perSeed(outputs[1] as PerRequestValues[]), rng, resampleSeeds);
    } else {
      const perSeed = (sets: RankingSet[]) => Float64Array.from(sets, (set) => metric(selectRequests(set, indices)) as number);
      replicateA = seedMean(perSeed(setsA), rng, resampleSeeds);
      replicateB = seedMean(perSeed(setsB), rng, resampleSeeds);
    }
    const lift = (replicateB / replicateA - 1) * 100;
    if (Number.isFinite(lift)) lifts[finite++] = lift;
  }
  const sorted = lifts.subarray(0, finite).sort();
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (const lift of sorted) {
    if (lift <= 0) atOrBelow++;
    if (lift >= 0) atOrAbove++;
  }
  const alpha = 1 - confidence;
  const pValue = finite === 0 ? Number.NaN : Math.min(1, (2 * Math.min(atOrBelow + 1, atOrAbove + 1)) / (finite + 1));
  return {
    valueA,
    valueB,
    lift: (valueB / valueA - 1) * 100,
    ci: finite === 0 ? [Number.NaN, Number.NaN] : [quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2)],
    pValue,
    significant: pValue < alpha,
    samples: finite,
    hierarchical: resampleSeeds,
  };
}
