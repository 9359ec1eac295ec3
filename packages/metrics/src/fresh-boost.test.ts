import { utilityScores } from '@thaw/model';
import { referenceOps } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { boostFrontier, DEFAULT_BOOSTS, freshBoostProbabilities, matchBoost } from './fresh-boost.js';

/** The boosted ranker's score: eq 12 (utilityScores of @thaw/model) of the boosted probabilities. */
const freshBoostScores = (probs: number[][], isCold: number[], utility: number[], boost: number) =>
  utilityScores(referenceOps, utility, freshBoostProbabilities(probs, isCold, boost)).data;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('freshBoostScores', () => {
  it('adds the boost to every task logit of cold rows only, then combines with eq 12', () => {
    const probs = [
      [0.1, 0.5],
      [0.2, 0.3],
    ];
    const s = freshBoostScores(probs, [1, 0], [1, 2], 1);
    expect(s[0]).toBeCloseTo(sigmoid(Math.log(0.1 / 0.9) + 1) + 2 * sigmoid(Math.log(0.2 / 0.8) + 1), 12);
    expect(s[1]).toBeCloseTo(0.5 + 2 * 0.3, 12);
    expect(Array.from(freshBoostScores(probs, [1, 0], [1, 2], 0))).toEqual([0.1 + 2 * 0.2, 0.5 + 2 * 0.3]);
    expect(() => freshBoostScores(probs, [1], [1, 2], 1)).toThrow('freshBoostProbabilities: isCold has 1 rows but probs has 2');
    expect(() => freshBoostScores(probs, [1, 0], [1, 2], Number.NaN)).toThrow('boost must be a finite number');
  });
});

describe('boostFrontier and matchBoost', () => {
  // All-items rises to a peak at b = 0.5 then falls; fresh rises with the boost.
  const curve = (b: number) => ({ all: 0.9 - 0.1 * (b - 0.5) ** 2, fresh: 0.3 + 0.1 * b });
  const frontier = boostFrontier(curve, DEFAULT_BOOSTS);

  it('evaluates every boost in ascending order', () => {
    expect(frontier.map((p) => p.boost)).toEqual([...DEFAULT_BOOSTS]);
    expect(frontier[0]).toEqual({ boost: -1, ...curve(-1) });
    expect(() => boostFrontier(curve, [])).toThrow('boostFrontier: boosts must be a non-empty list');
  });

  it('matches an all-items target on the falling branch by interpolation; above the peak returns the peak; below returns the largest boost', () => {
    // 0.9 − 0.1·(b − 0.5)² = 0.8 at b = 1.5 exactly (a grid point).
    expect(matchBoost(frontier, 0.8)).toEqual({ boost: 1.5, kind: 'matched' });
    // Between grid points: linear interpolation of the two neighbours (0.9 − 0.1·0.5² = 0.875 at b = 1, 0.8 at b = 1.5).
    const target = 0.85;
    const m = matchBoost(frontier, target);
    expect(m.kind).toBe('matched');
    const a = curve(1.0).all;
    const b = curve(1.5).all;
    expect(m.boost).toBeCloseTo(1.0 + ((a - target) / (a - b)) * 0.5, 12);
    expect(matchBoost(frontier, 0.95)).toEqual({ boost: 0.5, kind: 'peak' });
    expect(matchBoost(frontier, -1)).toEqual({ boost: 4, kind: 'end' });
    // The rising branch (b < 0.5) is never chosen, though it also reaches 0.85.
    expect(m.boost).toBeGreaterThan(0.5);
  });

  it('matches a fresh-items target on the same branch: fresh rises with the boost; colder than the peak returns the peak', () => {
    // fresh = 0.3 + 0.1·b: 0.4 at b = 1 (a grid point), 0.42 between 1 and 1.5.
    expect(matchBoost(frontier, 0.4, 'fresh')).toEqual({ boost: 1, kind: 'matched' });
    expect(matchBoost(frontier, 0.42, 'fresh').boost).toBeCloseTo(1.2, 12);
    // At or below the fresh metric of the all-items maximiser (0.35 at b = 0.5): the peak, never the dominated rising branch.
    expect(matchBoost(frontier, 0.32, 'fresh')).toEqual({ boost: 0.5, kind: 'peak' });
    expect(matchBoost(frontier, 0.9, 'fresh')).toEqual({ boost: 4, kind: 'end' });
  });
});
