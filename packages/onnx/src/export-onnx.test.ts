import * as tf from '@tensorflow/tfjs-core';
import {
  aldiStudent,
  embed,
  forward,
  initParameters,
  interact,
  paramsOnBackend,
  predict,
  replaceItemHistorical,
} from '@thaw/model';
import { demoSpec, demoSpecInput, type FeatureBatch, type ModelSpec, refMSpec, specHash, validateSpec } from '@thaw/spec';
import { createTensor, referenceOps, type Tensor } from '@thaw/tensor';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { readOnnxModelInfo } from './read-metadata.js';
import { parityRows, referenceLogits } from './test-utils/parity-rows.js';
import { runModel } from './test-utils/run-model.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The demo spec as training leaves it: dense `stats` (with a clip bound that random rows hit) and `fill` filled in. */
const trainedDemoSpec: ModelSpec = validateSpec({
  ...demoSpecInput,
  features: demoSpecInput.features.map((f) =>
    f.kind === 'dense'
      ? {
          ...f,
          stats: {
            mean: Array.from({ length: f.dim }, (_, j) => 0.1 * j - 0.3),
            std: Array.from({ length: f.dim }, (_, j) => 0.5 + 0.25 * j),
            clip: 1.5,
          },
          fill: Array.from({ length: f.dim }, (_, j) => -0.2 + 0.05 * j),
        }
      : f,
  ),
});

/**
 * Max |ORT − reference| over every task probability and the score, the reference computed
 * independently here: p_t = sigmoid(a_t · logit_t + b_t), score = Σ u_t p_t, on float64 logits.
 */
function maxDiff(
  spec: ModelSpec,
  logits: Float64Array,
  outputs: Record<string, Tensor>,
  size: number,
  calibration: Record<string, { a: number; b: number }> = {},
): number {
  const T = spec.tasks.length;
  let worst = 0;
  for (let i = 0; i < size; i++) {
    let score = 0;
    spec.tasks.forEach((task, t) => {
      const { a, b } = calibration[task.name] ?? { a: 1, b: 0 };
      const p = sigmoid(a * (logits[i * T + t] as number) + b);
      score += (spec.utility[task.name] as number) * p;
      worst = Math.max(worst, Math.abs((outputs[`p_${task.name}`]?.data[i] as number) - p));
    });
    worst = Math.max(worst, Math.abs((outputs.score?.data[i] as number) - score));
  }
  return worst;
}

describe('exportOnnx parity with the reference backend (1,000 rows, OOV ids, cold items)', () => {
  it.each([
    ['ref-m', refMSpec, {}],
    ['demo (stats, fill, Platt calibration)', trainedDemoSpec, { grid_click: { a: 0.8, b: -0.3 }, click: { a: 1.7, b: 0.4 } }],
  ] as const)(
    '%s: every output within 1e-5 of float64 math',
    async (_, spec, calibration) => {
      const weights = initParameters(spec, 11);
      const rows = parityRows(spec, 1000, 5);
      const bytes = exportOnnx(spec, weights, { calibration });
      const outputs = await runModel(bytes, rows.feeds);
      expect(Object.keys(outputs).sort()).toEqual([...spec.tasks.map((t) => `p_${t.name}`), 'score'].sort());
      expect(outputs.score?.shape).toEqual([1000]);
      const logits = referenceLogits(spec, weights, rows.modelRows).data as Float64Array;
      const diff = maxDiff(spec, logits, outputs, rows.size, calibration);
      expect(diff).toBeLessThan(1e-5);
      // The rows are not degenerate: scores spread, and cold rows are present.
      const scores = Array.from(outputs.score?.data as Float32Array);
      expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(1e-3);
      expect(rows.isCold.reduce((n, c) => n + c, 0)).toBeGreaterThan(100);
    },
    120_000,
  );

  it('the ALDI baseline: cold rows use the student through the is_cold input', async () => {
    const spec = validateSpec({
      ...demoSpecInput,
      coldStart: { ...demoSpecInput.coldStart, aldi: { enabled: true, studentUnits: [16] } },
    });
    const weights = initParameters(spec, 3);
    const rows = parityRows(spec, 200, 9);
    const isCold = createTensor('float32', rows.isCold, [rows.size]);
    const outputs = await runModel(exportOnnx(spec, weights), { ...rows.feeds, is_cold: isCold });
    const r = referenceOps;
    const params = paramsOnBackend(r, weights);
    const features = Object.fromEntries(
      Object.entries(rows.modelRows).map(([n, t]) => [
        n,
        r.constant(t.data as Float32Array, t.shape, t.dtype === 'int32' ? 'int32' : 'float32'),
      ]),
    );
    const e = embed(r, spec, params, features);
    const swapped = replaceItemHistorical(
      r,
      spec,
      e,
      aldiStudent(r, spec, params, e.nonHistorical),
      r.constant(rows.isCold, [rows.size]),
    );
    const logits = predict(r, spec, params, interact(r, spec, params, swapped)).data as Float64Array;
    expect(maxDiff(spec, logits, outputs, rows.size)).toBeLessThan(1e-5);
    // …and the student matters: the same rows all scored warm differ on the cold ones.
    const warm = await runModel(exportOnnx(spec, weights), {
      ...rows.feeds,
      is_cold: createTensor('float32', new Float32Array(rows.size), [rows.size]),
    });
    const changed = Array.from(rows.isCold).filter((c, i) => c === 1 && warm.score?.data[i] !== outputs.score?.data[i]).length;
    expect(changed).toBeGreaterThan(10);
  });
});

