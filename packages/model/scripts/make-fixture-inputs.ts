/**
 * Writes, as JSON on stdout, the inputs of the PyTorch parity fixture: for each case a small spec
 * (every feature kind, full- and low-rank cross, stacked and parallel, Residual on and off, relu
 * and tanh, gate and tower hidden layers, the ALDI student), seeded weights from
 * `initParameters` (biases replaced by N(0, 0.1²) draws), seeded raw inputs, labels, isCold, and a fixed mixup λ and partner
 * derangement. `fixtures/make_torch_fixture.py` reads it and adds what PyTorch computes.
 *
 * Run: `npm run fixtures -w @thaw/model` (needs Debian's python3-torch).
 */
import { initParameters } from '@thaw/model';
import { type ModelSpec, type ModelSpecInput, validateSpec } from '@thaw/spec';
import { createRng, type Rng, type Tensor } from '@thaw/tensor';

interface CaseInput {
  readonly name: string;
  readonly seed: number;
  readonly batchSize: number;
  readonly lambda: number;
  readonly spec: ModelSpecInput;
}

const cases: CaseInput[] = [
  {
    name: 'stacked-full-rank',
    seed: 11,
    batchSize: 8,
    lambda: 0.3,
    spec: {
      specVersion: 1,
      name: 'mini-ref-m',
      features: [
        {
          name: 'hist_dense',
          group: 'historical',
          source: 'item',
          kind: 'dense',
          dim: 3,
          stats: { mean: [0.5, -1, 2], std: [2, 0.5, 1] },
        },
        { name: 'item_id', group: 'historical', source: 'item', kind: 'id', buckets: 7, embeddingDim: 4 },
        { name: 'user_seq', group: 'historical', source: 'user', kind: 'dense', dim: 3 },
        { name: 'content', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 4 },
        { name: 'cat_0', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 5, embeddingDim: 2 },
        { name: 'cat_1', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 3, embeddingDim: 2 },
      ],
      architecture: {
        cross: { count: 2 },
        deep: { units: [12, 8] },
        structure: 'stacked',
        residual: { enabled: true, projectionUnits: [4] },
        mmoe: { experts: 3, expertUnits: [6] },
        tower: { units: [5] },
        activation: 'relu',
      },
      tasks: [{ name: 'grid_click' }, { name: 'save' }, { name: 'click' }],
      utility: { grid_click: 1, save: 1, click: 0.5 },
    },
  },
  {
    name: 'parallel-low-rank-aldi',
    seed: 22,
    batchSize: 8,
    lambda: 0.7,
    spec: {
      specVersion: 1,
      name: 'parallel-low-rank',
      features: [
        { name: 'item_ctr', group: 'historical', source: 'item', kind: 'dense', dim: 2 },
        {
          name: 'user_ctx',
          group: 'historical',
          source: 'user',
          kind: 'dense',
          dim: 2,
          stats: { mean: [1, 0], std: [0.5, 3] },
        },
        { name: 'item_id', group: 'historical', source: 'item', kind: 'id', buckets: 5, embeddingDim: 3 },
        { name: 'content', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 3 },
        { name: 'category', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 4, embeddingDim: 2 },
      ],
      architecture: {
        cross: { count: 2, lowRank: 3 },
        deep: { units: [6] },
        structure: 'parallel',
        residual: { enabled: true, projectionUnits: [4, 3] },
        mmoe: { experts: 2, expertUnits: [5, 4], gateUnits: [3] },
        tower: { units: [] },
        activation: 'tanh',
      },
      tasks: [{ name: 'grid_click' }, { name: 'save' }],
      utility: { grid_click: 0.7, save: 1.3 },
      coldStart: { aldi: { enabled: true, studentUnits: [4] } },
    },
  },
  {
    name: 'single-task-no-residual',
    seed: 33,
    batchSize: 5,
    lambda: 0.45,
    spec: {
      specVersion: 1,
      name: 'single-task',
      features: [
        { name: 'item_id', group: 'historical', source: 'item', kind: 'id', buckets: 4, embeddingDim: 2 },
        { name: 'content', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 2 },
        { name: 'category', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 2, embeddingDim: 1 },
      ],
      architecture: {
        cross: { count: 1 },
        deep: { units: [] },
        structure: 'stacked',
        residual: { enabled: false, projectionUnits: [2] },
        mmoe: { experts: 1, expertUnits: [4] },
        tower: { units: [3] },
        activation: 'relu',
      },
      tasks: [{ name: 'click' }],
      utility: { click: 1 },
    },
  },
];

const plain = (t: Tensor) => ({ shape: [...t.shape], data: Array.from(t.data as ArrayLike<number>) });
const f32 = (v: number) => Math.fround(v);

/** A random permutation of 0..n−1 with no fixed point (mixup pairs each sample with another). */
function derangement(rng: Rng, n: number): number[] {
  for (;;) {
    const p = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    if (p.every((j, i) => j !== i)) return p;
  }
}

function features(spec: ModelSpec, rng: Rng, n: number) {
  const out: Record<string, { dtype: 'float32' | 'int32'; shape: number[]; data: number[] }> = {};
  for (const f of spec.features) {
    if (f.kind === 'dense') {
      // Raw values around the stats, so the in-graph (x − mean) / std matters.
      const data = Array.from({ length: n * f.dim }, (_, i) => {
        const c = i % f.dim;
        return f32((f.stats?.mean[c] ?? 0) + (f.stats?.std[c] ?? 1) * rng.normal());
      });
      out[f.name] = { dtype: 'float32', shape: [n, f.dim], data };
    } else {
      const rows = f.kind === 'categorical' ? f.vocabSize + 1 : f.buckets;
      const data = Array.from({ length: n }, () => rng.int(rows));
      if (f.kind === 'categorical') data[0] = f.vocabSize; // row 0 is out-of-vocabulary
      out[f.name] = { dtype: 'int32', shape: [n], data };
    }
  }
  return out;
}

const output = cases.map((c) => {
  const spec = validateSpec(c.spec, `case ${c.name}`);
  const rng = createRng(c.seed + 1000);
  const n = c.batchSize;
  const tasks = spec.tasks.length;
  // initParameters, but with non-zero biases: they exercise the bias path and keep ReLUs off their kink.
  const params = Object.fromEntries(
    Object.entries(initParameters(spec, c.seed)).map(([k, t]) => {
      const p = plain(t);
      return [k, k.endsWith('.bias') ? { ...p, data: p.data.map(() => f32(0.1 * rng.normal())) } : p];
    }),
  );
  const isCold = Array.from({ length: n }, (_, i) => (i % 3 === 1 ? 1 : 0));
  return {
    name: c.name,
    seed: c.seed,
    spec,
    batchSize: n,
    params,
    features: features(spec, rng, n),
    labels: { shape: [n, tasks], data: Array.from({ length: n * tasks }, () => (rng.uniform() < 0.4 ? 1 : 0)) },
    isCold,
    mixup: { lambda: c.lambda, partner: derangement(rng, n) },
    lossWeights: { mixup: 0.2, scoreReg: 0.1 },
  };
});

process.stdout.write(`${JSON.stringify({ cases: output })}\n`);
