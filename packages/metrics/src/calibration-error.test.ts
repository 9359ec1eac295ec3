import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, expectedCalibrationErrorDetailed } from './calibration-error.js';

describe('expectedCalibrationError', () => {
  it('weights each bin’s |accuracy − confidence| by its share of samples (hand-computed)', () => {
    // Bin [0, 0.5]: labels 0,1 vs probs 0.2,0.3 → |1 − 0.5|; bin (0.5, 1]: 1,1 vs 0.9,0.7 → |2 − 1.6|.
    expect(expectedCalibrationError([0, 1, 1, 1], [0.2, 0.3, 0.9, 0.7], { bins: 2 })).toBeCloseTo(0.9 / 4, 15);
  });

  it('is 0 for calibrated bins and |mean label − mean prob| for one bin', () => {
    expect(
      expectedCalibrationError([1, 0, 0, 0, 1, 1, 1, 0], [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75], { bins: 2 }),
    ).toBe(0);
    expect(expectedCalibrationError([1, 1, 0], [0.1, 0.2, 0.9], { bins: 1 })).toBeCloseTo(Math.abs(2 / 3 - 0.4), 15);
  });

  it('puts a probability on an edge in the lower bin (right-closed bins, as scikit-learn)', () => {
    // With 2 bins, 0.5 joins the first bin: |1 − 0.5 − 0.1| + |0 − 0.9|, over 3.
    expect(expectedCalibrationError([1, 0, 0], [0.5, 0.1, 0.9], { bins: 2 })).toBeCloseTo((0.4 + 0.9) / 3, 15);
    expect(expectedCalibrationError([1, 0], [0, 1], { bins: 4 })).toBe(1);
  });

  it('uses 15 bins by default and is NaN for an empty input', () => {
    // 0.1 and 0.12 share bin (0.0667, 0.1333] with 15 bins.
    expect(expectedCalibrationError([1, 0], [0.1, 0.12])).toBeCloseTo(Math.abs(0.5 - 0.11), 15);
    expect(expectedCalibrationErrorDetailed([], [])).toMatchObject({ defined: false, reason: 'empty' });
    expect(() => expectedCalibrationError([1], [0.5], { bins: 0 })).toThrow('options.bins must be an integer ≥ 1 (got 0)');
    expect(() => expectedCalibrationError([1], [-0.1])).toThrow('probs[0] must be a probability in [0, 1] (got -0.1)');
  });
});
