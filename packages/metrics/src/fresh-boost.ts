import { createTensor, type Tensor } from '@thaw/tensor';
import { columnAt, type MatrixInput, type NumericInput, readColumns, readVector } from './numeric-input.js';

/**
 * Boosts a fresh-boost sweep tries by default, in logits (0 = the model as is): −1 to +4, every
 * 0.05 between 0 and 0.3 — where a model's all-items metric usually peaks and a fresh-items metric
 * climbs fastest — coarser beyond. 19 boosts.
 */
export const DEFAULT_BOOSTS: readonly number[] = [
  -1, -0.5, -0.25, -0.1, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 4,
];

const EPS = 1e-12;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * The industry's cold-start heuristic, before eq 12: a model's probabilities with every task logit
 * raised by a constant `boost` on cold candidates, `q_{t,i} = σ(logit(ŷ_{t,i}) + boost · cold_i)`
 * (probabilities clamped to [1e-12, 1 − 1e-12]; warm rows and `boost = 0` keep `ŷ` exactly). The
 * boosted ranker's score is eq 12 of them — `utilityScores(referenceOps, spec, q)` of
 * `@thaw/model`, the one implementation of eq 12.
 *
 * @param probs the model's (calibrated) probabilities `[N, T]`.
 * @param isCold 1 for a cold row, else 0, `[N]`.
 * @param boost logits added on cold rows.
 * @returns the boosted probabilities, float64 `[N, T]` (row-major).
 * @throws RangeError for mismatched lengths or a non-finite boost.
 * @example
 * ```ts
 * const q = freshBoostProbabilities([[0.1, 0.2]], [1, 0], 1); // [[σ(logit 0.1 + 1)], [0.2]]
 * const scores = utilityScores(referenceOps, spec, q).data;     // the boosted ranker's eq 12 score
 * ```
 */
export function freshBoostProbabilities(probs: MatrixInput, isCold: NumericInput, boost: number): Tensor<'float64'> {
  if (!Number.isFinite(boost))
    throw new RangeError(`freshBoostProbabilities: boost must be a finite number of logits (got ${boost})`);
  const columns = readColumns(probs, 'freshBoostProbabilities: probs');
  const rows = columns[0]?.length ?? 0;
  const T = columns.length;
  const cold = readVector(isCold, 'freshBoostProbabilities: isCold');
  if (cold.length !== rows) throw new RangeError(`freshBoostProbabilities: isCold has ${cold.length} rows but probs has ${rows}`);
  const out = new Float64Array(rows * T);
  columns.forEach((column, t) => {
    for (let i = 0; i < rows; i++) {
      const p = columnAt(column, i);
      out[i * T + t] = cold[i] === 1 && boost !== 0 ? sigmoid(logit(p) + boost) : p;
    }
  });
  return createTensor('float64', out, [rows, T]);
}

/** One point of a fresh-boost frontier: an all-items metric and a fresh-items metric at a boost. */
export interface FrontierPoint {
  readonly boost: number;
  readonly all: number;
  readonly fresh: number;
}

/**
 * The fresh-boost frontier: the (all-items, fresh-items) metric pair of the boosted model at every
 * boost in `boosts` (sorted ascending). `evaluate` scores one boost on one window — e.g. the
 * oracle utility ratio and oracle fresh recall of the eq 12 scores of `freshBoostProbabilities(…)`, or logged Hits@3 on all
 * and on fresh items. A technique is "warmer for less" only if it lies above this curve: more
 * fresh-items metric than the heuristic at the same all-items metric.
 *
 * @throws RangeError for an empty or non-finite list of boosts.
 * @example
 * ```ts
 * const frontier = boostFrontier((b) => ({ all: utilityAt(b), fresh: recallAt(b) }), DEFAULT_BOOSTS);
 * ```
 */
export function boostFrontier(
  evaluate: (boost: number) => { readonly all: number; readonly fresh: number },
  boosts: readonly number[] = DEFAULT_BOOSTS,
): FrontierPoint[] {
  if (boosts.length === 0 || !boosts.every(Number.isFinite)) {
    throw new RangeError(`boostFrontier: boosts must be a non-empty list of finite numbers (got ${JSON.stringify(boosts)})`);
  }
  return [...boosts]
    .sort((a, b) => a - b)
    .map((boost) => {
      const { all, fresh } = evaluate(boost);
      return { boost, all, fresh };
    });
}

/** The boost matched to a target by {@link matchBoost}. */
export interface BoostMatch {
  /** The boost in logits. */
  readonly boost: number;
  /**
   * `matched`: the efficient branch reaches the target (linear interpolation between two grid
   * boosts). `peak`: the target lies beyond the branch's start — an all-items target at or above
   * the best boost's, or a fresh-items target at or below the fresh metric of the all-items
   * maximiser — and the all-items maximiser is returned. `end`: the target lies beyond the largest
   * boost, which is returned.
   */
  readonly kind: 'matched' | 'peak' | 'end';
}

/**
 * The boost at which the boosted model reaches `target` on the frontier's **efficient branch** —
 * the boosts at or above the one that maximises the all-items metric, where raising the boost
 * trades all-items quality for fresh-items exposure (below it both metrics fall: those boosts are
 * dominated). `on: 'all'` matches the all-items metric (falling along the branch), `on: 'fresh'`
 * the fresh-items metric (rising along it). The first grid interval that crosses the target is
 * interpolated linearly — a deterministic rule where noise makes the curve non-monotone.
 *
 * Matching on the fresh metric is well conditioned: it climbs steeply and monotonically with the
 * boost. The all-items metric is flat at its peak, where most techniques sit, so a 0.1-point
 * difference there moves the all-matched boost a lot. Choose the boost on the calibration window,
 * then compare on the evaluation window.
 *
 * @throws RangeError for an empty frontier or a non-finite target.
 * @example
 * ```ts
 * const { boost } = matchBoost(calibrationFrontier, variantFreshOnCalibration, 'fresh');
 * ```
 */
export function matchBoost(frontier: readonly FrontierPoint[], target: number, on: 'all' | 'fresh' = 'all'): BoostMatch {
  if (frontier.length === 0) throw new RangeError('matchBoost: the frontier is empty');
  if (!Number.isFinite(target)) throw new RangeError(`matchBoost: target must be a finite ${on}-items metric (got ${target})`);
  const points = [...frontier]
    .filter((p) => Number.isFinite(p.all) && Number.isFinite(p.fresh))
    .sort((a, b) => a.boost - b.boost);
  if (points.length === 0) throw new RangeError('matchBoost: no frontier point has finite metrics');
  let peak = 0;
  points.forEach((p, i) => {
    if (p.all > (points[peak] as FrontierPoint).all) peak = i;
  });
  // Along the branch the matched metric should move away from its value at the peak: down for
  // all-items, up for fresh-items. `sign` turns both into "falls below the target".
  const sign = on === 'all' ? 1 : -1;
  const value = (p: FrontierPoint) => sign * (on === 'all' ? p.all : p.fresh);
  const goal = sign * target;
  const top = points[peak] as FrontierPoint;
  if (goal >= value(top)) return { boost: top.boost, kind: 'peak' };
  for (let j = peak + 1; j < points.length; j++) {
    const a = points[j - 1] as FrontierPoint;
    const b = points[j] as FrontierPoint;
    if (value(b) <= goal) {
      const share = value(a) === value(b) ? 0 : (value(a) - goal) / (value(a) - value(b));
      return { boost: a.boost + share * (b.boost - a.boost), kind: 'matched' };
    }
  }
  return { boost: (points[points.length - 1] as FrontierPoint).boost, kind: 'end' };
}
