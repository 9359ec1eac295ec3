import { referenceOps as r, ShapeError } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { meanSquaredError } from './mean-squared-error.js';

describe('meanSquaredError', () => {
  it('matches hand-computed values', () => {
    // ((0.5−1)² + (0.5−0)² + (3−1)² + (−1−1)²) / 4 = (0.25 + 0.25 + 4 + 4) / 4
    const loss = meanSquaredError(r, r.constant([1, 0, 1, 1], [2, 2]), r.constant([0.5, 0.5, 3, -1], [2, 2]));
    expect(loss.data[0]).toBeCloseTo(2.125, 15);
  });

  it('weights rows as mean(w ⊙ (p − y)²)', () => {
    const loss = meanSquaredError(r, r.constant([1, 0, 1, 1], [2, 2]), r.constant([0.5, 0.5, 3, -1], [2, 2]), {
      weights: r.constant([4, 0.5], [2, 1]),
    });
    expect(loss.data[0]).toBeCloseTo((4 * 0.5 + 0.5 * 8) / 4, 15);
  });

  it('rejects predictions of another shape', () => {
    expect(() => meanSquaredError(r, r.constant([1, 0], [2]), r.constant([1, 0], [2, 1]))).toThrow(ShapeError);
  });
});
