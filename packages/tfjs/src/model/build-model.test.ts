import * as tf from '@tensorflow/tfjs-core';
import { embed, featuresOnBackend, initParameters, interact, paramsOnBackend, predict } from '@thaw/model';
import { countParameters, demoSpec, type FeatureBatch, refMSpec, validateSpec } from '@thaw/spec';
import { createTensor, referenceOps, type Tensor } from '@thaw/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import { randomFeatureBatch } from '../testing/random-feature-batch.js';
import { syntheticBatches, syntheticSpec } from '../testing/synthetic-cold-start.js';
import { buildModel } from './build-model.js';
import { featureTensors } from './feature-tensors.js';

const aldiSpec = validateSpec(
  { ...demoSpec, coldStart: { ...demoSpec.coldStart, aldi: { ...demoSpec.coldStart.aldi, enabled: true } } },
  'aldi',
);

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('buildModel', () => {
  it.each([
    ['ref-m', refMSpec],
    ['demo', demoSpec],
    ['demo + ALDI', aldiSpec],
  ] as const)('holds one trainable variable per parameter, %s: count === countParameters(spec).total', (_, spec) => {
    const model = buildModel(spec, { seed: 1 });
    const trainable = Object.values(model.variables).filter((v) => v.trainable);
    expect(trainable.reduce((n, v) => n + v.size, 0)).toBe(countParameters(spec).total);
    expect(model.parameterCount).toBe(countParameters(spec).total);
    model.dispose();
  });

  it('runs the whole ref-m forward like the float64 reference backend (max abs diff < 1e-5 on logits and z̄)', {
    timeout: 60_000,
  }, async () => {
    const spec = refMSpec;
    const model = buildModel(spec, { seed: 3 });
    const batch = randomFeatureBatch(spec, { size: 4, seed: 9 });
    const r = referenceOps;
    const params = paramsOnBackend(r, initParameters(spec, 3));
    const zRef = interact(r, spec, params, embed(r, spec, params, featuresOnBackend(r, spec, batch)));
    const logitsRef = predict(r, spec, params, zRef);
    const out = model.forward(batch);
    const logitDiff = maxAbsDiff(await out.logits.data(), logitsRef.data);
    const zDiff = maxAbsDiff(await out.zBar.data(), zRef.data);
    if (process.env.THAW_REPORT)
      console.log(`[ref-m] tfjs vs reference: logits ${logitDiff.toExponential(2)}, zBar ${zDiff.toExponential(2)}`);
    expect(logitDiff).toBeLessThan(1e-5);
    expect(zDiff).toBeLessThan(1e-5);
    // the forward is not trivial: logits vary between rows
    expect(Math.max(...logitsRef.data) - Math.min(...logitsRef.data)).toBeGreaterThan(1e-3);
    tf.dispose([out.logits, out.zBar, out.embedded.historical, out.embedded.nonHistorical]);
    model.dispose();
  });

  it('scores are Σ_t u_t·σ(logit_t) (eq 12)', async () => {
    const model = buildModel(demoSpec, { seed: 2 });
    const batch = randomFeatureBatch(demoSpec, { size: 5, seed: 1 });
    const logits = await model.forward(batch).logits.data();
    const scores = await model.scores(batch).data();
    const u = [1, 1, 0.5]; // demoSpec.utility in task order
    for (let i = 0; i < 5; i++) {
      const expected = u.reduce((s, w, t) => s + w / (1 + Math.exp(-(logits[i * 3 + t] as number))), 0);
      expect(scores[i]).toBeCloseTo(expected, 6);
    }
    model.dispose();
  });

  it('interact then predict equals forward, so mixup can sit between them (eq 8)', async () => {
    const model = buildModel(demoSpec, { seed: 4 });
    const batch = randomFeatureBatch(demoSpec, { size: 3, seed: 2 });
    const viaParts = await model.predict(model.interact(batch)).data();
    const whole = await model.forward(batch).logits.data();
    expect(maxAbsDiff(viaParts, whole)).toBe(0);
    model.dispose();
  });

  it('ALDI inference replaces the item-side historical inputs of cold rows only', async () => {
    const model = buildModel(aldiSpec, { seed: 5 });
    const batch = randomFeatureBatch(aldiSpec, { size: 6, seed: 3, coldFraction: 0.5 });
    const cold = batch.isCold?.data as Float32Array;
    expect(cold.some((c) => c === 1) && cold.some((c) => c === 0)).toBe(true);
    const withStudent = await model.forward(batch).logits.data();
    const teacherOnly = await model.forward(batch, { aldi: false }).logits.data();
    for (let i = 0; i < 6; i++) {
      const rowDiff = Math.max(
        ...[0, 1, 2].map((t) => Math.abs((withStudent[i * 3 + t] as number) - (teacherOnly[i * 3 + t] as number))),
      );
      if (cold[i] === 1) expect(rowDiff).toBeGreaterThan(1e-6);
      else expect(rowDiff).toBe(0);
    }
    model.dispose();
  });

  it("leaves the caller's input tensors alive: probabilities and scores free only their own intermediates", async () => {
    // syntheticSpec's non-historical group is one dense feature without stats, so embed passes the
    // caller's tensor through as x_nh.
    const spec = syntheticSpec({ residual: true });
    const model = buildModel(spec, { seed: 1 });
    const batch = syntheticBatches({ rows: 4, batchSize: 4, seed: 1 })[0] as FeatureBatch;
    const inputs = tf.tidy(() => featureTensors(spec, batch));
    const before = tf.memory().numTensors;
    const p = model.probabilities(inputs);
    const s = model.scores(inputs);
    expect(tf.memory().numTensors - before).toBe(2);
    for (const [name, t] of Object.entries(inputs)) expect(t.isDisposed, name).toBe(false);
    const again = await model.probabilities(inputs).data();
    expect(Array.from(again)).toEqual(Array.from(await p.data()));
    expect(s.shape).toEqual([4]);
    tf.dispose([p, s, ...Object.values(inputs)]);
    model.dispose();
  });

  it('refuses initial weights that do not fit the spec, naming the parameter', () => {
    const weights = initParameters(demoSpec, 1);
    const { ['cross.0.bias']: _, ...rest } = weights;
    expect(() => buildModel(demoSpec, { weights: rest })).toThrow(/'cross\.0\.bias' is missing/);
    const bias = weights['cross.0.bias'] as Tensor;
    const intBias = createTensor('int32', new Int32Array(bias.data.length), bias.shape);
    const model = buildModel(demoSpec, { seed: 1 });
    expect(() => model.setWeights({ ...weights, 'cross.0.bias': intBias, extra: bias })).toThrow(
      /setWeights: the tensors do not fit spec 'demo': 'cross\.0\.bias' has dtype int32, expected float32 or float64; 'extra' is not a parameter of spec 'demo'/,
    );
    model.dispose();
  });
});
