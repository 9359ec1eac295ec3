/**
 * A metric decomposed over requests: the metric is `Σ_r numerator[r] / Σ_r denominator[r]`.
 * For Hits@K, NDCG@K and Recall@K `denominator[r]` is 1 when request `r` counts (it has a
 * positive in the slice) and 0 otherwise. `pairedBootstrap` resamples these sums, so a replicate
 * costs O(requests) instead of re-ranking every candidate.
 */
export interface PerRequestValues {
  readonly numerator: Float64Array;
  readonly denominator: Float64Array;
}

/** True when `value` is a {@link PerRequestValues}. */
export function isPerRequestValues(value: unknown): value is PerRequestValues {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as PerRequestValues).numerator instanceof Float64Array &&
    (value as PerRequestValues).denominator instanceof Float64Array
  );
}

/**
 * The metric value of per-request values: `Σ numerator / Σ denominator`, `NaN` when no request
 * counts (e.g. no request has a fresh positive).
 *
 * @example `aggregatePerRequest({ numerator: Float64Array.of(1, 0, 0), denominator: Float64Array.of(1, 1, 0) })` is 0.5.
 */
export function aggregatePerRequest(values: PerRequestValues): number {
  let numerator = 0;
  let denominator = 0;
  for (let r = 0; r < values.numerator.length; r++) {
    numerator += values.numerator[r] as number;
    denominator += values.denominator[r] as number;
  }
  return denominator > 0 ? numerator / denominator : Number.NaN;
}
