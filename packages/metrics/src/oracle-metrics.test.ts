import { utilityScores } from '@thaw/model';
import { createTensor, referenceOps } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { oracleFreshRecall, oracleFreshRecallPerRequest } from './oracle-fresh-recall.js';
import { oracleSet, withScores } from './oracle-set.js';
import { oracleUtilityRatio, oracleUtilityRatioPerRequest, randomUtilityRatioPerRequest } from './oracle-utility-ratio.js';
import { predictionBias, predictionBiasPerRequest } from './prediction-bias.js';
import { topKWeights } from './top-k-weights.js';

/** All permutations of [0, n). */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('topKWeights', () => {
  it('is 1 inside the top k, 0 outside, and splits ties at the boundary evenly', () => {
    expect(Array.from(topKWeights([0, 1, 2, 3], (r) => [5, 9, 5, 1][r] as number, 2))).toEqual([0.5, 1, 0.5, 0]);
    expect(Array.from(topKWeights([0, 1, 2, 3], (r) => [4, 3, 2, 1][r] as number, 2))).toEqual([1, 1, 0, 0]);
    expect(Array.from(topKWeights([0, 1, 2], () => 7, 2))).toEqual([2 / 3, 2 / 3, 2 / 3]);
    expect(Array.from(topKWeights([0, 1], (r) => r, 3))).toEqual([1, 1]);
    // Ties wholly inside the top k stay 1.
    expect(Array.from(topKWeights([0, 1, 2, 3], (r) => [9, 9, 5, 1][r] as number, 3))).toEqual([1, 1, 1, 0]);
  });

  it('equals the expectation over every random tie-break order, on many tied requests (small and larger than its scratch)', () => {
    // Brute force from the definition: average the top-k indicator over all orderings of the rows
    // sorted by value with ties in every possible order (n ≤ 6), or by the sort-and-group rule.
    const expected = (values: number[], k: number): number[] => {
      const n = values.length;
      const sum = new Array<number>(n).fill(0);
      const perms = permutations(n);
      let count = 0;
      for (const perm of perms) {
        // keep the orderings consistent with the values (higher first)
        if (perm.some((row, i) => i > 0 && (values[perm[i - 1] as number] as number) < (values[row] as number))) continue;
        count++;
        perm.slice(0, k).forEach((row) => {
          sum[row] = (sum[row] as number) + 1;
        });
      }
      return sum.map((s) => s / count);
    };
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(next() * 6);
      const k = 1 + Math.floor(next() * 4);
      const values = Array.from({ length: n }, () => Math.floor(next() * 3) - 1);
      const got = Array.from(
        topKWeights(
          Array.from({ length: n }, (_, j) => j),
          (r) => values[r] as number,
          k,
        ),
      );
      expected(values, k).forEach((w, j) => {
        expect(got[j]).toBeCloseTo(w, 12);
      });
    }
    // 200 rows, 3 values: the scratch grows; weights sum to k and follow the value order.
    const values = Array.from({ length: 200 }, (_, j) => (j * 7) % 3);
    const out = new Float64Array(205).fill(-1);
    const got = topKWeights(
      Array.from({ length: 200 }, (_, j) => j),
      (r) => values[r] as number,
      10,
      out,
    );
    expect(got).toBe(out);
    expect(got.subarray(0, 200).reduce((a, b) => a + b, 0)).toBeCloseTo(10, 12);
    expect(new Set(Array.from(got.subarray(0, 200), (w, j) => `${values[j]}:${w}`))).toEqual(
      new Set(['2:0.15151515151515152', '1:0', '0:0']),
    );
    expect(Array.from(got.subarray(200))).toEqual([-1, -1, -1, -1, -1]);
  });
});

