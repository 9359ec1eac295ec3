import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitPlatt, sigmoid } from './calibration.js';

interface Case {
  name: string;
  logits: number[];
  labels: number[];
  a: number;
  b: number;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/platt.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('fitPlatt', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches scikit-learn on %s', (_, c) => {
    const fit = fitPlatt(c.logits, c.labels);
    expect(Math.abs(fit.a - c.a)).toBeLessThan(1e-5 * (1 + Math.abs(c.a)));
    expect(Math.abs(fit.b - c.b)).toBeLessThan(1e-5 * (1 + Math.abs(c.b)));
  });

  it('satisfies the first-order conditions: Σ(p − y) = 0 and Σ(p − y)·s = 0', () => {
    const c = fixture.cases[0] as Case;
    const fit = fitPlatt(c.logits, c.labels);
    let g0 = 0;
    let g1 = 0;
    c.logits.forEach((s, i) => {
      const r = sigmoid(fit.a * s + fit.b) - (c.labels[i] as number);
      g0 += r;
      g1 += r * s;
    });
    expect(Math.abs(g0) / c.logits.length).toBeLessThan(1e-10);
    expect(Math.abs(g1) / c.logits.length).toBeLessThan(1e-10);
  });

  it('keeps the identity with a note for a single-class window and refuses empty input', () => {
    expect(fitPlatt([0.1, 2], [0, 0])).toEqual({ a: 1, b: 0, note: 'calibration window has no positive label; identity kept' });
    expect(fitPlatt([0.1, 2], [1, 1]).note).toBe('calibration window has no negative label; identity kept');
    expect(() => fitPlatt([], [])).toThrow('fitPlatt: logits and labels must have the same non-zero length (got 0 and 0)');
  });
});
