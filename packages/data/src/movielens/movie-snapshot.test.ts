import { rmSync } from 'node:fs';
import { hashToBucket } from '@thaw/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { SECONDS_PER_DAY } from '../frame/feature-frame.js';
import { at, writeCatalogueDir } from '../test-utils/movielens-catalogue.js';
import { loadMovieLens } from './load-movielens.js';

const D = SECONDS_PER_DAY;

// The hand-made catalogue fixture (test-utils/movielens-catalogue.ts) plus tags. Catalogue entry
// (release, or first rating if earlier / no year): 1: 1990-07-01, 2: 1994-07-01 (never rated),
// 3: 2000-06-15 (rated before its release), 4: 1999-01-01 (no year), 5: never, 6: 2001-07-01,
// 7: 2000-07-01 (never rated).
const TAGS: [number, number, string, number][] = [
  [1, 1, 'classic', at(1998, 1, 1)],
  [2, 3, 'fun', at(2000, 7, 1)],
  [2, 1, 'old', at(2000, 8, 1)],
];
/** The snapshot time: the 5th rating's time, so that rating and the tag at the same time are not seen. */
const T = at(2000, 8, 1);

const dir = writeCatalogueDir('thaw-ml-snapshot-', TAGS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = (values: ArrayLike<number> | undefined, width: number) =>
  Array.from({ length: (values?.length ?? 0) / width }, (_, i) => Array.from(values ?? []).slice(i * width, (i + 1) * width));

describe('MovieLensData.itemSnapshot (hand-made fixture)', () => {
  it('has every catalogue movie as of T with history from ratings and tags strictly before T', async () => {
    const data = await loadMovieLens(dir, { negatives: 2 });
    const snap = data.itemSnapshot(T);
    expect(snap.itemIds).toEqual(['1', '2', '3', '4', '7']); // 5 never joins, 6 is released after T
    expect(Array.from(snap.itemId)).toEqual([1, 2, 3, 4, 7]);
    expect(Object.keys(snap.features)).toEqual([
      'item_id',
      'item_stats',
      'item_tags',
      'item_genres',
      'item_genre',
      'item_year',
      'item_title',
      'item_age',
    ]);
    // Ratings before T: (1, 4), (1, 3), (4, 5), (3, 4.5): global like 3/4, love 2/4, mean 16.5/4; m = 20.
    const [like, love, mean] = [0.75, 0.5, 4.125];
    const stats = (n: number, likes: number, loves: number, sum: number) => [
      Math.log1p(n),
      Math.log1p(likes),
      Math.log1p(loves),
      (likes + 20 * like) / (n + 20),
      (loves + 20 * love) / (n + 20),
      (sum + 20 * mean) / (n + 20),
    ];
    const expected = [stats(2, 1, 0, 7), stats(0, 0, 0, 0), stats(1, 1, 1, 4.5), stats(1, 1, 1, 5), stats(0, 0, 0, 0)];
    rows(snap.features.item_stats, 6).forEach((row, i) => {
      row.forEach((v, k) => {
        expect(v, `movie ${i + 1} stat ${k}`).toBeCloseTo(expected[i]?.[k] as number, 5);
      });
    });
    expect(Array.from(snap.features.item_tags ?? [])).toEqual([Math.log(2), 0, Math.log(2), 0, 0].map(Math.fround));
    // Creation = first rating; a movie not yet rated is brand new at T (age 0, cold).
    expect(Array.from(snap.createdAt)).toEqual([at(1996, 1, 1), T, at(2000, 6, 15), at(1999, 1, 1), T]);
    const ages = [T - at(1996, 1, 1), 0, 47 * D, T - at(1999, 1, 1), 0].map((s) => Math.fround(Math.log1p(s / D)));
    expect(Array.from(snap.features.item_age ?? [])).toEqual(ages);
    expect(Array.from(snap.cold)).toEqual([0, 1, 0, 0, 1]);
    expect(Array.from(snap.features.item_id ?? [])).toEqual([1, 2, 3, 4, 7].map((id) => hashToBucket(id, 16_384)));
    // Genres sorted from the file: Action, Comedy, Drama.
    expect(rows(snap.features.item_genres, 3)).toEqual([
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [1, 1, 0],
    ]);
    expect(Array.from(snap.features.item_genre ?? [])).toEqual([2, 1, 0, 2, 0]);
    expect(rows(snap.features.item_year, 2)).toEqual(
      [
        [-0.5, 0],
        [-0.3, 0],
        [0, 0],
        [0, 1],
        [0, 0],
      ].map((r) => r.map(Math.fround)),
    );

    // The request at T (movie 1's third rating) saw the same history and content as the snapshot.
    const { frame } = data;
    const r = Array.from(frame.itemId).findIndex((m, i) => m === 1 && frame.timestamp[i] === T);
    for (const [name, width] of [
      ['item_stats', 6],
      ['item_tags', 1],
      ['item_title', 0],
      ['item_age', 1],
    ] as const) {
      const w = width || (frame.features.item_title?.length ?? 0) / frame.size;
      expect(Array.from(snap.features[name]?.slice(0, w) ?? []), name).toEqual(
        Array.from(frame.features[name]?.slice(r * w, (r + 1) * w) ?? []),
      );
    }
  });

  it('follows itemCreatedAt and catalogueFrom, and later times add movies', async () => {
    const byRelease = (await loadMovieLens(dir, { negatives: 2, itemCreatedAt: 'releaseDate' })).itemSnapshot(T);
    // Release dates: 1990-07-01, 1994-07-01, 2000-07-01 (31 days before T: warm), no year → first rating.
    expect(Array.from(byRelease.createdAt)).toEqual([
      at(1990, 7, 1),
      at(1994, 7, 1),
      at(2000, 7, 1),
      at(1999, 1, 1),
      at(2000, 7, 1),
    ]);
    expect(Array.from(byRelease.cold)).toEqual([0, 0, 0, 0, 0]);
    const rated = (await loadMovieLens(dir, { negatives: 2, catalogueFrom: 'firstRating' })).itemSnapshot(T);
    expect(rated.itemIds).toEqual(['1', '3', '4']);
    const data = await loadMovieLens(dir, { negatives: 2 });
    const late = data.itemSnapshot(at(2002, 1, 1));
    expect(late.itemIds).toEqual(['1', '2', '3', '4', '6', '7']);
    expect(late.features.item_stats?.[0]).toBeCloseTo(Math.log(4), 6); // all three ratings of movie 1
    expect(late.features.item_tags?.[0]).toBeCloseTo(Math.log(3), 6);
    expect(late.features.item_age?.[4]).toBe(0); // movie 6: released, never rated → brand new
    expect(data.itemSnapshot(at(1990, 1, 1)).size).toBe(0);
    expect(() => data.itemSnapshot(Number.POSITIVE_INFINITY)).toThrow(
      'itemSnapshot: asOf must be a finite time in seconds since the epoch (got Infinity)',
    );
  });
});
