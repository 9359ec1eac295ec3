/**
 * `@thaw/layers/testing` — helpers for smoke tests and benchmarks, kept out of the main entry:
 * random batches in a spec's layout.
 *
 * @example
 * ```ts
 * import { randomFeatureBatch } from '@thaw/layers/testing';
 * import { demoSpec } from '@thaw/spec';
 * const batch = randomFeatureBatch(demoSpec, { size: 64, seed: 1 });
 * ```
 *
 * @packageDocumentation
 */
export { type RandomFeatureBatchOptions, randomFeatureBatch } from './random-feature-batch.js';
