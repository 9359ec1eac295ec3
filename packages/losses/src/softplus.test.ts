import { referenceOps as r } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { softplus } from './softplus.js';

describe('softplus', () => {
  it('equals log1p(exp(x)) on moderate inputs', () => {
    const xs = [-30, -5, -1, -0.25, 0, 0.25, 1, 5, 30];
    const out = softplus(r, r.constant(xs, [xs.length])).data;
    xs.forEach((x, i) => {
      const expected = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      expect(out[i]).toBeCloseTo(expected, 14);
    });
    expect(out[4]).toBeCloseTo(Math.LN2, 15);
  });

  it('is finite at |x| = 100 and 1000, with the right asymptotes', () => {
    const out = softplus(r, r.constant([100, -100, 1000, -1000], [4])).data;
    expect(out[0]).toBe(100);
    expect(out[1]).toBeGreaterThanOrEqual(0);
    expect(out[1]).toBeLessThan(1e-40);
    expect(out[2]).toBe(1000);
    expect(out[3]).toBe(0);
  });

  it('satisfies softplus(x) − softplus(−x) = x', () => {
    const xs = [-7, -2, 0.5, 3, 12];
    const pos = softplus(r, r.constant(xs, [5])).data;
    const neg = softplus(
      r,
      r.constant(
        xs.map((x) => -x),
        [5],
      ),
    ).data;
    xs.forEach((x, i) => {
      expect((pos[i] as number) - (neg[i] as number)).toBeCloseTo(x, 13);
    });
  });

  it('has slope σ(x) (central differences on the float64 reference)', () => {
    for (const x of [-4, -0.5, 0, 0.5, 4]) {
      const h = 1e-5;
      const f = (v: number) => softplus(r, r.constant([v], [1])).data[0] as number;
      expect((f(x + h) - f(x - h)) / (2 * h)).toBeCloseTo(1 / (1 + Math.exp(-x)), 9);
    }
  });
});
