import { describe, expect, it } from 'vitest';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { handFrame } from '../test-utils/hand-frame.js';
import { itemHoldoutSplit } from './item-holdout-split.js';
import { splitCounts } from './split-counts.js';
import { temporalSplit } from './temporal-split.js';

const D = 86_400;

/** One row per request at day `days[i]` (request i), item i % 4. */
function dayFrame(days: number[]): FeatureFrame {
  const n = days.length;
  return {
    size: n,
    features: {},
    labels: { click: Float32Array.from(days, (_, i) => i % 2) },
    requestId: Int32Array.from(days.keys()),
    itemId: Int32Array.from(days, (_, i) => i % 4),
    userId: new Int32Array(n),
    timestamp: Float64Array.from(days, (d) => d * D),
    itemCreatedAt: new Float64Array(n),
  };
}

describe('temporalSplit', () => {
  it('places 27/1/3-day windows ending just after the last impression', () => {
    // Last impression at day 40 → end = 40 d + 1 s; eval [37 d + 1 s, 40 d + 1 s), calibration one day before, train 27 days before.
    const days = [5, 9.5, 10.2, 36, 36.9, 37.5, 40];
    const split = temporalSplit(dayFrame(days));
    const end = 40 * D + 1;
    expect(split.windows?.eval).toEqual({ start: end - 3 * D, end });
    expect(split.windows?.calibration).toEqual({ start: end - 4 * D, end: end - 3 * D });
    expect(split.windows?.train).toEqual({ start: end - 31 * D, end: end - 4 * D });
    // train [9 d + 1 s, 36 d + 1 s): days 9.5, 10.2, 36; day 5 falls before every window.
    expect(Array.from(split.rows.train)).toEqual([1, 2, 3]);
    expect(Array.from(split.rows.calibration)).toEqual([4]);
    expect(Array.from(split.rows.eval)).toEqual([5, 6]);
  });

  it('anchors at start when given, and splits by fractions of requests', () => {
    const days = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const byStart = temporalSplit(dayFrame(days), { start: 2 * D, trainDays: 3, calibrationDays: 1, evalDays: 2 });
    expect(Array.from(byStart.rows.train)).toEqual([2, 3, 4]);
    expect(Array.from(byStart.rows.calibration)).toEqual([5]);
    expect(Array.from(byStart.rows.eval)).toEqual([6, 7]);
    const byFraction = temporalSplit(dayFrame(days), { fractions: { train: 0.6, calibration: 0.1, eval: 0.3 } });
    expect(Array.from(byFraction.rows.train)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(byFraction.rows.calibration)).toEqual([6]);
    expect(Array.from(byFraction.rows.eval)).toEqual([7, 8, 9]);
    expect(() => temporalSplit(dayFrame(days), { fractions: { train: 0.6, calibration: 0.1, eval: 0.1 } })).toThrow(
      'temporalSplit: fractions must be ≥ 0 and sum to 1',
    );
    expect(() => temporalSplit(dayFrame(days), { trainDays: -1 })).toThrow(
      'temporalSplit: trainDays must be a number ≥ 0 (got -1)',
    );
  });

  it('gives every part its share of the requests ±1 and loses none, whatever the float sums', () => {
    // 0.7 + 0.1 = 0.7999…: a floor of the summed fraction put 7 requests in train, 0 in calibration and 3 in eval.
    const ten = temporalSplit(dayFrame(Array.from({ length: 10 }, (_, i) => i)), {
      fractions: { train: 0.7, calibration: 0.1, eval: 0.2 },
    });
    expect([ten.rows.train.length, ten.rows.calibration.length, ten.rows.eval.length]).toEqual([7, 1, 2]);
    const fractionSets = [
      [0.7, 0.1, 0.2],
      [0.8, 0.05, 0.15],
      [0.6, 0.3, 0.1],
      [0.1, 0.2, 0.7],
      [1 / 3, 1 / 3, 1 / 3],
      [0.9, 0.1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0.27 / 0.31, 0.01 / 0.31, 0.03 / 0.31],
    ] as const;
    for (const [train, calibration, evaluation] of fractionSets) {
      for (const n of [1, 2, 3, 7, 10, 20, 29, 100, 101, 997]) {
        const split = temporalSplit(dayFrame(Array.from({ length: n }, (_, i) => i / 7)), {
          fractions: { train, calibration, eval: evaluation },
        });
        const sizes = [split.rows.train.length, split.rows.calibration.length, split.rows.eval.length];
        const where = `fractions ${train}/${calibration}/${evaluation}, n = ${n}: sizes ${sizes}`;
        expect(
          sizes.reduce((a, b) => a + b, 0),
          where,
        ).toBe(n);
        [train, calibration, evaluation].forEach((f, k) => {
          expect(Math.abs((sizes[k] as number) - f * n), where).toBeLessThanOrEqual(1);
        });
      }
    }
  });

  it('never cuts a request: it follows its earliest row', () => {
    const frame = { ...dayFrame([1, 1.5, 2.5]), requestId: Int32Array.from([0, 0, 1]) };
    const split = temporalSplit(frame, {
      windows: {
        train: { start: 0, end: 1.2 * D },
        calibration: { start: 1.2 * D, end: 2 * D },
        eval: { start: 2 * D, end: 3 * D },
      },
    });
    expect(Array.from(split.rows.train)).toEqual([0, 1]);
    expect(Array.from(split.rows.eval)).toEqual([2]);
  });
});

