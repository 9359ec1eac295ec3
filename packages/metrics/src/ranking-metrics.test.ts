import { utilityScores } from '@thaw/model';
import { createTensor, referenceOps } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { hitsAtK, hitsAtKPerRequest } from './hits-at-k.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { rankingSet } from './ranking-input.js';
import { type RankingColumns, selectRequests } from './ranking-set.js';
import { recallAtK } from './recall-at-k.js';

// Three requests, rows interleaved (rows of a request are not adjacent):
//   request 7: 0.9 (−, warm) 0.8 (+, warm) 0.3 (+, cold) 0.1 (−, cold)
//   request 9: 0.5 (−, cold) 0.7 (−, warm) 0.6 (+, cold)
//   request 4: 0.2 (−, warm) 0.4 (−, cold) — no positive: never counted
const columns = {
  requestId: [7, 9, 7, 4, 9, 7, 4, 9, 7],
  scores: [0.9, 0.5, 0.8, 0.2, 0.7, 0.3, 0.4, 0.6, 0.1],
  labels: [0, 0, 1, 0, 0, 1, 0, 1, 0],
  isCold: [0, 1, 0, 0, 0, 1, 1, 1, 1],
};
const log2 = Math.log2;

describe('hitsAtK, recallAtK, ndcgAtK (hand-computed)', () => {
  it('ranks all candidates by score and averages over requests with a positive', () => {
    expect(hitsAtK(columns, 1)).toBe(0); // tops: 0.9 (−) and 0.7 (−)
    expect(hitsAtK(columns, 2)).toBe(1);
    expect(recallAtK(columns, 2)).toBe((1 / 2 + 1) / 2);
    expect(ndcgAtK(columns, 2)).toBeCloseTo((1 / log2(3) / (1 + 1 / log2(3)) + 1 / log2(3)) / 2, 15);
  });

  it("fresh slice: ranks every candidate but counts only fresh positives (the paper's protocol)", () => {
    // Request 7: top 2 are warm → miss; request 9: top 2 = 0.7 (warm), 0.6 (+, fresh) → hit.
    expect(hitsAtK(columns, 2, { slice: 'fresh' })).toBe(0.5);
    expect(recallAtK(columns, 2, { slice: 'fresh' })).toBe(0.5);
    expect(ndcgAtK(columns, 3, { slice: 'fresh' })).toBeCloseTo((1 / log2(4) + 1 / log2(3)) / 2, 15);
  });

  it("fresh slice with rankAmong 'slice': ranks the fresh candidates among themselves", () => {
    expect(hitsAtK(columns, 1, { slice: 'fresh', rankAmong: 'slice' })).toBe(1); // 0.3 (+) and 0.6 (+) lead
    expect(hitsAtK(columns, 1, { rankAmong: 'slice' })).toBe(0); // the 'all' slice ranks everything anyway
  });

  it('breaks score ties by row order', () => {
    expect(hitsAtK([{ scores: [0.5, 0.5, 0.5], labels: [0, 0, 1] }], 2)).toBe(0);
    expect(hitsAtK([{ scores: [0.5, 0.5, 0.5], labels: [0, 1, 0] }], 2)).toBe(1);
    expect(hitsAtK([{ scores: [0.5, 0.5, 0.5], labels: [1, 0, 0] }], 1)).toBe(1);
  });

  it('returns per-request numerators and denominators in first-appearance order of request ids', () => {
    const values = hitsAtKPerRequest(columns, 2, { slice: 'fresh' });
    expect(Array.from(values.numerator)).toEqual([0, 1, 0]);
    expect(Array.from(values.denominator)).toEqual([1, 1, 0]);
    expect(rankingSet(columns).requestIds).toEqual([7, 9, 4]);
  });

  it('is NaN when no request has a positive in the slice; k beyond the request size ranks all', () => {
    expect(hitsAtK({ requestId: [1, 1], scores: [0.1, 0.2], labels: [0, 0] }, 3)).toBeNaN();
    expect(hitsAtK({ requestId: [1, 1], scores: [0.1, 0.2], labels: [1, 0], isCold: [0, 0] }, 3, { slice: 'fresh' })).toBeNaN();
    expect(recallAtK([{ scores: [0.3, 0.2], labels: [1, 1] }], 10)).toBe(1);
  });
});

