import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCategorical, hashToBucket } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { coldMask } from '../frame/item-age.js';
import { validateFrame } from '../frame/validate-frame.js';
import { leakageReport } from '../leakage/leakage-report.js';
import { DataError } from '../loaders/data-error.js';
import { splitCounts } from '../split/split-counts.js';
import { loadMovieLens } from './load-movielens.js';
import { readMovieLens } from './read-movielens.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tiny100k = join(packageDir, 'fixtures/ml-100k-tiny');
/** The shared copy of ml-latest-small: read in place, never copied into the repo. */
const latestSmall = resolve(packageDir, '../../../shared/data/movielens-latest-small');

// The fixture's ratings (user, movie, rating, time), as written in fixtures/ml-100k-tiny/u.data.
const RATINGS = readFileSync(join(tiny100k, 'u.data'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split('\t').map(Number) as [number, number, number, number]);
/** The ratings in request order: by time, ties in file order. */
const SORTED = RATINGS.map((x, i) => [x, i] as const)
  .sort((a, b) => a[0][3] - b[0][3] || a[1] - b[1])
  .map(([x]) => x);
const RELEASED: Record<number, number> = {
  1: Date.UTC(1995, 0, 1) / 1000,
  2: Date.UTC(1995, 0, 1) / 1000,
  3: Date.UTC(1997, 0, 24) / 1000,
  4: Date.UTC(1997, 9, 1) / 1000,
  5: Date.UTC(1997, 9, 20) / 1000,
  6: Date.UTC(1999, 0, 1) / 1000,
};

describe('MovieLens ml-100k layout (hand-made fixture)', async () => {
  const data = await loadMovieLens(tiny100k, { negatives: 3, seed: 2 });
  const { frame, spec } = data;

  it('builds a spec with user attributes and filled vocabularies', () => {
    expect(data.layout).toBe('100k');
    expect(spec.tasks.map((t) => t.name)).toEqual(['engage', 'like', 'love']);
    const byName = Object.fromEntries(spec.features.map((f) => [f.name, f]));
    expect(byName.user_occupation).toMatchObject({
      kind: 'categorical',
      vocabulary: ['other', 'technician', 'writer'],
      group: 'nonHistorical',
      source: 'user',
    });
    expect(byName.user_gender).toMatchObject({ vocabulary: ['F', 'M'] });
    expect(byName.item_genre).toMatchObject({ vocabSize: 19 });
    expect(byName.item_id).toMatchObject({ group: 'historical', source: 'item' });
    expect(byName.item_genres).toMatchObject({ group: 'nonHistorical', dim: 19 });
    validateFrame(frame, spec);
  });

  it('makes one request per rating with catalogue negatives available at that time', () => {
    expect(new Set(frame.requestId).size).toBe(RATINGS.length);
    const engage = frame.labels.engage as Float32Array;
    expect(engage.reduce((s, v) => s + v, 0)).toBe(RATINGS.length);
    for (let r = 0; r < frame.size; r++) {
      const q = frame.requestId[r] as number;
      const [user, positive, rating, time] = SORTED[q] as [number, number, number, number];
      expect(frame.timestamp[r]).toBe(time);
      expect(frame.userId[r]).toBe(user);
      const movie = frame.itemId[r] as number;
      if (engage[r] === 1) {
        expect(movie).toBe(positive);
        expect(frame.labels.like?.[r]).toBe(rating >= 4 ? 1 : 0);
        expect(frame.labels.love?.[r]).toBe(rating === 5 ? 1 : 0);
      } else {
        const firstRating = Math.min(...RATINGS.filter((x) => x[1] === movie).map((x) => x[3]));
        expect(Math.min(RELEASED[movie] as number, firstRating)).toBeLessThanOrEqual(time); // in the catalogue
        expect(RATINGS.some(([u, m, , t]) => u === user && m === movie && t <= time)).toBe(false); // not rated by the user
        expect(frame.labels.like?.[r]).toBe(0);
      }
    }
    expect(frame.itemId.includes(6)).toBe(false); // released after the last rating
  });

  it('computes item and user history as of the request, strictly earlier ratings only', () => {
    for (let r = 0; r < frame.size; r++) {
      const t = frame.timestamp[r] as number;
      const movie = frame.itemId[r] as number;
      const before = RATINGS.filter((x) => x[3] < t);
      const mine = before.filter((x) => x[1] === movie);
      const n = mine.length;
      const prior = (f: (x: (typeof RATINGS)[number]) => number) =>
        before.length ? before.reduce((s, x) => s + f(x), 0) / before.length : 0;
      const sum = (f: (x: (typeof RATINGS)[number]) => number) => mine.reduce((s, x) => s + f(x), 0);
      const like = (x: (typeof RATINGS)[number]) => (x[2] >= 4 ? 1 : 0);
      const love = (x: (typeof RATINGS)[number]) => (x[2] === 5 ? 1 : 0);
      const rating = (x: (typeof RATINGS)[number]) => x[2];
      const expected = [
        Math.log1p(n),
        Math.log1p(sum(like)),
        Math.log1p(sum(love)),
        (sum(like) + 20 * prior(like)) / (n + 20),
        (sum(love) + 20 * prior(love)) / (n + 20),
        (sum(rating) + 20 * prior(rating)) / (n + 20),
      ];
      expected.forEach((v, k) => {
        expect(frame.features.item_stats?.[r * 6 + k]).toBeCloseTo(v, 5);
      });
      expect(frame.itemHistory?.events[r]).toBe(n);
    }
  });

  it('encodes ids, user attributes and content; creation time is the first rating', () => {
    const r = Array.from(frame.itemId).findIndex((m, i) => m === 1 && frame.userId[i] === 2);
    const spec100k = (name: string) => spec.features.find((f) => f.name === name) as { vocabSize: number; vocabulary?: string[] };
    expect(frame.features.item_id?.[r]).toBe(hashToBucket(1, 16_384));
    expect(frame.features.user_gender?.[r]).toBe(encodeCategorical(spec100k('user_gender'), 'F'));
    expect(frame.features.user_occupation?.[r]).toBe(encodeCategorical(spec100k('user_occupation'), 'other'));
    expect(frame.features.user_age?.[r]).toBeCloseTo((53 - 30) / 15, 6);
    expect(Array.from(frame.features.item_genres?.slice(r * 19, r * 19 + 6) ?? [])).toEqual([0, 0, 0, 1, 1, 1]);
    expect(frame.features.item_genre?.[r]).toBe(3); // Animation, the first flagged genre
    expect(frame.features.item_year?.[r * 2]).toBeCloseTo((1995 - 2000) / 20, 6);
    expect(frame.itemCreatedAt[r]).toBe(876009600); // movie 1's first rating
  });

  it('reports malformed files with file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thaw-ml-'));
    for (const f of ['u.item', 'u.user']) copyFileSync(join(tiny100k, f), join(dir, f));
    writeFileSync(join(dir, 'u.data'), '1\t1\t5\t876009600\n1\t2\tfive\t876009600\n');
    const error = await readMovieLens(dir).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('u.data:2: column "rating": expected a number (got "five")');
    rmSync(dir, { recursive: true, force: true });
    const none = await readMovieLens(tmpdir()).catch((e: unknown) => e);
    expect((none as Error).message).toContain('not a MovieLens directory');
  });
});

