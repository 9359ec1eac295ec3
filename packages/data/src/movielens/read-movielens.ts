import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../loaders/data-error.js';
import { CellError } from '../loaders/parse-values.js';
import { cell, columnIndex, idCell, numberCell, readTable, type Table } from './read-table.js';

/** The two MovieLens layouts the loader reads. */
export type MovieLensLayout = 'latest-small' | '100k';

/** MovieLens tables as read, before any feature is built. Times are seconds since the epoch. */
export interface MovieLensTables {
  readonly layout: MovieLensLayout;
  /** Genre vocabulary, in the order of the multi-hot columns. */
  readonly genres: readonly string[];
  readonly movies: {
    readonly id: Int32Array;
    readonly title: readonly string[];
    /** Multi-hot genre rows, `[movies, genres.length]`. */
    readonly genres: Uint8Array;
    /** Release year (NaN when unknown). */
    readonly year: Float64Array;
    /**
     * Release time, seconds (NaN when unknown): the date in ml-100k; in ml-latest-small, whose
     * titles carry only the year, 1 July of that year ({@link releaseFromYear}: the middle of the
     * year, so the estimate is off by at most half a year either way).
     */
    readonly released: Float64Array;
  };
  readonly ratings: {
    readonly user: Int32Array;
    readonly movie: Int32Array;
    readonly rating: Float32Array;
    readonly time: Float64Array;
  };
  readonly tags: { readonly user: Int32Array; readonly movie: Int32Array; readonly time: Float64Array };
  /** ml-100k user attributes (absent in ml-latest-small). */
  readonly users?: {
    readonly id: Int32Array;
    readonly age: Float32Array;
    readonly gender: readonly string[];
    readonly occupation: readonly string[];
  };
}

/** The 19 genre flags of ml-100k's `u.item`, in column order (`u.genre`). */
export const ML100K_GENRES = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
] as const;

/**
 * The release time assumed for a movie known only by its year: 1 July of that year, 00:00 UTC, in
 * seconds since the epoch (NaN for an unknown year). The middle of the year is the estimate with
 * the smallest worst-case error (half a year); 1 January would put every movie in the catalogue up
 * to a year before it came out, 31 December would hide it for up to a year after.
 *
 * @example `releaseFromYear(1995) // 804556800 (1995-07-01T00:00:00Z)`
 */
export function releaseFromYear(year: number): number {
  return Number.isNaN(year) ? Number.NaN : Date.UTC(year, 6, 1) / 1000;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function ratingsOf(table: Table, names: { user: number; movie: number; rating: number; time: number }) {
  const n = table.records.length;
  const out = { user: new Int32Array(n), movie: new Int32Array(n), rating: new Float32Array(n), time: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.user[i] = cell(table, i, names.user, idCell);
    out.movie[i] = cell(table, i, names.movie, idCell);
    out.rating[i] = cell(table, i, names.rating, numberCell);
    out.time[i] = cell(table, i, names.time, numberCell);
  }
  return out;
}

async function readLatestSmall(dir: string): Promise<MovieLensTables> {
  const movies = await readTable(join(dir, 'movies.csv'), { delimiter: ',', required: ['movieId', 'title', 'genres'] });
  const ratings = await readTable(join(dir, 'ratings.csv'), {
    delimiter: ',',
    required: ['userId', 'movieId', 'rating', 'timestamp'],
  });
  const tagsPath = join(dir, 'tags.csv');
  const tags = existsSync(tagsPath)
    ? await readTable(tagsPath, { delimiter: ',', required: ['userId', 'movieId', 'timestamp'] })
    : undefined;
  const [mId, mTitle, mGenres] = ['movieId', 'title', 'genres'].map((c) => columnIndex(movies, c)) as [number, number, number];
  const lists = movies.records.map((_, i) =>
    cell(movies, i, mGenres, (text) => text.split('|').filter((g) => g !== '(no genres listed)' && g !== '')),
  );
  const genres = [...new Set(lists.flat())].sort();
  const n = movies.records.length;
  const multiHot = new Uint8Array(n * genres.length);
  const year = new Float64Array(n);
  lists.forEach((list, i) => {
    for (const g of list) multiHot[i * genres.length + genres.indexOf(g)] = 1;
    const title = cell(movies, i, mTitle, (t) => t);
    const match = /\((\d{4})(?:[–-]\d{0,4})?\)\s*$/.exec(title.trim());
    year[i] = match ? Number(match[1]) : Number.NaN;
  });
  const r = (c: string) => columnIndex(ratings, c);
  return {
    layout: 'latest-small',
    genres,
    movies: {
      id: Int32Array.from(movies.records, (_, i) => cell(movies, i, mId, idCell)),
      title: movies.records.map((_, i) => cell(movies, i, mTitle, (text) => text)),
      genres: multiHot,
      year,
      released: Float64Array.from(year, releaseFromYear),
    },
    ratings: ratingsOf(ratings, { user: r('userId'), movie: r('movieId'), rating: r('rating'), time: r('timestamp') }),
    tags: tags ? tagsOf(tags) : NO_TAGS,
  };
}

const NO_TAGS = { user: new Int32Array(), movie: new Int32Array(), time: new Float64Array() };

function tagsOf(table: Table): MovieLensTables['tags'] {
  const [user, movie, time] = ['userId', 'movieId', 'timestamp'].map((c) => columnIndex(table, c)) as [number, number, number];
  return {
    user: Int32Array.from(table.records, (_, i) => cell(table, i, user, idCell)),
    movie: Int32Array.from(table.records, (_, i) => cell(table, i, movie, idCell)),
    time: Float64Array.from(table.records, (_, i) => cell(table, i, time, numberCell)),
  };
}

function parseReleaseDate(text: string): number {
  if (text.trim() === '') return Number.NaN;
  const match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[2] as string) : -1;
  if (!match || month < 0) throw new CellError(`cannot parse release date ${JSON.stringify(text)} (expected e.g. 01-Jan-1995)`);
  return Date.UTC(Number(match[3]), month, Number(match[1])) / 1000;
}