describe('rankingSet input forms', () => {
  // Two tasks, s = 1·ŷ_click + 2·ŷ_save (eq 12).
  const click = [0.2, 0.9, 0.1, 0.5];
  const save = [0.4, 0.0, 0.3, 0.1];
  const labelsClick = [0, 1, 1, 0];
  const labelsSave = [1, 0, 0, 1];
  const requestId = [1, 1, 2, 2];
  const expectedScores = click.map((c, i) => c + 2 * (save[i] as number)); // 1.0, 0.9 | 0.7, 0.7

  it('ranks by the eq 12 score of utilityScores (@thaw/model), addressing tasks by name', () => {
    const probs = referenceOps.constant(
      click.flatMap((c, i) => [c, save[i] as number]),
      [4, 2],
    );
    const set = rankingSet({
      requestId,
      scores: utilityScores(referenceOps, [1, 2], probs).data,
      tasks: ['click', 'save'],
      labels: [labelsClick, labelsSave],
    });
    expectedScores.forEach((s, i) => {
      expect(set.scores.data[i]).toBeCloseTo(s, 15);
    });
    // Top 1: request 1 → row 0 (save +, click −); request 2 → tie 0.7/0.7, row 2 first (click +).
    expect(hitsAtK(set, 1, { task: 'click' })).toBe(0.5);
    expect(hitsAtK(set, 1, { task: 'save' })).toBe(0.5);
    expect(hitsAtK(set, 1, { task: 1 })).toBe(0.5);
  });

  it('reads [N, T] tensors, columns and a request list identically', () => {
    const labels = createTensor(
      'float32',
      labelsClick.flatMap((y, i) => [y, labelsSave[i] as number]),
      [4, 2],
    );
    const fromTensor = rankingSet({
      requestId: createTensor('int32', requestId, [4]),
      scores: createTensor('float64', expectedScores, [4]),
      labels,
    });
    const fromRequests = rankingSet([
      { scores: expectedScores.slice(0, 2), labels: [labelsClick.slice(0, 2), labelsSave.slice(0, 2)] },
      { scores: expectedScores.slice(2), labels: [labelsClick.slice(2), labelsSave.slice(2)] },
    ]);
    for (const set of [fromTensor, fromRequests]) {
      for (const task of [0, 1]) {
        expect(hitsAtK(set, 1, { task })).toBe(0.5);
        expect(ndcgAtK(set, 2, { task })).toBeCloseTo(task === 0 ? (1 / log2(3) + 1) / 2 : (1 + 1 / log2(3)) / 2, 6);
      }
    }
  });

  it('selectRequests resamples requests without copying columns', () => {
    const set = rankingSet(columns);
    const twice = selectRequests(set, [1, 1, 2]);
    expect(twice.requestIds).toEqual([9, 9, 4]);
    expect(twice.scores).toBe(set.scores);
    expect(hitsAtK(twice, 2, { slice: 'fresh' })).toBe(1);
    expect(() => selectRequests(set, [3])).toThrow('selectRequests: indices[0] must be a request index in [0, 3) (got 3)');
  });

  it('names the argument and the fix on misuse', () => {
    expect(() => hitsAtK({ requestId: [1], scores: [1], labels: [1] }, 3, { slice: 'fresh' })).toThrow(
      /slice 'fresh' needs isCold/,
    );
    expect(() => hitsAtK(columns, 0)).toThrow('hitsAtK: k must be an integer ≥ 1 (got 0)');
    expect(() => hitsAtK(columns, 1, { task: 'save' })).toThrow(/options.task 'save' is not a task/);
    const withProbs = { requestId, probs: [click, save], labels: [labelsClick, labelsSave] } as unknown as RankingColumns;
    expect(() => rankingSet(withProbs)).toThrow(
      /scores is required; combine the task probabilities .*utilityScores of @thaw\/model/,
    );
    expect(() => rankingSet({ requestId, scores: click, labels: [0, 1, 2, 0] })).toThrow(/must be 0 or 1 \(got 2\)/);
    expect(() => rankingSet({ requestId: [1, 1], scores: click, labels: labelsClick })).toThrow(
      /requestId has 2 rows but labels has 4/,
    );
    expect(() => rankingSet({ requestId, scores: [0, Number.NaN, 0, 0], labels: labelsClick })).toThrow(/score of row 1 is NaN/);
    expect(() =>
      rankingSet([
        { scores: [1], labels: [[1], [0]] },
        { scores: [1], labels: [1] },
      ]),
    ).toThrow('rankingSet: requests[1].labels has 1 tasks but requests[0].labels has 2');
  });
});
