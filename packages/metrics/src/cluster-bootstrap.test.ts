import { createRng, type Rng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { bootstrapInterval, clusterBootstrap } from './cluster-bootstrap.js';
import { effectiveClusterCount } from './effective-clusters.js';
import { hitsAtKPerRequest } from './hits-at-k.js';
import { pairedBootstrap } from './paired-bootstrap.js';
import type { PerRequestValues } from './per-request.js';
import { rankingSet } from './ranking-input.js';

/**
 * Clustered synthetic evaluation with no true effect. Users have heavy-tailed request counts
 * (lognormal, so a few users hold much of the data, as on MovieLens) and their own hit rate
 * `p_u ~ U(0.25, 0.65)`; arm B changes it by a user-level `δ_u ~ U(−0.2, 0.2)` whose mean is 0.
 * A request with difficulty `x ~ U(0, 1)` is a hit of A iff `x < p_u` and of B iff `x < p_u + δ_u`
 * (arms paired on the request). So the population values are `E[p] = 0.45` for A and a difference
 * of exactly 0, but the user effects make a user's requests move together.
 */
interface ClusteredDraw {
  readonly a: PerRequestValues;
  readonly b: PerRequestValues;
  readonly users: Int32Array;
}

function clusteredDraw(rng: Rng, users: number): ClusteredDraw {
  const counts = Array.from({ length: users }, () => Math.ceil(8 * Math.exp(1.3 * rng.normal())));
  const requests = counts.reduce((s, n) => s + n, 0);
  const a = new Float64Array(requests);
  const b = new Float64Array(requests);
  const userOf = new Int32Array(requests);
  let r = 0;
  counts.forEach((n, u) => {
    const p = 0.25 + 0.4 * rng.uniform();
    const delta = 0.4 * (rng.uniform() - 0.5);
    for (let i = 0; i < n; i++, r++) {
      const x = rng.uniform();
      a[r] = x < p ? 1 : 0;
      b[r] = x < p + delta ? 1 : 0;
      userOf[r] = u;
    }
  });
  const ones = new Float64Array(requests).fill(1);
  return { a: { numerator: a, denominator: ones }, b: { numerator: b, denominator: ones }, users: userOf };
}

const covers = (ci: readonly [number, number], value: number) => ci[0] <= value && value <= ci[1];

/** A per-request metric from explicit numerators (denominator 1 unless given). */
function values(numerator: number[], denominator?: number[]): PerRequestValues {
  return {
    numerator: Float64Array.from(numerator),
    denominator: Float64Array.from(denominator ?? numerator.map(() => 1)),
  };
}

describe('clusterBootstrap', () => {
  it('on clustered data with no true effect, user-clustered intervals cover 0 ≈95%; request-level ones far less', () => {
    const rng = createRng(2024);
    const trials = Number(process.env.THAW_COVERAGE_TRIALS ?? 200);
    let clustered = 0;
    let clusteredLift = 0;
    let requestLevel = 0;
    let effective = 0;
    let requests = 0;
    for (let t = 0; t < trials; t++) {
      const draw = clusteredDraw(rng, 60);
      const byUser = clusterBootstrap(draw.a, draw.b, { clusters: draw.users, samples: 500, seed: t });
      const byRequest = clusterBootstrap(draw.a, draw.b, { samples: 500, seed: t });
      if (covers(byUser.differenceCi, 0)) clustered++;
      if (covers(byUser.ci, 0)) clusteredLift++;
      if (covers(byRequest.differenceCi, 0)) requestLevel++;
      effective += byUser.effectiveClusters / trials;
      requests += draw.users.length / trials;
    }
    if (process.env.THAW_REPORT) {
      console.log(
        `coverage of the true difference 0 over ${trials} draws (60 users, mean ${requests.toFixed(0)} requests, ` +
          `mean effective users ${effective.toFixed(1)}): user-clustered ${clustered / trials} (lift ${clusteredLift / trials}), ` +
          `request-level ${requestLevel / trials}`,
      );
    }
    // A 1,000-draw run (THAW_COVERAGE_TRIALS=1000) measured 0.91 user-clustered (lift 0.91) and
    // 0.46 request-level, with 18.6 effective users of 60. The clustered interval is a little under
    // 95% because a percentile bootstrap over ~19 effective clusters behaves like a z interval
    // with ~19 observations; the bound is 3 binomial standard deviations (0.06 at 200 draws) below 0.91.
    expect(clustered / trials).toBeGreaterThanOrEqual(0.85);
    expect(clusteredLift / trials).toBeGreaterThanOrEqual(0.85);
    expect(requestLevel / trials).toBeLessThan(0.6);
    // ~40 s alone; CI runs every package's tests at once on 2 cores, where it took 126 s.
  }, 600_000);

  it('pairs seeds across arms: identical arms seed by seed give a zero-width difference, a shuffled pairing does not', () => {
    const rng = createRng(5);
    const draw = clusteredDraw(rng, 30);
    // Five seeds of one model, each with its own seed effect on every request.
    const seeds = Array.from({ length: 5 }, (_, k) =>
      values(Array.from(draw.a.numerator, (v, r) => v + (k === 2 && r % 3 === 0 ? 1 : 0) * 0.5 + 0.1 * k)),
    );
    const same = clusterBootstrap(seeds, seeds, { clusters: draw.users, samples: 300, seed: 1 });
    expect(same.differenceCi).toEqual([0, 0]);
    expect(same.ci).toEqual([0, 0]);
    expect(same.pValue).toBe(1);
    expect(same.hierarchical).toBe(true);
    const shuffled = clusterBootstrap(seeds, [seeds[3], seeds[0], seeds[4], seeds[1], seeds[2]] as PerRequestValues[], {
      clusters: draw.users,
      samples: 300,
      seed: 1,
    });
    expect(shuffled.difference).toBeCloseTo(0, 12);
    expect(shuffled.differenceCi[1] - shuffled.differenceCi[0]).toBeGreaterThan(0.05);
  });

  it('one cluster and one seed: every replicate is the full data, so the intervals have zero width', () => {
    const a = values([1, 0, 1, 1, 0, 0, 1]);
    const b = values([1, 1, 1, 1, 0, 0, 1]);
    const result = clusterBootstrap(a, b, { clusters: Array(7).fill('only-user'), samples: 200 });
    expect(result.valueA).toBeCloseTo(4 / 7, 15);
    expect(result.valueB).toBeCloseTo(5 / 7, 15);
    expect(result.lift).toBeCloseTo(25, 12);
    expect(result.ci[0]).toBeCloseTo(25, 12);
    expect(result.ci[1]).toBeCloseTo(25, 12);
    expect(result.differenceCi[0]).toBeCloseTo(1 / 7, 15);
    expect(result.differenceCi[1]).toBeCloseTo(1 / 7, 15);
    expect(result.clusters).toBe(1);
    expect(result.effectiveClusters).toBe(1);
    const single = bootstrapInterval(a, { clusters: Array(7).fill(3), samples: 100 });
    expect(single.ci[0]).toBeCloseTo(4 / 7, 15);
    expect(single.ci[1]).toBeCloseTo(4 / 7, 15);
  });

  it('without clusters it is the request-level bootstrap: the same as one distinct cluster per request', () => {
    const draw = clusteredDraw(createRng(8), 20);
    const implicit = clusterBootstrap(draw.a, draw.b, { samples: 200, seed: 4 });
    const explicit = clusterBootstrap(draw.a, draw.b, {
      samples: 200,
      seed: 4,
      clusters: Array.from(draw.users, (_, r) => `request-${r}`),
    });
    expect(explicit).toEqual(implicit);
    expect(implicit.clusters).toBe(draw.users.length);
  });

  it('resamples ratio metrics: numerators and denominators of a cluster move together', () => {
    // Micro ratio Σnum/Σden; the second user's requests do not count (denominator 0).
    const a = values([2, 1, 0, 0, 3], [4, 2, 0, 0, 3]);
    const b = values([3, 1, 0, 0, 3], [4, 2, 0, 0, 3]);
    const users = ['u1', 'u1', 'u2', 'u2', 'u3'];
    const result = clusterBootstrap(a, b, { clusters: users, samples: 2000, seed: 3 });
    expect(result.valueA).toBeCloseTo(6 / 9, 15);
    expect(result.valueB).toBeCloseTo(7 / 9, 15);
    // Kish over the counted denominators: w = (6, 0, 3) → 9² / (36 + 9) = 1.8.
    expect(result.effectiveClusters).toBeCloseTo(1.8, 12);
    // Replicates can only be mixtures of u1 (difference 1/6) and u3 (difference 0).
    expect(result.differenceCi[0]).toBeGreaterThanOrEqual(0);
    expect(result.differenceCi[1]).toBeLessThanOrEqual(1 / 6 + 1e-12);
  });

  it('agrees with pairedBootstrap on ranking sets, on both its per-request and re-ranking paths', () => {
    const rows = 40 * 4;
    const rng = createRng(21);
    const requestId = Int32Array.from({ length: rows }, (_, i) => Math.floor(i / 4));
    const labels = Float32Array.from({ length: rows }, (_, i) => (i % 4 === rng.int(4) ? 1 : 0));
    const set = (shift: number) =>
      rankingSet({
        requestId,
        labels,
        scores: Float64Array.from({ length: rows }, (_, i) => rng.uniform() + shift * (labels[i] as number)),
      });
    const [a, b] = [set(0.1), set(0.3)];
    const users = Array.from({ length: 40 }, (_, r) => r % 7);
    const hits = (s: typeof a) => hitsAtKPerRequest(s, 1);
    const direct = clusterBootstrap(hits(a), hits(b), { clusters: users, samples: 300, seed: 6 });
    expect(pairedBootstrap(hits, a, b, { clusters: users, samples: 300, seed: 6 })).toEqual(direct);
    const rerank = pairedBootstrap((s) => hitsAtKPerRequest(s, 1).numerator.reduce((x, y) => x + y, 0) / s.requestCount, a, b, {
      clusters: users,
      samples: 300,
      seed: 6,
    });
    // Every request has a positive, so the mean of numerators is the same ratio.
    expect(rerank.ci[0]).toBeCloseTo(direct.ci[0], 10);
    expect(rerank.ci[1]).toBeCloseTo(direct.ci[1], 10);
    expect(rerank.pValue).toBe(direct.pValue);
  });

  it('rejects arms over other requests, unpaired seeds, clusters of the wrong length and bad values', () => {
    const a = values([1, 0, 1]);
    expect(() => clusterBootstrap(a, values([1, 0]))).toThrow(/same requests in the same order/);
    expect(() => clusterBootstrap([a, a, a], [a, a])).toThrow(/seeds are paired/);
    expect(() => clusterBootstrap(a, a, { clusters: [1, 2] })).toThrow(/clusters has 2 entries but there are 3 requests/);
    expect(() => clusterBootstrap(a, values([1, 0, 1], [1, -1, 1]))).toThrow(/denominator ≥ 0/);
    expect(() => clusterBootstrap(a, { numerator: [1, 0, 1] } as never)).toThrow(/must be per-request values/);
    expect(() => bootstrapInterval(a, { samples: 1.5 })).toThrow(/samples must be an integer ≥ 1 \(got 1.5\)/);
    expect(() => bootstrapInterval(a, { confidence: 0 })).toThrow(/confidence must be in \(0, 1\)/);
  });
});

describe('bootstrapInterval', () => {
  it('covers the true mean ≈95% when users are resampled; the request-level interval does not', () => {
    const rng = createRng(77);
    const trials = Number(process.env.THAW_COVERAGE_TRIALS ?? 200);
    let clustered = 0;
    let requestLevel = 0;
    for (let t = 0; t < trials; t++) {
      const draw = clusteredDraw(rng, 60);
      if (covers(bootstrapInterval(draw.a, { clusters: draw.users, samples: 500, seed: t }).ci, 0.45)) clustered++;
      if (covers(bootstrapInterval(draw.a, { samples: 500, seed: t }).ci, 0.45)) requestLevel++;
    }
    if (process.env.THAW_REPORT) {
      console.log(
        `single-model coverage of the true Hits 0.45 over ${trials} draws: user-clustered ${clustered / trials}, request-level ${requestLevel / trials}`,
      );
    }
    // 1,000 draws measured 0.91 user-clustered and 0.62 request-level.
    expect(clustered / trials).toBeGreaterThanOrEqual(0.85);
    expect(requestLevel / trials).toBeLessThan(clustered / trials - 0.15);
  }, 120_000);

  it('with independent requests matches the normal approximation of a proportion', () => {
    const rng = createRng(9);
    const n = 4000;
    const hits = values(Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0)));
    const result = bootstrapInterval(hits, { samples: 4000, seed: 2 });
    const p = result.value;
    const halfWidth = 1.959964 * Math.sqrt((p * (1 - p)) / n);
    expect(result.ci[0]).toBeCloseTo(p - halfWidth, 2);
    expect(result.ci[1]).toBeCloseTo(p + halfWidth, 2);
    expect(result.effectiveClusters).toBe(n);
    expect(effectiveClusterCount(hits)).toBe(n);
  });
});