describe('exportOnnx diagnostics outputs (evaluation through the exported graph)', () => {
  it('logits and z̄ after the signature outputs, within 1e-5 of float64 math; the serving outputs unchanged', async () => {
    const spec = trainedDemoSpec;
    const weights = initParameters(spec, 11);
    const rows = parityRows(spec, 500, 5);
    const plain = await runModel(exportOnnx(spec, weights), rows.feeds);
    const bytes = exportOnnx(spec, weights, { diagnostics: { logits: true, zBar: true } });
    const outputs = await runModel(bytes, rows.feeds);
    expect(Object.keys(outputs).sort()).toEqual([...Object.keys(plain), 'logits', 'z_bar'].sort());
    for (const [name, t] of Object.entries(plain)) {
      expect(Array.from((outputs[name]?.data ?? []) as Float32Array), name).toEqual(Array.from(t.data as Float32Array));
    }
    const logits = referenceLogits(spec, weights, rows.modelRows).data as Float64Array;
    expect(outputs.logits?.shape).toEqual([500, spec.tasks.length]);
    let worst = 0;
    logits.forEach((l, k) => {
      worst = Math.max(worst, Math.abs((outputs.logits?.data[k] as number) - l) / (1 + Math.abs(l)));
    });
    expect(worst).toBeLessThan(1e-5);
    const zBar = outputs.z_bar as Tensor;
    expect(zBar.shape[0]).toBe(500);
    // z̄ by the reference backend from the same rows.
    const ops = referenceOps;
    const features = Object.fromEntries(
      Object.entries(rows.modelRows).map(([name, t]) => [
        name,
        ops.constant(t.data as Float32Array | Int32Array, t.shape, t.dtype === 'int32' ? 'int32' : 'float32'),
      ]),
    );
    const expected = forward(ops, spec, paramsOnBackend(ops, weights), features).zBar;
    let zWorst = 0;
    expected.data.forEach((z, k) => {
      zWorst = Math.max(zWorst, Math.abs((zBar.data[k] as number) - (z as number)) / (1 + Math.abs(z as number)));
    });
    expect(zWorst).toBeLessThan(1e-5);
  }, 120_000);
});

