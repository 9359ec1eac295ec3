import { type CandidateChunk, type OnlineEnvironment, rankCandidates, retrieveChunk } from '@thaw/data';
import { boostedScores, chunkProbabilities, type ServedModel } from './ab-ranker.js';

/** The boosts searched, in logits: −2 to +8. */
export const BOOST_RANGE: readonly [number, number] = [-2, 8];

/** How the fresh-boost arm's constant was chosen (one per world). */
export interface BoostCalibration {
  /** The boost in logits (added to every task logit of fresh candidates). */
  readonly boost: number;
  /** `matched` (bisected), or `above`/`below` the reach of the searched range (its end is used). */
  readonly kind: 'matched' | 'above' | 'below';
  /** Fresh impression share of the target arm's initial model on the pilot. */
  readonly targetShare: number;
  /** The control's share at boost 0, and at the chosen boost. */
  readonly controlShare: number;
  readonly boostedShare: number;
  /** Pilot requests and the impressions they would have had. */
  readonly requests: number;
  readonly impressions: number;
}

/**
 * Fresh impression share of a ranking of a pilot chunk: of the `depth` top positions of every
 * request (its scroll depth), the share that are fresh items. Uses nothing but the ranking and the
 * scroll depths — no outcome.
 */
export function freshImpressionShare(
  chunk: Pick<CandidateChunk, 'requests' | 'offsets' | 'fresh'>,
  scores: ArrayLike<number>,
): { share: number; impressions: number } {
  let fresh = 0;
  let impressions = 0;
  chunk.requests.forEach((request, j) => {
    const from = chunk.offsets[j] as number;
    const to = chunk.offsets[j + 1] as number;
    const order = rankCandidates(scores, from, to).slice(0, Math.min(request.depth, to - from));
    for (const i of order) fresh += chunk.fresh[from + i] as number;
    impressions += order.length;
  });
  return { share: impressions > 0 ? fresh / impressions : Number.NaN, impressions };
}

/**
 * The boost in {@link BOOST_RANGE} whose fresh impression share is closest to `target`. The share
 * rises with the boost (boosting fresh candidates only moves them up), in steps, so bisection over
 * the range finds where it crosses the target (30 halvings: 1e-8 logits) and the nearer side wins.
 * At or below the share of the range's low end: that end (`below`); above its high end's: the high
 * end (`above`).
 */
export function matchShare(
  shareAt: (boost: number) => number,
  target: number,
): { boost: number; kind: BoostCalibration['kind'] } {
  let [lo, hi] = BOOST_RANGE;
  if (target <= shareAt(lo)) return { boost: lo, kind: 'below' };
  if (target > shareAt(hi)) return { boost: hi, kind: 'above' };
  for (let k = 0; k < 30; k++) {
    const mid = 0.5 * (lo + hi);
    if (shareAt(mid) < target) lo = mid;
    else hi = mid;
  }
  return { boost: Math.abs(shareAt(lo) - target) < Math.abs(shareAt(hi) - target) ? lo : hi, kind: 'matched' };
}

/**
 * Chooses the fresh-boost arm's day-0 constant **by impression share only, on the pilot**: the
 * pilot's requests (drawn at the A/B start from their own stream, never shown) are ranked with the
 * state at the A/B start by the target arm's initial model and by the control's initial model with
 * a boost; {@link matchShare} finds the boost giving the target's fresh impression share. No
 * engagement, utility or A/B-day data enters the choice.
 */
export async function calibrateBoost(
  env: OnlineEnvironment,
  control: Omit<ServedModel, 'boost'>,
  target: Omit<ServedModel, 'boost'>,
): Promise<BoostCalibration> {
  const requests = env.pilotRequests();
  const chunk = retrieveChunk(env, env.startHistory, requests);
  const t = await chunkProbabilities(target, chunk);
  const { share: targetShare, impressions } = freshImpressionShare(chunk, boostedScores(target.spec, t.probs, t.cold, 0));
  const c = await chunkProbabilities(control, chunk);
  const shareAt = (boost: number) => freshImpressionShare(chunk, boostedScores(control.spec, c.probs, c.cold, boost)).share;
  const { boost, kind } = matchShare(shareAt, targetShare);
  return {
    boost,
    kind,
    targetShare,
    controlShare: shareAt(0),
    boostedShare: shareAt(boost),
    requests: requests.length,
    impressions,
  };
}

/** A chunk as ranked by the boost arm: what re-matching its boost needs (no features). */
export interface ScoredChunk {
  readonly chunk: Pick<CandidateChunk, 'requests' | 'offsets' | 'fresh'>;
  readonly probs: Float64Array;
  readonly cold: Float32Array;
}

/**
 * The next day's boost of the fresh-boost arm (daily matching): re-ranks the candidates the arm
 * scored on the day just served — its model's probabilities as they were — at the boost whose
 * fresh impression share equals the target arm's realised share of that day ({@link matchShare}).
 * Impression shares only: no engagement enters.
 */
export function rematchBoost(
  spec: ServedModel['spec'],
  scored: readonly ScoredChunk[],
  targetShare: number,
): { boost: number; kind: BoostCalibration['kind'] } {
  const shareAt = (boost: number) => {
    let fresh = 0;
    let impressions = 0;
    for (const s of scored) {
      const r = freshImpressionShare(s.chunk, boostedScores(spec, s.probs, s.cold, boost));
      fresh += r.share * r.impressions;
      impressions += r.impressions;
    }
    return impressions > 0 ? fresh / impressions : Number.NaN;
  };
  return matchShare(shareAt, targetShare);
}
