import { type Ops, type ReferenceTensor, referenceOps as r } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { warmerObjective } from './warmer-objective.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const bce = (y: number, x: number) => -y * Math.log(sigmoid(x)) - (1 - y) * Math.log(1 - sigmoid(x));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const v = (t: { data: ArrayLike<number> }) => t.data[0] as number;

// 3 samples × 2 tasks; sample 2 is cold.
const labels = [1, 0, 0, 1, 1, 1];
const logits = [1.5, -0.5, 0.2, 0.8, -1, 2];
const mixedLabels = [0.7, 0.3, 0.4, 0.6, 0.9, 0.8];
const mixedLogits = [0.4, -0.2, 0.1, 0.5, 0.3, 1.1];
const isCold = [0, 0, 1];

const expectedBce = mean(labels.map((y, i) => bce(y, logits[i] as number)));
const expectedMix = mean(mixedLabels.map((y, i) => bce(y, mixedLogits[i] as number)));
const p = logits.map(sigmoid);
const expectedReg = [0, 1].reduce((s, t) => {
  const warm = ((p[t] as number) + (p[2 + t] as number)) / 2;
  return s + (warm - (p[4 + t] as number)) ** 2;
}, 0);

/**
 * `referenceOps` that record, for every tensor an op returns, every tensor it was computed from:
 * the graph an autodiff backend would differentiate through.
 */
function tracingOps() {
  const ancestors = new WeakMap<object, Set<object>>();
  const ops = new Proxy(r, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out = value.apply(target, args);
        const from = new Set<object>();
        for (const arg of args.flat()) {
          if (typeof arg !== 'object' || arg === null) continue;
          from.add(arg);
          for (const a of ancestors.get(arg) ?? []) from.add(a);
        }
        if (typeof out === 'object' && out !== null) ancestors.set(out, from);
        return out;
      };
    },
  }) as Ops<ReferenceTensor>;
  const dependsOn = (result: object, input: object) => ancestors.get(result)?.has(input) ?? false;
  return { ops, dependsOn };
}

const inputs = () => ({
  labels: r.constant(labels, [3, 2]),
  logits: r.constant(logits, [3, 2]),
  mixedLabels: r.constant(mixedLabels, [3, 2]),
  mixedLogits: r.constant(mixedLogits, [3, 2]),
  isCold: r.constant(isCold, [3]),
});

describe('warmerObjective (eq 10/11)', () => {
  it('returns each term and total = bce + 0.2·mixup + 0.1·scoreReg by default', () => {
    const terms = warmerObjective(r, inputs());
    expect(v(terms.bce)).toBeCloseTo(expectedBce, 13);
    expect(v(terms.mixup)).toBeCloseTo(expectedMix, 13);
    expect(v(terms.scoreReg)).toBeCloseTo(expectedReg, 13);
    expect(v(terms.total)).toBeCloseTo(expectedBce + 0.2 * expectedMix + 0.1 * expectedReg, 13);
  });

  it('uses the given λ1, λ2, probs and ScoreReg options', () => {
    const probs = [0.9, 0.1, 0.5, 0.5, 0.3, 0.3];
    const reg = ((0.9 + 0.5) / 2 - 0.3) ** 2;
    const terms = warmerObjective(r, {
      ...inputs(),
      probs: r.constant(probs, [3, 2]),
      lambda1: 0.5,
      lambda2: 2,
      scoreRegOptions: { tasks: [0] },
    });
    expect(v(terms.scoreReg)).toBeCloseTo(reg, 14);
    expect(v(terms.total)).toBeCloseTo(expectedBce + 0.5 * expectedMix + 2 * reg, 13);
  });

  it('drops absent terms: no mixed samples, no isCold with λ2 = 0', () => {
    const { labels: y, logits: x } = inputs();
    const terms = warmerObjective(r, { labels: y, logits: x, lambda2: 0 });
    expect(v(terms.mixup)).toBe(0);
    expect(v(terms.scoreReg)).toBe(0);
    expect(v(terms.total)).toBeCloseTo(expectedBce, 13);
  });

  it('a zero-weighted term stays off the gradient path of total, but is still reported when cheap', () => {
    const { ops, dependsOn } = tracingOps();
    const probs = ops.sigmoid(ops.constant(logits, [3, 2]));
    const given = { ...inputs(), probs };
    const weighted = warmerObjective(ops, given);
    expect(dependsOn(weighted.total, probs)).toBe(true);
    expect(dependsOn(weighted.total, given.mixedLogits)).toBe(true);

    const baseline = warmerObjective(ops, { ...given, lambda1: 0, lambda2: 0 });
    expect(dependsOn(baseline.total, probs)).toBe(false);
    expect(dependsOn(baseline.total, given.mixedLogits)).toBe(false);
    expect(v(baseline.total)).toBeCloseTo(expectedBce, 13);
    // Logged anyway: the mixup loss and the mean-kernel L_MMD are O(N·T).
    expect(v(baseline.mixup)).toBeCloseTo(expectedMix, 13);
    expect(v(baseline.scoreReg)).toBeCloseTo(expectedReg, 13);
  });

  it("with kernel 'rbf' and λ2 = 0 the N×N×T term is not computed at all (reported as 0)", () => {
    const { ops, dependsOn } = tracingOps();
    const probs = ops.sigmoid(ops.constant(logits, [3, 2]));
    const terms = warmerObjective(ops, { ...inputs(), probs, lambda2: 0, scoreRegOptions: { kernel: 'rbf' } });
    expect(dependsOn(terms.scoreReg, probs)).toBe(false);
    expect(v(terms.scoreReg)).toBe(0);
    expect(v(terms.total)).toBeCloseTo(expectedBce + 0.2 * expectedMix, 13);
  });

  it("passes taskLosses to both supervised terms ('mse' on σ(logit))", () => {
    const sq = (y: number, x: number) => (sigmoid(x) - y) ** 2;
    const el = (ys: number[], xs: number[]) =>
      mean(ys.map((y, i) => (i % 2 === 0 ? bce(y, xs[i] as number) : sq(y, xs[i] as number))));
    const terms = warmerObjective(r, { ...inputs(), taskLosses: ['bce', 'mse'] });
    expect(v(terms.bce)).toBeCloseTo(el(labels, logits), 13);
    expect(v(terms.mixup)).toBeCloseTo(el(mixedLabels, mixedLogits), 13);
  });

  it('explains misuse', () => {
    const { labels: y, logits: x, mixedLabels: ym } = inputs();
    expect(() => warmerObjective(r, { labels: y, logits: x, mixedLabels: ym, lambda2: 0 })).toThrow(
      'warmerObjective: mixedLabels was given without its partner; pass both mixedLabels and mixedLogits, or neither',
    );
    expect(() => warmerObjective(r, { labels: y, logits: x })).toThrow(
      /isCold is required when lambda2 > 0 \(got lambda2 = 0\.1\)/,
    );
    expect(() => warmerObjective(r, { ...inputs(), lambda1: -1 })).toThrow(
      'warmerObjective: lambda1 must be a finite number ≥ 0 (got -1)',
    );
  });
});
