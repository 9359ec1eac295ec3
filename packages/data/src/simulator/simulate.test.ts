import { demoSpec, hashToBucket } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { SECONDS_PER_DAY } from '../frame/feature-frame.js';
import { coldMask, itemAgeDays } from '../frame/item-age.js';
import { validateFrame } from '../frame/validate-frame.js';
import { simulate } from './simulate.js';
import { SIMULATION_PRESETS } from './simulation-options.js';
import { simulatorSpec } from './simulator-spec.js';

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('simulate', () => {
  const tiny = simulate('tiny', 1);

  it('produces the demo spec features and a frame that fits it', () => {
    expect(simulatorSpec(SIMULATION_PRESETS.demo)).toEqual(demoSpec);
    expect(tiny.spec).toEqual(demoSpec);
    validateFrame(tiny.frame, tiny.spec);
    expect(tiny.frame.truth && Object.keys(tiny.frame.truth)).toEqual(['grid_click', 'save', 'click']);
    const other = simulatorSpec({ latentDim: 8, categories: 5, itemBuckets: 64 });
    expect(other.features.find((f) => f.name === 'item_content')).toMatchObject({ dim: 8 });
    expect(other.features.find((f) => f.name === 'item_category')).toMatchObject({ vocabSize: 5 });
  });

  it('is deterministic by seed', () => {
    const again = simulate('tiny', 1);
    expect(again.frame.size).toBe(tiny.frame.size);
    expect(Array.from(again.frame.features.item_content as Float32Array)).toEqual(
      Array.from(tiny.frame.features.item_content as Float32Array),
    );
    expect(Array.from(again.frame.labels.save as Float32Array)).toEqual(Array.from(tiny.frame.labels.save as Float32Array));
    const other = simulate('tiny', 2);
    expect(Array.from(other.frame.itemId.slice(0, 50))).not.toEqual(Array.from(tiny.frame.itemId.slice(0, 50)));
  });

  it('splits on the simulated windows, the paper protocol for demo', () => {
    const { options, split, frame } = tiny;
    const D = SECONDS_PER_DAY;
    expect(split.windows?.train).toEqual({ start: options.startTime, end: options.startTime + 5 * D });
    expect(split.windows?.eval).toEqual({ start: options.startTime + 6 * D, end: options.startTime + 8 * D });
    expect(split.rows.train.length + split.rows.calibration.length + split.rows.eval.length).toBe(frame.size);
    expect(SIMULATION_PRESETS.demo).toMatchObject({ trainDays: 27, calibrationDays: 1, evalDays: 3 });
  });

  it('draws labels from the ground truth: save and click need a grid-click, rates match the truth', () => {
    const { labels, truth } = tiny.frame;
    const gc = labels.grid_click as Float32Array;
    const gcTruth = truth?.grid_click as Float32Array;
    for (const task of ['save', 'click'] as const) {
      const y = labels[task] as Float32Array;
      const p = truth?.[task] as Float32Array;
      for (let r = 0; r < y.length; r++) {
        if (y[r] === 1) expect(gc[r]).toBe(1);
        expect(p[r]).toBeLessThanOrEqual(gcTruth[r] as number);
      }
    }
    for (const task of ['grid_click', 'save', 'click'] as const) {
      const p = truth?.[task] as Float32Array;
      const sd = Math.sqrt(Array.from(p).reduce((s, v) => s + v * (1 - v), 0)) / p.length;
      expect(Math.abs(mean(labels[task] as Float32Array) - mean(p))).toBeLessThan(4 * sd);
    }
  });

  it('computes historical features from strictly earlier impressions (brute force over the log)', () => {
    // Without warm-up every event is a row of the frame, so the features can be recomputed from it.
    const { frame } = simulate({ preset: 'tiny', warmupDays: 0, trainDays: 3, evalDays: 1, calibrationDays: 0 }, 5);
    const tasks = ['grid_click', 'save', 'click'] as const;
    const stats = frame.features.item_stats as Float32Array;
    const history = frame.features.user_history as Float32Array;
    const content = frame.features.item_content as Float32Array;
    let checked = 0;
    for (let r = 0; r < frame.size; r += 7) {
      const t = frame.timestamp[r] as number;
      let n = 0;
      const pos = [0, 0, 0];
      const total = [0, 0, 0];
      let all = 0;
      const sum = new Float64Array(16);
      let engaged = 0;
      for (let e = 0; e < frame.size; e++) {
        if ((frame.timestamp[e] as number) >= t) continue;
        all++;
        tasks.forEach((task, k) => {
          total[k] = (total[k] as number) + ((frame.labels[task] as Float32Array)[e] as number);
        });
        if (frame.itemId[e] === frame.itemId[r]) {
          n++;
          tasks.forEach((task, k) => {
            pos[k] = (pos[k] as number) + ((frame.labels[task] as Float32Array)[e] as number);
          });
        }
        if (frame.userId[e] === frame.userId[r] && (frame.labels.grid_click as Float32Array)[e] === 1) {
          engaged++;
          for (let k = 0; k < 16; k++) sum[k] = (sum[k] as number) + (content[e * 16 + k] as number);
        }
      }
      const expected = [
        Math.log1p(n),
        ...pos.map((p) => Math.log1p(p)),
        ...pos.map((p, k) => (p + 20 * (all > 0 ? (total[k] as number) / all : 0)) / (n + 20)),
      ];
      expected.forEach((v, k) => {
        expect(stats[r * 7 + k]).toBeCloseTo(v, 5);
      });
      for (let k = 0; k < 16; k++) expect(history[r * 16 + k]).toBeCloseTo(engaged > 0 ? (sum[k] as number) / engaged : 0, 5);
      expect(frame.itemHistory?.events[r]).toBe(n);
      expect(frame.itemHistory?.positives[r]).toBe(pos[0]);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('snapshots every item as of T: history from all impressions strictly before T, age at T (brute force)', () => {
    // Without warm-up every impression is a frame row, so the snapshot can be recomputed from the frame.
    const sim = simulate({ preset: 'tiny', warmupDays: 0, trainDays: 3, calibrationDays: 1, evalDays: 1 }, 5);
    const { frame, spec, options } = sim;
    const T = sim.split.windows?.calibration.end as number;
    const snap = sim.itemSnapshot(T);
    expect(snap.asOf).toBe(T);
    expect(Object.keys(snap.features)).toEqual(['item_id', 'item_stats', 'item_content', 'item_category', 'item_age']);
    const tasks = ['grid_click', 'save', 'click'] as const;
    const label = (task: (typeof tasks)[number], r: number) => (frame.labels[task] as Float32Array)[r] as number;
    const before = Array.from({ length: frame.size }, (_, r) => r).filter((r) => (frame.timestamp[r] as number) < T);
    const global = tasks.map((task) => before.reduce((sum, r) => sum + label(task, r), 0) / before.length);
    const at = new Map(snap.itemIds.map((key, i) => [key, i]));
    const m = options.historySmoothing;
    const D = SECONDS_PER_DAY;
    const shownBefore = new Set(before.map((r) => frame.itemId[r] as number));
    let onceShown = 0;
    for (const item of shownBefore) {
      const mine = before.filter((r) => frame.itemId[r] === item);
      const i = at.get(String(item)) as number;
      expect(i, `item ${item} shown before T is in the snapshot`).toBeDefined();
      expect(snap.itemId[i]).toBe(item);
      const n = mine.length;
      const pos = tasks.map((task) => mine.reduce((sum, r) => sum + label(task, r), 0));
      const expected = [
        Math.log1p(n),
        ...pos.map((p) => Math.log1p(p)),
        ...pos.map((p, k) => (p + m * (global[k] as number)) / (n + m)),
      ];
      expected.forEach((v, k) => {
        expect(snap.features.item_stats?.[i * 7 + k]).toBeCloseTo(v, 5);
      });
      const r = mine[mine.length - 1] as number;
      expect(snap.createdAt[i]).toBe(frame.itemCreatedAt[r]);
      expect(snap.features.item_age?.[i]).toBeCloseTo(Math.log1p((T - (frame.itemCreatedAt[r] as number)) / D), 5);
      expect(snap.cold[i]).toBe((T - (frame.itemCreatedAt[r] as number)) / D < spec.coldStart.coldDays ? 1 : 0);
      expect(snap.features.item_id?.[i]).toBe(hashToBucket(item, options.itemBuckets));
      expect(Array.from(snap.features.item_content?.slice(i * 16, i * 16 + 16) ?? [])).toEqual(
        Array.from(frame.features.item_content?.slice(r * 16, r * 16 + 16) ?? []),
      );
      expect(snap.features.item_category?.[i]).toBe(frame.features.item_category?.[r]);
      if (n === 1) {
        // Its only impression: the frame row saw no history, the snapshot counts it.
        onceShown++;
        expect(frame.features.item_stats?.[r * 7]).toBe(0);
        expect(snap.features.item_stats?.[i * 7]).toBeCloseTo(Math.log(2), 6);
      }
    }
    expect(onceShown).toBeGreaterThan(5);
    // Items of later rows: in the snapshot exactly when created before T; never-shown items have no history.
    for (let r = 0; r < frame.size; r++) {
      const created = frame.itemCreatedAt[r] as number;
      expect(at.has(String(frame.itemId[r])), `row ${r}`).toBe(created < T);
    }
    expect(snap.size).toBeGreaterThan(shownBefore.size);
    for (let i = 0; i < snap.size; i++) {
      expect(snap.createdAt[i]).toBeLessThan(T);
      if (!shownBefore.has(snap.itemId[i] as number)) expect(snap.features.item_stats?.[i * 7]).toBe(0);
    }
  });

  it("snapshots include the warm-up: at a row's time they equal that row's item features", () => {
    const { frame, split } = tiny;
    for (const r of Array.from(split.rows.eval).filter((_, k) => k % 97 === 0)) {
      const t = frame.timestamp[r] as number;
      const snap = tiny.itemSnapshot(t);
      const i = snap.itemIds.indexOf(String(frame.itemId[r]));
      for (const [name, width] of [
        ['item_stats', 7],
        ['item_content', 16],
        ['item_age', 1],
        ['item_id', 1],
        ['item_category', 1],
      ] as const) {
        expect(Array.from(snap.features[name]?.slice(i * width, (i + 1) * width) ?? []), name).toEqual(
          Array.from(frame.features[name]?.slice(r * width, (r + 1) * width) ?? []),
        );
      }
    }
    expect(() => tiny.itemSnapshot(Number.NaN)).toThrow(
      'itemSnapshot: asOf must be a finite time in seconds since the epoch (got NaN)',
    );
  });

  it('creates items continuously and retrieves fresh ones into candidate lists', () => {
    const { frame, split } = tiny;
    const age = itemAgeDays(frame);
    const cold = coldMask(frame, 28);
    for (const part of [split.rows.train, split.rows.eval]) {
      const fresh = Array.from(part).filter((r) => cold[r] === 1).length / part.length;
      expect(fresh).toBeGreaterThan(0.05);
      expect(fresh).toBeLessThan(0.6);
      expect(Array.from(part).some((r) => (age[r] as number) < 1)).toBe(true);
    }
    // Most requests show at least one fresh candidate (a real retrieval stage, not history only).
    const requestsWithFresh = new Set<number>();
    for (let r = 0; r < frame.size; r++) if (cold[r] === 1) requestsWithFresh.add(frame.requestId[r] as number);
    expect(requestsWithFresh.size / new Set(frame.requestId).size).toBeGreaterThan(0.5);
  });

  it('the logging policy creates exposure bias: favouring history lowers the observed rate of fresh items', () => {
    const rates = (policy: { similarity: number; ctr: number; popularity: number; noise: number }) =>
      mean([1, 2, 3].map((seed) => ratio(policy, seed)));
    const ratio = (policy: { similarity: number; ctr: number; popularity: number; noise: number }, seed: number) => {
      const { frame } = simulate({ preset: 'tiny', requestsPerDay: 120, policy }, seed);
      const cold = coldMask(frame, 28);
      const truth = frame.truth?.grid_click as Float32Array;
      const coldTruth = Array.from(truth).filter((_, r) => cold[r] === 1);
      const warmTruth = Array.from(truth).filter((_, r) => cold[r] === 0);
      return mean(coldTruth) / mean(warmTruth);
    };
    const neutral = rates({ similarity: 2, ctr: 0, popularity: 0, noise: 0.5 });
    const biased = rates({ similarity: 2, ctr: 1, popularity: 1, noise: 0.5 });
    expect(biased).toBeLessThan(neutral - 0.1);
  });

  it('rejects invalid options with the option, the value and the rule', () => {
    expect(() => simulate({ preset: 'tiny', users: 0 })).toThrow('simulate: options.users must be an integer ≥ 1 (got 0)');
    expect(() => simulate({ preset: 'tiny', impressionsPerRequest: 50 })).toThrow(
      'options.impressionsPerRequest must be ≤ candidatesRetrieved (12)',
    );
    expect(() => simulate('huge' as 'tiny')).toThrow('simulate: preset must be one of tiny, demo, paper (got "huge")');
  });
});
