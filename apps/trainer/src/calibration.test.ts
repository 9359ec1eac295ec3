import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitPlatt, fitTaskCalibrations, sigmoid } from './calibration.js';

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

  it('refuses a negative slope, which would reverse the task’s ranking: the identity is kept with a note', () => {
    // Logits that rank the positives last: the maximum-likelihood slope is negative.
    const logits = [-2, -1, 0, 1, 2, 3, -1.5, 0.5, 2.5, -0.5];
    const labels = [1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
    const fit = fitPlatt(logits, labels);
    expect(fit.a).toBe(1);
    expect(fit.b).toBe(0);
    expect(fit.note).toMatch(/^fitted slope a = -\d+\.\d+ ≤ 0 would reverse the ranking; identity kept/);
  });
});

describe('fitTaskCalibrations', () => {
  it('fits each task on its own column and warns, naming the task, when a fit falls back to the identity', () => {
    const spec = { tasks: [{ name: 'click' }, { name: 'save' }] };
    // click: the logit predicts the label; save: the logit is reversed.
    const rows = 200;
    const logits = new Float32Array(rows * 2);
    const labels = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      const x = (i % 20) / 5 - 2;
      logits[i * 2] = x;
      labels[i * 2] = (i * 7919) % 100 < 100 / (1 + Math.exp(-2 * x)) ? 1 : 0;
      logits[i * 2 + 1] = x;
      labels[i * 2 + 1] = (i * 104729) % 100 < 100 / (1 + Math.exp(2 * x)) ? 1 : 0;
    }
    const warnings: string[] = [];
    const fits = fitTaskCalibrations(spec, { logits, labels, taskCount: 2, rows: new Int32Array(rows) }, (message) =>
      warnings.push(message),
    );
    expect(fits[0]?.a).toBeGreaterThan(0);
    expect(fits[0]?.note).toBeUndefined();
    expect(fits[1]).toMatchObject({ a: 1, b: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /calibration of task 'save': fitted slope a = -\d+\.\d+ ≤ 0 would reverse the ranking; identity kept/,
    );
  });
});
