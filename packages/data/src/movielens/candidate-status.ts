import { SECONDS_PER_DAY } from '../frame/feature-frame.js';

/** How `loadMovieLens` pairs a positive with its negatives: see {@link MovieLensOptions.match}. */
export type MovieLensMatch = 'none' | 'status';

/** The match designs `loadMovieLens` accepts. */
export const MOVIELENS_MATCH: readonly MovieLensMatch[] = ['none', 'status'];

/** The four candidate statuses of {@link movieLensCandidateStatus}. */
export const CANDIDATE_STATUS = {
  /** No rating before the impression and older than `coldDays` (possible with `itemCreatedAt: 'releaseDate'`). */
  warmNoHistory: 0,
  /** No rating before the impression and created less than `coldDays` ago: a movie at its first rating. */
  freshNoHistory: 1,
  /** Rated before and older than `coldDays`: the bulk of the catalogue. */
  warmWithHistory: 2,
  /** Rated before and created less than `coldDays` ago. */
  freshWithHistory: 3,
} as const;

/** Input of {@link movieLensCandidateStatus} (movie indices, times in seconds). */
export interface CandidateStatusInput {
  /** Time of each event (rating). */
  readonly eventTimes: ArrayLike<number>;
  /** First rating of each movie (`Infinity` when never rated). */
  readonly firstRating: ArrayLike<number>;
  /** Creation time of each movie before clamping: a movie seen at `t` was created at `min(t, creation)`. */
  readonly creation: ArrayLike<number>;
  /** A movie is fresh while its age is < `coldDays` (the spec's `coldStart.coldDays`). */
  readonly coldDays: number;
}

/**
 * The status of a movie at the time of a rating, as the frame will show it: fresh (age <
 * `coldDays`, exactly `coldMask`'s rule on the row) × has history (a rating strictly before, as
 * the row's `itemHistory.events > 0`). `sampleNegatives({ status })` draws a positive's negatives
 * among movies of its status only, so "no history first" and "fresh first" cannot separate a
 * request's positive from its negatives, and the positive rate is the same for every status in
 * training and in evaluation (see `leakageReport`). Values: {@link CANDIDATE_STATUS}.
 *
 * @throws RangeError when `coldDays` is not a number > 0.
 * @example
 * ```ts
 * const status = movieLensCandidateStatus({ eventTimes: time, firstRating, creation, coldDays: 28 });
 * status(movie, event); // 1: fresh, never rated before this rating
 * ```
 */
export function movieLensCandidateStatus(input: CandidateStatusInput): (movie: number, event: number) => number {
  if (!(input.coldDays > 0)) {
    throw new RangeError(`movieLensCandidateStatus: coldDays must be a number > 0 (got ${input.coldDays})`);
  }
  const limit = input.coldDays * SECONDS_PER_DAY;
  const { eventTimes, firstRating, creation } = input;
  return (movie, event) => {
    const t = eventTimes[event] as number;
    const created = Math.min(t, creation[movie] as number);
    const fresh = t - created < limit ? 1 : 0;
    const history = (firstRating[movie] as number) < t ? 2 : 0;
    return history + fresh;
  };
}
