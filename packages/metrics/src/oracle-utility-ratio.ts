import { type OracleColumns, type OracleSet, oracleSet } from './oracle-set.js';
import { aggregatePerRequest, type PerRequestValues } from './per-request.js';
import { oracleTopKWeights, rankerTopKWeights } from './top-k-weights.js';

function checkK(fn: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${fn}: k must be an integer ≥ 1 (got ${k})`);
}

/**
 * The all-items oracle utility of each request: for request `r` with candidates `C_r`,
 *
 * ```
 * numerator[r]   = Σ_{i ∈ C_r} w_i · U_i          (w_i: the ranker's top-k membership, ties split)
 * denominator[r] = max_{S ⊆ C_r, |S| = min(k, |C_r|)} Σ_{i ∈ S} U_i   (the oracle's best slate)
 * U_i            = Σ_t u_t p*_{t,i}                (eq 12 on the true probabilities)
 * ```
 *
 * `w_i` is 1 inside the ranker's top `k`, 0 outside, and splits evenly among scores tied at the
 * boundary (`topKWeights`: the expectation under random tie-breaking). A request counts when its
 * best slate is worth something (`denominator > 0`). Feed it to a (clustered) bootstrap.
 *
 * @throws RangeError for `k` not an integer ≥ 1, plus the errors of `oracleSet`.
 */
export function oracleUtilityRatioPerRequest(input: OracleColumns | OracleSet, k: number): PerRequestValues {
  checkK('oracleUtilityRatio', k);
  const set = oracleSet(input);
  const { order, offsets, utility } = set;
  const model = rankerTopKWeights(set, k);
  const best = oracleTopKWeights(set, k);
  const numerator = new Float64Array(set.requestCount);
  const denominator = new Float64Array(set.requestCount);
  for (let r = 0; r < set.requestCount; r++) {
    const rows = order.subarray(offsets[r], offsets[r + 1]);
    const start = offsets[r] as number;
    let num = 0;
    let den = 0;
    rows.forEach((row, j) => {
      num += (model[start + j] as number) * (utility[row] as number);
      den += (best[start + j] as number) * (utility[row] as number);
    });
    if (den > 0) {
      numerator[r] = num;
      denominator[r] = den;
    }
  }
  return { numerator, denominator };
}

/**
 * All-items oracle utility ratio @k: the true eq 12 utility of the ranker's top-`k` slates as a
 * share of the best slates the truth allows, `Σ_r numerator[r] / Σ_r denominator[r]` (a micro
 * average: requests weigh by how much utility is at stake in them). 1.0 is perfect; a random
 * ranker scores `Σ_r (min(k, n_r)/n_r)·Σ_{i∈C_r} U_i / Σ_r denominator[r]`
 * ({@link randomUtilityRatioPerRequest}). NaN when no request counts.
 *
 * @example
 * ```ts
 * oracleUtilityRatio({ requestId: [1, 1, 1], scores: [0.3, 0.9, 0.1], trueUtility: [0.2, 0.05, 0.4] }, 1); // 0.125
 * ```
 */
export function oracleUtilityRatio(input: OracleColumns | OracleSet, k: number): number {
  return aggregatePerRequest(oracleUtilityRatioPerRequest(input, k));
}

/**
 * The closed-form expectation of a uniformly random ranker per request: `numerator[r] =
 * (min(k, n_r) / n_r) · Σ_{i ∈ C_r} U_i` (each candidate is in a random top-`k` with probability
 * `min(k, n_r)/n_r`), `denominator[r]` as in {@link oracleUtilityRatioPerRequest} — the chance level
 * of the all-items metric. The set's scores are not read.
 */
export function randomUtilityRatioPerRequest(input: OracleColumns | OracleSet, k: number): PerRequestValues {
  checkK('randomUtilityRatio', k);
  const set = oracleSet(input);
  const best = oracleUtilityRatioPerRequest(set, k).denominator;
  const numerator = new Float64Array(set.requestCount);
  for (let r = 0; r < set.requestCount; r++) {
    if (!((best[r] as number) > 0)) continue;
    const start = set.offsets[r] as number;
    const n = (set.offsets[r + 1] as number) - start;
    let total = 0;
    for (let p = start; p < start + n; p++) total += set.utility[set.order[p] as number] as number;
    numerator[r] = (Math.min(k, n) / n) * total;
  }
  return { numerator, denominator: best };
}
