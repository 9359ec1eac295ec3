import {
  aggregatePerRequest,
  type BoostMatch,
  boostFrontier,
  clusterBootstrap,
  DEFAULT_BOOSTS,
  type FrontierPoint,
  freshBoostProbabilities,
  matchBoost,
  type PerRequestValues,
} from '@thaw/metrics';
import { utilityScores } from '@thaw/model';
import { createTensor, referenceOps } from '@thaw/tensor';
import type { Difference, FrontierComparisonResult, FrontierPlacementResult, FrontierResultFile } from './results.js';

/**
 * One window of a fresh-boost comparison: how a ranker's per-row scores become the per-request
 * values of an all-items and a fresh-items metric, and the baseline's probabilities to boost.
 * Any data source and metric pair fits: the oracle metrics on simulated candidates, logged
 * Hits@3 on logged impressions (MovieLens, CSV …).
 */
export interface FrontierWindow {
  /** Per-request values of the all-items and the fresh-items metric of per-row scores (this window's row order). */
  readonly evaluate: (scores: Float64Array) => { readonly all: PerRequestValues; readonly fresh: PerRequestValues };
  /** The baseline's calibrated probabilities `[N, T]` row-major, one array per training seed. */
  readonly baselineProbs: readonly (Float32Array | Float64Array)[];
  /** 1 for a cold row (the boost applies), in this window's row order. */
  readonly isCold: ArrayLike<number>;
  /** Each variant's eq 12 scores per row, one array per training seed (same seed count as the baseline). */
  readonly variantScores: ReadonlyMap<string, readonly Float64Array[]>;
}

/** Inputs of {@link freshBoostComparison}. */
export interface FreshBoostComparisonInput {
  /** Names of the two metrics, e.g. `{ all: 'oracle utility ratio@3', fresh: 'oracle fresh recall@3' }`. */
  readonly metric: { readonly all: string; readonly fresh: string };
  /** eq 12 utility weights, one per task column of the probabilities. */
  readonly utility: readonly number[];
  /** Where the boost of each variant is chosen: never the evaluation window. */
  readonly calibration: FrontierWindow;
  readonly evaluation: FrontierWindow;
  /** Cluster (user) of each evaluation request, in the order of `evaluation.evaluate`'s values. */
  readonly evaluationClusters: ArrayLike<number>;
  readonly boosts?: readonly number[];
  readonly bootstrapSamples: number;
  readonly bootstrapSeed: number;
}

/** A difference (variant − matched boosted baseline) in metric units, with its cluster-bootstrap interval. */
export type FrontierDifference = Difference;
/** A variant against the baseline boosted by one matched boost (see {@link freshBoostComparison} for the verdicts). */
export type FrontierComparison = FrontierComparisonResult;
/** Where one variant sits against the fresh-boost frontier, by both matching rules. */
export type FrontierPlacement = FrontierPlacementResult;
/** The fresh-boost frontier of one metric pair and every variant's placement against it. */
export type FrontierResult = FrontierResultFile;

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

function curve(window: FrontierWindow, utility: readonly number[], boosts: readonly number[]): FrontierPoint[] {
  return boostFrontier((boost) => {
    const perSeed = window.baselineProbs.map((probs) => window.evaluate(boostedScores(probs, window.isCold, utility, boost)));
    return {
      all: mean(perSeed.map((v) => aggregatePerRequest(v.all))),
      fresh: mean(perSeed.map((v) => aggregatePerRequest(v.fresh))),
    };
  }, boosts);
}

/**
 * The baseline's eq 12 scores with every task logit of cold rows raised by `boost`:
 * `utilityScores` of `@thaw/model` on `freshBoostProbabilities` of `@thaw/metrics`.
 */
export function boostedScores(
  probs: Float32Array | Float64Array,
  isCold: ArrayLike<number>,
  utility: readonly number[],
  boost: number,
): Float64Array {
  const T = utility.length;
  const matrix =
    probs instanceof Float32Array
      ? createTensor('float32', probs, [probs.length / T, T])
      : createTensor('float64', probs, [probs.length / T, T]);
  return utilityScores(referenceOps, utility, freshBoostProbabilities(matrix, isCold, boost)).data as Float64Array;
}

function difference(
  a: readonly PerRequestValues[],
  b: readonly PerRequestValues[],
  input: FreshBoostComparisonInput,
  seed: number,
) {
  const r = clusterBootstrap(a, b, { clusters: input.evaluationClusters, samples: input.bootstrapSamples, seed });
  return { value: r.difference, ci95: [r.differenceCi[0], r.differenceCi[1]] as const, p: r.pValue, significant: r.significant };
}

/**
 * The verdict of one comparison with the boosted baseline (see {@link freshBoostComparison}).
 * Exported for its tests. With the fresh-matched rule, `match: 'peak'` means the variant was colder
 * on calibration than the boost that maximises all-items quality, so it was compared with that
 * boost: warmer *and* at least as good on all items, the boost is better (`below`) as soon as either
 * difference says so; only a variant that ranks all items better is outside the frontier (`colder`).
 */