describe('itemHoldoutSplit', () => {
  it('keeps held-out items out of training and requests whole', () => {
    const frame = {
      ...dayFrame(Array.from({ length: 60 }, (_, i) => i)),
      itemId: Int32Array.from({ length: 60 }, (_, i) => i % 20),
      requestId: Int32Array.from({ length: 60 }, (_, i) => i >> 1),
    };
    const split = itemHoldoutSplit(frame, { fraction: 0.25, calibrationFraction: 0.3, seed: 4 });
    const held = new Set(split.heldOutItems);
    expect(held.size).toBe(5);
    for (const r of split.rows.train) expect(held.has(frame.itemId[r] as number)).toBe(false);
    const all = [...split.rows.train, ...split.rows.calibration, ...split.rows.eval].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i));
    for (const part of [split.rows.calibration, split.rows.eval]) {
      for (const r of part) expect(part.includes(r ^ 1)).toBe(true); // both rows of request r >> 1
      for (let k = 0; k < part.length; k += 2) {
        const q = (part[k] as number) >> 1;
        expect(held.has(frame.itemId[2 * q] as number) || held.has(frame.itemId[2 * q + 1] as number)).toBe(true);
      }
    }
    expect(itemHoldoutSplit(frame, { fraction: 0.25, seed: 4 }).heldOutItems).toEqual(split.heldOutItems);
    expect(() => itemHoldoutSplit(frame, { fraction: 1 })).toThrow('itemHoldoutSplit: fraction must be in (0, 1) (got 1)');
  });
});

describe('splitCounts', () => {
  it('counts requests, impressions, positives, items and fresh rows per part (hand computation)', () => {
    const frame = handFrame(); // requests 0 (rows 0, 1), 1 (rows 2–4), 2 (row 5); fresh rows 2 and 5
    const split = {
      kind: 'temporal' as const,
      rows: { train: Int32Array.from([0, 1, 2, 3, 4]), calibration: new Int32Array(), eval: Int32Array.from([5]) },
    };
    const counts = splitCounts(frame, split, 28);
    expect(counts.train).toEqual({
      requests: 2,
      impressions: 5,
      positives: { click: 2, save: 1 },
      items: 3,
      freshItems: 1,
      freshImpressions: 1,
    });
    expect(counts.calibration).toEqual({
      requests: 0,
      impressions: 0,
      positives: { click: 0, save: 0 },
      items: 0,
      freshItems: 0,
      freshImpressions: 0,
    });
    expect(counts.eval).toEqual({
      requests: 1,
      impressions: 1,
      positives: { click: 1, save: 0 },
      items: 1,
      freshItems: 1,
      freshImpressions: 1,
    });
  });
});
