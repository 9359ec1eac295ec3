import type { Rng } from '@thaw/tensor';
import { SECONDS_PER_DAY } from '../../frame/feature-frame.js';
import { pickQuery } from '../pick-query.js';
import { drawCumulative, poisson } from '../sampling.js';
import type { SimulatedWorld } from '../world.js';
import { keyedRng } from './keyed-uniform.js';
import type { ResolvedOnlineOptions } from './online-options.js';

/** One request of the A/B traffic — the same in every arm. */
export interface OnlineRequest {
  /** Unique over the run: `day · 2²⁰ + index` (pilot requests: `2³⁰ + index`). The engagement draws are keyed by it. */
  readonly id: number;
  /** A/B day (0-based); the pilot's requests are on day 0. */
  readonly day: number;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly user: number;
  /** The query item (Related Pins: the item the user came from). */
  readonly query: number;
  /** Positions the user views: the impressions of this request. */
  readonly depth: number;
}

/** Random streams of an online environment, keyed with the seed (`keyedRng(seed, stream, …)`). */
export const ONLINE_STREAMS = { traffic: 1, pilot: 2, retrieval: 3, engagement: 4 } as const;

/** Requests per day are numbered below this (the id is `day · 2²⁰ + index`). */
export const REQUESTS_PER_DAY_LIMIT = 2 ** 20;
const PILOT_ID = 2 ** 30;

/**
 * The catalogue at time `t`: items `[0, existing)` exist (created ≤ t); `[freshStart, existing)`
 * were created within `freshWindowDays` (the fresh retrieval source). Items are in creation order.
 */
export function catalogueAt(world: SimulatedWorld, t: number, freshWindowDays: number): { existing: number; freshStart: number } {
  const created = world.itemCreatedAt;
  const firstAbove = (limit: number, strict: boolean) => {
    let lo = 0;
    let hi = world.itemCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = created[mid] as number;
      if (strict ? c >= limit : c > limit) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const existing = firstAbove(t, false);
  const freshStart = Math.min(existing, firstAbove(t - freshWindowDays * SECONDS_PER_DAY, true));
  return { existing, freshStart };
}

/**
 * A scroll depth: `⌈exp(ln median + spread·Z)⌉`, `Z ~ N(0, 1)`, clamped to [1, `max`] — one normal
 * draw from `rng`.
 *
 * @example `scrollDepth(rng, 12, 1, 100)` is ≥ 50 with probability ≈ P(Z > ln(50/12)) ≈ 8%.
 */
export function scrollDepth(rng: Rng, median: number, spread: number, max: number): number {
  const depth = Math.ceil(Math.exp(Math.log(median) + spread * rng.normal()));
  return Math.min(max, Math.max(1, depth));
}

/** What the traffic reads: the world, the options and the frozen query source. */
export interface TrafficSource {
  readonly world: SimulatedWorld;
  readonly options: ResolvedOnlineOptions;
  readonly seed: number;
  /** First second of A/B day 0. */
  readonly start: number;
  /** Items grid-clicked at the end of the warm-up (a frozen copy): half of every query's draws come from it. */
  readonly queryPool: Int32Array;
}

function drawRequest(source: TrafficSource, rng: Rng, id: number, day: number, time: number): OnlineRequest {
  const { world, options } = source;
  const { existing } = catalogueAt(world, time, options.simulation.freshWindowDays);
  const user = drawCumulative(rng, world.userActivity);
  const query = pickQuery(world, rng, user, existing, source.queryPool, source.queryPool.length);
  const depth = scrollDepth(rng, options.scrollMedian, options.scrollSpread, options.candidates);
  return { id, day, time, user, query, depth };
}

/**
 * The requests of A/B day `day`, in time order — identical in every arm, and independent of the
 * other days (a generator keyed by the seed and the day): Poisson(`requestsPerDay`) times uniform
 * in the day; each request's user by activity, its query like the simulator's (`pickQuery`: half
 * of the 16 draws from the frozen warm-up grid-clicks `queryPool`, half uniform over the catalogue
 * existing at the request — fresh arrivals included), its scroll depth.
 *
 * Queries come from upstream surfaces, so they do not depend on any arm's ranking.
 *
 * @throws RangeError when a day would hold 2²⁰ requests or more.
 */
export function dayRequests(source: TrafficSource, day: number): OnlineRequest[] {
  const rng = keyedRng(source.seed, ONLINE_STREAMS.traffic, day);
  const dayStart = source.start + day * SECONDS_PER_DAY;
  const times: number[] = [];
  for (let n = poisson(rng, source.options.requestsPerDay); n > 0; n--) times.push(dayStart + rng.uniform() * SECONDS_PER_DAY);
  if (times.length >= REQUESTS_PER_DAY_LIMIT) {
    throw new RangeError(`dayRequests: day ${day} draws ${times.length} requests; at most ${REQUESTS_PER_DAY_LIMIT - 1}`);
  }
  times.sort((a, b) => a - b);
  return times.map((t, i) => drawRequest(source, rng, day * REQUESTS_PER_DAY_LIMIT + i, day, t));
}

/**
 * The pilot: `pilotRequests` requests drawn like day 0's (times uniform in day 0) from their own
 * stream — ranked with the state at the A/B start, never shown, never logged. The fresh-boost arm
 * is calibrated on them by impression share only.
 */
export function pilotRequests(source: TrafficSource): OnlineRequest[] {
  const rng = keyedRng(source.seed, ONLINE_STREAMS.pilot);
  const times = Array.from({ length: source.options.pilotRequests }, () => source.start + rng.uniform() * SECONDS_PER_DAY);
  times.sort((a, b) => a - b);
  return times.map((t, i) => drawRequest(source, rng, PILOT_ID + i, 0, t));
}
