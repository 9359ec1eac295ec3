/**
 * `@thaw/tfjs/testing` — helpers for smoke tests and benchmarks, kept out of the main entry:
 * random batches in a spec's layout, and a small synthetic cold-start problem (a spec and batches
 * where fresh items are under-ranked unless the model uses their content).
 *
 * @example
 * ```ts
 * import { randomFeatureBatch } from '@thaw/tfjs/testing';
 * import { demoSpec } from '@thaw/spec';
 * const batch = randomFeatureBatch(demoSpec, { size: 64, seed: 1 });
 * ```
 *
 * @packageDocumentation
 */
export { type RandomFeatureBatchOptions, randomFeatureBatch } from './random-feature-batch.js';
export { syntheticBatches, syntheticSpec } from './synthetic-cold-start.js';