describe('MovieLens ml-latest-small (../shared/data, read in place)', () => {
  it('loads with catalogue negatives and a temporal split; no "never seen ⇒ positive" leak', { timeout: 240_000 }, async () => {
    const data = await loadMovieLens(latestSmall);
    const { frame, spec, split, layout } = data;
    expect(layout).toBe('latest-small');
    expect(new Set(frame.requestId).size).toBe(100_836);
    expect(spec.features.find((f) => f.name === 'item_genres')).toMatchObject({ dim: 19 });
    const counts = splitCounts(frame, split, 28);
    expect(counts.train.requests + counts.calibration.requests + counts.eval.requests).toBe(100_836);
    // 4 negatives per training request, 99 per calibration and evaluation request.
    expect(frame.size).toBe(5 * counts.train.requests + 100 * (counts.calibration.requests + counts.eval.requests));
    expect(counts.eval.freshImpressions).toBeGreaterThan(1000);
    const leak = leakageReport(frame, split, 28);
    // No-history candidates are positive about as often as warm ones in evaluation (not "never seen ⇒ positive").
    expect(leak.eval.noHistory.impressions).toBeGreaterThan(10_000);
    expect(leak.eval.noHistory.positiveRate.engage).toBeLessThan(1.5 * (leak.eval.warm.positiveRate.engage as number));

    // Independently of the loader: every negative was released (1 July of its year) or rated by then,
    // and movies nobody ever rated are drawn too.
    const tables = await readMovieLens(latestSmall);
    const firstRating = new Map<number, number>();
    tables.ratings.movie.forEach((m, i) => {
      firstRating.set(m, Math.min(firstRating.get(m) ?? Number.POSITIVE_INFINITY, tables.ratings.time[i] as number));
    });
    const released = new Map<number, number>();
    tables.movies.id.forEach((m, i) => {
      const year = tables.movies.year[i] as number;
      released.set(m, Number.isNaN(year) ? Number.POSITIVE_INFINITY : Date.UTC(year, 6, 1) / 1000);
    });
    let late = 0;
    let neverRated = 0;
    for (let r = 0; r < frame.size; r++) {
      if (frame.labels.engage?.[r] === 1) continue;
      const m = frame.itemId[r] as number;
      const first = firstRating.get(m) ?? Number.POSITIVE_INFINITY;
      if (Math.min(released.get(m) as number, first) > (frame.timestamp[r] as number)) late++;
      if (first === Number.POSITIVE_INFINITY) neverRated++;
    }
    expect(late).toBe(0);
    expect(neverRated).toBeGreaterThan(100);

    // Expected fresh Hits@3 of "no history first" with random tie-breaks, in closed form per request:
    // a no-history positive among n no-history candidates is in the top 3 with probability min(1, 3/n).
    // With 4 evaluation negatives it was 0.98; with 99 it must leave room for a model.
    const cold = coldMask(frame, 28);
    const byRequest = new Map<number, number[]>();
    for (const r of split.rows.eval) {
      const q = frame.requestId[r] as number;
      let rows = byRequest.get(q);
      if (!rows) byRequest.set(q, (rows = []));
      rows.push(r);
    }
    let freshRequests = 0;
    let expectedHits = 0;
    for (const rows of byRequest.values()) {
      const positive = rows.find((r) => frame.labels.engage?.[r] === 1) as number;
      if (cold[positive] !== 1) continue;
      freshRequests++;
      const noHistory = rows.filter((r) => frame.itemHistory?.events[r] === 0).length;
      const size = rows.length;
      expectedHits +=
        frame.itemHistory?.events[positive] === 0
          ? Math.min(1, 3 / noHistory)
          : Math.max(0, Math.min(1, (3 - noHistory) / (size - noHistory)));
    }
    expect(freshRequests).toBeGreaterThan(1000);
    expect(expectedHits / freshRequests).toBeLessThan(0.6);
    expect(expectedHits / freshRequests).toBeGreaterThan(0.2);

    // As-of: the rating count of the first eval row's movie is its number of earlier ratings.
    const r = split.rows.eval[0] as number;
    const earlier = Array.from(tables.ratings.movie).filter(
      (m, i) => m === frame.itemId[r] && (tables.ratings.time[i] as number) < (frame.timestamp[r] as number),
    ).length;
    expect(frame.itemHistory?.events[r]).toBe(earlier);

    // The item snapshot at the first evaluation request's time holds what that request's rows saw.
    expect(data.negativeShortfall.eval).toEqual({ shortRequests: 0, missingNegatives: 0, emptyRequests: 0 });
    const snap = data.itemSnapshot(frame.timestamp[r] as number);
    const at = new Map(snap.itemIds.map((key, i) => [key, i]));
    const rowsOfRequest = Array.from(split.rows.eval).filter((row) => frame.requestId[row] === frame.requestId[r]);
    expect(rowsOfRequest).toHaveLength(100);
    for (const row of rowsOfRequest) {
      const i = at.get(String(frame.itemId[row])) as number;
      expect(i, `movie ${frame.itemId[row]} is in the snapshot`).toBeDefined();
      for (const [name, width] of [
        ['item_stats', 6],
        ['item_tags', 1],
        ['item_age', 1],
        ['item_genres', 19],
      ] as const) {
        expect(Array.from(snap.features[name]?.slice(i * width, (i + 1) * width) ?? []), name).toEqual(
          Array.from(frame.features[name]?.slice(row * width, (row + 1) * width) ?? []),
        );
      }
    }
  });

  it("with 'historyOnly' negatives every no-history candidate is a positive — the leak the default avoids", {
    timeout: 240_000,
  }, async () => {
    const { frame, split } = await loadMovieLens(latestSmall, { sampling: 'historyOnly', negatives: 1 });
    const leak = leakageReport(frame, split, 28);
    expect(leak.eval.noHistory.positiveRate.engage).toBe(1);
    expect(leak.eval.all.positiveRate.engage).toBeCloseTo(0.5, 3);
  });
});
