import type { OracleSet } from './oracle-set.js';

/** Scratch of {@link topKWeights}: a request's values, then sorted (grown as needed; calls are synchronous). */
let scratch = new Float64Array(64);
let sorted = new Float64Array(64);

/**
 * The expected top-`k` membership of each row of one request when ties are broken uniformly at
 * random: `out[j]` for the `j`-th of `rows` is 1 when its value is strictly inside the top `k`, 0
 * when strictly outside, and `(k − a) / m` for each of the `m` rows tied at the boundary with `a`
 * rows strictly above them. `Σ out = min(k, rows.length)`. O(n log n) per request (one sort of
 * the values to find the `k`-th largest, then one pass), no allocation but `out`.
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
  if (n <= k) {
    weights.fill(1, 0, n);
    return weights;
  }
  if (scratch.length < n) {
    scratch = new Float64Array(2 * n);
    sorted = new Float64Array(2 * n);
  }
  for (let j = 0; j < n; j++) scratch[j] = value(rows[j] as number);
  const ascending = sorted.subarray(0, n);
  ascending.set(scratch.subarray(0, n));
  ascending.sort();
  // The k-th largest value is the boundary: a rows above it, m rows tied with it share k − a slots.
  const boundary = ascending[n - k] as number;
  let above = 0;
  let tied = 0;
  for (let j = 0; j < n; j++) {
    const v = scratch[j] as number;
    if (v > boundary) above++;
    else if (v === boundary) tied++;
  }
  const shared = (k - above) / tied;
  for (let j = 0; j < n; j++) {
    const v = scratch[j] as number;
    weights[j] = v > boundary ? 1 : v === boundary ? shared : 0;
  }
  return weights;
}

/** Top-`k` weights of every row of a set, in request order, by one of its columns (see below). */
function weightsInRequestOrder(set: OracleSet, column: ArrayLike<number>, k: number): Float64Array {
  const weights = new Float64Array(set.order.length);
  for (let r = 0; r < set.requestCount; r++) {
    const start = set.offsets[r] as number;
    const rows = set.order.subarray(start, set.offsets[r + 1]);
    topKWeights(rows, (row) => column[row] as number, k, weights.subarray(start));
  }
  return weights;
}

function cached<Key extends object>(
  cache: WeakMap<Key, Map<number, Float64Array>>,
  key: Key,
  k: number,
  compute: () => Float64Array,
): Float64Array {
  let byK = cache.get(key);
  if (!byK) {
    byK = new Map();
    cache.set(key, byK);
  }
  let weights = byK.get(k);
  if (!weights) {
    weights = compute();
    byK.set(k, weights);
  }
  return weights;
}

const oracleCache = new WeakMap<Float64Array, Map<number, Float64Array>>();
const rankerCache = new WeakMap<OracleSet, Map<number, Float64Array>>();

/**
 * The truth's top-`k` weights of every row of an oracle set, in request order (`out[p]` for row
 * `order[p]`): {@link topKWeights} by true utility, request by request. Computed once per truth
 * and `k` and shared by every ranker scored against it (`withScores` keeps the truth).
 */
export function oracleTopKWeights(set: OracleSet, k: number): Float64Array {
  return cached(oracleCache, set.utility, k, () => weightsInRequestOrder(set, set.utility, k));
}

/**
 * The ranker's top-`k` weights of every row of an oracle set, in request order: {@link topKWeights}
 * by `set.scores`. Computed once per set and `k` and shared by the metrics of that set (the
 * utility ratio and the fresh recall of one ranker), so a set's columns must not change after
 * it is made.
 */
export function rankerTopKWeights(set: OracleSet, k: number): Float64Array {
  return cached(rankerCache, set, k, () => weightsInRequestOrder(set, set.scores, k));
}
