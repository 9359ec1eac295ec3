import { referenceOps as r, ShapeError } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { mixRows } from './mix-rows.js';

const partner = Int32Array.from([1, 2, 0]);

describe('mixRows', () => {
  it('mixes with one λ: λ·x_i + (1 − λ)·x_partner[i] (hand-computed)', () => {
    const x = r.constant([1, 0, 0, 1, 2, 2], [3, 2]);
    // rows: (1,0) (0,1) (2,2); partners: 1, 2, 0; λ = 0.75
    const out = mixRows(r, x, { partner, lambda: 0.75 });
    expect(out.shape).toEqual([3, 2]);
    const expected = [0.75, 0.25, 0.5, 1.25, 1.75, 1.5];
    Array.from(out.data).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 15);
    });
  });

  it('mixes with one λ per sample, for rank 1, 2 and 3', () => {
    const lambda = Float32Array.from([0.25, 1, 0.5]);
    const rank1 = mixRows(r, r.constant([4, 8, 0], [3]), { partner, lambda });
    expect(Array.from(rank1.data)).toEqual([0.25 * 4 + 0.75 * 8, 8, 0.5 * 0 + 0.5 * 4]);
    const rank2 = mixRows(r, r.constant([1, 0, 0, 1, 2, 2], [3, 2]), { partner, lambda });
    expect(Array.from(rank2.data)).toEqual([0.25, 0.75, 0, 1, 1.5, 1]);
    const rank3 = mixRows(r, r.constant([1, 2, 3, 4, 5, 6], [3, 2, 1]), { partner, lambda });
    expect(rank3.shape).toEqual([3, 2, 1]);
    expect(Array.from(rank3.data)).toEqual([0.25 + 0.75 * 3, 0.5 + 0.75 * 4, 3, 4, 0.5 * 5 + 0.5 * 1, 0.5 * 6 + 0.5 * 2]);
  });

  it('refuses a tensor whose batch differs from the plan, or a λ list of the wrong length', () => {
    expect(() => mixRows(r, r.constant([1, 2, 3, 4], [2, 2]), { partner, lambda: 0.5 })).toThrow(ShapeError);
    expect(() => mixRows(r, r.constant([1, 2, 3], [3]), { partner, lambda: Float32Array.from([0.5]) })).toThrow(
      'mixRows: plan.lambda has 1 values but plan.partner has 3; give one λ per sample',
    );
  });
});