describe('oracleUtilityRatio', () => {
  // Two tasks, u = (1, 2): U = p1 + 2·p2.
  const truth = [
    [0.1, 0.4, 0.2, 0.3, 0.05], // p*_1
    [0.05, 0.0, 0.2, 0.1, 0.3], // p*_2
  ];
  const U = [0.2, 0.4, 0.6, 0.5, 0.65];
  // eq 12 of the truth, by the one implementation (utilityScores of @thaw/model).
  const [p1, p2] = truth as [number[], number[]];
  const pStar = createTensor(
    'float64',
    p1.flatMap((p, i) => [p, p2[i] as number]),
    [5, 2],
  );
  const trueUtility = utilityScores(referenceOps, [1, 2], pStar).data;
  const base = { requestId: [7, 7, 7, 7, 7], trueUtility };

  it('matches the hand-computed eq 12 utility of the slates', () => {
    // Ranker's top 2: rows 1 (0.9) and 3 (0.8) → 0.4 + 0.5 = 0.9; best: rows 4 and 2 → 1.25.
    const scores = [0.1, 0.9, 0.2, 0.8, 0.3];
    const per = oracleUtilityRatioPerRequest({ ...base, scores }, 2);
    expect(per.numerator[0]).toBeCloseTo(0.9, 12);
    expect(per.denominator[0]).toBeCloseTo(1.25, 12);
    expect(oracleUtilityRatio({ ...base, scores }, 2)).toBeCloseTo(0.9 / 1.25, 12);
    const { utility } = oracleSet({ ...base, scores });
    U.forEach((u, i) => {
      expect(utility[i]).toBeCloseTo(u, 12);
    });
  });

  it('scores exactly 1.0 for the oracle ranking (ties in the truth included)', () => {
    const requestId = [1, 1, 1, 2, 2, 2, 2, 3];
    const p = [0.3, 0.3, 0.1, 0.2, 0.9, 0.2, 0.2, 0.5];
    const set = oracleSet({ requestId, trueUtility: p, scores: p });
    for (const k of [1, 2, 3, 5]) expect(oracleUtilityRatio(set, k)).toBe(1);
    // Any ordering of tied true values is as good.
    expect(oracleUtilityRatio(withScores(set, [2, 3, 1, 1, 9, 3, 2, 0]), 2)).toBe(1);
  });

  it('a uniformly random ranker: its exact expectation (all orderings) equals the closed form, as does a constant ranker', () => {
    const perms = permutations(5);
    expect(perms.length).toBe(120);
    for (const k of [1, 2, 3, 5]) {
      let sum = 0;
      for (const perm of perms) sum += oracleUtilityRatioPerRequest({ ...base, scores: perm }, k).numerator[0] as number;
      const random = randomUtilityRatioPerRequest({ ...base, scores: [0, 0, 0, 0, 0] }, k);
      const closed = (Math.min(k, 5) / 5) * U.reduce((s, v) => s + v, 0);
      expect(sum / perms.length).toBeCloseTo(closed, 12);
      expect(random.numerator[0]).toBeCloseTo(closed, 12);
      expect(oracleUtilityRatioPerRequest({ ...base, scores: [4, 4, 4, 4, 4] }, k).numerator[0]).toBeCloseTo(closed, 12);
    }
  });

  it('averages over requests by utility at stake (micro); requests worth nothing do not count', () => {
    const requestId = [1, 1, 2, 2, 3, 3];
    const trueUtility = [0.8, 0.2, 0.1, 0.05, 0, 0];
    const scores = [0, 1, 1, 0, 1, 0];
    const per = oracleUtilityRatioPerRequest({ requestId, trueUtility, scores }, 1);
    expect(Array.from(per.denominator)).toEqual([0.8, 0.1, 0]);
    expect(oracleUtilityRatio({ requestId, trueUtility, scores }, 1)).toBeCloseTo((0.2 + 0.1) / (0.8 + 0.1), 12);
  });

  it('rejects bad input naming the argument', () => {
    expect(() => oracleUtilityRatio({ ...base, scores: [0, 0, 0, 0, 0] }, 0)).toThrow(
      'oracleUtilityRatio: k must be an integer ≥ 1 (got 0)',
    );
    expect(() => oracleUtilityRatio({ ...base, scores: [0, Number.NaN, 0, 0, 0] }, 1)).toThrow(
      'oracleSet: the score of row 1 is NaN',
    );
    expect(() => oracleUtilityRatio({ requestId: [1], trueUtility: [Number.POSITIVE_INFINITY], scores: [0] }, 1)).toThrow(
      'oracleSet: trueUtility of row 0 must be finite (got Infinity)',
    );
    expect(() => oracleUtilityRatio({ requestId: [1, 1], trueUtility: [0.1, 0.2], scores: [0] }, 1)).toThrow(
      'oracleSet: scores has 1 rows but trueUtility has 2',
    );
  });

  it('computes no eq 12 itself: truth and utility weights are refused with the call that does', () => {
    const legacy = { requestId: [7, 7, 7, 7, 7], truth, utility: [1, 2], scores: [0, 0, 0, 0, 0] };
    expect(() => oracleSet(legacy as never)).toThrow(
      'oracleSet: pass trueUtility (eq 12 of the truth, U = Σ_t u_t p*_t: utilityScores(referenceOps, spec, truth) of @thaw/model), not truth and utility',
    );
  });
});

