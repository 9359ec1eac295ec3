import { type ClusterIds, clusterIndex } from './bootstrap-engine.js';
import { isPerRequestValues, type PerRequestValues } from './per-request.js';

/**
 * Kish's effective number of clusters, `(Σ_c w_c)² / Σ_c w_c²`, where `w_c` sums the weights of
 * cluster `c`'s requests. With per-request metric values the weight of a request is its
 * denominator (1 when the request counts in the slice), so `w_c` is how many requests of the slice
 * user `c` contributes: 96 users of whom 5 hold 40% of the requests behave like ≈ 20 equal users.
 * It equals the number of clusters when they weigh the same, and tends to 1 when one dominates.
 * The precision of a slice's metric is set by this number, not by its request count.
 *
 * @param weights one weight per request (≥ 0), or per-request values (their denominators).
 * @param clusters the cluster (e.g. user) of each request; omitted, every request is a cluster.
 * @returns the effective number of clusters; 0 when every weight is 0.
 * @throws RangeError for a negative or non-finite weight, or clusters of the wrong length.
 * @example
 * ```ts
 * effectiveClusterCount([1, 1, 1, 1], ['u1', 'u1', 'u2', 'u3']); // (4)² / (2² + 1 + 1) = 2.667
 * effectiveClusterCount(hitsAtKPerRequest(set, 3, { slice: 'fresh' }), userOfRequest); // per slice
 * ```
 */
export function effectiveClusterCount(weights: ArrayLike<number> | PerRequestValues, clusters?: ClusterIds): number {
  const w = isPerRequestValues(weights) ? weights.denominator : weights;
  const index = clusterIndex('effectiveClusterCount', clusters, w.length);
  const perCluster = new Float64Array(index.count);
  for (let r = 0; r < w.length; r++) {
    const v = w[r] as number;
    if (!(Number.isFinite(v) && v >= 0))
      throw new RangeError(`effectiveClusterCount: weight ${r} must be finite and ≥ 0 (got ${v})`);
    const c = index.ofRequest[r] as number;
    perCluster[c] = (perCluster[c] as number) + v;
  }
  return kish(perCluster);
}

/** Kish's `(Σ w)² / Σ w²` of per-cluster weights (0 when all are 0). */
export function kish(perCluster: Float64Array): number {
  let sum = 0;
  let squares = 0;
  for (const v of perCluster) {
    sum += v;
    squares += v * v;
  }
  return squares > 0 ? (sum * sum) / squares : 0;
}
