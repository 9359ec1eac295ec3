import { createRng } from '@thaw/tensor';
import type { FeatureFrame } from '../frame/feature-frame.js';

/** Scores of the reference rankers, one per frame row (higher ranks first). */
export interface ReferenceScores {
  /** Uniform random: the chance level of Hits@K. */
  readonly random: Float32Array;
  /** log(1 + prior positives of the item) — rank by as-of popularity. */
  readonly popularity: Float32Array;
  /** 1 for an item with no event before the impression, else 0 — the leak detector. */
  readonly noHistoryFirst: Float32Array;
}

/**
 * The reference scorers the leakage check feeds to Hits@K (`@thaw/metrics`): random, popularity
 * and "no history first". Ties are broken by a seeded random term (≤ 1e-3), never by row order.
 * "No history first" puts every fresh positive ahead of the warm candidates, so its fresh Hits@K
 * is high whenever requests hold few fresh negatives, and near 1 when the data leaks "never seen
 * ⇒ positive" (see `leakageReport`); a trained model's fresh Hits@K means something only next to it.
 *
 * @throws TypeError when the frame has no `itemHistory` columns.
 * @example
 * ```ts
 * import { hitsAtK } from '@thaw/metrics';
 * // Fresh Hits@3 of "no history first" on the evaluation rows (isCold from coldMask(frame, coldDays)).
 * const rows = split.rows.eval;
 * const pick = (values: ArrayLike<number>) => Float64Array.from(rows, (r) => values[r] as number);
 * const requestId = Int32Array.from(rows, (r) => frame.requestId[r] as number);
 * const scores = pick(referenceScores(frame, 1).noHistoryFirst);
 * const labels = pick(frame.labels.engage as Float32Array);
 * hitsAtK({ requestId, scores, labels, isCold: pick(coldMask(frame, 28)) }, 3, { slice: 'fresh' });
 * ```
 */
export function referenceScores(frame: FeatureFrame, seed = 0): ReferenceScores {
  const history = frame.itemHistory;
  if (!history) {
    throw new TypeError('referenceScores: the frame has no itemHistory columns; compute them with computeItemHistory(frame)');
  }
  const rng = createRng(seed);
  const random = new Float32Array(frame.size);
  const popularity = new Float32Array(frame.size);
  const noHistoryFirst = new Float32Array(frame.size);
  for (let r = 0; r < frame.size; r++) {
    random[r] = rng.uniform();
    const tie = 1e-3 * rng.uniform();
    popularity[r] = Math.log1p(history.positives[r] as number) + tie;
    noHistoryFirst[r] = (history.events[r] === 0 ? 1 : 0) + tie;
  }
  return { random, popularity, noHistoryFirst };
}
