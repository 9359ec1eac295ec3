import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import type { FeatureFrame } from '../../frame/feature-frame.js';
import { SECONDS_PER_DAY } from '../../frame/feature-frame.js';
import { engagementFromUniforms } from '../engagement.js';
import { keyedUniform } from './keyed-uniform.js';
import { createOnlineEnvironment, type OnlineEnvironment } from './online-environment.js';
import { POSITION_BUCKETS, positionBucket } from './online-metrics.js';
import { resolveOnlineOptions } from './online-options.js';
import { type ArmDay, type CandidateChunk, serveDay } from './serve-day.js';
import { catalogueAt, scrollDepth } from './traffic.js';

/** Ranks fresh candidates first (a boost-like arm) — no features needed. */
const freshFirst = (chunk: CandidateChunk) => Array.from(chunk.fresh, (f, i) => f + 1e-6 * ((i * 7919) % 997));
/** Ranks by the smoothed grid-click rate of `item_stats` (reads the features as of the refresh). */
const byRate = (chunk: CandidateChunk) => {
  const frame = chunk.frame();
  const stats = frame.features.item_stats as Float32Array;
  return Array.from({ length: frame.size }, (_, r) => stats[r * 7 + 4] as number);
};

async function run(env: OnlineEnvironment, ranker: (chunk: CandidateChunk) => number[], days: number): Promise<ArmDay[]> {
  const arm = env.newArm();
  const out: ArmDay[] = [];
  for (let day = 0; day < days; day++) out.push(await serveDay(env, arm, day, { ranker }));
  return out;
}

/** Per request id of a log: its user, time, query content and number of rows. */
function requestsOf(log: FeatureFrame) {
  const out = new Map<number, string>();
  const q = log.features.query_content as Float32Array;
  for (let r = 0; r < log.size; r++) {
    const id = log.requestId[r] as number;
    const key = `${log.userId[r]}|${log.timestamp[r]}|${Array.from(q.subarray(r * 16, r * 16 + 16)).join(',')}`;
    const seen = out.get(id);
    out.set(id, seen ? `${seen.split('#')[0]}#${Number(seen.split('#')[1]) + 1}` : `${key}#1`);
  }
  return out;
}

