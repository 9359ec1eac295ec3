import { createRng } from '@thaw/tensor';

/** Which items a negative may be drawn from. */
export type NegativeSampling = 'catalogue' | 'historyOnly';

/** Input of {@link sampleNegatives}. */
export interface NegativeSamplingInput {
  /** Positive events (e.g. ratings): time (non-decreasing), item index, user index. */
  readonly times: ArrayLike<number>;
  readonly items: ArrayLike<number>;
  readonly users: ArrayLike<number>;
  /** Number of items; item indices are `[0, itemCount)`. */
  readonly itemCount: number;
  /**
   * When each item joins the catalogue (same time unit as `times`): its release date where the data
   * has one, else its first appearance. Used by `'catalogue'` sampling; `Infinity` = never.
   */
  readonly availableFrom: ArrayLike<number>;
  /**
   * Negatives per positive: one count for every event, or one per event (e.g. 4 in the training
   * window and 49 in the evaluation window — see `loadMovieLens`).
   */
  readonly negatives: number | ArrayLike<number>;
  /**
   * `'catalogue'` (default, leak-free): uniform over the items available at the event time,
   * including items nobody has engaged with yet. `'historyOnly'`: uniform over items with at
   * least one positive event strictly earlier — the leaky protocol: every never-seen candidate
   * is then a positive, and a "no history first" scorer wins for the wrong reason.
   */
  readonly mode?: NegativeSampling;
  /**
   * Status-matched negatives: `status(item, event)` is the status of an item at the time of event
   * `event` (e.g. fresh × has-history, see `movieLensCandidateStatus`). When given, a request's
   * negatives are drawn only among eligible items whose status equals its positive's, so every
   * candidate of a request shares one status: a fresh positive competes with fresh candidates
   * only, and the positive rate is the same for every status — nothing can be learnt or won from
   * the status itself. A status with fewer eligible items than asked gives a `shortfall`.
   */
  readonly status?: (item: number, event: number) => number;
  readonly seed?: number;
}

/** Candidates built by {@link sampleNegatives}: one request per positive, rows request by request. */
export interface SampledCandidates {
  /** Index of the positive event of each row's request. */
  readonly request: Int32Array;
  readonly item: Int32Array;
  /** 1 for the positive, 0 for a sampled negative. */
  readonly positive: Uint8Array;
  /**
   * Per event: negatives asked minus negatives drawn. Non-zero only when fewer items were eligible
   * than asked (an early, small catalogue; `'historyOnly'` before enough items were engaged with; a
   * user who engaged with most of the catalogue). Such a request is kept with the candidates it got
   * — possibly only its positive — so count them before trusting a ranking metric on them.
   */
  readonly shortfall: Int32Array;
  /** Events with a shortfall > 0. */
  readonly shortRequests: number;
}

/** Reads `negatives` as a per-event count, checking every value. */
function negativeCounts(negatives: number | ArrayLike<number>, events: number): (event: number) => number {
  const check = (value: number, where: string) => {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`sampleNegatives: negatives${where} must be an integer ≥ 0 (got ${value})`);
    }
  };
  if (typeof negatives === 'number') {
    check(negatives, '');
    return () => negatives;
  }
  if (negatives.length !== events) {
    throw new RangeError(
      `sampleNegatives: negatives has ${negatives.length} counts but there are ${events} events; give one count per event or a single number`,
    );
  }
  for (let e = 0; e < events; e++) check(negatives[e] as number, `[${e}]`);
  return (e) => negatives[e] as number;
}

/**
 * Turns positive-only events (ratings, purchases) into ranking requests: each positive plus
 * `negatives` items (a count, or one count per event) drawn uniformly, seeded, from the catalogue
 * as it was at that moment — with `status`, only among items of the positive's status. A
 * negative is never the positive itself, an item already in the request, or an item the user
 * engaged with at or before that time. Candidate order within a request is shuffled so row
 * order carries no label information.
 *
 * Draws are uniform rejection samples; when they keep hitting excluded items (a pool almost
 * exhausted by the user's own items), the rest are drawn from the exact remaining pool, so a
 * request gets fewer negatives than asked only when fewer are eligible. It is then kept, and the
 * missing count is recorded in `shortfall` (never an error: `'historyOnly'` requests always start
 * with an empty pool).
 *
 * @throws RangeError for non-decreasing times violated or bad counts.
 * @example
 * ```ts
 * const c = sampleNegatives({ times, items, users, itemCount, availableFrom: releaseTimes, negatives: 4, seed: 1 });
 * ```
 */
