import { columnAt } from './numeric-input.js';
import type { PerRequestValues } from './per-request.js';
import { type RankingInput, rankingSet } from './ranking-input.js';
import { type RankingOptions, resolveRankingOptions } from './ranking-options.js';

/**
 * Scores one request from its ranking: `topHits[i]` is 1 when the candidate at rank `i` (0 =
 * best) is a counted positive, for the `count ≤ k` ranked candidates; `positives` is the number of
 * counted positives in the request (always > 0 when called).
 */
export type RequestValue = (topHits: Uint8Array, count: number, positives: number) => number;

/**
 * Ranks every request by the eq 12 score (descending, ties kept in row order), takes the top
 * `k`, and scores it with `value`. Requests with no counted positive get numerator = denominator
 * = 0. O(N · k).
 *
 * @throws RangeError for `k` not an integer ≥ 1, plus the errors of `rankingSet` and
 * `resolveRankingOptions`.
 */
export function rankRequests(
  fn: string,
  input: RankingInput,
  k: number,
  options: RankingOptions,
  value: RequestValue,
): PerRequestValues {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${fn}: k must be an integer ≥ 1 (got ${k})`);
  const set = rankingSet(input);
  const { task, freshOnly, rankSliceOnly } = resolveRankingOptions(fn, set, options);
  const { order, offsets, scores, isCold } = set;
  const labels = set.labels[task];
  if (labels === undefined) throw new RangeError(`${fn}: task ${task} has no labels`);
  const numerator = new Float64Array(set.requestCount);
  const denominator = new Float64Array(set.requestCount);
  const topRows = new Int32Array(k);
  const topScores = new Float64Array(k);
  const topHits = new Uint8Array(k);
  const inSlice = (row: number) => !freshOnly || (isCold !== undefined && columnAt(isCold, row) === 1);
  for (let r = 0; r < set.requestCount; r++) {
    let count = 0;
    let positives = 0;
    for (let p = offsets[r] as number; p < (offsets[r + 1] as number); p++) {
      const row = order[p] as number;
      const counted = inSlice(row);
      if (counted && columnAt(labels, row) === 1) positives++;
      if (rankSliceOnly && !counted) continue;
      const score = columnAt(scores, row);
      if (count === k && !(score > (topScores[k - 1] as number))) continue;
      // Insert keeping descending order; a tie stays behind the earlier row.
      let j = count < k ? count++ : k - 1;
      while (j > 0 && score > (topScores[j - 1] as number)) {
        topScores[j] = topScores[j - 1] as number;
        topRows[j] = topRows[j - 1] as number;
        j--;
      }
      topScores[j] = score;
      topRows[j] = row;
    }
    if (positives === 0) continue;
    for (let i = 0; i < count; i++) {
      const row = topRows[i] as number;
      topHits[i] = inSlice(row) && columnAt(labels, row) === 1 ? 1 : 0;
    }
    numerator[r] = value(topHits, count, positives);
    denominator[r] = 1;
  }
  return { numerator, denominator };
}
