import { hashToBucket } from '@thaw/spec';
import { FrameBuilder } from '../frame/frame-builder.js';
import { HistoryState } from '../history/history-state.js';
import { replayAsOf } from '../history/replay-as-of.js';
import { DataError } from '../loaders/data-error.js';
import { sampleNegatives } from '../negatives/sample-negatives.js';
import { temporalSplit } from '../split/temporal-split.js';
import { temporalWindows } from '../split/temporal-windows.js';
import { MOVIELENS_MATCH, movieLensCandidateStatus } from './candidate-status.js';
import { userAttributes } from './content-tables.js';
import { MovieItems, ratingHistory, ratingLabels } from './movie-items.js';
import { ITEM_CREATED_AT, MOVIELENS_SPLIT, type MovieLensData, type MovieLensOptions } from './movielens-options.js';
import { movieLensSpec } from './movielens-spec.js';
import { MOVIELENS_NEGATIVES, negativesPerEvent, shortfallPerWindow } from './negatives-per-window.js';
import { type MovieLensTables, readMovieLens } from './read-movielens.js';

/** Position of every id in `ids`. */
function positions(ids: ArrayLike<number>): Map<number, number> {
  const index = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i] as number, i);
  return index;
}

/**
 * Builds the frame of {@link loadMovieLens} from tables already read (see `readMovieLens`).
 * One request per rating, in time order: the rated movie (`engage` = 1, `like`, `love` from the
 * rating) plus `negatives` movies sampled from the catalogue at that time (all labels 0) — by
 * default 4 per training request and 99 per calibration and evaluation request
 * ({@link MOVIELENS_NEGATIVES}). The split windows are placed on the ratings first, so each
 * request knows its window; the training rows do not depend on the evaluation count.
 * Historical features are as of each request (strictly earlier ratings and tags).
 *
 * @throws DataError for a rating of a movie missing from the movies table; RangeError for bad
 * negative counts, split options or an unknown `catalogueFrom` / `itemCreatedAt`.
 * @example `const { frame, split } = movieLensFrame(await readMovieLens(dir), { negatives: { train: 4, eval: 49 } });`
 */
