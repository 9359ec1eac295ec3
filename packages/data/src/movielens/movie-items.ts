import { hashToBucket, type ModelSpec } from '@thaw/spec';
import type { FeatureWriter } from '../frame/frame-builder.js';
import { itemAgeFeature } from '../frame/item-age.js';
import { HistoryState } from '../history/history-state.js';
import { checkAsOf, type ItemSnapshot, ItemSnapshotBuilder } from '../snapshot/item-snapshot.js';
import { type MovieContent, movieContent } from './content-tables.js';
import { TITLE_BUCKETS } from './movielens-spec.js';
import type { MovieLensTables } from './read-movielens.js';

/** The ratings in time order and the per-movie times {@link MovieItems} needs. */
export interface MovieItemsInput {
  /** Rating times, non-decreasing (seconds since the epoch). */
  readonly time: Float64Array;
  /** Movie index (into `tables.movies`) of each rating. */
  readonly movie: Int32Array;
  /** Rating value of each rating. */
  readonly rating: Float32Array;
  /** `love` = rating ≥ this. */
  readonly love: number;
  /** Pseudo-count of the smoothed rates. */
  readonly smoothing: number;
  /** When each movie joins the catalogue (`Infinity` = never). */
  readonly availableFrom: Float64Array;
  /** Each movie's creation time before clamping: an impression at `t` uses `min(t, creation)`. */
  readonly creation: Float64Array;
  /** Movie id → movie index. */
  readonly movieIndex: ReadonlyMap<number, number>;
}

/** The like / love labels of a rating. */
export function ratingLabels(rating: number, love: number): [number, number] {
  return [rating >= 4 ? 1 : 0, rating >= love ? 1 : 0];
}

/** The tally behind `item_stats` and `user_stats`: like, love, mean rating. */
export function ratingHistory(smoothing: number, profileDim = 0): HistoryState {
  return new HistoryState({ labels: 2, valued: true, smoothing, profileDim });
}

/**
 * Encodes MovieLens movies' item-source features for frame rows and item snapshots alike, and
 * makes the snapshots (see `MovieLensData.itemSnapshot`).
 */
export class MovieItems {
  private readonly content: MovieContent;
  private readonly bucket: Int32Array;

  constructor(
    readonly tables: MovieLensTables,
    readonly input: MovieItemsInput,
  ) {
    this.content = movieContent(tables);
    this.bucket = Int32Array.from(tables.movies.id, (id) => hashToBucket(id, 16_384));
  }

  /** Movie index of a movie id (undefined when the movies table lacks it). */
  indexOf(id: number): number | undefined {
    return this.input.movieIndex.get(id);
  }

  /** The creation time of movie `m` seen at `at`: its creation, or `at` if that is later (brand new). */
  createdAt(m: number, at: number): number {
    return Math.min(at, this.input.creation[m] as number);
  }

  /** Writes movie `m`'s id, content and age features at time `at` (the history features are written by the caller). */
  writeContent(out: FeatureWriter, row: number, m: number, at: number, createdAt: number): void {
    const G = this.tables.genres.length;
    out.setIndex('item_id', row, this.bucket[m] as number);
    out.setDense('item_genres', row, this.tables.movies.genres, m * G);
    out.setIndex('item_genre', row, this.content.firstGenre[m] as number);
    out.setDense('item_year', row, this.content.year, m * 2);
    out.setDense('item_title', row, this.content.title, m * TITLE_BUCKETS);
    out.setDenseAt('item_age', row, 0, itemAgeFeature(at, createdAt));
  }

  /**
   * Every movie in the catalogue strictly before `asOf` (`availableFrom` < `asOf`), with
   * `item_stats` from every rating strictly before `asOf`, `item_tags` from every tag strictly
   * before it and `item_age` at `asOf`. One pass over the ratings and one over the tags.
   */
  snapshot(spec: ModelSpec, asOf: number): ItemSnapshot {
    checkAsOf(asOf, 'itemSnapshot');
    const { time, movie, rating, love, smoothing, availableFrom } = this.input;
    const ids = this.tables.movies.id;
    const history = ratingHistory(smoothing);
    for (let e = 0; e < time.length && (time[e] as number) < asOf; e++) {
      const value = rating[e] as number;
      history.record(movie[e] as number, ratingLabels(value, love), value);
    }
    const tags = new Float64Array(ids.length);
    const tagTimes = this.tables.tags.time;
    for (let k = 0; k < tagTimes.length; k++) {
      const m = (tagTimes[k] as number) < asOf ? this.indexOf(this.tables.tags.movie[k] as number) : undefined;
      if (m !== undefined) tags[m] = (tags[m] as number) + 1;
    }
    const movies: number[] = [];
    for (let m = 0; m < ids.length; m++) if ((availableFrom[m] as number) < asOf) movies.push(m);
    const snapshot = new ItemSnapshotBuilder(spec, asOf, movies.length);
    const stats = new Float64Array(history.statsWidth);
    for (const m of movies) {
      const id = ids[m] as number;
      const createdAt = this.createdAt(m, asOf);
      const row = snapshot.add(id, String(id), createdAt);
      this.writeContent(snapshot.writer, row, m, asOf, createdAt);
      history.writeStats(m, stats, 0);
      snapshot.writer.setDense('item_stats', row, stats);
      snapshot.writer.setDenseAt('item_tags', row, 0, Math.log1p(tags[m] as number));
    }
    return snapshot.build();
  }
}
