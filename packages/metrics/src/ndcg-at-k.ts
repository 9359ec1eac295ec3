import { aggregatePerRequest, type PerRequestValues } from './per-request.js';
import { rankRequests } from './rank-requests.js';
import type { RankingInput } from './ranking-input.js';
import type { RankingOptions } from './ranking-options.js';

/**
 * NDCG@K per request (numerator: the request's NDCG@K; denominator: 1 when it has a positive in
 * the slice). Feed it to `pairedBootstrap`.
 */
export function ndcgAtKPerRequest(requests: RankingInput, k: number, options: RankingOptions = {}): PerRequestValues {
  return rankRequests('ndcgAtK', requests, k, options, (topHits, count, positives) => {
    let dcg = 0;
    for (let i = 0; i < count; i++) if (topHits[i] === 1) dcg += 1 / Math.log2(i + 2);
    let ideal = 0;
    for (let i = 0; i < Math.min(k, positives); i++) ideal += 1 / Math.log2(i + 2);
    return dcg / ideal;
  });
}

/**
 * NDCG@K with binary gains: per request `Σ_{i<k} rel_i / log2(i + 2)` over the ranking by the
 * eq 12 score, divided by the same sum for an ideal ranking of its positives, averaged over the
 * requests with a positive in the slice (scikit-learn's `ndcg_score` for untied scores when
 * every request has a positive). Options as for `hitsAtK`; `NaN` when no request counts.
 *
 * @example
 * ```ts
 * ndcgAtK([{ scores: [0.9, 0.5, 0.1], labels: [0, 1, 1] }], 3); // (1/log2 3 + 1/2) / (1 + 1/log2 3) ≈ 0.693
 * ```
 */
export function ndcgAtK(requests: RankingInput, k: number, options: RankingOptions = {}): number {
  return aggregatePerRequest(ndcgAtKPerRequest(requests, k, options));
}
