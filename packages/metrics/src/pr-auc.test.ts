import { createRng, createTensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { prAuc, prAucDetailed } from './pr-auc.js';

/** AP from its definition, O(n²): each positive contributes the precision at its own score threshold. */
function bruteForceAp(labels: number[], scores: number[]): number {
  const positives = labels.filter((y) => y === 1).length;
  let sum = 0;
  scores.forEach((threshold, i) => {
    if (labels[i] !== 1) return;
    let above = 0;
    let positivesAbove = 0;
    scores.forEach((s, j) => {
      if (s >= threshold) {
        above++;
        positivesAbove += labels[j] as number;
      }
    });
    sum += positivesAbove / above;
  });
  return sum / positives;
}

describe('prAuc', () => {
  it('steps over tie groups without interpolation (hand-computed)', () => {
    // Thresholds 0.9: P = 1/2; 0.5: P = 2/4; 0.1: P = 3/5; each adds recall 1/3.
    expect(prAuc([1, 0, 1, 0, 1], [0.9, 0.9, 0.5, 0.5, 0.1])).toBeCloseTo((0.5 + 0.5 + 0.6) / 3, 15);
    expect(prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo((1 + 2 / 3) / 2, 15);
  });

  it('equals the prevalence when all scores tie, and 1 for a perfect ranking', () => {
    expect(prAuc([1, 0, 0, 1, 0], [3, 3, 3, 3, 3])).toBeCloseTo(0.4, 15);
    expect(prAuc([0, 0, 1, 1], [-5, -1, 2, 7])).toBe(1);
  });

  it('matches the O(n²) definition on random scores with ties, and ignores monotone transforms', () => {
    const rng = createRng(5);
    const labels = Array.from({ length: 400 }, () => (rng.uniform() < 0.3 ? 1 : 0));
    const scores = labels.map((y) => Math.round((rng.normal() + y) * 4) / 4);
    expect(prAuc(labels, scores)).toBeCloseTo(bruteForceAp(labels, scores), 13);
    expect(
      prAuc(
        labels,
        scores.map((s) => Math.exp(2 * s) - 7),
      ),
    ).toBe(prAuc(labels, scores));
  });

  it('reads tensors, typed arrays and [N, 1] tensors alike; ±Infinity and -0 are valid scores', () => {
    const labels = [1, 0, 1, 0];
    const scores = [0.5, -0, 0, Number.NEGATIVE_INFINITY];
    const expected = bruteForceAp(labels, scores);
    expect(prAuc(labels, scores)).toBeCloseTo(expected, 15);
    expect(prAuc(createTensor('int32', labels, [4]), createTensor('float64', scores, [4, 1]))).toBeCloseTo(expected, 15);
    expect(prAuc(Uint8Array.from(labels), Float64Array.from(scores))).toBeCloseTo(expected, 15);
  });

  it('is NaN with a reason for empty and single-class inputs', () => {
    expect(prAucDetailed([], [])).toMatchObject({ defined: false, reason: 'empty' });
    const none = prAucDetailed([0, 0], [0.2, 0.3]);
    expect(none).toMatchObject({ defined: false, reason: 'no-positives' });
    expect(none.value).toBeNaN();
    expect(prAucDetailed([1, 1], [0.2, 0.3])).toMatchObject({ defined: false, reason: 'no-negatives' });
    expect(prAuc([1, 1], [0.2, 0.3])).toBeNaN();
    if (!none.defined) expect(none.message).toMatch(/all 2 labels are 0/);
  });

  it('names the argument and the value on misuse', () => {
    expect(() => prAuc([1, 0.5], [0.1, 0.2])).toThrow('prAuc: labels[1] must be 0 or 1 (got 0.5)');
    expect(() => prAuc([1, 0], [0.1, Number.NaN])).toThrow('prAuc: scores[1] is NaN');
    expect(() => prAuc([1, 0], [0.1])).toThrow('prAuc: labels has 2 values but scores has 1');
    expect(() => prAuc([1, 0], createTensor('float32', [1, 2, 3, 4], [2, 2]))).toThrow(
      /rank-1 tensor or \[N, 1\] \(got shape \[2, 2\]\)/,
    );
    expect(() => prAuc([1, 0], createTensor('int64', [1, 2], [2]))).toThrow(/int64 tensor/);
  });
});
