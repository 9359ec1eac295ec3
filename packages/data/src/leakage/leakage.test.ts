import { describe, expect, it } from 'vitest';
import { handFrame } from '../test-utils/hand-frame.js';
import { leakageReport } from './leakage-report.js';
import { referenceScores } from './reference-scores.js';

const history = { events: Int32Array.from([3, 0, 0, 5, 1, 0]), positives: Int32Array.from([1, 0, 0, 4, 0, 0]) };
const split = {
  kind: 'temporal' as const,
  rows: { train: Int32Array.from([0, 1, 2, 3, 4, 5]), calibration: new Int32Array(), eval: Int32Array.from([2, 5]) },
};

describe('leakageReport', () => {
  it('gives the positive rate of warm, cold and no-history candidates (hand computation)', () => {
    // Cold rows (age < 28 d): 2 and 5. No-history rows: 1, 2, 5. Clicks: rows 1, 3, 5. Saves: row 4.
    const report = leakageReport({ ...handFrame(), itemHistory: history }, split, 28);
    expect(report.train.all).toEqual({ impressions: 6, positiveRate: { click: 3 / 6, save: 1 / 6 } });
    expect(report.train.warm).toEqual({ impressions: 4, positiveRate: { click: 2 / 4, save: 1 / 4 } });
    expect(report.train.cold).toEqual({ impressions: 2, positiveRate: { click: 1 / 2, save: 0 } });
    expect(report.train.noHistory).toEqual({ impressions: 3, positiveRate: { click: 2 / 3, save: 0 } });
    expect(report.calibration.all.impressions).toBe(0);
    expect(Number.isNaN(report.calibration.all.positiveRate.click)).toBe(true);
    expect(report.eval.noHistory).toEqual({ impressions: 2, positiveRate: { click: 1 / 2, save: 0 } });
    expect(() => leakageReport(handFrame(), split, 28)).toThrow('leakageReport: the frame has no itemHistory columns');
  });
});

describe('referenceScores', () => {
  it('ranks no-history items first, popular items by prior positives, with tiny seeded tie-breaks', () => {
    const scores = referenceScores({ ...handFrame(), itemHistory: history }, 3);
    const order = (s: Float32Array) => Array.from(s.keys()).sort((a, b) => (s[b] as number) - (s[a] as number));
    expect(new Set(order(scores.noHistoryFirst).slice(0, 3))).toEqual(new Set([1, 2, 5]));
    expect(order(scores.popularity).slice(0, 2)).toEqual([3, 0]);
    for (let r = 0; r < 6; r++) {
      expect(scores.popularity[r]).toBeGreaterThanOrEqual(Math.log1p(history.positives[r] as number) - 1e-6);
      expect(scores.popularity[r]).toBeLessThan(Math.log1p(history.positives[r] as number) + 1.001e-3);
    }
    expect(referenceScores({ ...handFrame(), itemHistory: history }, 3)).toEqual(scores);
    expect(Math.min(...scores.random)).toBeGreaterThanOrEqual(0);
  });
});