export function sampleNegatives(input: NegativeSamplingInput): SampledCandidates {
  const { times, items, users, itemCount, mode = 'catalogue', status } = input;
  if (mode !== 'catalogue' && mode !== 'historyOnly') {
    throw new RangeError(`sampleNegatives: mode must be 'catalogue' or 'historyOnly' (got ${JSON.stringify(mode)})`);
  }
  const n = times.length;
  const negativesOf = negativeCounts(input.negatives, n);
  for (let e = 1; e < n; e++) {
    if ((times[e] as number) < (times[e - 1] as number)) {
      throw new RangeError(
        `sampleNegatives: times must be non-decreasing (times[${e}] = ${times[e]} < times[${e - 1}] = ${times[e - 1]})`,
      );
    }
  }
  // Eligibility time per item: catalogue → availableFrom (eligible when ≤ t);
  // historyOnly → first positive event (eligible when strictly < t).
  const eligibleFrom = new Float64Array(itemCount).fill(Number.POSITIVE_INFINITY);
  if (mode === 'catalogue') {
    for (let i = 0; i < itemCount; i++) eligibleFrom[i] = input.availableFrom[i] as number;
  } else {
    for (let e = n - 1; e >= 0; e--) eligibleFrom[items[e] as number] = times[e] as number;
  }
  const order = Int32Array.from({ length: itemCount }, (_, i) => i).sort(
    (a, b) => (eligibleFrom[a] as number) - (eligibleFrom[b] as number) || a - b,
  );
  const rng = createRng(input.seed ?? 0);
  const rated = new Map<number, Set<number>>();
  const request: number[] = [];
  const item: number[] = [];
  const positive: number[] = [];
  const shortfall = new Int32Array(n);
  let shortRequests = 0;
  let eligible = 0;
  let seen = 0;
  for (let e = 0; e < n; e++) {
    const t = times[e] as number;
    while (
      eligible < itemCount &&
      (mode === 'catalogue'
        ? (eligibleFrom[order[eligible] as number] as number) <= t
        : (eligibleFrom[order[eligible] as number] as number) < t)
    ) {
      eligible++;
    }
    for (; seen < n && (times[seen] as number) <= t; seen++) {
      const u = users[seen] as number;
      let set = rated.get(u);
      if (!set) rated.set(u, (set = new Set()));
      set.add(items[seen] as number);
    }
    const own = rated.get(users[e] as number);
    const negatives = negativesOf(e);
    const candidates = [items[e] as number];
    const taken = new Set(candidates);
    const wanted = status ? status(items[e] as number, e) : 0;
    const excluded = (i: number) => taken.has(i) || own?.has(i) === true || (status !== undefined && status(i, e) !== wanted);
    for (let attempts = 0; candidates.length <= negatives && attempts < 20 * (negatives + 1) && eligible > 0; attempts++) {
      const i = order[rng.int(eligible)] as number;
      if (excluded(i)) continue;
      taken.add(i);
      candidates.push(i);
    }
    if (candidates.length <= negatives) {
      // Rejection sampling gave up: draw the rest without replacement from the exact remaining pool.
      const pool: number[] = [];
      for (let k = 0; k < eligible; k++) {
        const i = order[k] as number;
        if (!excluded(i)) pool.push(i);
      }
      for (let k = 0; k < pool.length && candidates.length <= negatives; k++) {
        const j = k + rng.int(pool.length - k);
        const i = pool[j] as number;
        pool[j] = pool[k] as number;
        candidates.push(i);
      }
      const missing = negatives + 1 - candidates.length;
      shortfall[e] = missing;
      if (missing > 0) shortRequests++;
    }
    const positions = rng.shuffle(Int32Array.from(candidates.keys()));
    for (const p of positions) {
      request.push(e);
      item.push(candidates[p] as number);
      positive.push(p === 0 ? 1 : 0);
    }
  }
  return {
    request: Int32Array.from(request),
    item: Int32Array.from(item),
    positive: Uint8Array.from(positive),
    shortfall,
    shortRequests,
  };
}