describe('online A/B environment', () => {
  const env = createOnlineEnvironment({ preset: 'tiny', days: 4 }, 3);

  it('accounting: impressions = Σ scroll depth, engagements ≤ impressions, buckets add up', async () => {
    const days = await run(env, byRate, 4);
    for (const [day, result] of days.entries()) {
      const requests = env.dayRequests(day);
      const m = result.metrics;
      expect(m.requests).toBe(requests.length);
      expect(m.impressions).toBe(requests.reduce((n, r) => n + Math.min(r.depth, env.options.candidates), 0));
      expect(result.log.size).toBe(m.impressions);
      expect(result.slates.length).toBe(m.impressions);
      expect(m.positions.impressions.reduce((a, b) => a + b, 0)).toBe(m.impressions);
      for (let t = 0; t < 3; t++) {
        expect(m.engagements.all[t]).toBeLessThanOrEqual(m.impressions);
        expect(m.engagements.fresh[t]).toBeLessThanOrEqual(m.engagements.all[t] as number);
        expect(m.positions.engagements.reduce((s, b) => s + (b[t] as number), 0)).toBe(m.engagements.all[t]);
      }
      // Saves and clicks only follow a grid-click.
      const labels = result.log.labels;
      for (let r = 0; r < result.log.size; r++) {
        expect(labels.save?.[r]).toBeLessThanOrEqual(labels.grid_click?.[r] as number);
        expect(labels.click?.[r]).toBeLessThanOrEqual(labels.grid_click?.[r] as number);
      }
      expect(m.freshImpressions).toBeLessThanOrEqual(m.impressions);
      expect(m.utility).toBeLessThanOrEqual(m.bestUtility + 1e-9);
      expect(m.utility).toBeGreaterThan(0);
    }
  });

  it('arms see identical requests: users, times, queries and scroll depths', async () => {
    const a = await run(env, byRate, 3);
    const b = await run(env, freshFirst, 3);
    for (let day = 0; day < 3; day++) {
      const logA = (a[day] as ArmDay).log;
      const logB = (b[day] as ArmDay).log;
      expect(requestsOf(logB)).toEqual(requestsOf(logA));
      // …while what they showed differs.
      expect(Array.from((b[day] as ArmDay).slates)).not.toEqual(Array.from((a[day] as ArmDay).slates));
    }
    // Item arrivals are the world's: the same for every arm, and the traffic does not change with serving.
    expect(env.dayRequests(1)).toEqual(createOnlineEnvironment({ preset: 'tiny', days: 4 }, 3).dayRequests(1));
  });

  it('identical rankers produce identical logs, whatever other arms did', async () => {
    const first = await run(env, byRate, 4);
    await run(env, freshFirst, 2); // another arm in between
    const second = await run(env, byRate, 4);
    first.forEach((day, d) => {
      const other = second[d] as ArmDay;
      expect(other.metrics).toEqual(day.metrics);
      expect(Array.from(other.slates)).toEqual(Array.from(day.slates));
      for (const [name, column] of Object.entries(day.log.features)) expect(other.log.features[name]).toEqual(column);
      for (const [name, column] of Object.entries(day.log.labels)) expect(other.log.labels[name]).toEqual(column);
    });
  });

  it('the same item at the same position of the same request draws the same outcome in every arm', async () => {
    const a = (await run(env, byRate, 2))[1] as ArmDay;
    // A ranker that agrees on part of the slates: the rate plus a small fresh boost.
    const nudged = (chunk: CandidateChunk) => byRate(chunk).map((s, i) => s + 0.02 * (chunk.fresh[i] as number));
    const b = (await run(env, nudged, 2))[1] as ArmDay;
    expect(Array.from(b.slates)).not.toEqual(Array.from(a.slates));
    const key = (log: FeatureFrame, r: number, position: number) => `${log.requestId[r]}/${log.itemId[r]}/${position}`;
    const outcomes = (log: FeatureFrame) => {
      const out = new Map<string, string>();
      for (let r = 0, position = 0; r < log.size; r++) {
        position = r > 0 && log.requestId[r] === log.requestId[r - 1] ? position + 1 : 1;
        out.set(key(log, r, position), `${log.labels.grid_click?.[r]}${log.labels.save?.[r]}${log.labels.click?.[r]}`);
      }
      return out;
    };
    const inA = outcomes(a.log);
    let shared = 0;
    for (const [k, v] of outcomes(b.log)) {
      if (inA.has(k)) {
        shared++;
        expect(v).toBe(inA.get(k));
      }
    }
    expect(shared).toBeGreaterThan(10);
  });

  it('a replay from stored slates rebuilds the same state: later live days are identical', async () => {
    const live = await run(env, byRate, 4);
    const arm = env.newArm();
    for (let day = 0; day < 2; day++) {
      const replayed = await serveDay(env, arm, day, { slates: (live[day] as ArmDay).slates });
      expect(replayed.metrics).toEqual((live[day] as ArmDay).metrics);
      for (const [name, column] of Object.entries(replayed.log.features)) {
        expect(column).toEqual((live[day] as ArmDay).log.features[name]);
      }
    }
    for (let day = 2; day < 4; day++) {
      const next = await serveDay(env, arm, day, { ranker: byRate });
      expect(next.metrics).toEqual((live[day] as ArmDay).metrics);
      expect(Array.from(next.slates)).toEqual(Array.from((live[day] as ArmDay).slates));
    }
    // A replay whose slates do not fit the state is refused.
    const other = env.newArm();
    const wrong = (live[1] as ArmDay).slates;
    await expect(serveDay(env, other, 0, { slates: wrong })).rejects.toThrow(/replay of day 0 diverged/);
  });

  it('the ranker sees features as of the refresh and logs them; a bad ranker is refused', async () => {
    const arm = env.newArm();
    const seen: FeatureFrame[] = [];
    const day = await serveDay(env, arm, 0, {
      ranker: (chunk) => {
        seen.push(chunk.frame());
        return byRate(chunk);
      },
    });
    // Every logged row is the frame row the ranker scored (same features).
    const frames = seen.flatMap((f) => Array.from({ length: f.size }, (_, r) => ({ f, r })));
    const rowKey = (f: FeatureFrame, r: number) =>
      `${f.requestId[r]}/${f.itemId[r]}/${Array.from((f.features.item_stats as Float32Array).subarray(r * 7, r * 7 + 7)).join(',')}`;
    const scored = new Set(frames.map(({ f, r }) => rowKey(f, r)));
    for (let r = 0; r < day.log.size; r++) expect(scored.has(rowKey(day.log, r))).toBe(true);
    await expect(serveDay(env, env.newArm(), 0, { ranker: () => [1, 2] })).rejects.toThrow(
      /returned 2 scores for \d+ candidates/,
    );
    await expect(serveDay(env, env.newArm(), 0, { ranker: (c) => Array.from(c.items, () => Number.NaN) })).rejects.toThrow(
      /scored candidate 0 NaN/,
    );
  });
});