async function read100k(dir: string): Promise<MovieLensTables> {
  const itemNames = ['movie id', 'movie title', 'release date', 'video release date', 'IMDb URL', ...ML100K_GENRES];
  const items = await readTable(join(dir, 'u.item'), { delimiter: '|', encoding: 'latin1', names: itemNames, quote: false });
  const data = await readTable(join(dir, 'u.data'), {
    delimiter: '\t',
    names: ['user id', 'item id', 'rating', 'timestamp'],
    quote: false,
  });
  const userPath = join(dir, 'u.user');
  const users = existsSync(userPath)
    ? await readTable(userPath, { delimiter: '|', names: ['user id', 'age', 'gender', 'occupation', 'zip code'], quote: false })
    : undefined;
  const n = items.records.length;
  const G = ML100K_GENRES.length;
  const multiHot = new Uint8Array(n * G);
  const released = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < G; g++) {
      multiHot[i * G + g] = cell(items, i, 5 + g, (text) => {
        if (text !== '0' && text !== '1') throw new CellError(`expected a 0/1 genre flag (got ${JSON.stringify(text)})`);
        return Number(text);
      });
    }
    released[i] = cell(items, i, 2, parseReleaseDate);
  }
  return {
    layout: '100k',
    genres: [...ML100K_GENRES],
    movies: {
      id: Int32Array.from(items.records, (_, i) => cell(items, i, 0, idCell)),
      title: items.records.map((_, i) => cell(items, i, 1, (text) => text)),
      genres: multiHot,
      year: Float64Array.from(released, (s) => (Number.isNaN(s) ? Number.NaN : new Date(s * 1000).getUTCFullYear())),
      released,
    },
    ratings: ratingsOf(data, { user: 0, movie: 1, rating: 2, time: 3 }),
    tags: NO_TAGS,
    ...(users
      ? {
          users: {
            id: Int32Array.from(users.records, (_, i) => cell(users, i, 0, idCell)),
            age: Float32Array.from(users.records, (_, i) => cell(users, i, 1, numberCell)),
            gender: users.records.map((_, i) => cell(users, i, 2, (text) => text.trim())),
            occupation: users.records.map((_, i) => cell(users, i, 3, (text) => text.trim())),
          },
        }
      : {}),
  };
}

/**
 * Reads a MovieLens directory in either layout: `ml-latest-small` (`ratings.csv`, `movies.csv`,
 * optional `tags.csv`) or `ml-100k` (`u.data`, `u.item`, optional `u.user`). The layout is
 * detected from the files unless given.
 *
 * @throws DataError naming the file, line and column of a malformed value, or the directory when
 * neither layout is there.
 * @example `const tables = await readMovieLens('/data/ml-latest-small');`
 */
export async function readMovieLens(dir: string, layout?: MovieLensLayout): Promise<MovieLensTables> {
  const detected =
    layout ?? (existsSync(join(dir, 'ratings.csv')) ? 'latest-small' : existsSync(join(dir, 'u.data')) ? '100k' : undefined);
  if (detected === 'latest-small') return readLatestSmall(dir);
  if (detected === '100k') return read100k(dir);
  throw new DataError(
    { file: dir },
    'not a MovieLens directory: expected ratings.csv + movies.csv (ml-latest-small) or u.data + u.item (ml-100k)',
  );
}
