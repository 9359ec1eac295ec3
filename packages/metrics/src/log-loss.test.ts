import { createTensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { logLoss, logLossDetailed } from './log-loss.js';

describe('logLoss', () => {
  it('is the mean negative log-likelihood (closed form)', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 15);
    expect(logLoss(createTensor('float32', [1], [1]), createTensor('float64', [0.5], [1]))).toBeCloseTo(Math.LN2, 15);
  });

  it('clips probabilities to [eps, 1 − eps]', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 12);
    expect(logLoss([0], [1], { eps: 1e-7 })).toBeCloseTo(-Math.log(1 - (1 - 1e-7)), 6);
    expect(logLoss([1], [0], { eps: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('accepts soft labels and a single class', () => {
    expect(logLoss([0.25], [0.5])).toBeCloseTo(Math.LN2, 15);
    expect(logLoss([0.3], [0.3])).toBeCloseTo(-(0.3 * Math.log(0.3) + 0.7 * Math.log(0.7)), 15);
    expect(logLossDetailed([0, 0], [0.1, 0.2])).toMatchObject({ defined: true });
  });

  it('is NaN with a reason for an empty input, and names bad values', () => {
    expect(logLossDetailed([], [])).toMatchObject({ defined: false, reason: 'empty' });
    expect(() => logLoss([1], [1.2])).toThrow('logLoss: probs[0] must be a probability in [0, 1] (got 1.2)');
    expect(() => logLoss([2], [0.2])).toThrow('logLoss: labels[0] must be in [0, 1] (got 2)');
    expect(() => logLoss([1], [0.2], { eps: 0.6 })).toThrow('logLoss: options.eps must be in [0, 0.5) (got 0.6)');
  });
});
