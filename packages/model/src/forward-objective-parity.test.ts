import { createRng, referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { historicalBlocks } from './aldi.js';
import { forward } from './forward.js';
import { interact } from './interact.js';
import { drawObjectiveRandomness, type ObjectiveConfig, objectiveConfigFromSpec } from './objective-config.js';
import { paramsOnBackend } from './params.js';
import { predict } from './predict.js';
import { loadTorchFixtureCase, type TorchFixtureCase, torchFixtureCases } from './test-utils/torch-fixture.js';
import { trainingObjective } from './training-objective.js';

// The one inference forward and the one training objective, checked against PyTorch's numbers
// (fixtures/torch-small.json, written by fixtures/make_torch_fixture.py) and against closed forms
// computed here by loops — never against another path through this package.
const fixture = { cases: torchFixtureCases };

function load(c: TorchFixtureCase) {
  const { spec, host, features } = loadTorchFixtureCase(c);
  return { spec, params: paramsOnBackend(ops, host), features };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe.each(fixture.cases)('forward and trainingObjective on $name (PyTorch fixture)', (c) => {
  const { spec, params, features } = load(c);
  const n = c.batchSize;
  const T = spec.tasks.length;

  it('forward: Platt-calibrated probabilities and eq 12 scores equal loops over PyTorch’s logits', () => {
    const calibration = Object.fromEntries(spec.tasks.map((task, t) => [task.name, { a: 0.5 + t, b: -0.25 * (t + 1) }]));
    const out = forward(ops, spec, params, features, { calibration });
    for (let i = 0; i < n; i++) {
      let score = 0;
      spec.tasks.forEach((task, t) => {
        const { a, b } = calibration[task.name] as { a: number; b: number };
        const p = sigmoid(a * (c.expected.logits.data[i * T + t] as number) + b);
        expect(Math.abs((out.probabilities.data[i * T + t] as number) - p)).toBeLessThan(1e-12);
        score += (spec.utility[task.name] as number) * p;
      });
      expect(Math.abs((out.scores.data[i] as number) - score)).toBeLessThan(1e-12);
    }
  });

  it('forward: with ALDI in the spec, cold rows take the student’s item-side inputs (PyTorch’s student output), warm rows their own', () => {
    const coldMask = ops.constant(
      Array.from({ length: n }, (_, i) => i % 2),
      [n],
    );
    const plain = forward(ops, spec, params, features);
    const swapped = forward(ops, spec, params, features, { coldMask });
    const student = c.expected.aldiStudent;
    if (!spec.coldStart.aldi.enabled || student === undefined) {
      // No ALDI in the spec: the mask changes nothing.
      expect(student).toBeUndefined();
      expect(Array.from(swapped.logits.data)).toEqual(Array.from(plain.logits.data));
      return;
    }
    const width = plain.embedded.historical.shape[1] as number;
    const studentWidth = student.shape[1] as number;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const block of historicalBlocks(spec)) {
        for (let k = 0; k < block.width; k++) {
          const got = swapped.embedded.historical.data[i * width + block.offset + k] as number;
          const own = plain.embedded.historical.data[i * width + block.offset + k] as number;
          const expected = block.itemSide && i % 2 === 1 ? (student.data[i * studentWidth + s + k] as number) : own;
          expect(Math.abs(got - expected)).toBeLessThan(1e-12);
        }
        if (block.itemSide) s += block.width;
      }
      if (i % 2 === 0) {
        for (let t = 0; t < T; t++) expect(swapped.logits.data[i * T + t]).toBe(plain.logits.data[i * T + t]);
      }
    }
    // Without a mask the forward keeps every row's own inputs: PyTorch's logits.
    for (let k = 0; k < n * T; k++)
      expect(Math.abs((plain.logits.data[k] as number) - (c.expected.logits.data[k] as number))).toBeLessThan(1e-12);
  });

  it('trainingObjective: the eq 11 terms with the fixture’s mixup plan equal PyTorch’s', () => {
    const config: ObjectiveConfig = {
      ...objectiveConfigFromSpec(spec),
      lambda1: c.lossWeights.mixup,
      lambda2: c.lossWeights.scoreReg,
      scoreReg: { kernel: 'mean', bandwidth: 1 },
      dropoutRate: 0,
      mixupLayer: 'interaction',
    };
    const { aldiStage: _, ...eq11 } = config;
    const draws = { mixupPlan: { partner: Int32Array.from(c.mixup.partner), lambda: c.mixup.lambda } };
    const inputs = {
      features,
      labels: ops.constant(c.labels.data, c.labels.shape),
      isCold: ops.constant(c.isCold, [n]),
    };
    const terms = trainingObjective(ops, spec, params, inputs, eq11, draws);
    const expected = c.expected.loss;
    expect(Math.abs((terms.bce.data[0] as number) - expected.bce)).toBeLessThan(1e-12);
    expect(Math.abs((terms.mixup.data[0] as number) - expected.mixupBce)).toBeLessThan(1e-12);
    expect(Math.abs((terms.scoreReg.data[0] as number) - expected.scoreReg)).toBeLessThan(1e-12);
    expect(Math.abs((terms.total.data[0] as number) - expected.total)).toBeLessThan(1e-12);
    expect(terms.aldi.data[0]).toBe(0);
  });

  it("trainingObjective: the Dropout baseline with every row dropped is BCE of the model on a cold item's x_h", () => {
    // Every item-side dense historical feature gets a fill (the raw value a cold item has).
    const fills = new Map<string, number[]>();
    const coldSpec = {
      ...spec,
      features: spec.features.map((f) => {
        if (f.kind !== 'dense' || f.group !== 'historical' || f.source !== 'item') return f;
        const fill = Array.from({ length: f.dim }, (_, k) => 0.25 * (k + 1));
        fills.set(f.name, fill);
        return { ...f, fill };
      }),
    };
    const config: ObjectiveConfig = { ...objectiveConfigFromSpec(coldSpec), lambda1: 0, lambda2: 0, dropoutRate: 1 };
    const { aldiStage: _, ...noAldi } = config;
    const draws = drawObjectiveRandomness(createRng(3), n, noAldi);
    expect(Array.from(draws.dropMask ?? [])).toEqual(new Array(n).fill(1));
    const labels = ops.constant(c.labels.data, c.labels.shape);
    const dropped = trainingObjective(ops, coldSpec, params, { features, labels }, noAldi, draws);
    // By hand: each x_h block of an item-side dense feature holds its fill, normalised by loops as
    // (fill − mean) / std clipped (raw without stats); item-side ids are 0; user-side blocks keep their
    // values; then I and F; BCE by loops.
    const { embedded } = forward(ops, coldSpec, params, features);
    const width = embedded.historical.shape[1] as number;
    const cold = Float64Array.from(embedded.historical.data);
    for (const block of historicalBlocks(coldSpec)) {
      if (!block.itemSide) continue;
      const feature = coldSpec.features.find((f) => f.name === block.feature);
      for (let r = 0; r < n; r++) {
        for (let k = 0; k < block.width; k++) {
          let value = 0;
          if (feature?.kind === 'dense') {
            const raw = (fills.get(feature.name) as number[])[k] as number;
            value = feature.stats ? (raw - (feature.stats.mean[k] as number)) / (feature.stats.std[k] as number) : raw;
            if (feature.stats?.clip !== undefined) value = Math.max(-feature.stats.clip, Math.min(feature.stats.clip, value));
          }
          cold[r * width + block.offset + k] = value;
        }
      }
    }
    const logits = predict(
      ops,
      coldSpec,
      params,
      interact(ops, coldSpec, params, {
        historical: ops.constant(cold, embedded.historical.shape),
        nonHistorical: embedded.nonHistorical,
      }),
    );
    let bce = 0;
    for (let k = 0; k < n * T; k++) {
      const x = logits.data[k] as number;
      bce += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) - (c.labels.data[k] as number) * x;
    }
    expect(Math.abs((dropped.bce.data[0] as number) - bce / (n * T))).toBeLessThan(1e-12);
    expect(Math.abs((dropped.bce.data[0] as number) - c.expected.loss.bce)).toBeGreaterThan(1e-6);
  });
});
