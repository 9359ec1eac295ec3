import { describe, expect, it } from 'vitest';
import { sampleNegatives } from './sample-negatives.js';

const requests = (c: ReturnType<typeof sampleNegatives>) => {
  const out: { positive: number; negatives: number[] }[] = [];
  c.request.forEach((q, r) => {
    out[q] ??= { positive: -1, negatives: [] };
    const entry = out[q] as { positive: number; negatives: number[] };
    if (c.positive[r] === 1) entry.positive = c.item[r] as number;
    else entry.negatives.push(c.item[r] as number);
  });
  return out.map((e) => ({ ...e, negatives: e.negatives.sort() }));
};

// Items 0–4 join the catalogue at [0, 0, 10, 20, never]; events (t, item, user): (5, 0, 0), (15, 1, 1), (25, 2, 0).
const input = {
  times: [5, 15, 25],
  items: [0, 1, 2],
  users: [0, 1, 0],
  itemCount: 5,
  availableFrom: [0, 0, 10, 20, Infinity],
  negatives: 10,
};

describe('sampleNegatives', () => {
  it('draws from the catalogue existing at the time, including never-engaged items, excluding what the user rated', () => {
    // t=5: catalogue {0, 1}; 0 is the positive → {1}. t=15, user 1: {0, 1, 2} − {1} → {0, 2}.
    // t=25, user 0 (rated 0 and 2): {0, 1, 2, 3} − {0, 2} → {1, 3}; item 3 has never been engaged with.
    expect(requests(sampleNegatives(input))).toEqual([
      { positive: 0, negatives: [1] },
      { positive: 1, negatives: [0, 2] },
      { positive: 2, negatives: [1, 3] },
    ]);
  });

  it('records the negatives each request could not get (a catalogue smaller than asked)', () => {
    // Pools as above: {1}, {0, 2}, {1, 3} for 10 negatives each → 9, 8, 8 missing.
    const c = sampleNegatives(input);
    expect(Array.from(c.shortfall)).toEqual([9, 8, 8]);
    expect(c.shortRequests).toBe(3);
    const history = sampleNegatives({ ...input, mode: 'historyOnly' });
    expect(Array.from(history.shortfall)).toEqual([10, 9, 9]); // request 0 keeps only its positive
    const enough = sampleNegatives({ ...input, negatives: [1, 2, 2] });
    expect(Array.from(enough.shortfall)).toEqual([0, 0, 0]);
    expect(enough.shortRequests).toBe(0);
  });

  it('finds the last eligible items when rejection sampling gives up (no shortfall while the pool has items)', () => {
    // 1,000 items; user 0 rates items 1…998 (no negatives), then item 0 asking 1 negative: only item
    // 999 is eligible. 40 uniform draws find it with probability 1 − 0.999^40 ≈ 4%; it must always be found.
    const n = 999;
    for (const seed of [0, 1, 2]) {
      const c = sampleNegatives({
        times: Array.from({ length: n }, (_, i) => i),
        items: Array.from({ length: n }, (_, i) => (i + 1) % n),
        users: new Array(n).fill(0),
        itemCount: 1000,
        availableFrom: new Array(1000).fill(0),
        negatives: Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0)),
        seed,
      });
      const last = requests(c)[n - 1];
      expect(last).toEqual({ positive: 0, negatives: [999] });
      expect(c.shortfall[n - 1]).toBe(0);
    }
  });

  it("'historyOnly' draws only items with an earlier positive event (the leaky protocol)", () => {
    expect(requests(sampleNegatives({ ...input, mode: 'historyOnly' }))).toEqual([
      { positive: 0, negatives: [] },
      { positive: 1, negatives: [0] },
      { positive: 2, negatives: [1] },
    ]);
  });

  it('is uniform over the eligible items, shuffles the positive among its candidates, and is seeded', () => {
    const n = 4500;
    const many = {
      times: Array.from({ length: n }, (_, i) => i),
      items: new Array(n).fill(0),
      users: Array.from({ length: n }, (_, i) => i),
      itemCount: 10,
      availableFrom: new Array(10).fill(0),
      negatives: 1,
      seed: 7,
    };
    const c = sampleNegatives(many);
    const counts = new Array(10).fill(0);
    c.item.forEach((item, r) => {
      if (c.positive[r] === 0) counts[item]++;
    });
    expect(counts[0]).toBe(0);
    const expected = n / 9;
    const sd = Math.sqrt(n * (1 / 9) * (8 / 9));
    for (let i = 1; i < 10; i++) expect(Math.abs(counts[i] - expected)).toBeLessThan(5 * sd);
    const positiveFirst = Array.from({ length: n }, (_, q) => c.positive[2 * q]).filter((p) => p === 1).length;
    expect(Math.abs(positiveFirst - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
    expect(sampleNegatives(many)).toEqual(c);
  });

  it('takes one negative count per event', () => {
    // Same pools as above; counts [0, 1, 2] → request 0 keeps only its positive, request 1 gets one
    // of {0, 2}, request 2 both of {1, 3}.
    const c = requests(sampleNegatives({ ...input, negatives: [0, 1, 2], seed: 3 }));
    expect(c[0]).toEqual({ positive: 0, negatives: [] });
    expect(c[1]?.negatives).toHaveLength(1);
    expect([0, 2]).toContain(c[1]?.negatives[0]);
    expect(c[2]).toEqual({ positive: 2, negatives: [1, 3] });
    expect(() => sampleNegatives({ ...input, negatives: [1, 2] })).toThrow(
      'sampleNegatives: negatives has 2 counts but there are 3 events; give one count per event or a single number',
    );
    expect(() => sampleNegatives({ ...input, negatives: [1, 2.5, 1] })).toThrow(
      'sampleNegatives: negatives[1] must be an integer ≥ 0 (got 2.5)',
    );
  });

  it('rejects unsorted times and bad counts', () => {
    expect(() => sampleNegatives({ ...input, times: [5, 4, 6] })).toThrow(
      'sampleNegatives: times must be non-decreasing (times[1] = 4 < times[0] = 5)',
    );
    expect(() => sampleNegatives({ ...input, negatives: -1 })).toThrow(
      'sampleNegatives: negatives must be an integer ≥ 0 (got -1)',
    );
  });
});
