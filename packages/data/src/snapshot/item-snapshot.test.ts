import { describe, expect, it } from 'vitest';
import { SECONDS_PER_DAY } from '../frame/feature-frame.js';
import { simulate } from '../simulator/simulate.js';
import { handFrame, handSpec } from '../test-utils/hand-frame.js';
import { itemSnapshotFromRows } from './item-snapshot-from-rows.js';

const D = SECONDS_PER_DAY;

describe('itemSnapshotFromRows (the fallback without an event log)', () => {
  it("copies each item's latest row and flags cold items at asOf (hand computation)", () => {
    // handFrame: items 10, 11, 12 at rows 0–5, days 30, 30, 31, 31, 31, 32; latest rows 3, 4, 5.
    const snap = itemSnapshotFromRows(handFrame(), handSpec);
    expect(snap.asOf).toBe(32 * D);
    expect(snap.itemIds).toEqual(['10', '11', '12']);
    expect(Array.from(snap.itemId)).toEqual([10, 11, 12]);
    expect(Array.from(snap.features.item ?? [])).toEqual([10, 11, 12]);
    expect(Array.from(snap.features.vec ?? [])).toEqual([3, -3, 4, -4, 5, -5]);
    expect(Array.from(snap.features.cat ?? [])).toEqual([3, 0, 1]);
    expect(Array.from(snap.createdAt)).toEqual([0, 0, 34 * D]);
    expect(Array.from(snap.cold)).toEqual([0, 0, 1]); // ages 32, 32, −2 days
    // Only rows 0–2 (day 30–31), cold at day 59: item 12 (created day 31) is 28 days old, no longer cold.
    const early = itemSnapshotFromRows(handFrame(), handSpec, { rows: [2, 0, 1], asOf: 59 * D });
    expect(Array.from(early.features.vec ?? [])).toEqual([0, 0, 1, -1, 2, -2]);
    expect(Array.from(early.cold)).toEqual([0, 0, 0]);
    expect(Array.from(itemSnapshotFromRows(handFrame(), handSpec, { rows: [2, 0, 1], asOf: 58.9 * D }).cold)).toEqual([0, 0, 1]);
  });

  it('breaks time ties by the later row, names items by their keys and checks its arguments', () => {
    const frame = { ...handFrame(), timestamp: new Float64Array(6).fill(40 * D) };
    expect(Array.from(itemSnapshotFromRows(frame, handSpec, { rows: [3, 0] }).features.vec ?? [])).toEqual([0, 0]);
    expect(Array.from(itemSnapshotFromRows(frame, handSpec, { rows: [0, 3] }).features.vec ?? [])).toEqual([3, -3]);
    const keys = Array.from({ length: 13 }, (_, i) => `pin-${i}`);
    expect(itemSnapshotFromRows({ ...frame, keys: { item: keys } }, handSpec).itemIds).toEqual(['pin-10', 'pin-11', 'pin-12']);
    expect(() => itemSnapshotFromRows(handFrame(), handSpec, { asOf: 31 * D })).toThrow(
      `itemSnapshotFromRows: asOf (${31 * D}) is before the latest row (${32 * D}); pass only rows up to asOf, or a later asOf`,
    );
    expect(() => itemSnapshotFromRows(handFrame(), handSpec, { rows: [6] })).toThrow(
      'itemSnapshotFromRows: rows[0] must be a row in [0, 6) (got 6)',
    );
    const { vec: _, ...features } = handFrame().features;
    expect(() => itemSnapshotFromRows({ ...handFrame(), features }, handSpec)).toThrow(
      'itemSnapshotFromRows: the frame has no column for item-source feature "vec"',
    );
  });

  it('lags behind the event-log snapshot: an item shown once looks history-less, its age frozen', () => {
    const sim = simulate('tiny', 3);
    const { frame, split } = sim;
    const T = split.windows?.calibration.end as number;
    const rows = Int32Array.from([...split.rows.train, ...split.rows.calibration]);
    const lagging = itemSnapshotFromRows(frame, sim.spec, { rows, asOf: T });
    const exact = sim.itemSnapshot(T);
    expect(Object.keys(lagging.features)).toEqual(Object.keys(exact.features)); // item-source features only
    const at = new Map(exact.itemIds.map((key, i) => [key, i]));
    let olderInExact = 0;
    for (let i = 0; i < lagging.size; i++) {
      const j = at.get(lagging.itemIds[i] as string) as number;
      expect(lagging.features.item_content?.slice(i * 16, i * 16 + 16)).toEqual(
        exact.features.item_content?.slice(j * 16, j * 16 + 16),
      );
      expect(lagging.createdAt[i]).toBe(exact.createdAt[j]);
      expect(lagging.cold[i]).toBe(exact.cold[j]);
      // The latest row's history misses that impression: strictly fewer events than the exact snapshot.
      expect(lagging.features.item_stats?.[i * 7] as number).toBeLessThan(exact.features.item_stats?.[j * 7] as number);
      if ((lagging.features.item_age?.[i] as number) < (exact.features.item_age?.[j] as number)) olderInExact++;
    }
    expect(olderInExact).toBe(lagging.size);
  });
});
