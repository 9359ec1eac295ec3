import { readFileSync } from 'node:fs';
import { LOSS_TERMS, type ObjectiveConfig, objectiveConfigFromSpec } from '@thaw/model';
import { demoSpec, type FeatureBatch, type ModelSpec, validateSpec } from '@thaw/spec';
import { createRng, createTensor, type Tensor } from '@thaw/tensor';
import { buildModel, createOptimizer, trainStep, useTfjsBackend } from '@thaw/tfjs';
import { randomFeatureBatch } from '@thaw/tfjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOnnxTrainingEngine } from './onnx-training-engine.js';

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
  expected: { loss: { bce: number; mixupBce: number; scoreReg: number; total: number }; gradients: Record<string, Plain> };
}
const fixture = JSON.parse(readFileSync(new URL('../../../model/fixtures/torch-small.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};

/** ‖a − b‖ / ‖b‖ (‖a − b‖ when b = 0). */
function relativeL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    d += ((a[i] as number) - (b[i] as number)) ** 2;
    n += (b[i] as number) ** 2;
  }
  return n === 0 ? Math.sqrt(d) : Math.sqrt(d / n);
}

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

describe('the onnxruntime engine vs PyTorch (fixture of @thaw/model)', () => {
  it.each(fixture.cases)(
    '$name: one SGD step (lr = 1) reports PyTorch’s eq 11 terms and moves every parameter by −(PyTorch’s gradient)',
    async (c) => {
      const spec = validateSpec(c.spec, c.name);
      const weights: Record<string, Tensor> = {};
      for (const [name, p] of Object.entries(c.params)) weights[name] = createTensor('float32', p.data, p.shape);
      const batch: FeatureBatch = {
        size: c.batchSize,
        features: Object.fromEntries(
          Object.entries(c.features).map(([k, f]) => [
            k,
            f.dtype === 'int32' ? createTensor('int32', f.data, f.shape) : createTensor('float32', f.data, f.shape),
          ]),
        ),
        labels: createTensor('float32', c.labels.data, c.labels.shape),
        isCold: createTensor('float32', c.isCold, [c.isCold.length]),
      };
      const { aldiStage: _, ...base } = objectiveConfigFromSpec(spec);
      const config: ObjectiveConfig = {
        ...base,
        lambda1: c.lossWeights.mixup,
        lambda2: c.lossWeights.scoreReg,
        dropoutRate: 0,
        mixupLayer: 'interaction',
        scoreReg: { ...base.scoreReg, kernel: 'mean' },
      };
      const model = buildModel(spec, { weights });
      const sgd = createOptimizer({ kind: 'sgd', learningRate: 1 });
      const engine = await createOnnxTrainingEngine(model, config, sgd.config, { threads: 1 });
      const terms = await engine.step(batch, createRng(0), 'the fixture batch', {
        mixupPlan: { partner: Int32Array.from(c.mixup.partner), lambda: c.mixup.lambda },
      });
      const at = (term: (typeof LOSS_TERMS)[number]) => terms[LOSS_TERMS.indexOf(term)] as number;
      const expected = c.expected.loss;
      expect(Math.abs(at('bce') - expected.bce) / expected.bce).toBeLessThan(1e-5);
      expect(Math.abs(at('mixup') - expected.mixupBce) / expected.mixupBce).toBeLessThan(1e-5);
      expect(Math.abs(at('scoreReg') - expected.scoreReg) / expected.scoreReg).toBeLessThan(1e-4);
      expect(Math.abs(at('total') - expected.total) / expected.total).toBeLessThan(1e-5);
      const after = engine.parameters();
      for (const [name, p] of Object.entries(c.params)) {
        const g = c.expected.gradients[name];
        const moved = Array.from(after[name]?.data ?? [], (v, i) => v - (p.data[i] as number));
        if (g === undefined) {
          expect(name.startsWith('aldi.'), `${name} has no fixture gradient`).toBe(true);
          expect(Math.max(...moved.map(Math.abs)), name).toBe(0);
          continue;
        }
        expect(
          relativeL2(
            moved,
            g.data.map((x) => -x),
          ),
          name,
        ).toBeLessThan(1e-4);
      }
      await engine.dispose();
      model.dispose();
    },
  );
});

const smallSpec: ModelSpec = { ...demoSpec, training: { ...demoSpec.training, batchSize: 64 } };
const withColdStart = (coldStart: Partial<ModelSpec['coldStart']>): ModelSpec => ({
  ...smallSpec,
  coldStart: { ...smallSpec.coldStart, ...coldStart },
});

// The Dropout baseline needs each historical item feature's cold value (`fill`), as thaw-train sets it.
const dropoutSpec: ModelSpec = {
  ...withColdStart({ dropout: { ...demoSpec.coldStart.dropout, enabled: true } }),
  features: smallSpec.features.map((f) =>
    f.kind === 'dense' && f.group === 'historical' && f.source === 'item'
      ? { ...f, fill: new Array<number>(f.dim).fill(0.5) }
      : f,
  ),
};

describe('the onnxruntime engine runs the same steps as trainStep of @thaw/tfjs (Adam, 12 steps, draws from the same seed)', () => {
  const cold = demoSpec.coldStart;
  const variants: [string, ModelSpec, ObjectiveConfig['aldiStage']?][] = [
    [
      'no mixup, no ScoreReg (the cold mask still read for the logged ScoreReg)',
      withColdStart({ mixup: { ...cold.mixup, enabled: false }, scoreReg: { ...cold.scoreReg, enabled: false } }),
    ],
    ['mixup on z̄ + ScoreReg (mean kernel)', smallSpec],
    ['per-sample mixup on the inputs', withColdStart({ mixup: { ...cold.mixup, perSample: true, layer: 'input' } })],
    ['ScoreReg with the RBF kernel', withColdStart({ scoreReg: { ...cold.scoreReg, kernel: 'rbf' } })],
    ['the Dropout baseline (dropped rows shown with a cold item’s values)', dropoutSpec],
    ['ALDI, joint stage (stop-gradient teacher)', withColdStart({ aldi: { ...cold.aldi, enabled: true } }), 'joint'],
    [
      'ALDI, teacher stage (everything but the student trains, on eq 11)',
      withColdStart({ aldi: { ...cold.aldi, enabled: true } }),
      'teacher',
    ],
    ['ALDI, student stage (only aldi.* trains)', withColdStart({ aldi: { ...cold.aldi, enabled: true } }), 'student'],
  ];
  it.each(variants)('%s', async (_, spec, aldiStage) => {
    const config: ObjectiveConfig = { ...objectiveConfigFromSpec(spec), ...(aldiStage ? { aldiStage } : {}) };
    const batches = Array.from({ length: 3 }, (__, i) => randomFeatureBatch(spec, { size: 64, seed: i }));
    const model = buildModel(spec, { seed: 4 });
    const adam = createOptimizer({ kind: 'adam', learningRate: 3e-3 });
    const engine = await createOnnxTrainingEngine(model, config, adam.config, { threads: 1 });
    const tfjsRng = createRng(9);
    const engineRng = createRng(9);
    for (let s = 0; s < 12; s++) {
      const batch = batches[s % 3] as FeatureBatch;
      const terms = trainStep(model, batch, tfjsRng, config, adam);
      const expected = await terms.data();
      terms.dispose();
      const got = await engine.step(batch, engineRng);
      expected.forEach((e, k) => {
        expect(Math.abs((got[k] as number) - e), `step ${s + 1} ${LOSS_TERMS[k]}`).toBeLessThanOrEqual(1e-4 * Math.abs(e) + 1e-7);
      });
    }
    const tfjsWeights = await model.getWeights();
    const engineWeights = engine.parameters();
    for (const [name, t] of Object.entries(tfjsWeights)) {
      expect(relativeL2(engineWeights[name]?.data ?? [], t.data), name).toBeLessThan(1e-3);
    }
    expect(adam.step).toBe(12);
    expect(engine.optimizerState().step).toBe(12);
    await engine.dispose();
    adam.dispose();
    model.dispose();
  });
});

describe('the onnxruntime engine', () => {
  it('is deterministic: the same seed gives bit-identical runs, on 1 and on 2 threads', async () => {
    const config = objectiveConfigFromSpec(smallSpec);
    const batches = Array.from({ length: 2 }, (_, i) => randomFeatureBatch(smallSpec, { size: 64, seed: i }));
    const run = async (threads: number) => {
      const model = buildModel(smallSpec, { seed: 1 });
      const engine = await createOnnxTrainingEngine(model, config, createOptimizer().config, { threads });
      const rng = createRng(2);
      const losses: number[] = [];
      for (let s = 0; s < 6; s++) losses.push(...(await engine.step(batches[s % 2] as FeatureBatch, rng)));
      const params = Object.values(engine.parameters()).flatMap((t) => Array.from(t.data.subarray(0, 50)));
      await engine.dispose();
      model.dispose();
      return { losses, params };
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).toEqual(a);
  });

  it('restores a checkpointed state: the run continues as if never stopped', async () => {
    const config = objectiveConfigFromSpec(smallSpec);
    const batches = Array.from({ length: 4 }, (_, i) => randomFeatureBatch(smallSpec, { size: 64, seed: i }));
    const model = buildModel(smallSpec, { seed: 1 });
    const engine = await createOnnxTrainingEngine(model, config, createOptimizer().config, { threads: 1 });
    const rng = createRng(2);
    for (let s = 0; s < 2; s++) await engine.step(batches[s] as FeatureBatch, rng);
    const savedParams = Object.fromEntries(
      Object.entries(engine.parameters()).map(([k, t]) => [k, { ...t, data: Float32Array.from(t.data) }]),
    );
    const savedOptimizer = engine.optimizerState();
    const savedRng = rng.state();
    const straight = [
      ...(await engine.step(batches[2] as FeatureBatch, rng)),
      ...(await engine.step(batches[3] as FeatureBatch, rng)),
    ];
    const other = await createOnnxTrainingEngine(buildModel(smallSpec, { seed: 99 }), config, createOptimizer().config, {
      threads: 1,
    });
    other.restore(savedParams, savedOptimizer);
    const rng2 = createRng(0);
    rng2.restore(savedRng);
    const resumed = [
      ...(await other.step(batches[2] as FeatureBatch, rng2)),
      ...(await other.step(batches[3] as FeatureBatch, rng2)),
    ];
    expect(resumed).toEqual(straight);
    await engine.dispose();
    await other.dispose();
  });

  it('syncModel writes the trained parameters into the tfjs model', async () => {
    const model = buildModel(smallSpec, { seed: 1 });
    const engine = await createOnnxTrainingEngine(model, objectiveConfigFromSpec(smallSpec), createOptimizer().config, {
      threads: 1,
    });
    await engine.step(randomFeatureBatch(smallSpec, { size: 64, seed: 0 }), createRng(0));
    const before = await model.getWeights();
    engine.syncModel();
    const after = await model.getWeights();
    const trained = engine.parameters();
    expect(Array.from(after['deep.0.kernel']?.data ?? [])).toEqual(Array.from(trained['deep.0.kernel']?.data ?? []));
    expect(Array.from(before['deep.0.kernel']?.data ?? [])).not.toEqual(Array.from(after['deep.0.kernel']?.data ?? []));
    await engine.dispose();
    model.dispose();
  });

  it('names a categorical value outside its table, the missing labels and a batch of one row', async () => {
    const model = buildModel(smallSpec, { seed: 1 });
    const engine = await createOnnxTrainingEngine(model, objectiveConfigFromSpec(smallSpec), createOptimizer().config, {
      threads: 1,
    });
    const batch = randomFeatureBatch(smallSpec, { size: 64, seed: 0 });
    const category = smallSpec.features.find((f) => f.kind === 'categorical');
    if (category === undefined || category.kind !== 'categorical') throw new Error('the demo spec has a categorical feature');
    const bad = Int32Array.from(batch.features[category.name]?.data as Int32Array);
    bad[3] = category.vocabSize + 1;
    await expect(
      engine.step(
        { ...batch, features: { ...batch.features, [category.name]: createTensor('int32', bad, [64]) } },
        createRng(0),
        'batch 7',
      ),
    ).rejects.toThrow(
      `train: batch 7 features['${category.name}'][3] is ${category.vocabSize + 1}, outside the table's rows [0, ${category.vocabSize + 1})`,
    );
    await expect(engine.step({ ...batch, labels: undefined }, createRng(0), 'batch 8')).rejects.toThrow(
      'train: batch 8 has no labels',
    );
    const one = randomFeatureBatch(smallSpec, { size: 1, seed: 0 });
    await expect(engine.step(one, createRng(0), 'batch 9')).rejects.toThrow('train: batch 9 has 1 row; mixup and ALDI pair rows');
    await engine.dispose();
    model.dispose();
  });
});
