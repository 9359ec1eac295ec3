import { demoSpecInput, type ModelSpec, type ModelSpecInput, validateSpec } from '@thaw/spec';

/** What the MovieLens spec depends on: the genre vocabulary and, for ml-100k, user attributes. */
export interface MovieLensSpecInfo {
  readonly genres: readonly string[];
  /** Occupation vocabulary (ml-100k `u.user`); absent → no user-attribute features. */
  readonly occupations?: readonly string[];
}

/** Width of the hashed title-token vector. */
export const TITLE_BUCKETS = 16;

/**
 * The spec of a MovieLens frame (`loadMovieLens`). Historical (engagement-derived, as of each
 * impression): `item_id`, `user_id` (hashed ids), `item_stats` and `user_stats` (log-counts of
 * ratings, likes and loves, smoothed like/love rates, smoothed mean rating), `item_tags`
 * (log-count of tags), `user_genres` (mean genres of the user's earlier ratings).
 * Non-historical (content/attributes): `item_genres` (multi-hot), `item_genre` (first genre,
 * categorical), `item_year` (scaled release year, unknown flag), `item_title` (hashed title
 * tokens), `item_age` (log age in days) and, for ml-100k, `user_age`, `user_gender`,
 * `user_occupation`. Tasks: `engage` (rated vs sampled negatives), `like` (rating ≥ 4), `love`
 * (rating ≥ 4.5, or 5 on an integer scale). Architecture, cold-start settings and training
 * defaults are the demo spec's (batch 512).
 *
 * @example `movieLensSpec({ genres: tables.genres }).features.length // 11`
 */
export function movieLensSpec(info: MovieLensSpecInfo): ModelSpec {
  const G = info.genres.length;
  const features: ModelSpecInput['features'] = [
    { name: 'item_id', group: 'historical', source: 'item', kind: 'id', buckets: 16_384, embeddingDim: 16 },
    { name: 'user_id', group: 'historical', source: 'user', kind: 'id', buckets: 4096, embeddingDim: 8 },
    {
      name: 'item_stats',
      group: 'historical',
      source: 'item',
      kind: 'dense',
      dim: 6,
      description: 'log1p ratings, log1p likes, log1p loves, smoothed like rate, love rate, mean rating — as of the impression',
    },
    { name: 'item_tags', group: 'historical', source: 'item', kind: 'dense', dim: 1, description: 'log1p tags applied so far' },
    {
      name: 'user_stats',
      group: 'historical',
      source: 'user',
      kind: 'dense',
      dim: 6,
      description: 'as item_stats, for the user',
    },
    {
      name: 'user_genres',
      group: 'historical',
      source: 'user',
      kind: 'dense',
      dim: G,
      description: "mean genre vector of the user's earlier ratings",
    },
    { name: 'item_genres', group: 'nonHistorical', source: 'item', kind: 'dense', dim: G, description: 'genre multi-hot' },
    {
      name: 'item_genre',
      group: 'nonHistorical',
      source: 'item',
      kind: 'categorical',
      vocabSize: G,
      embeddingDim: 4,
      vocabulary: [...info.genres],
      description: 'first listed genre',
    },
    {
      name: 'item_year',
      group: 'nonHistorical',
      source: 'item',
      kind: 'dense',
      dim: 2,
      description: '(release year − 2000) / 20, and 1 when the year is unknown',
    },
    {
      name: 'item_title',
      group: 'nonHistorical',
      source: 'item',
      kind: 'dense',
      dim: TITLE_BUCKETS,
      description: 'hashed title tokens (L2-normalised counts)',
    },
    { name: 'item_age', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 1, description: 'log1p item age in days' },
  ];
  if (info.occupations) {
    features.push(
      { name: 'user_age', group: 'nonHistorical', source: 'user', kind: 'dense', dim: 1, description: '(age − 30) / 15' },
      {
        name: 'user_gender',
        group: 'nonHistorical',
        source: 'user',
        kind: 'categorical',
        vocabSize: 2,
        embeddingDim: 2,
        vocabulary: ['F', 'M'],
      },
      {
        name: 'user_occupation',
        group: 'nonHistorical',
        source: 'user',
        kind: 'categorical',
        vocabSize: info.occupations.length,
        embeddingDim: 4,
        vocabulary: [...info.occupations],
      },
    );
  }
  return validateSpec(
    {
      specVersion: 1,
      name: 'movielens',
      description: 'MovieLens ranking with catalogue negatives (see @thaw/data).',
      features,
      architecture: demoSpecInput.architecture,
      tasks: [{ name: 'engage' }, { name: 'like' }, { name: 'love' }],
      utility: { engage: 1, like: 1, love: 0.5 },
      coldStart: demoSpecInput.coldStart,
      training: { ...demoSpecInput.training, batchSize: 512 },
    },
    'movieLensSpec',
  );
}
