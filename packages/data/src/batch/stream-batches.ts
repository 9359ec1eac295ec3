import type { ModelSpec } from '@thaw/spec';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { type BatchOptions, batches } from './batches.js';
import type { FrameBatch } from './frame-batch.js';

/** A batch of a streamed chunk: `rows` index into chunk number `chunk`. */
export interface ChunkBatch extends FrameBatch {
  readonly chunk: number;
}

/**
 * Batches a stream of frame chunks (`streamCsvFrames`, `streamParquetFrames`) with bounded memory:
 * one chunk in memory at a time, shuffled within the chunk (seed `seed + chunk index`) or in
 * request order. Chunks hold whole requests, so request-order batches keep requests whole.
 *
 * @example
 * ```ts
 * for await (const batch of streamBatches(streamParquetFrames(path, mapping, spec), spec, { seed: 1 })) train(batch);
 * ```
 */
export async function* streamBatches(
  chunks: AsyncIterable<FeatureFrame> | Iterable<FeatureFrame>,
  spec: ModelSpec,
  options: Omit<BatchOptions, 'rows'> = {},
): AsyncGenerator<ChunkBatch> {
  let chunk = 0;
  for await (const frame of chunks) {
    for (const batch of batches(frame, spec, { ...options, seed: (options.seed ?? 0) + chunk })) yield { ...batch, chunk };
    chunk++;
  }
}
