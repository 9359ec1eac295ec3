import { describe, expect, it } from 'vitest';
import { niceDomain, niceTicks, tickStep } from './ticks.js';

// Expected values are worked by hand from the 1-2-5 rule: raw = |max − min| / count, rounded down
// to 10ⁿ, then ×2 if raw/10ⁿ ≥ √2 (1.414), ×5 if ≥ √10 (3.162), ×10 if ≥ √50 (7.071).
describe('tickStep', () => {
  it('picks 1, 2 or 5 × 10ⁿ', () => {
    expect(tickStep(0, 1, 5)).toBe(0.2); // raw 0.2 → 0.1 · 2
    expect(tickStep(0, 100, 10)).toBe(10); // raw 10 → 10 · 1
    expect(tickStep(0, 7, 5)).toBe(1); // raw 1.4 < √2 → 1
    expect(tickStep(0, 7.1, 5)).toBe(2); // raw 1.42 ≥ √2 → 2
    expect(tickStep(0, 2000, 8)).toBe(200); // raw 250 → 100 · 2 (2.5 < √10)
    expect(tickStep(0, 17, 5)).toBe(5); // raw 3.4 ≥ √10 → 5
    expect(tickStep(-0.037, 0.012, 5)).toBe(0.01); // raw 0.0098 → 0.001 · 10 (9.8 ≥ √50)
  });

  it('names the bad argument', () => {
    expect(() => tickStep(Number.NaN, 1, 5)).toThrow(/min and max must be finite numbers \(got NaN, 1\)/);
    expect(() => tickStep(0, 1, 0)).toThrow(/count must be ≥ 1 \(got 0\)/);
  });
});

describe('niceTicks', () => {
  it('lists the multiples of the step inside the range, without float noise', () => {
    expect(niceTicks(-0.037, 0.012, 5)).toEqual([-0.03, -0.02, -0.01, 0, 0.01]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 2000, 8)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
    expect(niceTicks(1, 0, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 3, 5)).toEqual([3]);
  });
});

describe('niceDomain', () => {
  it('widens to whole ticks', () => {
    expect(niceDomain(0.13, 0.87, 5)).toEqual([0, 1]);
    expect(niceDomain(-0.0421, 0, 5)).toEqual([-0.05, 0]);
    expect(niceDomain(0, 13.65, 5)).toEqual([0, 14]);
    expect(niceDomain(1, 32, 6)).toEqual([0, 35]); // raw 5.17 → 5; then [0, 35] keeps step 5
  });

  it('opens a zero-width domain', () => {
    expect(niceDomain(0, 0, 5)).toEqual([-1, 1]);
    expect(niceDomain(3, 3, 5)).toEqual([2.7, 3.3]);
  });
});
