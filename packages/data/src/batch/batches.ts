import type { ModelSpec } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { type FrameBatch, toFeatureBatch } from './frame-batch.js';
import { requestOrder } from './request-order.js';

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Rows per batch (default: `spec.training.batchSize`). */
  readonly batchSize?: number;
  /**
   * `'shuffle'` (training): rows in a seeded random order. `'request'` (evaluation): whole
   * requests together in order of first appearance; a batch holds as many whole requests as fit
   * in `batchSize` (a request larger than `batchSize` gets a batch of its own).
   */
  readonly order?: 'shuffle' | 'request';
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** Restrict to these frame rows (e.g. `split.rows.train`). */
  readonly rows?: ArrayLike<number>;
  /** Drop a last shuffled batch smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
}

/**
 * Iterates a frame in {@link FrameBatch}es: shuffled with a seed for training, or request by
 * request for evaluation (Hits@K needs every candidate of a request in one batch).
 *
 * @throws RangeError when `batchSize` is not an integer ≥ 1.
 * @example
 * ```ts
 * for (const batch of batches(frame, spec, { rows: split.rows.train, seed: 7 })) train(batch);
 * for (const batch of batches(frame, spec, { rows: split.rows.eval, order: 'request' })) score(batch);
 * ```
 */
export function* batches(frame: FeatureFrame, spec: ModelSpec, options: BatchOptions = {}): Generator<FrameBatch> {
  const batchSize = options.batchSize ?? spec.training.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batches: batchSize must be an integer ≥ 1 (got ${batchSize})`);
  }
  if ((options.order ?? 'shuffle') === 'shuffle') {
    const rows = options.rows ? Int32Array.from(options.rows) : Int32Array.from({ length: frame.size }, (_, i) => i);
    createRng(options.seed ?? 0).shuffle(rows);
    for (let start = 0; start < rows.length; start += batchSize) {
      const end = Math.min(rows.length, start + batchSize);
      if (options.dropLast && end - start < batchSize) return;
      yield toFeatureBatch(frame, spec, rows.subarray(start, end));
    }
    return;
  }
  const { rows, starts } = requestOrder(frame, options.rows);
  let from = 0;
  for (let q = 1; q < starts.length; q++) {
    const end = starts[q] as number;
    const next = starts[q + 1];
    if (next === undefined || (next as number) - from > batchSize) {
      yield toFeatureBatch(frame, spec, rows.subarray(from, end));
      from = end;
    }
  }
}
