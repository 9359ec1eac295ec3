import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { at, RATINGS, writeCatalogueDir } from '../test-utils/movielens-catalogue.js';
import { loadMovieLens } from './load-movielens.js';
import { readMovieLens, releaseFromYear } from './read-movielens.js';

/** Every movie each request may draw, worked by hand: released (or rated) by then, not rated by the user. */
const RELEASE_POOLS = [[2], [2], [2], [2, 4], [2, 3, 4, 7], [2, 4, 7]];
/** The same with the first-rating catalogue: only movies rated at or before the request. */
const FIRST_RATING_POOLS = [[], [], [], [4], [3, 4], [4]];

const dir = writeCatalogueDir('thaw-ml-catalogue-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Negatives of each request, sorted, and the row of each negative. */
function negativesByRequest(frame: FeatureFrame): number[][] {
  const out: number[][] = RATINGS.map(() => []);
  for (let r = 0; r < frame.size; r++) {
    if (frame.labels.engage?.[r] === 0) out[frame.requestId[r] as number]?.push(frame.itemId[r] as number);
  }
  return out.map((list) => list.sort((a, b) => a - b));
}

describe('MovieLens catalogue negatives (hand-made ml-latest-small)', () => {
  it('dates a title-year release at 1 July of that year', async () => {
    const tables = await readMovieLens(dir);
    expect(Array.from(tables.movies.released.slice(0, 3))).toEqual([at(1990, 7, 1), at(1994, 7, 1), at(2000, 7, 1)]);
    expect(Number.isNaN(tables.movies.released[3] as number)).toBe(true);
    expect(releaseFromYear(1995)).toBe(804_556_800); // 1995-07-01T00:00:00Z
  });

  it('draws from movies released by the request, including never-rated ones, never a movie not yet out', async () => {
    for (const seed of [0, 1, 2]) {
      const { frame } = await loadMovieLens(dir, { negatives: 10, seed });
      expect(negativesByRequest(frame)).toEqual(RELEASE_POOLS);
    }
    const { frame } = await loadMovieLens(dir, { negatives: 10 });
    for (let r = 0; r < frame.size; r++) {
      if (frame.itemId[r] !== 2) continue;
      // Never rated: no history, created at the impression (age 0, so fresh).
      expect(frame.itemHistory?.events[r]).toBe(0);
      expect(frame.itemCreatedAt[r]).toBe(frame.timestamp[r]);
    }
    // Movie 3 at request 4: rated once before (2000-06-15), created then.
    const r = Array.from(frame.itemId).findIndex((m, i) => m === 3 && frame.requestId[i] === 4);
    expect(frame.itemHistory?.events[r]).toBe(1);
    expect(frame.itemCreatedAt[r]).toBe(at(2000, 6, 15));
  });

  it("'firstRating' catalogue: only movies rated by then, so every no-history candidate is a first rating", async () => {
    const loaded = await loadMovieLens(dir, { negatives: 10, catalogueFrom: 'firstRating' });
    const { frame } = loaded;
    expect(negativesByRequest(frame)).toEqual(FIRST_RATING_POOLS);
    // Default split of 6 requests: 5 train, 0 calibration, 1 eval. Pools of 0, 0, 0, 1, 2 | 1 for 10 asked.
    expect(loaded.negativeShortfall).toEqual({
      train: { shortRequests: 5, missingNegatives: 10 + 10 + 10 + 9 + 8, emptyRequests: 3 },
      calibration: { shortRequests: 0, missingNegatives: 0, emptyRequests: 0 },
      eval: { shortRequests: 1, missingNegatives: 9, emptyRequests: 0 },
    });
    await expect(loadMovieLens(dir, { catalogueFrom: 'release' as never })).rejects.toThrow(
      `loadMovieLens: catalogueFrom must be 'releaseDate' or 'firstRating' (got "release")`,
    );
    await expect(loadMovieLens(dir, { itemCreatedAt: 'firstrating' as never })).rejects.toThrow(
      `loadMovieLens: itemCreatedAt must be 'firstRating', 'firstAppearance' or 'releaseDate' (got "firstrating")`,
    );
  });

  it('samples a different number of negatives per split window; training rows ignore the evaluation count', async () => {
    const split = {
      windows: {
        train: { start: 0, end: at(2000, 6, 1) },
        calibration: { start: at(2000, 6, 1), end: at(2000, 7, 20) },
        eval: { start: at(2000, 7, 20), end: at(2001, 1, 1) },
      },
    };
    const loaded = await loadMovieLens(dir, { split, negatives: { train: 1, eval: 3 }, seed: 4 });
    const { frame, split: parts } = loaded;
    const sizes = RATINGS.map((_, q) => Array.from(frame.requestId).filter((id) => id === q).length);
    // Requests 0–2 train (1 negative each), 3 calibration (eval's 3, capped by its pool of 2), 4–5 eval (3).
    expect(sizes).toEqual([2, 2, 2, 3, 4, 4]);
    negativesByRequest(frame).forEach((list, q) => {
      for (const m of list) expect(RELEASE_POOLS[q]).toContain(m);
    });
    expect(Array.from(parts.rows.calibration, (r) => frame.requestId[r])).toEqual([3, 3, 3]);
    expect(loaded.negativeShortfall).toEqual({
      train: { shortRequests: 0, missingNegatives: 0, emptyRequests: 0 },
      calibration: { shortRequests: 1, missingNegatives: 1, emptyRequests: 0 },
      eval: { shortRequests: 0, missingNegatives: 0, emptyRequests: 0 },
    });
    const fewer = await loadMovieLens(dir, { split, negatives: { train: 1, calibration: 0, eval: 0 }, seed: 4 });
    const trainRows = (f: FeatureFrame, rows: Int32Array) =>
      Array.from(rows, (r) => [f.requestId[r], f.itemId[r], f.labels.engage?.[r]]);
    expect(trainRows(fewer.frame, fewer.split.rows.train)).toEqual(trainRows(frame, parts.rows.train));
    expect(fewer.frame.size).toBe(6 + 3);
    await expect(loadMovieLens(dir, { negatives: { train: 4, eval: -1 } })).rejects.toThrow(
      'loadMovieLens: negatives.eval must be an integer ≥ 0 (got -1)',
    );
  });
});
