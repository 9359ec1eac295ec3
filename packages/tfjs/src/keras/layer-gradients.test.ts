import { aldiDistillationLoss } from '@thaw/losses';
import { mixRows } from '@thaw/mixup';
import {
  crossLayer,
  embed,
  initParameters,
  interact,
  mlp,
  parameterInfos,
  predict,
  residualProjection,
  utilityScores,
} from '@thaw/model';
import { type ModelSpec, validateSpec } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { beforeAll, describe, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import { at, type CheckInput, expectGradientsMatch, randomValues, type ScalarFunction } from '../test-utils/gradient-check.js';
import { layerSpec } from './layer-spec.js';

const N = 4;
const D = 5;
const input = (seed: number, shape: number[], scale = 1): CheckInput => ({
  shape,
  data: randomValues(
    seed,
    shape.reduce((n, e) => n * e, 1),
    scale,
  ),
});
const constant = (seed: number, shape: number[]): CheckInput => ({ ...input(seed, shape), differentiate: false });
/** A generic vector–Jacobian product: `Σ out ⊙ R` for a fixed random `R`. */
const project = <T>(ops: Ops<T>, out: T, xs: Readonly<Record<string, T>>) => ops.sum(ops.mul(out, at(xs, 'R')));

/** Inputs holding every parameter of `spec` whose component is listed, from the seeded init. */
function paramInputs(spec: ModelSpec, components: readonly string[], seed: number): Record<string, CheckInput> {
  const values = initParameters(spec, seed);
  const out: Record<string, CheckInput> = {};
  for (const info of parameterInfos(spec)) {
    if (!components.includes(info.component)) continue;
    const v = values[info.name];
    // biases start at 0; give them values so their gradient paths are exercised off the origin
    const data =
      info.init === 'zeros' ? randomValues(info.name.length + seed, info.shape[0] as number, 0.1) : Array.from(v?.data ?? []);
    out[info.name] = { shape: info.shape, data };
  }
  return out;
}

const tinySpec = validateSpec(
  {
    specVersion: 1,
    name: 'grad',
    features: [
      { name: 'h', group: 'historical', source: 'item', kind: 'dense', dim: 2, stats: { mean: [0.5, -1], std: [2, 0.5] } },
      { name: 'id', group: 'historical', source: 'item', kind: 'id', buckets: 5, embeddingDim: 2 },
      { name: 'c', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 3, embeddingDim: 2 },
      { name: 'n', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 1 },
    ],
    architecture: {
      cross: { count: 2 },
      deep: { units: [4] },
      residual: { enabled: true, projectionUnits: [2] },
      mmoe: { experts: 2, expertUnits: [3] },
      tower: { units: [2] },
      activation: 'tanh',
    },
    tasks: [{ name: 'a' }, { name: 'b' }],
    utility: { a: 1, b: 0.5 },
  },
  'tinySpec',
);

const mmoeSpec = layerSpec(
  { inputWidth: D, activation: 'tanh', mmoe: { experts: 3, expertUnits: [4], gateUnits: [3], towerUnits: [2], tasks: 2 } },
  'test',
);
const residualSpec = layerSpec({ inputWidth: D, activation: 'tanh', residualUnits: [3, 2] }, 'test');

const cases: { name: string; f: ScalarFunction; inputs: Record<string, CheckInput> }[] = [
  {
    name: 'DCNv2 cross layer, full rank: x0 ⊙ (x·W + b) + x',
    f: (ops, xs) => project(ops, crossLayer(ops, at(xs, 'x0'), at(xs, 'x'), { kernel: at(xs, 'W'), bias: at(xs, 'b') }), xs),
    inputs: {
      x0: input(1, [N, D]),
      x: input(2, [N, D]),
      W: input(3, [D, D], 0.5),
      b: input(4, [D], 0.1),
      R: constant(5, [N, D]),
    },
  },
  {
    name: 'DCNv2 cross layer, low rank: x0 ⊙ ((x·V)·U + b) + x',
    f: (ops, xs) =>
      project(ops, crossLayer(ops, at(xs, 'x0'), at(xs, 'x'), { v: at(xs, 'V'), u: at(xs, 'U'), bias: at(xs, 'b') }), xs),
    inputs: {
      x0: input(6, [N, D]),
      x: input(7, [N, D]),
      V: input(8, [D, 2], 0.5),
      U: input(9, [2, D], 0.5),
      b: input(10, [D], 0.1),
      R: constant(11, [N, D]),
    },
  },
  {
    name: 'MLP (dense layers, relu hidden, linear last)',
    f: (ops, xs) => project(ops, mlp(ops, xs, 'm', 2, at(xs, 'x'), { activation: 'relu', linearLast: true }), xs),
    inputs: {
      x: input(12, [N, D]),
      'm.0.kernel': input(13, [D, 3]),
      'm.0.bias': input(14, [3], 0.1),
      'm.1.kernel': input(15, [3, 2]),
      'm.1.bias': input(16, [2], 0.1),
      R: constant(17, [N, 2]),
    },
  },
  {
    name: 'Residual projection P(x_nh) (eq 3)',
    f: (ops, xs) => project(ops, residualProjection(ops, residualSpec, xs, at(xs, 'x')), xs),
    inputs: { x: input(18, [N, D]), ...paramInputs(residualSpec, ['residual'], 1), R: constant(19, [N, 2]) },
  },
  {
    name: 'MMoE prediction module F (experts, softmax gates, towers)',
    f: (ops, xs) => project(ops, predict(ops, mmoeSpec, xs, at(xs, 'z')), xs),
    inputs: { z: input(20, [N, D]), ...paramInputs(mmoeSpec, ['experts', 'gates', 'towers'], 2), R: constant(21, [N, 2]) },
  },
  {
    name: 'softmax along a non-last axis',
    f: (ops, xs) => project(ops, ops.softmax(at(xs, 'x'), 0), xs),
    inputs: { x: input(22, [N, 3]), R: constant(23, [N, 3]) },
  },
  {
    name: 'embedding gather (repeated rows sum their gradients)',
    f: (ops, xs) => project(ops, ops.gather(at(xs, 'table'), at(xs, 'ids')), xs),
    inputs: { table: input(24, [4, 3]), ids: { shape: [5], data: [3, 0, 3, 3, 1], dtype: 'int32' }, R: constant(25, [5, 3]) },
  },
  {
    name: 'manifold mixup rows (eq 7), λ and partner fixed',
    f: (ops, xs) => project(ops, mixRows(ops, at(xs, 'z'), { partner: Int32Array.from([2, 3, 1, 0]), lambda: 0.3 }), xs),
    inputs: { z: input(26, [N, D]), R: constant(27, [N, D]) },
  },
  {
    name: 'utility scores (eq 12)',
    f: (ops, xs) => project(ops, utilityScores(ops, tinySpec, ops.sigmoid(at(xs, 'logits'))), xs),
    inputs: { logits: input(28, [N, 2]), R: constant(29, [N]) },
  },
  {
    name: 'ALDI distillation loss w.r.t. the student',
    f: (ops, xs) =>
      aldiDistillationLoss(ops, {
        teacherLogits: at(xs, 'tl'),
        studentLogits: at(xs, 'sl'),
        teacherItem: at(xs, 'te'),
        studentItem: at(xs, 'se'),
        warm: at(xs, 'warm'),
        partner: at(xs, 'partner'),
        weights: { rating: 1, ranking: 0.5, identification: 2 },
        temperature: 0.5,
      }).total,
    inputs: {
      tl: constant(30, [N, 2]),
      sl: input(31, [N, 2]),
      te: constant(32, [N, 3]),
      se: input(33, [N, 3]),
      warm: { shape: [N], data: [1, 1, 0, 1], differentiate: false },
      partner: { shape: [N], data: [1, 3, 0, 2], dtype: 'int32' },
    },
  },
  {
    name: 'whole model (embed → cross → deep → residual → MMoE), w.r.t. every parameter',
    f: (ops, xs) => {
      const features = { h: at(xs, 'h'), id: at(xs, 'id'), c: at(xs, 'c'), n: at(xs, 'n') };
      const logits = predict(ops, tinySpec, xs, interact(ops, tinySpec, xs, embed(ops, tinySpec, xs, features)));
      return project(ops, logits, xs);
    },
    inputs: {
      h: constant(34, [N, 2]),
      n: constant(35, [N, 1]),
      id: { shape: [N], data: [4, 0, 2, 4], dtype: 'int32' },
      c: { shape: [N], data: [3, 1, 1, 0], dtype: 'int32' },
      ...paramInputs(tinySpec, ['embeddings', 'cross', 'deep', 'residual', 'experts', 'gates', 'towers'], 3),
      R: constant(36, [N, 2]),
    },
  },
];

describe('gradients of each layer: tfjs autodiff (float32, custom matMul/gather gradients) vs float64 central differences', () => {
  beforeAll(async () => {
    await useTfjsBackend({ prefer: 'wasm' });
  });
  it.each(cases)('$name', { timeout: 60_000 }, async ({ name, f, inputs }) => {
    await expectGradientsMatch(name, f, inputs, 1e-6);
  });
});
