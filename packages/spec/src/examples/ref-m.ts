import type { ModelSpecInput } from '../types.js';

/**
 * The `ref-m` reference workload of the design (performance): batch 512; historical: 16 dense +
 * item id (100,000 buckets × 32) + a 64-d user-sequence vector; non-historical: a 64-d content
 * vector + 4 categoricals (1,000 × 16); 3 full-rank cross layers on the 240-d input stacked with
 * MLP [512, 256]; Residual projection 128 → 32; MMoE with 4 experts (288 → 128), 3 tasks, towers
 * [64] → 1. Its dense part has 608,767 parameters, as `../shared/bench/torch_ref.py` counts.
 */
export const refMSpecInput = {
  specVersion: 1,
  name: 'ref-m',
  description: 'Reference workload for performance work (see design.md).',
  features: [
    { name: 'hist_dense', group: 'historical', source: 'item', kind: 'dense', dim: 16 },
    { name: 'item_id', group: 'historical', source: 'item', kind: 'id', buckets: 100_000, embeddingDim: 32 },
    { name: 'user_seq', group: 'historical', source: 'user', kind: 'dense', dim: 64 },
    { name: 'content', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 64 },
    { name: 'cat_0', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 1000, embeddingDim: 16 },
    { name: 'cat_1', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 1000, embeddingDim: 16 },
    { name: 'cat_2', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 1000, embeddingDim: 16 },
    { name: 'cat_3', group: 'nonHistorical', source: 'item', kind: 'categorical', vocabSize: 1000, embeddingDim: 16 },
  ],
  architecture: {
    cross: { count: 3 },
    deep: { units: [512, 256] },
    structure: 'stacked',
    residual: { enabled: true, projectionUnits: [32] },
    mmoe: { experts: 4, expertUnits: [128] },
    tower: { units: [64] },
    activation: 'relu',
  },
  tasks: [{ name: 'grid_click' }, { name: 'save' }, { name: 'click' }],
  utility: { grid_click: 1, save: 1, click: 1 },
  coldStart: {
    coldDays: 28,
    scoreReg: { enabled: true, weight: 0.1 },
    mixup: { enabled: true, weight: 0.2, alpha: 0.4 },
  },
  training: { batchSize: 512, epochs: 1, learningRate: 1e-3, optimizer: 'adam' },
} as const satisfies ModelSpecInput;
