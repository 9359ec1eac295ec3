import type { OracleSet } from './oracle-set.js';

/**
 * The expected top-`k` membership of each row of one request when ties are broken uniformly at
 * random: `out[j]` for the `j`-th of `rows` is 1 when its value is strictly inside the top `k`, 0
 * when strictly outside, and `(k − a) / m` for each of the `m` rows tied at the boundary with `a`
 * rows strictly above them. `Σ out = min(k, rows.length)`. Sorting is O(n log n) per request.
 *
 * Row order never matters — a constant ranker scores exactly its random-tie-breaking expectation
 * (the oracle metrics use this, because a candidate list's row order is often retrieval order).
 *
 * @param value the ranking value of a row (higher first); must not be NaN.
 * @example `topKWeights([5, 9, 5, 1], (r) => r, 2)` — values 5, 9, 5, 1 → `[0.5, 1, 0.5, 0]`
 */
export function topKWeights(
  rows: ArrayLike<number>,
  value: (row: number) => number,
  k: number,
  out?: Float64Array,
): Float64Array {
  const n = rows.length;
  const weights = out ?? new Float64Array(n);
  const index = Array.from({ length: n }, (_, j) => j);
  const values = Float64Array.from({ length: n }, (_, j) => value(rows[j] as number));
  index.sort((a, b) => (values[b] as number) - (values[a] as number));
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[index[end] as number] === values[index[start] as number]) end++;
    const m = end - start;
    const w = end <= k ? 1 : start >= k ? 0 : (k - start) / m;
    for (let p = start; p < end; p++) weights[index[p] as number] = w;
    start = end;
  }
  return weights;
}

const oracleCache = new WeakMap<Float64Array, Map<number, Float64Array>>();

/**
 * The truth's top-`k` weights of every row of an oracle set, in request order (`out[p]` for row
 * `order[p]`): {@link topKWeights} by true utility, request by request. Computed once per truth
 * and `k` and shared by every ranker scored against it (`withScores` keeps the truth).
 */
export function oracleTopKWeights(set: OracleSet, k: number): Float64Array {
  let byK = oracleCache.get(set.utility);
  if (!byK) {
    byK = new Map();
    oracleCache.set(set.utility, byK);
  }
  let weights = byK.get(k);
  if (!weights) {
    weights = new Float64Array(set.order.length);
    for (let r = 0; r < set.requestCount; r++) {
      const start = set.offsets[r] as number;
      const rows = set.order.subarray(start, set.offsets[r + 1]);
      weights.set(
        topKWeights(rows, (row) => set.utility[row] as number, k),
        start,
      );
    }
    byK.set(k, weights);
  }
  return weights;
}
