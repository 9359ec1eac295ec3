import { readFileSync } from 'node:fs';
import { utilityScores } from '@thaw/model';
import { referenceOps } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from './calibration-error.js';
import { explainedVariance } from './explained-variance.js';
import { hitsAtK } from './hits-at-k.js';
import { logLoss } from './log-loss.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { prAuc, prAucDetailed } from './pr-auc.js';
import { rankingSet } from './ranking-input.js';
import { recallAtK } from './recall-at-k.js';
import { rocAuc, rocAucDetailed } from './roc-auc.js';

// Values computed by scikit-learn (fixtures/make_sklearn_fixture.py, committed with its output).
interface BinaryEntry {
  name: string;
  n: number;
  positives: number;
  labels?: number[];
  scores?: number[];
  generator?: { kind: 'ties' | 'continuous'; n: number };
  prAuc: number | null;
  rocAuc: number | null;
  logLoss: number;
  ece10: number;
  ece15: number;
}
interface Fixture {
  sklearn: string;
  binary: BinaryEntry[];
  pca: { name: string; matrix: number[][]; variances: number[]; ratio: number[]; effectiveRank: number }[];
  ndcg: { name: string; k: number; labels: number[][]; scores: number[][]; ndcg: number }[];
  ranking: {
    k: number;
    utility: [number, number];
    requestId: number[];
    probs: number[][];
    labels: number[][];
    isCold: number[];
    expected: Record<string, { hits: number; recall: number; ndcg: number }>;
  }[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sklearn.json', import.meta.url), 'utf8')) as Fixture;

/** The integer-hash generators of make_sklearn_fixture.py, bit for bit. */
function generate(kind: 'ties' | 'continuous', n: number): { labels: Uint8Array; scores: Float64Array } {
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = Math.imul(i, 2654435761 | 0) >>> 0;
    const label = (h >>> 7) % 10 < 2 ? 1 : 0;
    labels[i] = label;
    if (kind === 'ties') {
      scores[i] = ((h % 1000) + 600 * label) / 2000;
    } else {
      const g = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
      scores[i] = (g + 1e9 * label) / 5294967296;
    }
  }
  return { labels, scores };
}

function data(entry: BinaryEntry): { labels: ArrayLike<number>; scores: ArrayLike<number> } {
  if (entry.generator) return generate(entry.generator.kind, entry.generator.n);
  return { labels: entry.labels as number[], scores: entry.scores as number[] };
}

const TOLERANCE = 1e-12;
let maxAbsDiff = 0;
const track = (actual: number, expected: number) => {
  maxAbsDiff = Math.max(maxAbsDiff, Math.abs(actual - expected));
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(TOLERANCE);
};

describe(`scikit-learn ${fixture.sklearn} fixtures`, () => {
  it('covers at least 10 sets including ties, all-equal scores, a single positive and a large n', () => {
    const names = fixture.binary.map((entry) => entry.name);
    expect(fixture.binary.filter((entry) => entry.prAuc !== null).length).toBeGreaterThanOrEqual(10);
    expect(names).toEqual(
      expect.arrayContaining(['heavy-ties-200', 'all-equal-50', 'single-positive-100', 'generated-ties-1000000']),
    );
  });

  for (const entry of fixture.binary) {
    it(`${entry.name}: prAuc, rocAuc, logLoss and ECE equal scikit-learn to 1e-12`, () => {
      const { labels, scores } = data(entry);
      expect(labels.length).toBe(entry.n);
      expect(Array.from(labels).reduce((a, b) => a + b, 0)).toBe(entry.positives);
      if (entry.prAuc === null || entry.rocAuc === null) {
        expect(prAucDetailed(labels, scores)).toMatchObject({ defined: false, reason: 'no-positives' });
        expect(rocAucDetailed(labels, scores)).toMatchObject({ defined: false, reason: 'no-positives' });
      } else {
        track(prAuc(labels, scores), entry.prAuc);
        track(rocAuc(labels, scores), entry.rocAuc);
      }
      track(logLoss(labels, scores), entry.logLoss);
      track(expectedCalibrationError(labels, scores, { bins: 10 }), entry.ece10);
      track(expectedCalibrationError(labels, scores, { bins: 15 }), entry.ece15);
    });
  }

  for (const entry of fixture.pca) {
    it(`${entry.name}: explained variance equals scikit-learn's PCA`, () => {
      const result = explainedVariance(entry.matrix);
      expect(result.ratio.length).toBe(entry.ratio.length);
      entry.ratio.forEach((ratio, i) => {
        track(result.ratio[i] as number, ratio);
        const variance = entry.variances[i] as number;
        expect(Math.abs((result.variances[i] as number) - variance)).toBeLessThan(1e-12 * Math.max(1, variance));
      });
      expect(Math.abs(result.effectiveRank - entry.effectiveRank)).toBeLessThan(1e-10);
    });
  }

  for (const entry of fixture.ndcg) {
    it(`${entry.name}: ndcgAtK equals scikit-learn's ndcg_score`, () => {
      const requests = entry.labels.map((labels, r) => ({ labels, scores: entry.scores[r] as number[] }));
      track(ndcgAtK(requests, entry.k), entry.ndcg);
    });
  }

  fixture.ranking.forEach((entry, index) => {
    it(`ranking set ${index}: Hits/Recall/NDCG@${entry.k} per slice and task equal the Python reference`, () => {
      const set = rankingSet({
        requestId: entry.requestId,
        // eq 12 by the model package's utilityScores, the one implementation every caller uses.
        scores: utilityScores(referenceOps, entry.utility, referenceOps.constant(entry.probs.flat(), [entry.probs.length, 2]))
          .data,
        labels: [entry.labels.map((row) => row[0] as number), entry.labels.map((row) => row[1] as number)],
        isCold: entry.isCold,
      });
      for (const [key, expected] of Object.entries(entry.expected)) {
        const [mode, task] = key.split('/') as [string, string];
        const options = {
          task: Number(task),
          slice: mode === 'all' ? ('all' as const) : ('fresh' as const),
          rankAmong: mode === 'fresh-rank-fresh' ? ('slice' as const) : ('all' as const),
        };
        track(hitsAtK(set, entry.k, options), expected.hits);
        track(recallAtK(set, entry.k, options), expected.recall);
        track(ndcgAtK(set, entry.k, options), expected.ndcg);
      }
    });
  });

  it('reports the largest difference seen', () => {
    // Printed for the record; every comparison above already asserted ≤ 1e-12.
    console.log(`max |thaw − scikit-learn| = ${maxAbsDiff.toExponential(2)}`);
    expect(maxAbsDiff).toBeLessThanOrEqual(TOLERANCE);
  });
});
