import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { rocAuc, rocAucDetailed } from './roc-auc.js';

/** Mann–Whitney from its definition, O(n²). */
function bruteForceAuc(labels: number[], scores: number[]): number {
  let sum = 0;
  let pairs = 0;
  labels.forEach((yi, i) => {
    labels.forEach((yj, j) => {
      if (yi !== 1 || yj !== 0) return;
      pairs++;
      const [p, n] = [scores[i] as number, scores[j] as number];
      sum += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return sum / pairs;
}

describe('rocAuc', () => {
  it('counts tied pairs as ½ (hand-computed)', () => {
    // Pairs (pos, neg): (0.9,0.9)=½ (0.9,0.2)=1 (0.2,0.9)=0 (0.2,0.2)=½ → 2/4.
    expect(rocAuc([1, 0, 1, 0], [0.9, 0.9, 0.2, 0.2])).toBe(0.5);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc([0, 1], [1, 0])).toBe(0);
    expect(rocAuc([1, 1, 0], [4, 4, 4])).toBe(0.5);
  });

  it('matches the O(n²) definition on random tied scores', () => {
    const rng = createRng(8);
    const labels = Array.from({ length: 500 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const scores = labels.map((y) => Math.round(rng.normal() * 3 + y * 2) / 3);
    expect(rocAuc(labels, scores)).toBeCloseTo(bruteForceAuc(labels, scores), 14);
  });

  it('is NaN with a reason for a single class', () => {
    expect(rocAucDetailed([1, 1, 1], [0.2, 0.3, 0.4])).toMatchObject({ defined: false, reason: 'no-negatives' });
    expect(rocAucDetailed([0], [0.2])).toMatchObject({ defined: false, reason: 'no-positives' });
    expect(rocAuc([], [])).toBeNaN();
  });
});