describe('online pieces', () => {
  it('engagementFromUniforms follows the engagement law (frequencies over keyed uniforms)', () => {
    const p = { gridClick: 0.3, saveGivenGridClick: 0.4, clickGivenGridClick: 0.2 };
    const n = 40_000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const u = [0, 1, 2].map((t) => keyedUniform(9, i, t));
      const { labels, truth } = engagementFromUniforms(p, 0.5, u);
      labels.forEach((y, t) => {
        counts[t] = (counts[t] as number) + y;
      });
      expect(truth).toEqual([0.15, 0.15 * 0.4, 0.15 * 0.2]);
    }
    // Binomial sd at n = 40k is ≤ 0.0018: 5 sd tolerance.
    expect(Math.abs((counts[0] as number) / n - 0.15)).toBeLessThan(0.009);
    expect(Math.abs((counts[1] as number) / n - 0.06)).toBeLessThan(0.006);
    expect(Math.abs((counts[2] as number) / n - 0.03)).toBeLessThan(0.005);
  });

  it('scroll depth is log-normal with the given median, clamped to [1, max]', () => {
    const rng = createRng(4);
    const depths = Array.from({ length: 20_000 }, () => scrollDepth(rng, 12, 1, 100)).sort((a, b) => a - b);
    expect(depths[0]).toBeGreaterThanOrEqual(1);
    expect(depths.at(-1)).toBe(100);
    // ⌈·⌉ of a median-12 log-normal: the median lands on 12 or 13.
    expect(depths[10_000]).toBeGreaterThanOrEqual(12);
    expect(depths[10_000]).toBeLessThanOrEqual(13);
    // P(depth > 50) = P(Z > ln(50/12)) = 0.077.
    expect(Math.abs(depths.filter((d) => d > 50).length / depths.length - 0.077)).toBeLessThan(0.01);
  });

  it('catalogueAt matches a scan of creation times', () => {
    const env = createOnlineEnvironment('tiny', 5);
    const created = env.world.itemCreatedAt;
    for (const t of [env.start - 3 * SECONDS_PER_DAY, env.start, env.start + 1.5 * SECONDS_PER_DAY]) {
      const { existing, freshStart } = catalogueAt(env.world, t, 14);
      expect(existing).toBe(Array.from(created).filter((c) => c <= t).length);
      expect(freshStart).toBe(Array.from(created).filter((c) => c < t - 14 * SECONDS_PER_DAY).length);
    }
  });

  it('position buckets: top 10 / 10–25 / 25–50 / 50–100 / beyond 100', () => {
    expect([1, 10, 11, 25, 26, 50, 51, 100, 101].map(positionBucket)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4]);
    expect(POSITION_BUCKETS).toHaveLength(5);
  });

  it('options are checked, naming the option', () => {
    expect(() => resolveOnlineOptions({ preset: 'tiny', refreshHours: 5 })).toThrow(
      /refreshHours must be a number of hours that divides 24/,
    );
    expect(() => resolveOnlineOptions({ preset: 'tiny', days: 0 })).toThrow(/options.days must be an integer ≥ 1 \(got 0\)/);
    expect(() => resolveOnlineOptions({ preset: 'tiny', candidates: 5000 })).toThrow(
      /candidates must be < the world's initial catalogue/,
    );
    expect(() => resolveOnlineOptions({ preset: 'nope' as 'tiny' })).toThrow(/preset must be one of tiny, demo/);
    expect(resolveOnlineOptions({ preset: 'demo' }).simulation.evalDays).toBe(30);
    // The warm-up draws no probe requests in any window (the demo world's oracle probes are for npm start).
    const world = resolveOnlineOptions({ preset: 'demo' }).simulation;
    expect([world.oracleRequestsPerDay, world.oracleCalibrationRequestsPerDay ?? world.oracleRequestsPerDay]).toEqual([0, 0]);
    expect(createOnlineEnvironment('tiny', 2).warmup.oracle.requests.calibration.probe).toBe(0);
  });
});
