import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { mixRows } from '@thaw/mixup';
import { aldiStudent } from '@thaw/model';
import { validateSpec } from '@thaw/spec';
import { createTensor, type Tensor } from '@thaw/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfWarmerObjective } from '../losses/tfjs-losses.js';
import { useTfjsBackend } from '../tfjs/backend.js';
import { tfjsOps } from '../tfjs/tfjs-ops.js';
import { buildModel } from './build-model.js';

/**
 * The PyTorch parity fixture of @thaw/model (packages/model/fixtures/torch-small.json, written by
 * make_torch_fixture.py with torch in float64): the same weights and inputs, the expected logits,
 * the eq 11 loss terms of one step (λ and mixup partners fixed) and the gradient of the total loss
 * w.r.t. every parameter. Here the tfjs model (float32, wasm, our custom matMul/gather gradients)
 * is compared with it — no Python at test time.
 */
interface Plain {
  shape: number[];
  data: number[];
}
interface FixtureCase {
  name: string;
  spec: unknown;
  batchSize: number;
  params: Record<string, Plain>;
  features: Record<string, Plain & { dtype: 'float32' | 'int32' }>;
  labels: Plain;
  isCold: number[];
  mixup: { lambda: number; partner: number[] };
  lossWeights: { mixup: number; scoreReg: number };
  expected: {
    logits: Plain;
    zBar: Plain;
    scores: number[];
    aldiStudent?: Plain;
    loss: { bce: number; mixupBce: number; scoreReg: number; total: number };
    gradients: Record<string, Plain>;
  };
}

const fixture = JSON.parse(readFileSync(new URL('../../../model/fixtures/torch-small.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};

const maxAbsDiff = (a: ArrayLike<number>, b: readonly number[]) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

function setup(c: FixtureCase) {
  const spec = validateSpec(c.spec, c.name);
  const weights: Record<string, Tensor> = {};
  for (const [name, p] of Object.entries(c.params)) weights[name] = createTensor('float32', p.data, p.shape);
  const features = Object.fromEntries(
    Object.entries(c.features).map(([k, f]) => [
      k,
      f.dtype === 'int32' ? createTensor('int32', f.data, f.shape) : createTensor('float32', f.data, f.shape),
    ]),
  );
  const batch = {
    size: c.batchSize,
    features,
    labels: createTensor('float32', c.labels.data, c.labels.shape),
    isCold: createTensor('float32', c.isCold, [c.isCold.length]),
  };
  return { spec, model: buildModel(spec, { weights }), batch };
}

describe('tfjs model vs PyTorch (fixture of @thaw/model)', () => {
  beforeAll(async () => {
    await useTfjsBackend({ prefer: 'wasm' });
  });

  describe.each(fixture.cases)('$name', (c) => {
    it('logits and z̄ equal PyTorch (max abs diff < 1e-5), scores (eq 12) and the ALDI student too', async () => {
      const { spec, model, batch } = setup(c);
      const out = model.forward(batch, { aldi: false });
      const scores = model.scores(batch, { aldi: false });
      const logitDiff = maxAbsDiff(await out.logits.data(), c.expected.logits.data);
      expect(logitDiff).toBeLessThan(1e-5);
      expect(maxAbsDiff(await out.zBar.data(), c.expected.zBar.data)).toBeLessThan(1e-5);
      expect(maxAbsDiff(await scores.data(), c.expected.scores)).toBeLessThan(1e-5);
      if (c.expected.aldiStudent !== undefined) {
        const student = aldiStudent(tfjsOps, spec, model.variables, out.embedded.nonHistorical);
        expect(maxAbsDiff(await student.data(), c.expected.aldiStudent.data)).toBeLessThan(1e-5);
        student.dispose();
      }
      if (process.env.THAW_REPORT) console.log(`[torch] ${c.name} logits max abs diff ${logitDiff.toExponential(2)}`);
      tf.dispose([out.logits, out.zBar, out.embedded.historical, out.embedded.nonHistorical, scores]);
      model.dispose();
    });

    it('eq 11 loss terms and the gradient of the total w.r.t. every parameter equal PyTorch (< 1e-4 relative)', async () => {
      const { spec, model, batch } = setup(c);
      const plan = { partner: Int32Array.from(c.mixup.partner), lambda: c.mixup.lambda };
      let terms: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const labels = tf.tensor(c.labels.data, c.labels.shape);
        const { logits, zBar } = model.forward(batch, { aldi: false });
        const mixedLogits = model.predict(mixRows(tfjsOps, zBar, plan));
        const objective = tfWarmerObjective({
          labels,
          logits,
          mixedLabels: mixRows(tfjsOps, labels, plan),
          mixedLogits,
          isCold: tf.tensor1d(c.isCold),
          lambda1: c.lossWeights.mixup,
          lambda2: c.lossWeights.scoreReg,
        });
        terms = tf.keep(tf.stack([objective.bce, objective.mixup, objective.scoreReg, objective.total]));
        return objective.total as tf.Scalar;
      });
      const [bce, mixup, scoreReg, total] = Array.from(await (terms as tf.Tensor).data());
      const expected = c.expected.loss;
      const lossRel = (a: number | undefined, b: number) => Math.abs((a as number) - b) / Math.abs(b);
      expect(lossRel(bce, expected.bce)).toBeLessThan(1e-5);
      expect(lossRel(mixup, expected.mixupBce)).toBeLessThan(1e-5);
      expect(lossRel(scoreReg, expected.scoreReg)).toBeLessThan(1e-4);
      expect(lossRel(total, expected.total)).toBeLessThan(1e-5);

      const tfName = new Map(Object.entries(model.variables).map(([name, v]) => [name, v.name]));
      let worst = 0;
      for (const [name, g] of Object.entries(c.expected.gradients)) {
        const ours = grads[tfName.get(name) as string];
        expect(ours, `gradient of ${name}`).toBeDefined();
        const data = await (ours as tf.Tensor).data();
        let diff2 = 0;
        let norm2 = 0;
        for (let i = 0; i < g.data.length; i++) {
          diff2 += ((data[i] as number) - (g.data[i] as number)) ** 2;
          norm2 += (g.data[i] as number) ** 2;
        }
        const relative = Math.sqrt(diff2) / Math.max(Math.sqrt(norm2), 1e-12);
        worst = Math.max(worst, relative);
        expect(relative, name).toBeLessThan(1e-4);
      }
      if (spec.coldStart.aldi.enabled) expect(Object.keys(c.expected.gradients).some((n) => n.startsWith('aldi.'))).toBe(false);
      if (process.env.THAW_REPORT) {
        const rel = [bce, mixup, scoreReg, total].map((v, i) =>
          lossRel(v, [expected.bce, expected.mixupBce, expected.scoreReg, expected.total][i] as number),
        );
        console.log(
          `[torch] ${c.name} loss rel errors ${rel.map((r) => r.toExponential(1)).join(', ')}; worst gradient rel ${worst.toExponential(2)}`,
        );
      }
      tf.dispose([value, terms as tf.Tensor, ...Object.values(grads)]);
      model.dispose();
    });
  });
});