describe('exportOnnx parity with the tfjs model (@thaw/tfjs buildModel, cpu backend)', () => {
  const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    return worst;
  };
  /** ORT's task probabilities as [N, T] row-major, tasks in spec order. */
  const ortProbs = (spec: ModelSpec, outputs: Record<string, Tensor>, n: number) => {
    const out = new Float32Array(n * spec.tasks.length);
    spec.tasks.forEach((task, t) => {
      const p = outputs[`p_${task.name}`]?.data as Float32Array;
      for (let i = 0; i < n; i++) out[i * spec.tasks.length + t] = p[i] as number;
    });
    return out;
  };

  it('ref-m: probabilities and eq 12 scores within 1e-5 of model.probabilities / model.scores on 1,000 rows', async () => {
    await useTfjsBackend({ prefer: 'cpu' });
    const spec = refMSpec;
    const weights = initParameters(spec, 23);
    const rows = parityRows(spec, 1000, 17);
    const outputs = await runModel(exportOnnx(spec, weights), rows.feeds);
    const model = buildModel(spec, { weights });
    const batch = { size: rows.size, features: rows.modelRows as FeatureBatch['features'] };
    const [probs, scores] = [model.probabilities(batch), model.scores(batch)];
    expect(maxAbs(ortProbs(spec, outputs, rows.size), await probs.data())).toBeLessThan(1e-5);
    expect(maxAbs(outputs.score?.data as Float32Array, await scores.data())).toBeLessThan(1e-5);
    tf.dispose([probs, scores]);
    model.dispose();
  }, 120_000);

  it('demo with stats, fill and Platt calibration: within 1e-5 of the calibrated tfjs logits', async () => {
    await useTfjsBackend({ prefer: 'cpu' });
    const spec = trainedDemoSpec;
    const calibration = { save: { a: 1.3, b: -0.7 } };
    const weights = initParameters(spec, 29);
    const rows = parityRows(spec, 1000, 19);
    const outputs = await runModel(exportOnnx(spec, weights, { calibration }), rows.feeds);
    const model = buildModel(spec, { weights });
    const { logits, zBar, embedded } = model.forward({ size: rows.size, features: rows.modelRows as FeatureBatch['features'] });
    const tfjsLogits = Float64Array.from(await logits.data());
    tf.dispose([logits, zBar, embedded.historical, embedded.nonHistorical]);
    model.dispose();
    expect(maxDiff(spec, tfjsLogits, outputs, rows.size, calibration)).toBeLessThan(1e-5);
  }, 120_000);

  it('demo with the ALDI baseline: cold rows through the student, as model.probabilities(batch, { isCold })', async () => {
    await useTfjsBackend({ prefer: 'cpu' });
    const spec = validateSpec({
      ...demoSpecInput,
      coldStart: { ...demoSpecInput.coldStart, aldi: { enabled: true, studentUnits: [16] } },
    });
    const weights = initParameters(spec, 31);
    const rows = parityRows(spec, 1000, 21);
    const isCold = createTensor('float32', rows.isCold, [rows.size]);
    const outputs = await runModel(exportOnnx(spec, weights), { ...rows.feeds, is_cold: isCold });
    const model = buildModel(spec, { weights });
    const batch = { size: rows.size, features: rows.modelRows as FeatureBatch['features'], isCold };
    const probs = model.probabilities(batch);
    expect(maxAbs(ortProbs(spec, outputs, rows.size), await probs.data())).toBeLessThan(1e-5);
    probs.dispose();
    model.dispose();
  }, 120_000);
});

describe('exportOnnx metadata and errors', () => {
  it('writes IR 8, opset 17, the spec hash, name, tasks, utility and calibration', () => {
    const info = readOnnxModelInfo(
      exportOnnx(demoSpec, initParameters(demoSpec, 1), { calibration: { save: { a: 2, b: 1 } }, modelVersion: 'run-7' }),
    );
    expect(info.irVersion).toBe(8);
    expect(info.opset).toBe(17);
    expect(info.producerName).toBe('thaw');
    expect(info.metadata).toEqual({
      'thaw.specHash': specHash(demoSpec),
      'thaw.specName': 'demo',
      'thaw.tasks': '["grid_click","save","click"]',
      'thaw.utility': '{"grid_click":1,"save":1,"click":0.5}',
      'thaw.calibration': '{"save":{"a":2,"b":1}}',
      'thaw.modelVersion': 'run-7',
    });
    expect(info.inputs).toEqual(demoSpec.features.map((f) => f.name));
    expect(info.outputs).toEqual(['p_grid_click', 'p_save', 'p_click', 'score']);
  });

  it('names the weight, the calibration entry and what to do', () => {
    const weights = initParameters(demoSpec, 1);
    const { ['cross.1.bias']: _, ...missing } = weights;
    expect(() => exportOnnx(demoSpec, missing)).toThrow("exportOnnx: weights do not fit spec 'demo': 'cross.1.bias' is missing");
    const wrong = { ...weights, 'cross.1.bias': createTensor('float32', new Float32Array(3), [3]) };
    expect(() => exportOnnx(demoSpec, wrong)).toThrow("'cross.1.bias' has shape [3], expected [72]");
    const extra = { ...weights, 'aldi.0.kernel': createTensor('float32', new Float32Array(1), [1]) };
    expect(() => exportOnnx(demoSpec, extra)).toThrow("'aldi.0.kernel' is not a parameter of spec 'demo'");
    expect(() => exportOnnx(demoSpec, weights, { calibration: { likes: { a: 1, b: 0 } } })).toThrow(
      "calibration.likes: no such task in spec 'demo'",
    );
    expect(() => exportOnnx(demoSpec, weights, { calibration: { save: { a: Number.NaN, b: 0 } } })).toThrow(
      'calibration.save.a must be a finite number (got NaN)',
    );
  });
});