export function frontierVerdict(
  on: 'all' | 'fresh',
  match: BoostMatch['kind'],
  fresh: FrontierDifference,
  all: FrontierDifference,
): FrontierComparison['verdict'] {
  const up = (d: FrontierDifference) => d.significant && d.value > 0;
  const down = (d: FrontierDifference) => d.significant && d.value < 0;
  if (on === 'fresh' && match === 'peak' && !up(fresh)) {
    if (up(all)) return 'colder';
    return down(all) || down(fresh) ? 'below' : 'on';
  }
  if ((up(fresh) && down(all)) || (down(fresh) && up(all))) return 'tradeoff';
  if (on === 'all') return up(fresh) ? 'above' : down(fresh) ? 'below' : 'on';
  return up(all) ? 'above' : down(all) ? 'below' : 'on';
}

/**
 * The fresh-boost reference of a comparison set (the heuristic every production team has): the
 * baseline plus a constant logit boost `b` on cold candidates, swept over `boosts` on both windows.
 * For each variant a boost is **chosen on the calibration window** and the variant is compared
 * with the baseline boosted by it **on the evaluation window**, per training seed (seed k with
 * seed k), with a cluster bootstrap over the evaluation users — by two rules:
 *
 * - `freshMatched` (primary): the boost whose fresh-items metric equals the variant's; the test is
 *   the all-items difference — at the same warmth, who ranks all items better? The fresh metric
 *   climbs steeply with the boost, so this match holds on evaluation. Verdicts: `above` — Δ all > 0
 *   with its interval ("warmer for less"); `below` — Δ all < 0; `colder` — the variant is colder
 *   than the all-items maximiser (`match: 'peak'`) yet ranks all items better than it: outside the
 *   frontier, but not warmer; `on` — Δ all not significant; `tradeoff` — the two differences
 *   significant with opposite signs (the match did not hold).
 * - `allMatched`: the boost whose all-items metric equals the variant's; the test is the
 *   fresh-items difference (`above` — Δ fresh > 0 and Δ all not significantly negative, `below`,
 *   `on`, `tradeoff`). Ill-conditioned where the all-items curve is flat — at its peak, where most
 *   techniques sit — so the match often fails on evaluation: reported beside, as first declared.
 *
 * Nothing of the evaluation window enters the choice of a boost (a test poisons it).
 *
 * @throws RangeError when a variant's seed count differs from the baseline's.
 */
export function freshBoostComparison(input: FreshBoostComparisonInput): FrontierResult {
  const boosts = [...(input.boosts ?? DEFAULT_BOOSTS)].sort((a, b) => a - b);
  const { utility, calibration, evaluation } = input;
  const seeds = calibration.baselineProbs.length;
  const calibrationCurve = curve(calibration, utility, boosts);
  const evaluationCurve = curve(evaluation, utility, boosts);
  const placements = [...evaluation.variantScores.keys()].map((name, i): FrontierPlacement => {
    const calibrationScores = calibration.variantScores.get(name);
    const evaluationScores = evaluation.variantScores.get(name) as readonly Float64Array[];
    if (!calibrationScores || calibrationScores.length !== seeds || evaluationScores.length !== seeds) {
      throw new RangeError(
        `freshBoostComparison: variant ${name} needs ${seeds} seeds of scores on both windows, like the baseline (got ${calibrationScores?.length ?? 0} and ${evaluationScores.length})`,
      );
    }
    const onCalibration = calibrationScores.map((s) => calibration.evaluate(s));
    const calibrationPoint = {
      all: mean(onCalibration.map((v) => aggregatePerRequest(v.all))),
      fresh: mean(onCalibration.map((v) => aggregatePerRequest(v.fresh))),
    };
    const variantValues = evaluationScores.map((s) => evaluation.evaluate(s));
    const point = (values: typeof variantValues) => ({
      all: mean(values.map((v) => aggregatePerRequest(v.all))),
      fresh: mean(values.map((v) => aggregatePerRequest(v.fresh))),
    });
    const compare = (on: 'all' | 'fresh', seed: number): FrontierComparison => {
      const match = matchBoost(calibrationCurve, calibrationPoint[on], on);
      const boostedValues = evaluation.baselineProbs.map((p) =>
        evaluation.evaluate(boostedScores(p, evaluation.isCold, utility, match.boost)),
      );
      const freshDifference = difference(
        boostedValues.map((v) => v.fresh),
        variantValues.map((v) => v.fresh),
        input,
        seed,
      );
      const allDifference = difference(
        boostedValues.map((v) => v.all),
        variantValues.map((v) => v.all),
        input,
        seed + 1,
      );
      return {
        boost: match.boost,
        match: match.kind,
        evaluation: { variant: point(variantValues), boosted: { boost: match.boost, ...point(boostedValues) } },
        freshDifference,
        allDifference,
        verdict: frontierVerdict(on, match.kind, freshDifference, allDifference),
      };
    };
    const seed = input.bootstrapSeed + 4 * i;
    return {
      variant: name,
      calibration: calibrationPoint,
      freshMatched: compare('fresh', seed),
      allMatched: compare('all', seed + 2),
    };
  });
  return { metric: input.metric, boosts, calibration: calibrationCurve, evaluation: evaluationCurve, placements };
}
