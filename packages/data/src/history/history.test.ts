import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { handFrame } from '../test-utils/hand-frame.js';
import { HistoryState } from './history-state.js';
import { computeItemHistory } from './item-history.js';
import { replayAsOf } from './replay-as-of.js';

describe('HistoryState', () => {
  it('clone copies every tally and stays independent of the original', () => {
    const h = new HistoryState({ labels: 2, valued: true, smoothing: 2, profileDim: 2 });
    h.record(0, [1, 0], 4);
    h.record(300, [0, 1], 2); // past the initial capacity: the copy must hold grown arrays
    h.recordProfile(300, [1, 3]);
    const copy = h.clone();
    const read = (s: HistoryState, entity: number) => {
      const stats = new Float64Array(s.statsWidth);
      const profile = new Float64Array(2);
      s.writeStats(entity, stats, 0);
      s.writeProfile(entity, profile, 0);
      return [...stats, ...profile, s.count(entity)];
    };
    for (const e of [0, 300, 7]) expect(read(copy, e)).toEqual(read(h, e));
    const before = [read(h, 0), read(h, 300)];
    copy.record(0, [1, 1], 9);
    copy.recordProfile(300, [5, 5]);
    expect([read(h, 0), read(h, 300)]).toEqual(before);
    expect(read(copy, 0)).not.toEqual(before[0]);
    expect(read(copy, 300)).not.toEqual(before[1]);
    h.record(1, [1, 1], 1); // and the other way round
    expect(copy.count(1)).toBe(0);
  });

  it('writes log-counts, smoothed rates and the smoothed mean (hand computation)', () => {
    const h = new HistoryState({ labels: 2, valued: true, smoothing: 2, profileDim: 2 });
    h.record(0, [1, 0], 4);
    h.record(0, [0, 0], 2);
    h.record(5, [1, 1], 6);
    h.recordProfile(0, [1, 3]);
    h.recordProfile(0, [3, 5]);
    // Global: 3 events, positives [2, 1] → priors [2/3, 1/3]; mean value 4.
    const out = new Float64Array(h.statsWidth);
    h.writeStats(0, out, 0);
    expect(h.statsWidth).toBe(6);
    const expected = [Math.log(3), Math.log(2), Math.log(1), (1 + (2 * 2) / 3) / 4, (0 + (2 * 1) / 3) / 4, (6 + 2 * 4) / 4];
    expected.forEach((v, k) => {
      expect(out[k]).toBeCloseTo(v, 12);
    });
    h.writeStats(9, out, 0); // an entity never seen: prior rates and mean
    [0, 0, 0, 2 / 3, 1 / 3, 4].forEach((v, k) => {
      expect(out[k]).toBeCloseTo(v, 12);
    });
    const profile = new Float64Array(2);
    h.writeProfile(0, profile, 0);
    expect(Array.from(profile)).toEqual([2, 4]);
    h.writeProfile(5, profile, 0);
    expect(Array.from(profile)).toEqual([0, 0]);
    expect(() => h.record(-1, [0, 0])).toThrow('HistoryState: entity must be an integer ≥ 0 (got -1)');
  });
});

/** A random log: integer times with many ties, 6 items, one 0/1 label. */
function randomLog(seed: number, n: number) {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => ({ time: rng.int(40), item: rng.int(6), label: rng.uniform() < 0.3 ? 1 : 0 }));
}

type Log = ReturnType<typeof randomLog>;

/** Item stats of every query via replayAsOf + HistoryState (the code under test). */
function asOfStats(events: Log, queries: { time: number; item: number }[]): number[][] {
  const state = new HistoryState({ labels: 1, smoothing: 3 });
  const out = queries.map(() => [] as number[]);
  replayAsOf({
    eventTimes: events.map((e) => e.time),
    queryTimes: queries.map((q) => q.time),
    applyEvent: (e) => state.record(events[e]?.item as number, [events[e]?.label as number]),
    readQuery: (q) => {
      const row = new Float64Array(state.statsWidth);
      state.writeStats(queries[q]?.item as number, row, 0);
      out[q] = Array.from(row);
    },
  });
  return out;
}

describe('replayAsOf: historical features see strictly earlier events only', () => {
  const events = randomLog(11, 300);
  const queries = randomLog(12, 120).map(({ time, item }) => ({ time, item }));

  it('matches a brute-force filter over strictly earlier events', () => {
    const got = asOfStats(events, queries);
    queries.forEach((q, i) => {
      const before = events.filter((e) => e.time < q.time);
      const mine = before.filter((e) => e.item === q.item);
      const n = mine.length;
      const p = mine.reduce((s, e) => s + e.label, 0);
      const prior = before.length > 0 ? before.reduce((s, e) => s + e.label, 0) / before.length : 0;
      const expected = [Math.log1p(n), Math.log1p(p), (p + 3 * prior) / (n + 3)];
      expected.forEach((v, k) => {
        expect(got[i]?.[k]).toBeCloseTo(v, 12);
      });
    });
  });

  it('does not change when the future is shuffled (and does change for later queries)', () => {
    const cut = 20;
    const rng = createRng(5);
    // Scramble everything at or after the cut: times, items and labels of future events.
    const future = events.filter((e) => e.time >= cut);
    const scrambled = events.map((e) =>
      e.time < cut ? e : { time: cut + rng.int(20), item: future[rng.int(future.length)]?.item as number, label: rng.int(2) },
    );
    const reversed = [...scrambled].reverse(); // input order of events must not matter either
    const a = asOfStats(events, queries);
    const b = asOfStats(reversed, queries);
    let changedAfter = 0;
    queries.forEach((q, i) => {
      if (q.time <= cut) expect(b[i]).toEqual(a[i]);
      else if (JSON.stringify(b[i]) !== JSON.stringify(a[i])) changedAfter++;
    });
    expect(changedAfter).toBeGreaterThan(10);
  });

  it('an event at the same instant as a query is not visible to it', () => {
    const seen: string[] = [];
    replayAsOf({
      eventTimes: [1, 2, 2, 3],
      queryTimes: [2, 3, 0],
      applyEvent: (e) => seen.push(`e${e}`),
      readQuery: (q) => seen.push(`q${q}`),
    });
    expect(seen).toEqual(['q2', 'e0', 'q0', 'e1', 'e2', 'q1']);
  });
});

describe('computeItemHistory', () => {
  it('counts earlier rows of the same item and their first-task positives', () => {
    // handFrame: items [10, 11, 12, 10, 11, 12], times day [30, 30, 31, 31, 31, 32], click [0,1,0,1,0,1].
    const { events, positives } = computeItemHistory(handFrame());
    expect(Array.from(events)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(positives)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(Array.from(computeItemHistory(handFrame(), 'save').positives)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => computeItemHistory(handFrame(), 'nope')).toThrow('computeItemHistory: task must name a label column');
  });
});
