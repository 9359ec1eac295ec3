import { encodeCategorical, type ModelSpec } from '@thaw/spec';
import { TITLE_BUCKETS } from './movielens-spec.js';
import type { MovieLensTables } from './read-movielens.js';
import { titleVector } from './title-tokens.js';

/** Per-movie non-historical features, indexed like `tables.movies`. */
export interface MovieContent {
  /** First listed genre (row `genres.length` = none, the OOV row). */
  readonly firstGenre: Int32Array;
  /** `[(year − 2000) / 20, unknown flag]` per movie. */
  readonly year: Float32Array;
  /** Hashed title tokens, `TITLE_BUCKETS` per movie. */
  readonly title: Float32Array;
}

/** The movies' content features (see `movieLensSpec`). */
export function movieContent(tables: MovieLensTables): MovieContent {
  const { movies, genres } = tables;
  const M = movies.id.length;
  const G = genres.length;
  const firstGenre = new Int32Array(M).fill(G);
  const year = new Float32Array(2 * M);
  const title = new Float32Array(TITLE_BUCKETS * M);
  for (let m = 0; m < M; m++) {
    for (let g = G - 1; g >= 0; g--) if (movies.genres[m * G + g] === 1) firstGenre[m] = g;
    const y = movies.year[m] as number;
    year.set(Number.isNaN(y) ? [0, 1] : [(y - 2000) / 20, 0], 2 * m);
    title.set(titleVector(movies.title[m] as string, TITLE_BUCKETS), TITLE_BUCKETS * m);
  }
  return { firstGenre, year, title };
}

/** ml-100k user attributes per user index (`userIds[u]`), encoded for the spec. */
export interface UserAttributes {
  /** (age − 30) / 15, 0 when unknown. */
  readonly age: Float32Array;
  readonly gender: Int32Array;
  readonly occupation: Int32Array;
}

/** Encodes `u.user` for the users of the ratings; users missing from `u.user` get OOV rows. */
export function userAttributes(tables: MovieLensTables, spec: ModelSpec, userIds: readonly number[]): UserAttributes | undefined {
  const users = tables.users;
  if (!users) return undefined;
  const feature = (name: string) => spec.features.find((f) => f.name === name) as { vocabSize: number; vocabulary?: string[] };
  const at = new Map(Array.from(users.id, (id, i) => [id, i] as const));
  const rows = userIds.map((id) => at.get(id));
  return {
    age: Float32Array.from(rows, (a) => (a === undefined ? 0 : ((users.age[a] as number) - 30) / 15)),
    gender: Int32Array.from(rows, (a) => encodeCategorical(feature('user_gender'), a === undefined ? null : users.gender[a])),
    occupation: Int32Array.from(rows, (a) =>
      encodeCategorical(feature('user_occupation'), a === undefined ? null : users.occupation[a]),
    ),
  };
}
