import { demoSpecInput, type ModelSpec, validateSpec } from '@thaw/spec';
import type { SimulationOptions } from './simulation-options.js';

/**
 * The spec whose features the simulator produces: `demoSpec` from `@thaw/spec` (identical for the
 * `tiny` and `demo` presets), with the content widths, the category count and the item-id buckets
 * taken from the options when they differ.
 *
 * @example `simulatorSpec(SIMULATION_PRESETS.demo)` deep-equals `demoSpec`.
 */
export function simulatorSpec(options: Pick<SimulationOptions, 'latentDim' | 'categories' | 'itemBuckets'>): ModelSpec {
  const input = structuredClone(demoSpecInput) as unknown as {
    features: { name: string; dim?: number; vocabSize?: number; buckets?: number }[];
  };
  for (const feature of input.features) {
    if (feature.name === 'item_id') feature.buckets = options.itemBuckets;
    if (feature.name === 'item_category') feature.vocabSize = options.categories;
    if (['user_history', 'item_content', 'query_content'].includes(feature.name)) feature.dim = options.latentDim;
  }
  return validateSpec(input, 'simulatorSpec');
}
