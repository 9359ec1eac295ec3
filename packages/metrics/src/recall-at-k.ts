import { aggregatePerRequest, type PerRequestValues } from './per-request.js';
import { rankRequests } from './rank-requests.js';
import type { RankingInput } from './ranking-input.js';
import type { RankingOptions } from './ranking-options.js';

/**
 * Recall@K per request (numerator: the request's recall; denominator: 1 when it has a positive
 * in the slice). Feed it to `pairedBootstrap`.
 */
export function recallAtKPerRequest(requests: RankingInput, k: number, options: RankingOptions = {}): PerRequestValues {
  return rankRequests('recallAtK', requests, k, options, (topHits, count, positives) => {
    let hits = 0;
    for (let i = 0; i < count; i++) hits += topHits[i] as number;
    return hits / positives;
  });
}

/**
 * Recall@K: per request, the share of its positives (in the slice) found in its top `k` by the
 * eq 12 score, averaged over the requests that have a positive in the slice. Options as for
 * `hitsAtK`; `NaN` when no request counts.
 *
 * @example
 * ```ts
 * recallAtK([{ scores: [0.9, 0.5, 0.1], labels: [1, 0, 1] }], 2); // 0.5
 * ```
 */
export function recallAtK(requests: RankingInput, k: number, options: RankingOptions = {}): number {
  return aggregatePerRequest(recallAtKPerRequest(requests, k, options));
}
