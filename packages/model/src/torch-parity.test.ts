import type { ModelSpec } from '@thaw/spec';
import { referenceOps as ops, type ReferenceTensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { aldiStudent } from './aldi.js';
import { forward } from './forward.js';
import { initParameters } from './init-parameters.js';
import { type Params, paramsOnBackend } from './params.js';
import { predict } from './predict.js';
import { loadTorchFixtureCase, type TorchFixtureCase, torchFixture } from './test-utils/torch-fixture.js';
import { utilityScores } from './utility-scores.js';

const fixture = torchFixture;

const maxAbsDiff = (actual: ArrayLike<number>, expected: readonly number[]) => {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs((actual[i] as number) - (expected[i] as number)));
  return max;
};

const load = loadTorchFixtureCase;

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
/** Mean over all entries of the logistic loss, by explicit loops: ℓ = softplus(x) − y·x. */
function bce(logits: ArrayLike<number>, labels: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += softplus(logits[i] as number) - (labels[i] as number) * (logits[i] as number);
  return s / labels.length;
}

/** Eq 11 for one step with the fixture's λ and partners, on the reference forward; loops for every loss. */
function lossTerms(
  spec: ModelSpec,
  c: TorchFixtureCase,
  params: Params<ReferenceTensor>,
  features: Record<string, ReferenceTensor>,
) {
  const { logits, zBar } = forward(ops, spec, params, features);
  const n = c.batchSize;
  const tasks = spec.tasks.length;
  const { lambda, partner } = c.mixup;
  const width = zBar.shape[1] as number;
  const mixedZ = new Float64Array(n * width);
  const mixedY: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = partner[i] as number;
    for (let k = 0; k < width; k++) {
      mixedZ[i * width + k] = lambda * (zBar.data[i * width + k] as number) + (1 - lambda) * (zBar.data[j * width + k] as number);
    }
    for (let t = 0; t < tasks; t++) {
      mixedY.push(lambda * (c.labels.data[i * tasks + t] as number) + (1 - lambda) * (c.labels.data[j * tasks + t] as number));
    }
  }
  const mixedLogits = predict(ops, spec, params, ops.constant(mixedZ, [n, width]));
  let scoreReg = 0;
  for (let t = 0; t < tasks; t++) {
    const sums = [0, 0];
    const counts = [0, 0];
    for (let i = 0; i < n; i++) {
      const cold = c.isCold[i] === 1 ? 1 : 0;
      sums[cold] = (sums[cold] as number) + 1 / (1 + Math.exp(-(logits.data[i * tasks + t] as number)));
      counts[cold] = (counts[cold] as number) + 1;
    }
    scoreReg += ((sums[0] as number) / (counts[0] as number) - (sums[1] as number) / (counts[1] as number)) ** 2;
  }
  const terms = { bce: bce(logits.data, c.labels.data), mixupBce: bce(mixedLogits.data, mixedY), scoreReg };
  return { ...terms, total: terms.bce + c.lossWeights.mixup * terms.mixupBce + c.lossWeights.scoreReg * terms.scoreReg };
}

describe(`PyTorch parity (${fixture.format})`, () => {
  it('the fixture holds every documented variant', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual(['stacked-full-rank', 'parallel-low-rank-aldi', 'single-task-no-residual']);
  });

  describe.each(fixture.cases)('$name', (c) => {
    const { spec, host, features } = load(c);
    const params = paramsOnBackend(ops, host);

    it('the fixture kernels and tables are initParameters(spec, seed), its biases non-zero (the fixture is not stale)', () => {
      const fresh = initParameters(spec, c.seed);
      expect(Object.keys(fresh).sort()).toEqual(Object.keys(host).sort());
      for (const [name, t] of Object.entries(fresh)) {
        const stored = c.params[name]?.data ?? [];
        if (name.endsWith('.bias'))
          expect(
            stored.every((v) => v !== 0),
            name,
          ).toBe(true);
        else expect(Array.from(t.data), name).toEqual(stored);
      }
    });

    it('logits, z̄ and eq 12 scores equal PyTorch (max abs diff < 1e-5; float64 on both sides)', () => {
      const out = forward(ops, spec, params, features);
      expect(out.logits.shape).toEqual(c.expected.logits.shape);
      expect(maxAbsDiff(out.logits.data, c.expected.logits.data)).toBeLessThan(1e-5);
      // Both sides compute in float64 from the same float32 weights, so the agreement is far tighter.
      expect(maxAbsDiff(out.logits.data, c.expected.logits.data)).toBeLessThan(1e-12);
      expect(maxAbsDiff(out.zBar.data, c.expected.zBar.data)).toBeLessThan(1e-12);
      const scores = utilityScores(ops, spec, ops.sigmoid(out.logits));
      expect(maxAbsDiff(scores.data, c.expected.scores)).toBeLessThan(1e-12);
      if (c.expected.aldiStudent) {
        const student = aldiStudent(ops, spec, params, out.embedded.nonHistorical);
        expect(maxAbsDiff(student.data, c.expected.aldiStudent.data)).toBeLessThan(1e-12);
      }
    });

    it('the eq 11 loss terms on our forward equal PyTorch', () => {
      const terms = lossTerms(spec, c, params, features);
      for (const key of ['bce', 'mixupBce', 'scoreReg', 'total'] as const) {
        expect(Math.abs(terms[key] - c.expected.loss[key]), key).toBeLessThan(1e-12);
      }
      expect(c.expected.loss.scoreReg).toBeGreaterThan(0);
    });

    it("PyTorch's gradients equal central finite differences of eq 11 on our forward", () => {
      // Every entry of every parameter the loss depends on (the ALDI student is not in eq 11).
      const h = 1e-6;
      let worst = 0;
      for (const [name, grad] of Object.entries(c.expected.gradients)) {
        const base = host[name];
        if (!base) throw new Error(`fixture gradient for unknown parameter ${name}`);
        for (let i = 0; i < base.data.length; i++) {
          const at = (delta: number) => {
            const data = Float64Array.from(base.data);
            data[i] = (data[i] as number) + delta;
            return lossTerms(spec, c, { ...params, [name]: ops.constant(data, base.shape) }, features).total;
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          const analytic = grad.data[i] as number;
          worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(analytic)));
        }
      }
      expect(worst).toBeLessThan(1e-5);
    });
  });
});
