import type { ModelSpec } from '@thaw/spec';
import type { FeatureFrame } from '../frame/feature-frame.js';
import type { NegativeSampling } from '../negatives/sample-negatives.js';
import type { ItemSnapshot } from '../snapshot/item-snapshot.js';
import type { FrameSplit, SplitName } from '../split/frame-split.js';
import type { TemporalSplitOptions } from '../split/temporal-windows.js';
import type { MovieLensMatch } from './candidate-status.js';
import type { MovieLensNegatives, NegativeShortfall } from './negatives-per-window.js';
import type { MovieLensLayout } from './read-movielens.js';

/** How `loadMovieLens` dates a movie's creation (its age and cold flag): see {@link MovieLensOptions.itemCreatedAt}. */
export type MovieLensCreatedAt = 'firstRating' | 'firstAppearance' | 'releaseDate';

export const ITEM_CREATED_AT: readonly MovieLensCreatedAt[] = ['firstRating', 'firstAppearance', 'releaseDate'];

/** Options of {@link loadMovieLens} and {@link movieLensFrame}. */
export interface MovieLensOptions {
  readonly layout?: MovieLensLayout;
  /**
   * Sampled negatives per rating: one count, or one per split window (`calibration` defaults to
   * `eval`'s; ratings outside every window take `train`'s). Default {@link MOVIELENS_NEGATIVES}.
   */
  readonly negatives?: number | MovieLensNegatives;
  /** `'catalogue'` (default) or the leaky `'historyOnly'` — see `sampleNegatives`. */
  readonly sampling?: NegativeSampling;
  /**
   * Which catalogue movies a positive competes with, in every window (one design for training
   * and evaluation):
   * - `'none'` (default): any movie of the catalogue. The catalogue ages, so the share of fresh,
   *   never-rated candidates differs between windows (ml-latest-small: positive rate of fresh vs
   *   warm candidates 0.07 vs 0.27 in training, 0.012 vs 0.010 in evaluation) — a model learns
   *   "fresh ⇒ negative" and any uniform lift of fresh scores wins on the fresh slice;
   * - `'status'`: negatives of the positive's status only (fresh × has history, see
   *   `movieLensCandidateStatus`): fresh positives rank among fresh candidates, the positive rate
   *   is `1 / (1 + negatives)` for every status, and "no history first" ranks at chance.
   *   A status with fewer eligible movies than asked gives a `negativeShortfall`.
   */
  readonly match?: MovieLensMatch;
  /** Fresh = age < `coldDays`, for `match: 'status'` (default: the spec's `coldStart.coldDays`, 28). */
  readonly coldDays?: number;
  /**
   * When a movie joins the catalogue that `'catalogue'` negatives are drawn from:
   * - `'releaseDate'` (default): its release date (ml-100k's date; 1 July of the title's year in
   *   ml-latest-small, see `releaseFromYear`), or its first rating if that is earlier or the date
   *   is unknown — movies nobody has rated yet are drawn too;
   * - `'firstRating'`: its first appearance in the log, i.e. its first rating. On a ratings log this
   *   is as leaky as `'historyOnly'`: a movie can only be a negative once it has been rated, so
   *   every no-history candidate is a first rating — a positive.
   */
  readonly catalogueFrom?: 'releaseDate' | 'firstRating';
  /**
   * A movie's creation time, hence its age and cold flag (age < 28 days):
   * - `'firstRating'` (default): its first rating; a catalogue negative shown before that is
   *   brand new (age 0 — created at that impression), so ages are never negative;
   * - `'firstAppearance'`: the earlier of its first rating and the first time any request showed
   *   it as a negative (one creation time per movie);
   * - `'releaseDate'`: its release date (unknown dates fall back to `'firstRating'`).
   */
  readonly itemCreatedAt?: MovieLensCreatedAt;
  /** `love` = rating ≥ this (default 4.5 on ml-latest-small's half stars, 5 on ml-100k). */
  readonly loveThreshold?: number;
  /** Split windows (default: fractions 0.8 / 0.05 / 0.15 of the requests in time order). */
  readonly split?: TemporalSplitOptions;
  /** Pseudo-count of the smoothed rates and means (default 20). */
  readonly smoothing?: number;
  readonly seed?: number;
}

/** A MovieLens dataset ready for training: frame, spec, split. */
export interface MovieLensData {
  readonly frame: FeatureFrame;
  readonly spec: ModelSpec;
  readonly split: FrameSplit;
  readonly layout: MovieLensLayout;
  /** The negative design the frame was built with (`options.match`). */
  readonly match: MovieLensMatch;
  /**
   * Requests per split window that got fewer negatives than asked because fewer movies were
   * eligible (an early, small catalogue; the leaky `'historyOnly'` sampling; a user who rated most
   * of the catalogue). They are kept with what they got; all zero on ml-latest-small and ml-100k
   * with the defaults. A request in `emptyRequests` holds only its positive.
   */
  readonly negativeShortfall: Readonly<Record<SplitName, NegativeShortfall>>;
  /**
   * The item-source features of every movie as of `asOf` (seconds since the epoch) — for the
   * serving items table at the end of training, e.g. `itemSnapshot(split.windows.calibration.end)`.
   * Movies: every movie in the catalogue strictly before `asOf` — released (or rated) by then, so
   * movies nobody has rated yet are in, as the catalogue negatives are (with `catalogueFrom:
   * 'firstRating'`, only rated movies). `item_stats` and `item_tags` from every rating and tag
   * strictly before `asOf`; `item_age` at `asOf` from the creation time of `itemCreatedAt`, clamped
   * to `asOf` as for frame rows (by default a movie not yet rated is brand new: age 0, cold);
   * content features as in the frame. Keys are `String(movieId)`. One pass over the ratings.
   *
   * @throws RangeError when `asOf` is not a finite number.
   */
  itemSnapshot(asOf: number): ItemSnapshot;
}

/** The default MovieLens split: the time range is years, so windows are fractions of the requests. */
export const MOVIELENS_SPLIT: TemporalSplitOptions = { fractions: { train: 0.8, calibration: 0.05, eval: 0.15 } };