export function movieLensFrame(tables: MovieLensTables, options: MovieLensOptions = {}): MovieLensData {
  const { movies, ratings, genres } = tables;
  const G = genres.length;
  const occupations = tables.users ? [...new Set(tables.users.occupation)].sort() : undefined;
  const spec = movieLensSpec({ genres, ...(occupations ? { occupations } : {}) });
  const movieIndex = positions(movies.id);
  const M = movies.id.length;
  const ratingsFile = tables.layout === '100k' ? 'u.data' : 'ratings.csv';

  const order = Int32Array.from(ratings.time.keys()).sort(
    (a, b) => (ratings.time[a] as number) - (ratings.time[b] as number) || a - b,
  );
  const E = order.length;
  const time = new Float64Array(E);
  const movie = new Int32Array(E);
  const user = new Int32Array(E);
  const userIndex = new Map<number, number>();
  const userIds: number[] = [];
  for (let e = 0; e < E; e++) {
    const i = order[e] as number;
    const m = movieIndex.get(ratings.movie[i] as number);
    if (m === undefined) {
      throw new DataError(
        { file: ratingsFile, row: i, column: 'movieId' },
        `movie ${ratings.movie[i]} is not in the movies file`,
      );
    }
    const id = ratings.user[i] as number;
    let u = userIndex.get(id);
    if (u === undefined) {
      u = userIds.length;
      userIndex.set(id, u);
      userIds.push(id);
    }
    time[e] = ratings.time[i] as number;
    movie[e] = m;
    user[e] = u;
  }
  const firstRating = new Float64Array(M).fill(Number.POSITIVE_INFINITY);
  for (let e = E - 1; e >= 0; e--) firstRating[movie[e] as number] = time[e] as number;
  const released = (m: number) => {
    const r = movies.released[m] as number;
    return Number.isNaN(r) ? Number.POSITIVE_INFINITY : r;
  };
  const catalogueFrom = options.catalogueFrom ?? 'releaseDate';
  if (catalogueFrom !== 'releaseDate' && catalogueFrom !== 'firstRating') {
    throw new RangeError(
      `loadMovieLens: catalogueFrom must be 'releaseDate' or 'firstRating' (got ${JSON.stringify(catalogueFrom)})`,
    );
  }
  const createdMode = options.itemCreatedAt ?? 'firstRating';
  if (!ITEM_CREATED_AT.includes(createdMode)) {
    throw new RangeError(
      `loadMovieLens: itemCreatedAt must be 'firstRating', 'firstAppearance' or 'releaseDate' (got ${JSON.stringify(createdMode)})`,
    );
  }
  const match = options.match ?? 'none';
  if (!MOVIELENS_MATCH.includes(match)) {
    throw new RangeError(`loadMovieLens: match must be 'none' or 'status' (got ${JSON.stringify(match)})`);
  }
  if (match === 'status' && createdMode === 'firstAppearance') {
    throw new RangeError(
      "loadMovieLens: match 'status' needs each movie's creation time before negatives are drawn; itemCreatedAt 'firstAppearance' depends on the draw — use 'firstRating' or 'releaseDate'",
    );
  }
  const availableFrom = Float64Array.from({ length: M }, (_, m) =>
    catalogueFrom === 'releaseDate' ? Math.min(released(m), firstRating[m] as number) : (firstRating[m] as number),
  );
  // A row at t takes min(t, creation): a movie shown before its creation is brand new (age 0).
  const knownCreation =
    createdMode === 'releaseDate'
      ? Float64Array.from(movies.released, (r, m) => (Number.isNaN(r) ? (firstRating[m] as number) : r))
      : firstRating;
  const windows = temporalWindows(time, options.split ?? MOVIELENS_SPLIT);
  const asked = negativesPerEvent(time, windows, options.negatives ?? MOVIELENS_NEGATIVES);
  const status =
    match === 'status'
      ? movieLensCandidateStatus({
          eventTimes: time,
          firstRating,
          creation: knownCreation,
          coldDays: options.coldDays ?? spec.coldStart.coldDays,
        })
      : undefined;
  const candidates = sampleNegatives({
    times: time,
    items: movie,
    users: user,
    itemCount: M,
    availableFrom,
    negatives: asked,
    mode: options.sampling ?? 'catalogue',
    ...(status ? { status } : {}),
    seed: options.seed ?? 0,
  });
  const N = candidates.item.length;
  const firstSeen = new Float64Array(M).fill(Number.POSITIVE_INFINITY);
  for (let r = N - 1; r >= 0; r--) firstSeen[candidates.item[r] as number] = time[candidates.request[r] as number] as number;
  const creation = createdMode === 'firstAppearance' ? firstSeen : knownCreation;

  const love = options.loveThreshold ?? (tables.layout === '100k' ? 5 : 4.5);
  const smoothing = options.smoothing ?? 20;
  const ratingOf = Float32Array.from(order, (i) => ratings.rating[i] as number);
  const movieItems = new MovieItems(tables, {
    time,
    movie,
    rating: ratingOf,
    love,
    smoothing,
    availableFrom,
    creation,
    movieIndex,
  });
  const attributes = userAttributes(tables, spec, userIds);
  const userBucket = Int32Array.from(userIds, (id) => hashToBucket(id, 4096));
  const builder = new FrameBuilder(spec, { itemHistory: true, capacity: N + 1 });
  for (let r = 0; r < N; r++) {
    builder.addRow();
    const e = candidates.request[r] as number;
    const m = candidates.item[r] as number;
    const u = user[e] as number;
    const t = time[e] as number;
    const itemCreated = movieItems.createdAt(m, t);
    builder.setMeta(r, {
      requestId: e,
      itemId: movies.id[m] as number,
      userId: userIds[u] as number,
      timestamp: t,
      itemCreatedAt: itemCreated,
    });
    const positive = candidates.positive[r] === 1;
    const rating = ratingOf[e] as number;
    builder.setLabel('engage', r, positive ? 1 : 0);
    builder.setLabel('like', r, positive && rating >= 4 ? 1 : 0);
    builder.setLabel('love', r, positive && rating >= love ? 1 : 0);
    movieItems.writeContent(builder, r, m, t, itemCreated);
    builder.setIndex('user_id', r, userBucket[u] as number);
    if (attributes) {
      builder.setDenseAt('user_age', r, 0, attributes.age[u] as number);
      builder.setIndex('user_gender', r, attributes.gender[u] as number);
      builder.setIndex('user_occupation', r, attributes.occupation[u] as number);
    }
  }

  const items = ratingHistory(smoothing);
  const users = ratingHistory(smoothing, G);
  const stats = new Float64Array(items.statsWidth);
  const profile = new Float64Array(G);
  const rowTimes = Float64Array.from(candidates.request, (e) => time[e] as number);
  replayAsOf({
    eventTimes: time,
    queryTimes: rowTimes,
    applyEvent: (e) => {
      const rating = ratingOf[e] as number;
      const labels = ratingLabels(rating, love);
      items.record(movie[e] as number, labels, rating);
      users.record(user[e] as number, labels, rating);
      users.recordProfile(user[e] as number, movies.genres, (movie[e] as number) * G);
    },
    readQuery: (r) => {
      const m = candidates.item[r] as number;
      const u = user[candidates.request[r] as number] as number;
      items.writeStats(m, stats, 0);
      builder.setDense('item_stats', r, stats);
      users.writeStats(u, stats, 0);
      builder.setDense('user_stats', r, stats);
      users.writeProfile(u, profile, 0);
      builder.setDense('user_genres', r, profile);
      builder.setHistory(r, items.count(m), items.count(m));
    },
  });
  const tagTally = new HistoryState({ labels: 0 });
  replayAsOf({
    eventTimes: tables.tags.time,
    queryTimes: rowTimes,
    applyEvent: (k) => {
      const m = movieItems.indexOf(tables.tags.movie[k] as number);
      if (m !== undefined) tagTally.record(m, []);
    },
    readQuery: (r) => builder.setDenseAt('item_tags', r, 0, Math.log1p(tagTally.count(candidates.item[r] as number))),
  });
  const frame = builder.build();
  return {
    frame,
    spec,
    split: temporalSplit(frame, { windows }),
    layout: tables.layout,
    match,
    negativeShortfall: shortfallPerWindow(time, windows, candidates.shortfall, asked),
    itemSnapshot: (asOf: number) => movieItems.snapshot(spec, asOf),
  };
}

/**
 * Loads a MovieLens directory (`ml-latest-small` or `ml-100k` layout) as a thaw dataset: frame,
 * spec (`movieLensSpec`, vocabularies filled) and temporal split. Negatives come from the
 * catalogue of movies released by each rating's time (default) — including movies nobody has
 * rated yet — so "never seen" does not mean "positive"; 4 per training request, 99 per
 * calibration and evaluation request (see {@link MovieLensOptions}).
 *
 * @throws DataError naming the file, line and column of a malformed value.
 * @example
 * ```ts
 * const { frame, spec, split } = await loadMovieLens('/data/ml-latest-small');
 * console.log(formatSplitCounts(splitCounts(frame, split, spec.coldStart.coldDays)));
 * ```
 */
export async function loadMovieLens(dir: string, options: MovieLensOptions = {}): Promise<MovieLensData> {
  return movieLensFrame(await readMovieLens(dir, options.layout), options);
}
