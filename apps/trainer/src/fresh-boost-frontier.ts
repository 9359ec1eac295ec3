import {
  type BoostMatch,
  boostFrontier,
  clusterBootstrap,
  DEFAULT_BOOSTS,
  type FrontierPoint,
  freshBoostScores,
  matchBoost,
  type PerRequestValues,
} from '@thaw/metrics';
import { createTensor } from '@thaw/tensor';

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
export interface FrontierDifference {
  readonly value: number;
  readonly ci95: readonly [number, number];
  readonly p: number;
  readonly significant: boolean;
}

/** Where one variant sits against the fresh-boost frontier. */
export interface FrontierPlacement {
  readonly variant: string;
  /** The variant's all-items metric on the calibration window (mean over seeds): what the boost is matched to. */
  readonly calibrationAll: number;
  /** The baseline boost whose calibration all-items metric equals it (see `matchBoost`). */
  readonly boost: number;
  readonly match: BoostMatch['kind'];
  /** On the evaluation window (means over seeds): the variant, and the baseline boosted by `boost`. */
  readonly evaluation: { readonly variant: { readonly all: number; readonly fresh: number }; readonly boosted: FrontierPoint };
  /** Fresh-items metric, variant − boosted baseline, on evaluation (users and seeds resampled, seeds paired). */
  readonly freshDifference: FrontierDifference;
  /** All-items metric, variant − boosted baseline, on evaluation (≈ 0 when the calibration match holds). */
  readonly allDifference: FrontierDifference;
  /**
   * `above`: more fresh-items metric than the heuristic at the same all-items metric (fresh
   * difference > 0 with its interval, all-items not significantly worse) — "warmer for less";
   * `below`: the heuristic is warmer at the same cost (all-items not significantly better);
   * `tradeoff`: significantly better on one metric and worse on the other (the calibration match
   * did not hold on evaluation) — no verdict; `on`: no significant fresh difference.
   */
  readonly verdict: 'above' | 'below' | 'on' | 'tradeoff';
}

/** The fresh-boost frontier of one metric pair and every variant's placement against it. */
export interface FrontierResult {
  readonly metric: { readonly all: string; readonly fresh: string };
  readonly boosts: readonly number[];
  /** The boosted baseline's (all, fresh) at every boost, means over seeds, on calibration (where boosts are chosen). */
  readonly calibration: readonly FrontierPoint[];
  /** The same curve on the evaluation window (drawn, never used to choose). */
  readonly evaluation: readonly FrontierPoint[];
  readonly placements: readonly FrontierPlacement[];
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const ratio = (v: PerRequestValues) => {
  let n = 0;
  let d = 0;
  for (let r = 0; r < v.numerator.length; r++) {
    n += v.numerator[r] as number;
    d += v.denominator[r] as number;
  }
  return d > 0 ? n / d : Number.NaN;
};

function curve(window: FrontierWindow, utility: readonly number[], boosts: readonly number[]): FrontierPoint[] {
  return boostFrontier((boost) => {
    const perSeed = window.baselineProbs.map((probs) => window.evaluate(boostedScores(probs, window.isCold, utility, boost)));
    return { all: mean(perSeed.map((v) => ratio(v.all))), fresh: mean(perSeed.map((v) => ratio(v.fresh))) };
  }, boosts);
}

/** The baseline's eq 12 scores with every task logit of cold rows raised by `boost` (`freshBoostScores`). */
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
  return freshBoostScores(matrix, isCold, utility, boost);
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
 * The fresh-boost reference of a comparison set (the heuristic every production team has): the
 * baseline plus a constant logit boost `b` on cold candidates, swept over `boosts` on both windows.
 * For each variant, the boost is **chosen on the calibration window** — the one whose all-items
 * metric there equals the variant's (`matchBoost`, falling branch) — and the variant is compared
 * with the baseline boosted by it **on the evaluation window**, per training seed (seed k with
 * seed k), with a cluster bootstrap over the evaluation users: the fresh-items difference says
 * whether the variant is warmer than the heuristic at the same all-items cost.
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
    const calibrationAll = mean(calibrationScores.map((s) => ratio(calibration.evaluate(s).all)));
    const match = matchBoost(calibrationCurve, calibrationAll);
    const variantValues = evaluationScores.map((s) => evaluation.evaluate(s));
    const boostedValues = evaluation.baselineProbs.map((p) =>
      evaluation.evaluate(boostedScores(p, evaluation.isCold, utility, match.boost)),
    );
    const point = (values: typeof variantValues) => ({
      all: mean(values.map((v) => ratio(v.all))),
      fresh: mean(values.map((v) => ratio(v.fresh))),
    });
    const seed = input.bootstrapSeed + 2 * i;
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
    const worseAll = allDifference.significant && allDifference.value < 0;
    const betterAll = allDifference.significant && allDifference.value > 0;
    const warmer = freshDifference.significant && freshDifference.value > 0;
    const colder = freshDifference.significant && freshDifference.value < 0;
    const verdict = (warmer && worseAll) || (colder && betterAll) ? 'tradeoff' : warmer ? 'above' : colder ? 'below' : 'on';
    return {
      variant: name,
      calibrationAll,
      boost: match.boost,
      match: match.kind,
      evaluation: { variant: point(variantValues), boosted: { boost: match.boost, ...point(boostedValues) } },
      freshDifference,
      allDifference,
      verdict,
    };
  });
  return { metric: input.metric, boosts, calibration: calibrationCurve, evaluation: evaluationCurve, placements };
}
