import { type ModelSpec, validateSpec } from '@thaw/spec';
import { type FeatureFrame, SECONDS_PER_DAY } from '../frame/feature-frame.js';

/** A 2-task spec with one feature of each kind, for hand-computed tests. */
export const handSpec: ModelSpec = validateSpec({
  specVersion: 1,
  name: 'hand',
  features: [
    { name: 'item', group: 'historical', source: 'item', kind: 'id', buckets: 100, embeddingDim: 2 },
    { name: 'vec', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 2 },
    {
      name: 'cat',
      group: 'nonHistorical',
      source: 'item',
      kind: 'categorical',
      vocabSize: 3,
      embeddingDim: 2,
      vocabulary: ['a', 'b', 'c'],
    },
  ],
  architecture: {
    cross: { count: 1 },
    deep: { units: [4] },
    residual: { enabled: false, projectionUnits: [2] },
    mmoe: { experts: 1, expertUnits: [2] },
    tower: { units: [] },
  },
  tasks: [{ name: 'click' }, { name: 'save' }],
  utility: { click: 1, save: 1 },
  coldStart: { coldDays: 28 },
});

const D = SECONDS_PER_DAY;

/**
 * Six rows in three requests (2, 3, 1 rows), row r: item 10 + r % 3, vec [r, −r], cat r % 4
 * (3 = OOV), click r % 2, save 1 for r = 4, timestamps day 30 + request, items created on day 0
 * (items 10, 11: 30+ days old → warm) or day 29 + r (item 12: fresh).
 */
export function handFrame(): FeatureFrame {
  const requestId = Int32Array.from([0, 0, 1, 1, 1, 2]);
  const itemId = Int32Array.from([10, 11, 12, 10, 11, 12]);
  const timestamp = Float64Array.from(requestId, (q) => (30 + q) * D);
  const itemCreatedAt = Float64Array.from(itemId, (item, r) => (item === 12 ? (29 + r) * D : 0));
  return {
    size: 6,
    features: {
      item: Int32Array.from([10, 11, 12, 10, 11, 12]),
      vec: Float32Array.from([0, 0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5]),
      cat: Int32Array.from([0, 1, 2, 3, 0, 1]),
    },
    labels: { click: Float32Array.from([0, 1, 0, 1, 0, 1]), save: Float32Array.from([0, 0, 0, 0, 1, 0]) },
    requestId,
    itemId,
    userId: Int32Array.from([7, 7, 8, 8, 8, 9]),
    timestamp,
    itemCreatedAt,
  };
}
