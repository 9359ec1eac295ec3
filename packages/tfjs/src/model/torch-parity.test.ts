import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { aldiStudent, LOSS_TERMS, type ObjectiveConfig, objectiveConfigFromSpec } from '@thaw/model';
import { validateSpec } from '@thaw/spec';
import { createRng, createTensor, type Tensor } from '@thaw/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import { tfjsOps } from '../backend/tfjs-ops.js';
import { createOptimizer } from '../train/optimizer.js';
import { trainStep } from '../train/train-step.js';
import { buildModel } from './build-model.js';

/**
 * The PyTorch parity fixture of @thaw/model (packages/model/fixtures/torch-small.json, written by
 * make_torch_fixture.py with torch in float64): the same weights and inputs, the expected logits,
 * the eq 11 loss terms of one step (λ and mixup partners fixed) and the gradient of the total loss
 * w.r.t. every parameter. Here the tfjs model (float32, wasm, our custom matMul/gather gradients)
 * and the production training step (`trainStep` with SGD at learning rate 1, so each parameter
 * moves by exactly −gradient) are compared with it — no Python at test time.
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

    it('trainStep (SGD, lr = 1) reports PyTorch’s eq 11 terms and moves every parameter by −(PyTorch’s gradient) (< 1e-4 relative)', async () => {
      const { spec, model, batch } = setup(c);
      // The production step with the fixture's objective: λ1, λ2 and its mixup partners and λ.
      const { aldiStage: _, ...base } = objectiveConfigFromSpec(spec);
      const config: ObjectiveConfig = {
        ...base,
        lambda1: c.lossWeights.mixup,
        lambda2: c.lossWeights.scoreReg,
        dropoutRate: 0,
        mixupLayer: 'interaction',
        scoreReg: { ...base.scoreReg, kernel: 'mean' }, // the fixture's eq 6 is the mean form
      };
      const before = await model.getWeights();
      const optimizer = createOptimizer({ kind: 'sgd', learningRate: 1 });
      const termsTensor = trainStep(model, batch, createRng(0), config, optimizer, {
        mixupPlan: { partner: Int32Array.from(c.mixup.partner), lambda: c.mixup.lambda },
      });
      const terms = await termsTensor.data();
      termsTensor.dispose();
      const after = await model.getWeights();
      const at = (name: (typeof LOSS_TERMS)[number]) => terms[LOSS_TERMS.indexOf(name)] as number;
      const expected = c.expected.loss;
      const lossRel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      const rel = [
        lossRel(at('bce'), expected.bce),
        lossRel(at('mixup'), expected.mixupBce),
        lossRel(at('scoreReg'), expected.scoreReg),
        lossRel(at('total'), expected.total),
      ];
      expect(rel[0]).toBeLessThan(1e-5);
      expect(rel[1]).toBeLessThan(1e-5);
      expect(rel[2]).toBeLessThan(1e-4);
      expect(rel[3]).toBeLessThan(1e-5);

      let worst = 0;
      for (const name of Object.keys(before)) {
        const p0 = before[name]?.data as Float32Array;
        const p1 = after[name]?.data as Float32Array;
        const g = c.expected.gradients[name];
        if (g === undefined) {
          // aldi.*: not in eq 11, so the step leaves it alone
          expect(name.startsWith('aldi.'), `${name} has no fixture gradient`).toBe(true);
          expect(Array.from(p1), name).toEqual(Array.from(p0));
          continue;
        }
        let diff2 = 0;
        let norm2 = 0;
        for (let i = 0; i < g.data.length; i++) {
          const step = (p1[i] as number) - (p0[i] as number);
          diff2 += (step + (g.data[i] as number)) ** 2;
          norm2 += (g.data[i] as number) ** 2;
        }
        // A parameter PyTorch gives an exactly zero gradient (the gate of a single expert) must not move.
        const relative = norm2 === 0 ? Math.sqrt(diff2) : Math.sqrt(diff2) / Math.sqrt(norm2);
        worst = Math.max(worst, relative);
        expect(relative, name).toBeLessThan(1e-4);
      }
      if (process.env.THAW_REPORT) {
        console.log(
          `[torch] ${c.name} trainStep loss rel errors ${rel.map((r) => r.toExponential(1)).join(', ')}; worst parameter-change rel error vs −gradient ${worst.toExponential(2)}`,
        );
      }
      optimizer.dispose();
      model.dispose();
    });
  });
});
