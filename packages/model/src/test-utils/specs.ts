import { type ModelSpec, validateSpec } from '@thaw/spec';

/** A spec with low-rank cross, parallel structure, gate hidden layers, a 2-layer projection and the ALDI student. */
export const oddSpec: ModelSpec = validateSpec(
  {
    specVersion: 1,
    name: 'odd',
    features: [
      { name: 'h', group: 'historical', source: 'item', kind: 'dense', dim: 4 },
      { name: 'u', group: 'historical', source: 'user', kind: 'dense', dim: 1 },
      { name: 'id', group: 'historical', source: 'item', kind: 'id', buckets: 10, embeddingDim: 2 },
      { name: 'c', group: 'nonHistorical', kind: 'categorical', vocabSize: 5, embeddingDim: 3 },
      { name: 'n', group: 'nonHistorical', kind: 'dense', dim: 2 },
    ],
    architecture: {
      cross: { count: 2, lowRank: 3 },
      deep: { units: [8] },
      structure: 'parallel',
      residual: { enabled: true, projectionUnits: [4, 2] },
      mmoe: { experts: 2, expertUnits: [6], gateUnits: [5] },
      tower: { units: [] },
      activation: 'tanh',
    },
    tasks: [{ name: 'a' }, { name: 'b' }],
    utility: { a: 1, b: 1 },
    coldStart: { aldi: { enabled: true, studentUnits: [3] } },
  },
  'oddSpec',
);

/**
 * The tiny spec of the hand-computed forward test: x_h = [dense h (1, with stats); id (1)],
 * x_nh = [categorical c (1); dense n (1)], so d = 4; one full-rank cross layer, deep [2], residual
 * [1], 2 experts of width 2, 2 tasks, towers [] (logit straight from the mixed expert).
 */
export const tinySpec: ModelSpec = validateSpec(
  {
    specVersion: 1,
    name: 'tiny',
    features: [
      { name: 'h', group: 'historical', source: 'item', kind: 'dense', dim: 1, stats: { mean: [1], std: [2] } },
      { name: 'id', group: 'historical', source: 'item', kind: 'id', buckets: 3, embeddingDim: 1 },
      { name: 'c', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 2, embeddingDim: 1 },
      { name: 'n', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 1 },
    ],
    architecture: {
      cross: { count: 1 },
      deep: { units: [2] },
      structure: 'stacked',
      residual: { enabled: true, projectionUnits: [1] },
      mmoe: { experts: 2, expertUnits: [2] },
      tower: { units: [] },
      activation: 'relu',
    },
    tasks: [{ name: 'a' }, { name: 'b' }],
    utility: { a: 2, b: 0.5 },
  },
  'tinySpec',
);
