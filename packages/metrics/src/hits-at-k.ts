import { aggregatePerRequest, type PerRequestValues } from './per-request.js';
import { rankRequests } from './rank-requests.js';
import type { RankingInput } from './ranking-input.js';
import type { RankingOptions } from './ranking-options.js';

/**
 * Hits@K per request: numerator 1 when one of the request's top `k` candidates by the eq 12
 * score is a positive of the task (in the slice), denominator 1 when the request has such a
 * positive at all. Feed it to `pairedBootstrap`.
 *
 * @throws RangeError for `k` not an integer ≥ 1 or an unknown task; TypeError for the fresh slice
 * without `isCold`.
 */
export function hitsAtKPerRequest(requests: RankingInput, k: number, options: RankingOptions = {}): PerRequestValues {
  return rankRequests('hitsAtK', requests, k, options, (topHits, count) => {
    for (let i = 0; i < count; i++) if (topHits[i] === 1) return 1;
    return 0;
  });
}

/**
 * Hits@K (the paper's offline metric, §4.2.3): the share of requests whose top `k` candidates,
 * ranked by the eq 12 score `s = Σ_t u_t ŷ_t`, contain a positive of the task — over the
 * requests that have at least one positive of the task. Ties in `s` keep row order.
 *
 * `{ slice: 'fresh' }` gives "Hits@K on fresh items": rank all candidates, count only fresh
 * positives, over requests with a fresh positive. `{ slice: 'fresh', rankAmong: 'slice' }` ranks
 * only the fresh candidates. `NaN` when no request has a positive in the slice.
 *
 * @param requests a `RankingSet`, `RankingColumns` or `RankingRequest[]` (see `rankingSet`).
 * @returns a share in [0, 1].
 * @example
 * ```ts
 * hitsAtK({ requestId: [1, 1, 1, 2, 2], scores: [0.9, 0.5, 0.1, 0.2, 0.8], labels: [0, 0, 1, 1, 0] }, 2); // 0.5: request 2 has its positive in its top 2, request 1 does not
 * ```
 */
export function hitsAtK(requests: RankingInput, k: number, options: RankingOptions = {}): number {
  return aggregatePerRequest(hitsAtKPerRequest(requests, k, options));
}
