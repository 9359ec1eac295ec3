import { type FeatureBatch, type ModelSpec, type ModelSpecInput, validateSpec } from '@thaw/spec';
import { createRng, createTensor } from '@thaw/tensor';

/** A small spec for the synthetic cold-start problem; switches for Residual and ScoreReg. */
export function syntheticSpec(options: {
  residual: boolean;
  scoreRegWeight?: number;
  mixup?: boolean;
  dropout?: number;
  aldi?: boolean;
}): ModelSpec {
  const input: ModelSpecInput = {
    specVersion: 1,
    name: 'synthetic',
    features: [
      { name: 'item_id', group: 'historical', source: 'item', kind: 'id', buckets: 4096, embeddingDim: 4 },
      // fill: what a cold item of syntheticBatches has (no history: zeros), the Dropout baseline's cold value.
      { name: 'item_stats', group: 'historical', source: 'item', kind: 'dense', dim: 2, fill: [0, 0] },
      { name: 'content', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 6 },
    ],
    architecture: {
      cross: { count: 1 },
      deep: { units: [16] },
      residual: { enabled: options.residual, projectionUnits: [4] },
      mmoe: { experts: 2, expertUnits: [8] },
      tower: { units: [4] },
    },
    tasks: [{ name: 'click' }, { name: 'save' }],
    utility: { click: 1, save: 1 },
    coldStart: {
      scoreReg: { enabled: (options.scoreRegWeight ?? 0) > 0, weight: options.scoreRegWeight ?? 0.1 },
      mixup: { enabled: options.mixup ?? false, weight: 0.2, alpha: 0.4 },
      dropout: { enabled: options.dropout !== undefined, rate: options.dropout ?? 0.5 },
      aldi: { enabled: options.aldi ?? false, studentUnits: [8] },
    },
    training: { batchSize: 128, epochs: 1, learningRate: 0.01, optimizer: 'adam' },
  };
  return validateSpec(input, 'syntheticSpec');
}

/**
 * Impressions of a synthetic catalogue where an item's engagement depends only on its content
 * (`q = a·content`): warm items also carry engagement-derived features (a noisy observed rate
 * `σ(q)` and log impressions) and their own id; cold items (25%) have no history (zeros, an id
 * the model rarely sees) and a lower observed engagement rate (−1.5 in logit), as under exposure bias.
 */
export function syntheticBatches(options: { rows: number; batchSize: number; seed: number }): FeatureBatch[] {
  // One catalogue (seed 0) for every call; `seed` only draws the impressions.
  const rng = createRng(0);
  const items = 2000;
  const a = Array.from({ length: 6 }, () => rng.normal() * 0.6);
  const catalogue = Array.from({ length: items }, (_, i) => {
    const content = Array.from({ length: 6 }, () => rng.normal());
    const q = content.reduce((s, c, k) => s + c * (a[k] as number), 0);
    const cold = i % 4 === 0;
    const observed = 1 / (1 + Math.exp(-(q + rng.normal() * 0.3)));
    return { content, q, cold, stats: cold ? [0, 0] : [observed * 4 - 2, Math.log1p(50 + rng.int(500)) - 5], id: i };
  });
  rng.restore(createRng(options.seed).state());
  const out: FeatureBatch[] = [];
  for (let start = 0; start < options.rows; start += options.batchSize) {
    const n = Math.min(options.batchSize, options.rows - start);
    const ids = new Int32Array(n);
    const stats = new Float32Array(n * 2);
    const content = new Float32Array(n * 6);
    const labels = new Float32Array(n * 2);
    const isCold = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const item = catalogue[rng.int(items)] as (typeof catalogue)[number];
      ids[r] = item.id;
      stats.set(item.stats, r * 2);
      content.set(item.content, r * 6);
      isCold[r] = item.cold ? 1 : 0;
      const offset = item.cold ? -1.5 : 0;
      labels[r * 2] = rng.uniform() < 1 / (1 + Math.exp(-(item.q + offset))) ? 1 : 0;
      labels[r * 2 + 1] = rng.uniform() < 1 / (1 + Math.exp(-(0.8 * item.q - 1 + offset))) ? 1 : 0;
    }
    out.push({
      size: n,
      features: {
        item_id: createTensor('int32', ids, [n]),
        item_stats: createTensor('float32', stats, [n, 2]),
        content: createTensor('float32', content, [n, 6]),
      },
      labels: createTensor('float32', labels, [n, 2]),
      isCold: createTensor('float32', isCold, [n]),
    });
  }
  return out;
}
