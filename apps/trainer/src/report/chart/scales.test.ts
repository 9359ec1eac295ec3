import { describe, expect, it } from 'vitest';
import { bandScale } from './band-scale.js';
import { linearScale } from './linear-scale.js';

describe('linearScale', () => {
  it('maps the domain onto the range, reversed for y', () => {
    const y = linearScale([0, 10], [100, 0]);
    expect(y(0)).toBe(100);
    expect(y(2.5)).toBe(75);
    expect(y(10)).toBe(0);
    const x = linearScale([-0.04, 0], [56, 700]);
    expect(x(-0.02)).toBeCloseTo(378, 10); // 56 + 0.02 · 644 / 0.04
    expect(x.ticks(4)).toEqual([-0.04, -0.03, -0.02, -0.01, 0]);
  });

  it('rejects an empty or non-finite domain', () => {
    expect(() => linearScale([1, 1], [0, 10])).toThrow(/domain must not be empty \(got \[1, 1\]\)/);
    expect(() => linearScale([0, Number.POSITIVE_INFINITY], [0, 10])).toThrow(/must be finite/);
  });
});

describe('bandScale', () => {
  it('follows step = range / (n − inner + 2·outer)', () => {
    // step = 100 / (4 − 0.2 + 0.2) = 25, bandwidth = 25 · 0.8 = 20, first start = 25 · 0.1 = 2.5
    const band = bandScale(['a', 'b', 'c', 'd'], [0, 100], { paddingInner: 0.2, paddingOuter: 0.1 });
    expect(band.step).toBe(25);
    expect(band.bandwidth).toBe(20);
    for (const [c, start] of [
      ['a', 2.5],
      ['b', 27.5],
      ['c', 52.5],
      ['d', 77.5],
    ] as const)
      expect(band(c)).toBeCloseTo(start, 12);
  });

  it('fills the range with no padding', () => {
    const band = bandScale(['x', 'y'], [10, 30], { paddingInner: 0, paddingOuter: 0 });
    expect([band('x'), band('y'), band.bandwidth]).toEqual([10, 20, 10]);
  });

  it('names unknown categories and bad padding', () => {
    const band = bandScale(['a'], [0, 1]);
    expect(() => band('b')).toThrow(/unknown category "b"; known: a/);
    expect(() => bandScale([], [0, 1])).toThrow(/categories must not be empty/);
    expect(() => bandScale(['a', 'a'], [0, 1])).toThrow(/must be distinct/);
    expect(() => bandScale(['a'], [0, 1], { paddingInner: 1 })).toThrow(/paddingInner must be in \[0, 1\) \(got 1\)/);
  });
});
