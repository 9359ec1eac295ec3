import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { coldMask } from '../frame/item-age.js';
import { leakageReport } from '../leakage/leakage-report.js';
import { referenceScores } from '../leakage/reference-scores.js';
import { CANDIDATE_STATUS, movieLensCandidateStatus } from './candidate-status.js';
import { movieLensFrame } from './load-movielens.js';
import type { MovieLensTables } from './read-movielens.js';

const DAY = 86_400;
const START = Date.UTC(2000, 0, 1) / 1000;

/**
 * A hand-built ratings log with the shape that makes catalogue negatives leak on ml-latest-small:
 * 800 movies all released before the log starts, so a movie is fresh (and has no history) until
 * its first rating (`itemCreatedAt: 'firstRating'`). 3,000 ratings by 60 users over 1,000 days; a
 * rating is the first rating of a never-rated movie with probability 0.25, else a rated movie
 * drawn by popularity. Early on the catalogue is mostly never-rated (fresh negatives abound, fresh
 * positives are rare among them); by the evaluation window few movies are left unrated.
 */
function handBuiltLog(): MovieLensTables {
  const rng = createRng(31);
  const M = 800;
  const ratings = { user: [] as number[], movie: [] as number[], rating: [] as number[], time: [] as number[] };
  const rated = new Set<string>();
  const unrated = Array.from({ length: M }, (_, m) => m);
  const picks: number[] = []; // one entry per rating: drawing from it is drawing by popularity
  const times = Array.from({ length: 3000 }, () => START + Math.floor(rng.uniform() * 1000 * DAY)).sort((a, b) => a - b);
  for (const t of times) {
    const user = 1 + rng.int(60);
    const first = unrated.length > 0 && (picks.length === 0 || rng.uniform() < 0.25);
    const m = first ? (unrated.splice(rng.int(unrated.length), 1)[0] as number) : (picks[rng.int(picks.length)] as number);
    if (rated.has(`${user}:${m}`)) continue;
    rated.add(`${user}:${m}`);
    picks.push(m);
    ratings.user.push(user);
    ratings.movie.push(m + 1);
    ratings.rating.push(1 + rng.int(5));
    ratings.time.push(t);
  }
  return {
    layout: 'latest-small',
    genres: ['Drama'],
    movies: {
      id: Int32Array.from({ length: M }, (_, m) => m + 1),
      title: Array.from({ length: M }, (_, m) => `Movie ${m + 1}`),
      genres: new Uint8Array(M).fill(1),
      year: new Float64Array(M).fill(1999),
      released: new Float64Array(M).fill(START - 400 * DAY),
    },
    ratings: {
      user: Int32Array.from(ratings.user),
      movie: Int32Array.from(ratings.movie),
      rating: Float32Array.from(ratings.rating),
      time: Float64Array.from(ratings.time),
    },
    tags: { user: new Int32Array(0), movie: new Int32Array(0), time: new Float64Array(0) },
  };
}

/** Rows of each request. */
function requests(frame: FeatureFrame, rows: ArrayLike<number>): number[][] {
  const byRequest = new Map<number, number[]>();
  for (const r of Array.from(rows)) {
    const q = frame.requestId[r] as number;
    let list = byRequest.get(q);
    if (!list) byRequest.set(q, (list = []));
    list.push(r);
  }
  return [...byRequest.values()];
}

/**
 * Fresh Hits@3 of a scorer over `rows`, computed by hand (a request counts when its positive is
 * fresh; ties are broken by the scorers' own random term), and its chance level: the mean over the
 * same requests of `min(1, 3 / candidates)`.
 */
function freshHitsAt3(frame: FeatureFrame, rows: ArrayLike<number>, scores: Float32Array) {
  const fresh = coldMask(frame, 28);
  const engage = frame.labels.engage as Float32Array;
  let hits = 0;
  let chance = 0;
  let counted = 0;
  for (const list of requests(frame, rows)) {
    const positive = list.find((r) => engage[r] === 1) as number;
    if (fresh[positive] !== 1) continue;
    counted++;
    chance += Math.min(1, 3 / list.length);
    const above = list.filter((r) => (scores[r] as number) > (scores[positive] as number)).length;
    if (above < 3) hits++;
  }
  return { hits: hits / counted, chance: chance / counted, requests: counted };
}

