import { createRng, createTensor } from '@thaw/tensor';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { explainedVariance } from './explained-variance.js';

describe('explainedVariance', () => {
  it('gives the variance along each axis for axis-aligned data (closed form)', () => {
    const rows = [
      [1, 0],
      [-1, 0],
      [0, 0.5],
      [0, -0.5],
    ];
    const result = explainedVariance(rows);
    expect(result.variances[0]).toBeCloseTo(2 / 3, 14);
    expect(result.variances[1]).toBeCloseTo(0.5 / 3, 14);
    expect(Array.from(result.ratio).map((r) => Number(r.toFixed(12)))).toEqual([0.8, 0.2]);
    expect(result.cumulative[1]).toBeCloseTo(1, 14);
    expect(result.effectiveRank).toBeCloseTo(Math.exp(-(0.8 * Math.log(0.8) + 0.2 * Math.log(0.2))), 12);
  });

  it('has effective rank 1 for rank-1 data and d for isotropic data', () => {
    const rng = createRng(3);
    const line = Array.from({ length: 50 }, () => {
      const t = rng.normal();
      return [t, 2 * t, -t];
    });
    expect(explainedVariance(line).effectiveRank).toBeCloseTo(1, 10);
    // ±e_i for i = 1..4: equal variance in every direction.
    const cross = [0, 1, 2, 3].flatMap((i) => [1, -1].map((sign) => [0, 1, 2, 3].map((j) => (j === i ? sign : 0))));
    const isotropic = explainedVariance(cross);
    expect(isotropic.effectiveRank).toBeCloseTo(4, 12);
    isotropic.ratio.forEach((r) => {
      expect(r).toBeCloseTo(0.25, 12);
    });
  });

  it('reads tensors, row arrays and ml-matrix matrices alike', () => {
    const rows = [
      [1, 2, 0.5],
      [3, 1, 0.1],
      [0, 4, 0.7],
      [2, 2, 0.2],
    ];
    const expected = explainedVariance(rows).ratio;
    expect(explainedVariance(createTensor('float32', rows.flat(), [4, 3])).ratio[0]).toBeCloseTo(expected[0] as number, 6);
    expect(explainedVariance(new Matrix(rows)).ratio).toEqual(expected);
    expect(explainedVariance(rows).ratio.length).toBe(3);
    expect(explainedVariance(rows.slice(0, 2)).ratio.length).toBe(2); // min(samples, dims) components
  });

  it('rejects too few samples, ragged rows and non-finite values', () => {
    expect(() => explainedVariance([[1, 2]])).toThrow('needs ≥ 2 samples and ≥ 1 dimension (got 1 × 2)');
    expect(() => explainedVariance([[1, 2], [3]])).toThrow('row 1 has 1 values but row 0 has 2');
    expect(() => explainedVariance([[1], [Number.NaN]])).toThrow('value at row 1, column 0 is NaN');
  });
});