describe('oracleFreshRecall', () => {
  it('counts the fresh items of the oracle top k that the ranker also puts there (hand-computed)', () => {
    // Truth order: 3 (0.9, fresh), 0 (0.7), 4 (0.6, fresh), 1 (0.3, fresh), 2 (0.1).
    const input = {
      requestId: [1, 1, 1, 1, 1],
      trueUtility: [0.7, 0.3, 0.1, 0.9, 0.6],
      isCold: [0, 1, 0, 1, 1],
      scores: [0.9, 0.8, 0.1, 0.7, 0.2],
    };
    // k = 3: F = {3, 4}; ranker's top 3 = {0, 1, 3} → 1 of 2.
    const per = oracleFreshRecallPerRequest(input, 3);
    expect([per.numerator[0], per.denominator[0]]).toEqual([1, 2]);
    // k = 1: F = {3}; ranker's top 1 = {0} → 0 of 1.
    expect(oracleFreshRecall(input, 1)).toBe(0);
    // k = 5: everything is in both top 5s.
    expect(oracleFreshRecall(input, 5)).toBe(1);
  });

  it('requests without fresh candidates, or whose fresh items deserve no top-k slot, do not count', () => {
    const input = {
      requestId: [1, 1, 1, 2, 2, 2],
      trueUtility: [0.5, 0.4, 0.3, 0.9, 0.8, 0.1],
      isCold: [0, 0, 0, 0, 0, 1],
      scores: [1, 2, 3, 1, 2, 3],
    };
    const per = oracleFreshRecallPerRequest(input, 2);
    expect(Array.from(per.denominator)).toEqual([0, 0]);
    expect(Array.from(per.numerator)).toEqual([0, 0]);
    expect(oracleFreshRecall(input, 2)).toBeNaN();
  });

  it('all fresh: the overlap of the two top-k sets over k', () => {
    const input = {
      requestId: [1, 1, 1, 1],
      trueUtility: [0.4, 0.3, 0.2, 0.1],
      isCold: [1, 1, 1, 1],
      scores: [0.1, 0.9, 0.8, 0.7],
    };
    // Oracle top 2 = {0, 1}; ranker top 2 = {1, 2} → 1 / 2.
    expect(oracleFreshRecall(input, 2)).toBe(0.5);
  });

  it('ties: split evenly at the boundary, in the ranker and in the truth', () => {
    // Ranker ties rows 1 and 2 for its second slot; the truth puts fresh row 1 second.
    const rankerTie = { requestId: [1, 1, 1], trueUtility: [0.5, 0.4, 0.1], isCold: [0, 1, 1], scores: [2, 1, 1] };
    expect(oracleFreshRecall(rankerTie, 2)).toBe(0.5);
    // The truth ties fresh row 1 with warm row 2 for its second slot; the ranker takes row 1.
    const truthTie = { requestId: [1, 1, 1], trueUtility: [0.5, 0.4, 0.4], isCold: [0, 1, 0], scores: [3, 2, 1] };
    const per = oracleFreshRecallPerRequest(truthTie, 2);
    expect([per.numerator[0], per.denominator[0]]).toEqual([0.5, 0.5]);
    // A constant ranker: each candidate has weight k/n.
    const constant = { requestId: [1, 1, 1, 1], trueUtility: [0.4, 0.3, 0.2, 0.1], isCold: [1, 0, 1, 0], scores: [0, 0, 0, 0] };
    expect(oracleFreshRecall(constant, 2)).toBe(0.5);
  });

  it('micro-averages: each deserving fresh item counts once across requests', () => {
    const input = {
      requestId: [1, 1, 1, 2, 2],
      trueUtility: [0.9, 0.8, 0.1, 0.9, 0.2],
      isCold: [1, 1, 0, 1, 0],
      scores: [1, 0, 2, 2, 1],
    };
    // Request 1: F = {0, 1}, ranker top 2 = {2, 0} → 1 of 2; request 2: F = {3}, ranker has it → 1 of 1.
    expect(oracleFreshRecall(input, 2)).toBeCloseTo(2 / 3, 12);
  });

  it('needs isCold', () => {
    expect(() => oracleFreshRecall({ requestId: [1], trueUtility: [0.1], scores: [0] }, 1)).toThrow(
      'oracleFreshRecall: needs isCold',
    );
  });
});

describe('predictionBias', () => {
  it('is the mean signed error on fresh and on warm candidates, per task, and their gap', () => {
    const input = {
      requestId: [1, 1, 2, 2, 2],
      predictions: [
        [0.1, 0.5, 0.2, 0.3, 0.6],
        [0.05, 0.1, 0.1, 0.0, 0.2],
      ],
      truth: [
        [0.3, 0.4, 0.2, 0.5, 0.5],
        [0.05, 0.1, 0.0, 0.1, 0.1],
      ],
      isCold: [1, 0, 0, 1, 0],
      tasks: ['g', 's'],
    };
    const [g, s] = predictionBias(input);
    expect(g?.task).toBe('g');
    expect(g?.fresh).toBeCloseTo((-0.2 + -0.2) / 2, 12);
    expect(g?.warm).toBeCloseTo((0.1 + 0 + 0.1) / 3, 12);
    expect(g?.gap).toBeCloseTo(-0.2 - 0.2 / 3, 12);
    expect(s?.fresh).toBeCloseTo((0 - 0.1) / 2, 12);
    const per = predictionBiasPerRequest(input)[0];
    expect(Array.from(per?.fresh.denominator ?? [])).toEqual([1, 1]);
    expect(Array.from(per?.warm.denominator ?? [])).toEqual([1, 2]);
  });
});