describe("MovieLens match: 'status' (freshness-matched negatives)", () => {
  const tables = handBuiltLog();
  const negatives = { train: 4, eval: 19 };
  const options = { negatives, seed: 1, split: { fractions: { train: 0.7, calibration: 0.05, eval: 0.25 } } };
  const catalogue = movieLensFrame(tables, options);
  const matched = movieLensFrame(tables, { ...options, match: 'status' });

  it('gives every request one status: fresh × has-history of its positive', () => {
    expect(matched.match).toBe('status');
    const { frame } = matched;
    const fresh = coldMask(frame, 28);
    const events = frame.itemHistory?.events as Int32Array;
    const statusOf = (r: number) => 2 * ((events[r] as number) > 0 ? 1 : 0) + (fresh[r] as number);
    let mixed = 0;
    for (const list of requests(
      frame,
      Array.from({ length: frame.size }, (_, r) => r),
    )) {
      if (new Set(list.map(statusOf)).size > 1) mixed++;
    }
    expect(mixed).toBe(0);
    // The catalogue design mixes them (that is the leak).
    const c = catalogue.frame;
    const cFresh = coldMask(c, 28);
    const cEvents = c.itemHistory?.events as Int32Array;
    const cMixed = requests(
      c,
      Array.from({ length: c.size }, (_, r) => r),
    ).filter(
      (list) => new Set(list.map((r) => 2 * ((cEvents[r] as number) > 0 ? 1 : 0) + (cFresh[r] as number))).size > 1,
    ).length;
    expect(cMixed).toBeGreaterThan(100);
  });

  it('puts "no history first" at chance on fresh items, where catalogue negatives let it win', () => {
    const leaky = freshHitsAt3(catalogue.frame, catalogue.split.rows.eval, referenceScores(catalogue.frame, 3).noHistoryFirst);
    const fair = freshHitsAt3(matched.frame, matched.split.rows.eval, referenceScores(matched.frame, 3).noHistoryFirst);
    if (process.env.THAW_REPORT) {
      console.log(
        `evaluation fresh Hits@3 of noHistoryFirst: catalogue ${leaky.hits.toFixed(3)} (chance ${leaky.chance.toFixed(3)}, ${leaky.requests} requests), ` +
          `matched ${fair.hits.toFixed(3)} (chance ${fair.chance.toFixed(3)}, ${fair.requests} requests)`,
      );
    }
    // Every candidate of a matched request shares the positive's history status, so noHistoryFirst
    // orders it by its random tie-break alone: a binomial draw around chance (4 standard deviations).
    const sd = Math.sqrt((fair.chance * (1 - fair.chance)) / fair.requests);
    expect(fair.requests).toBeGreaterThan(80);
    expect(Math.abs(fair.hits - fair.chance)).toBeLessThan(4 * sd);
    expect(leaky.hits).toBeGreaterThan(leaky.chance + 0.3);
  });

  it('equalises the positive rate of fresh, warm and no-history candidates in every window', () => {
    const report = leakageReport(matched.frame, matched.split, 28);
    const leaky = leakageReport(catalogue.frame, catalogue.split, 28);
    for (const window of ['train', 'eval'] as const) {
      const asked = window === 'train' ? 4 : 19;
      const short = matched.negativeShortfall[window].shortRequests;
      const rates = report[window];
      // Exactly 1 / (1 + negatives) in every status, but for requests short of negatives.
      for (const group of ['warm', 'cold', 'noHistory'] as const) {
        const rate = rates[group].positiveRate.engage as number;
        if (short === 0) expect(rate).toBeCloseTo(1 / (1 + asked), 12);
        else expect(Math.abs(rate - 1 / (1 + asked))).toBeLessThan(0.02);
      }
    }
    // The catalogue design flips: fresh candidates are rarer positives than warm ones in training.
    expect(leaky.train.cold.positiveRate.engage as number).toBeLessThan((leaky.train.warm.positiveRate.engage as number) * 0.8);
  });

  it('classifies a movie by freshness and history at the rating time', () => {
    const status = movieLensCandidateStatus({
      eventTimes: [START + 10 * DAY, START + 100 * DAY],
      firstRating: [START + 10 * DAY, START + 5 * DAY, Number.POSITIVE_INFINITY],
      creation: [START + 10 * DAY, START + 5 * DAY, Number.POSITIVE_INFINITY],
      coldDays: 28,
    });
    expect(status(0, 0)).toBe(CANDIDATE_STATUS.freshNoHistory); // rated first at this very time
    expect(status(1, 0)).toBe(CANDIDATE_STATUS.freshWithHistory); // rated 5 days earlier
    expect(status(1, 1)).toBe(CANDIDATE_STATUS.warmWithHistory); // 95 days later
    expect(status(2, 1)).toBe(CANDIDATE_STATUS.freshNoHistory); // never rated: brand new at the impression
    expect(() => movieLensFrame(tables, { match: 'status', itemCreatedAt: 'firstAppearance' })).toThrow(
      /itemCreatedAt 'firstAppearance' depends on the draw/,
    );
    expect(() => movieLensFrame(tables, { match: 'nearest' as never })).toThrow(/match must be 'none' or 'status'/);
  });
});
