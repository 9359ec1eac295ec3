import type { ModelSpec } from '@thaw/spec';
import {
  createGradientTape,
  createRng,
  createTensor,
  referenceOps as ops,
  type ReferenceTensor,
  type Tensor,
} from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { featuresOnBackend } from './embed.js';
import { initParameters } from './init-parameters.js';
import { drawObjectiveRandomness, type ObjectiveConfig, objectiveConfigFromSpec } from './objective-config.js';
import { paramsOnBackend } from './params.js';
import { oddSpec } from './test-utils/specs.js';
import { loadTorchFixtureCase, type TorchFixtureTensor, torchFixtureCases } from './test-utils/torch-fixture.js';
import { trainingObjective } from './training-objective.js';

// The gradients of the one training objective by createGradientTape (reverse mode over Ops<T>,
// the float64 reference backend) against two independent references: PyTorch's autograd
// (fixtures/torch-small.json, float64) and central differences of the objective itself.
describe.each(torchFixtureCases)('tape gradients of trainingObjective on $name equal PyTorch’s', (c) => {
  it('every parameter of eq 11 (λ and partners fixed) to 1e-9', () => {
    const { spec, host, features } = loadTorchFixtureCase(c);
    const params = paramsOnBackend(ops, host);
    const n = c.batchSize;
    const { aldiStage: _, ...base } = objectiveConfigFromSpec(spec);
    const config: ObjectiveConfig = {
      ...base,
      lambda1: c.lossWeights.mixup,
      lambda2: c.lossWeights.scoreReg,
      scoreReg: { kernel: 'mean', bandwidth: 1 },
      dropoutRate: 0,
      mixupLayer: 'interaction',
    };
    const tape = createGradientTape(ops);
    const inputs = { features, labels: ops.constant(c.labels.data, c.labels.shape), isCold: ops.constant(c.isCold, [n]) };
    const draws = { mixupPlan: { partner: Int32Array.from(c.mixup.partner), lambda: c.mixup.lambda } };
    const terms = trainingObjective(tape.ops, spec, params, inputs, config, draws);
    const names = Object.keys(c.expected.gradients);
    expect(names.length).toBeGreaterThan(10);
    const grads = tape.gradients(
      terms.total,
      names.map((name) => params[name] as ReferenceTensor),
    );
    names.forEach((name, k) => {
      const want = c.expected.gradients[name] as TorchFixtureTensor;
      const got = grads[k] as ReferenceTensor;
      expect(got.shape, name).toEqual(want.shape);
      let worst = 0;
      want.data.forEach((w, i) => {
        worst = Math.max(worst, Math.abs((got.data[i] as number) - w) / (1e-3 + Math.abs(w)));
      });
      expect(worst, name).toBeLessThan(1e-9);
    });
  });
});

describe('tape gradients of trainingObjective on oddSpec (low-rank cross, parallel, gate MLPs, tanh) match central differences', () => {
  // The Dropout baseline shows dropped rows with a cold item's values: historical item features need a fill.
  const spec: ModelSpec = {
    ...oddSpec,
    features: oddSpec.features.map((f) =>
      f.kind === 'dense' && f.group === 'historical' && f.source === 'item'
        ? { ...f, fill: Array.from({ length: f.dim }, (_, i) => 0.25 * i) }
        : f,
    ),
  };
  const n = 6;
  const rng = createRng(11);
  const batchFeatures: Record<string, Tensor<'float32'> | Tensor<'int32'>> = {};
  for (const f of spec.features) {
    if (f.kind === 'dense')
      batchFeatures[f.name] = createTensor(
        'float32',
        Array.from({ length: n * f.dim }, () => rng.normal()),
        [n, f.dim],
      );
    else {
      const rows = f.kind === 'id' ? f.buckets : f.vocabSize + 1;
      // Repeated rows on purpose: their gradients add up.
      batchFeatures[f.name] = createTensor(
        'int32',
        Array.from({ length: n }, (_, i) => (i * 3) % Math.min(rows, 4)),
        [n],
      );
    }
  }
  const features = featuresOnBackend(ops, spec, { size: n, features: batchFeatures });
  const labels = ops.constant(
    Array.from({ length: n * 2 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0)),
    [n, 2],
  );
  const isCold = ops.constant([0, 1, 0, 0, 1, 0], [n]);
  const initial = initParameters(spec, 3);
  const names = Object.keys(initial).filter((name) => !name.startsWith('aldi.'));

  const cases: [string, Partial<ObjectiveConfig>][] = [
    ['mixup (one λ) + ScoreReg (mean kernel)', { perSample: false, scoreReg: { kernel: 'mean', bandwidth: 1 } }],
    [
      'per-sample mixup on the inputs + ScoreReg (RBF kernel)',
      { perSample: true, mixupLayer: 'input', scoreReg: { kernel: 'rbf', bandwidth: 0.5 } },
    ],
    ['the Dropout baseline', { dropoutRate: 0.5, lambda1: 0 }],
  ];
  it.each(cases)('%s', (_, override) => {
    const { aldiStage: __, ...base } = objectiveConfigFromSpec(spec);
    const config: ObjectiveConfig = { ...base, lambda1: 0.2, lambda2: 0.3, ...override };
    const draws = drawObjectiveRandomness(createRng(5), n, config);
    const loss = (values: Record<string, ReferenceTensor>, o = ops) =>
      trainingObjective(o, spec, values, { features, labels, isCold }, config, draws).total;
    const params = paramsOnBackend(ops, initial);
    const tape = createGradientTape(ops);
    const grads = tape.gradients(
      loss(params, tape.ops),
      names.map((name) => params[name] as ReferenceTensor),
    );
    const h = 1e-6;
    names.forEach((name, k) => {
      const p = params[name] as ReferenceTensor;
      const g = grads[k] as ReferenceTensor;
      for (let i = 0; i < p.data.length; i++) {
        const at = (delta: number) => {
          const data = Float64Array.from(p.data);
          data[i] = (data[i] as number) + delta;
          return loss({ ...params, [name]: ops.constant(data, p.shape) }).data[0] as number;
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs((g.data[i] as number) - numeric), `${name}[${i}]`).toBeLessThan(1e-6 * (1 + Math.abs(numeric)));
      }
    });
  });
});
