import { rankingSet } from '@thaw/metrics';
import { createRng, createTensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { liftTable } from './lift-statistics.js';

/** 60 requests of 5 candidates from 12 users (user = request mod 12), 2 tasks, one fresh candidate each. */
function rankings(seed: number, shift: number) {
  const rng = createRng(seed);
  const rows = 60 * 5;
  const requestId = Int32Array.from({ length: rows }, (_, i) => Math.floor(i / 5));
  const isCold = Float32Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const label = (i: number) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0);
  const labels = createTensor(
    'float32',
    Array.from({ length: rows * 2 }, (_, k) => label(Math.floor(k / 2))),
    [rows, 2],
  );
  const scores = Float64Array.from({ length: rows }, (_, i) => rng.uniform() + rng.uniform() + shift * (isCold[i] as number));
  return rankingSet({ requestId, labels, scores, isCold, tasks: ['a', 'b'] });
}

describe('liftTable', () => {
  const baseline = [1, 2, 3].map((s) => rankings(s, 0));
  const users = Array.from({ length: 60 }, (_, r) => `u${r % 12}`);
  const { cells, statistics } = liftTable({
    tasks: ['a', 'b'],
    baseline,
    variants: new Map([
      ['all', [4, 5, 6].map((s) => rankings(s, 0.5))],
      ['dropout', baseline],
    ]),
    users,
    samples: 300,
    seed: 1,
  });

  it('declares fresh Hits@3 of the first task of all (and the single techniques) primary, Holm-corrects the rest', () => {
    expect(cells).toHaveLength(2 * 2 * 2);
    expect(statistics.primaryCells).toEqual(['all / fresh / a']);
    expect(cells.filter((c) => c.primary).map((c) => `${c.variant} ${c.slice} ${c.task}`)).toEqual(['all fresh a']);
    expect(statistics.holmFamily).toBe(7);
    for (const c of cells) {
      if (c.primary) {
        expect(c.pHolm).toBeUndefined();
        expect(c.significant).toBe(c.p < 0.05);
      } else {
        expect(c.pHolm).toBeGreaterThanOrEqual(c.p);
        expect(c.significant).toBe((c.pHolm as number) < 0.05);
      }
    }
  });

  it('gives a variant identical to the baseline seed by seed a zero lift with a zero-width interval (seeds paired)', () => {
    for (const c of cells.filter((x) => x.variant === 'dropout')) {
      expect(c.value).toBe(0);
      expect(c.ci95).toEqual([0, 0]);
      expect(c.points).toBe(0);
      expect(c.p).toBe(1);
      expect(c.perSeed).toEqual([0, 0, 0]);
    }
  });

  it("counts users, and Kish's effective users per slice: 12 users with 5 requests each count as 12", () => {
    expect(statistics.users).toBe(12);
    expect(statistics.effectiveUsers.all.a).toBeCloseTo(12, 12);
    // Fresh positives: requests whose positive is candidate 0 (request ≡ 0 mod 5): users 0, 5, 10 (×2), 3, 8 (×1 each) …
    const freshRequests = Array.from({ length: 60 }, (_, r) => r).filter((r) => r % 5 === 0);
    const perUser = new Map<string, number>();
    for (const r of freshRequests) perUser.set(users[r] as string, (perUser.get(users[r] as string) ?? 0) + 1);
    const w = [...perUser.values()];
    const kish = w.reduce((a, b) => a + b, 0) ** 2 / w.reduce((a, b) => a + b * b, 0);
    expect(statistics.effectiveUsers.fresh.a).toBeCloseTo(kish, 12);
  });
});
