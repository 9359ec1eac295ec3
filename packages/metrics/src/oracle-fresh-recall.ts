import { columnAt } from './numeric-input.js';
import { type OracleColumns, type OracleSet, oracleSet } from './oracle-set.js';
import { aggregatePerRequest, type PerRequestValues } from './per-request.js';
import { oracleTopKWeights, rankerTopKWeights } from './top-k-weights.js';

/**
 * The fresh-items oracle metric of each request — of the fresh candidates the truth puts in the
 * top `k`, how many the ranker also puts there:
 *
 * ```
 * numerator[r]   = Σ_{i ∈ C_r, cold} o_i · w_i
 * denominator[r] = Σ_{i ∈ C_r, cold} o_i
 * ```
 *
 * `o_i` is the oracle's top-`k` membership by true utility `U_i = Σ_t u_t p*_{t,i}`, `w_i` the
 * ranker's by its score — both 1 inside, 0 outside, split evenly among values tied at the
 * boundary (`topKWeights`), so without ties `numerator[r] = |F_r ∩ M_r|` and
 * `denominator[r] = |F_r|` with `F_r` the fresh items of the oracle's top `k` and `M_r` the ranker's
 * top `k`. A request counts only when the truth puts a fresh item in its top `k`
 * (`denominator > 0`); requests without fresh candidates, or whose fresh candidates all deserve a
 * lower rank, do not.
 *
 * @throws TypeError without `isCold`; RangeError for `k` not an integer ≥ 1.
 */
export function oracleFreshRecallPerRequest(input: OracleColumns | OracleSet, k: number): PerRequestValues {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`oracleFreshRecall: k must be an integer ≥ 1 (got ${k})`);
  const set = oracleSet(input);
  const { order, offsets, isCold } = set;
  if (isCold === undefined) throw new TypeError('oracleFreshRecall: needs isCold (1 for a fresh candidate) in the oracle set');
  const model = rankerTopKWeights(set, k);
  const best = oracleTopKWeights(set, k);
  const numerator = new Float64Array(set.requestCount);
  const denominator = new Float64Array(set.requestCount);
  for (let r = 0; r < set.requestCount; r++) {
    const rows = order.subarray(offsets[r], offsets[r + 1]);
    let anyCold = false;
    for (const row of rows) if (columnAt(isCold, row) === 1) anyCold = true;
    if (!anyCold) continue;
    const start = offsets[r] as number;
    let num = 0;
    let den = 0;
    rows.forEach((row, j) => {
      if (columnAt(isCold, row) !== 1) return;
      num += (best[start + j] as number) * (model[start + j] as number);
      den += best[start + j] as number;
    });
    numerator[r] = num;
    denominator[r] = den;
  }
  return { numerator, denominator };
}

/**
 * Fresh-items oracle recall @k — the analogue of the paper's "Hits@3 on fresh Pins" against the
 * truth: of all fresh candidates that deserve a top-`k` slot (by true eq 12 utility), the share the
 * ranker gives one, `Σ_r numerator[r] / Σ_r denominator[r]` (micro average: each deserving fresh
 * item counts once). A uniform boost of cold scores raises it and costs all-items utility — compare
 * rankers at equal all-items utility (the fresh-boost frontier). NaN when no request counts.
 *
 * @example
 * ```ts
 * // Truth ranks the fresh row 2 first; the ranker puts it second of three: in its top 2, not its top 1.
 * const input = { requestId: [1, 1, 1], scores: [0.9, 0.5, 0.1], trueUtility: [0.3, 0.6, 0.1], isCold: [0, 1, 0] };
 * oracleFreshRecall(input, 2); // 1
 * oracleFreshRecall(input, 1); // 0
 * ```
 */
export function oracleFreshRecall(input: OracleColumns | OracleSet, k: number): number {
  return aggregatePerRequest(oracleFreshRecallPerRequest(input, k));
}
