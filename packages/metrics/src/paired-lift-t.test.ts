import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { pairedLiftT } from './paired-lift-t.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

const fixture = JSON.parse(
  readFileSync(join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'fixtures/student-t.json'), 'utf8'),
) as {
  quantiles: { p: number; df: number; t: number }[];
  cdf: { t: number; df: number; p: number }[];
  pairedLift: {
    a: number[];
    b: number[];
    lift: number;
    ci: [number, number];
    difference: number;
    differenceCi: [number, number];
    pValue: number;
  }[];
};

describe('Student t (against scipy.stats.t, fixtures/make_student_t_fixture.py)', () => {
  it('quantiles match t.ppf', () => {
    for (const { p, df, t } of fixture.quantiles) {
      expect(Math.abs(studentTQuantile(p, df) - t)).toBeLessThan(1e-8 * Math.max(1, Math.abs(t)));
    }
  });
  it('the CDF matches t.cdf', () => {
    for (const { t, df, p } of fixture.cdf) expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-12);
  });
  it('refuses bad arguments', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/p must be in \(0, 1\) \(got 1\)/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/df must be a number > 0/);
    expect(() => studentTCdf(1, -1)).toThrow(/df must be a number > 0/);
  });
});

describe('pairedLiftT', () => {
  it('matches the formulas computed with numpy/scipy', () => {
    for (const c of fixture.pairedLift) {
      const r = pairedLiftT(c.a, c.b);
      expect(r.lift).toBeCloseTo(c.lift, 9);
      expect(r.ci[0]).toBeCloseTo(c.ci[0], 9);
      expect(r.ci[1]).toBeCloseTo(c.ci[1], 9);
      expect(r.difference).toBeCloseTo(c.difference, 9);
      expect(r.differenceCi[0]).toBeCloseTo(c.differenceCi[0], 9);
      expect(r.differenceCi[1]).toBeCloseTo(c.differenceCi[1], 9);
      expect(r.pValue).toBeCloseTo(c.pValue, 9);
      expect(r.df).toBe(c.a.length - 1);
    }
  });

  it('covers the true lift ~95% of the time with few units of similar size (simulated paired worlds)', () => {
    // Worlds differ in level (lognormal, sd 0.1 — replicated worlds of one preset), the arms by a
    // true 5% plus 3% per-world noise. (With levels spread by sd 0.5 coverage falls to ~93%, by 1 to ~86%.)
    const rng = createRng(31);
    const trials = 4000;
    for (const units of [4, 8]) {
      let covered = 0;
      for (let trial = 0; trial < trials; trial++) {
        const a: number[] = [];
        const b: number[] = [];
        for (let u = 0; u < units; u++) {
          const level = 100 * Math.exp(0.1 * rng.normal());
          a.push(level * (1 + 0.03 * rng.normal()));
          b.push(level * 1.05 * (1 + 0.03 * rng.normal()));
        }
        const { ci } = pairedLiftT(a, b);
        // The estimand mean(b)/mean(a) − 1 has expectation ≈ 5% (the same factor in every world).
        if (ci[0] <= 5 && 5 <= ci[1]) covered++;
      }
      // Binomial sd at 4000 trials ≈ 0.0034: 0.935–0.965 is ±4.4 sd around 0.95.
      expect(covered / trials).toBeGreaterThan(0.935);
      expect(covered / trials).toBeLessThan(0.965);
    }
  });

  it('hand-computed: identical arms give 0 with a zero-width interval; one unit gives no interval', () => {
    const same = pairedLiftT([3, 5, 7], [3, 5, 7]);
    expect(same.lift).toBe(0);
    expect(same.ci).toEqual([0, 0]);
    expect(same.pValue).toBe(1);
    const one = pairedLiftT([2], [3]);
    expect(one.lift).toBeCloseTo(50, 12);
    expect(one.ci.every(Number.isNaN)).toBe(true);
    // Two units a = [1, 3], b = [2, 4]: R = 1.5, e = [0.5, −0.5], sd(e) = √0.5, se = 100·√0.5/(√2·2) = 25,
    // t(0.975, 1) = 12.7062047361747: lift 50 ± 317.655.
    const two = pairedLiftT([1, 3], [2, 4]);
    expect(two.ci[0]).toBeCloseTo(50 - 12.7062047361747 * 25, 8);
    expect(two.ci[1]).toBeCloseTo(50 + 12.7062047361747 * 25, 8);
  });

  it('refuses mismatched or non-finite arms', () => {
    expect(() => pairedLiftT([1, 2], [1])).toThrow(/a has 2 units but b has 1/);
    expect(() => pairedLiftT([1, Number.NaN], [1, 2])).toThrow(/unit 1 has a = NaN/);
    expect(() => pairedLiftT([], [])).toThrow(/at least one unit/);
  });
});
