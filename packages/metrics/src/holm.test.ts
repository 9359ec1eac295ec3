import { describe, expect, it } from 'vitest';
import { effectiveClusterCount } from './effective-clusters.js';
import { holmAdjust } from './holm.js';
import { requestClusters } from './request-clusters.js';

describe('holmAdjust', () => {
  it('matches a hand-computed family', () => {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => {
      expect(adjusted[i]).toBeCloseTo(expected, 15);
    });
  });

  it('caps at 1, keeps NaN out of the family, and leaves a single p-value unchanged', () => {
    const adjusted = holmAdjust([0.4, Number.NaN, 0.3, 0.2]);
    // m = 3: 0.2·3 = 0.6, 0.3·2 = 0.6, 0.4·1 → max(0.6, 0.4) = 0.6.
    expect(adjusted[3]).toBeCloseTo(0.6, 15);
    expect(adjusted[2]).toBeCloseTo(0.6, 15);
    expect(adjusted[0]).toBeCloseTo(0.6, 15);
    expect(adjusted[1]).toBeNaN();
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
    expect(holmAdjust([0.013])).toEqual([0.013]);
    expect(() => holmAdjust([0.2, 1.5])).toThrow(/pValues\[1\] must be in \[0, 1\] \(got 1.5\)/);
  });
});

describe('effectiveClusterCount', () => {
  it("is Kish's (Σw)²/Σw² over clusters", () => {
    expect(effectiveClusterCount([1, 1, 1, 1], ['u1', 'u1', 'u2', 'u3'])).toBeCloseTo(16 / 6, 15);
    expect(effectiveClusterCount([1, 1, 1, 1], [1, 2, 3, 4])).toBe(4);
    // One user holding 97 of 100 requests, three holding one each: 100² / (97² + 3) ≈ 1.06.
    const users = [...Array(97).fill('big'), 'a', 'b', 'c'];
    expect(effectiveClusterCount(Array(100).fill(1), users)).toBeCloseTo(10000 / 9412, 12);
    expect(effectiveClusterCount([0, 0], [1, 2])).toBe(0);
    expect(() => effectiveClusterCount([1, Number.NaN])).toThrow(/weight 1 must be finite and ≥ 0/);
  });
});

describe('requestClusters', () => {
  it('reads the cluster of each request from a per-row column, in request order', () => {
    const columns = { requestId: [7, 9, 7, 9, 4], scores: [1, 2, 3, 4, 5], labels: [0, 1, 1, 0, 1] };
    expect(requestClusters(columns, ['ann', 'bob', 'ann', 'bob', 'ann'])).toEqual(['ann', 'bob', 'ann']);
    expect(() => requestClusters(columns, ['ann', 'bob', 'cy', 'bob', 'ann'])).toThrow(
      /request 7 has rows in clusters ann and cy/,
    );
    expect(() => requestClusters(columns, ['ann'])).toThrow(/rowClusters has 1 entries but the set has 5 rows/);
  });
});
