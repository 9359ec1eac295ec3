import type { FeatureBatch } from '@thaw/spec';

/** What a {@link BatchSource} function gets at the start of each epoch. */
export interface EpochContext {
  /** 0-based epoch. */
  readonly epoch: number;
  /**
   * The seed to shuffle this epoch with, derived from the training seed and the epoch, so a resumed
   * run sees the same order (e.g. `batches(frame, spec, { seed, rows })` of `@thaw/data`).
   */
  readonly seed: number;
  /** The batch size the run asks for. */
  readonly batchSize: number;
}

/** Batches of one epoch, synchronous or asynchronous. */
export type EpochBatches = Iterable<FeatureBatch> | AsyncIterable<FeatureBatch>;

/**
 * Where {@link train} gets its batches (each a `FeatureBatch` with `labels`, and `isCold` when
 * ScoreReg or ALDI is on):
 *
 * - a function `(context) => batches` called once per epoch — the recommended form: it must give
 *   the same batches for the same `context` (shuffle with `context.seed`), which is what makes a
 *   run resumable;
 * - an array (or any re-iterable collection) of batches, iterated once per epoch in order;
 * - a one-shot iterator/generator or async iterable, for a single epoch.
 *
 * On resume the loop calls the source for the checkpoint's epoch and skips the batches already
 * consumed.
 *
 * @example
 * ```ts
 * import { batches } from '@thaw/data';
 * const source: BatchSource = ({ seed, batchSize }) => batches(frame, spec, { rows: split.rows.train, seed, batchSize });
 * ```
 */
export type BatchSource = EpochBatches | ((context: EpochContext) => EpochBatches);

/** The shuffle seed of `epoch` for a run seeded with `seed`. */
export function epochSeed(seed: number, epoch: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (epoch + 1), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) | 0;
}

/** The batches of one epoch of `source`. */
export function openEpoch(source: BatchSource, context: EpochContext): EpochBatches {
  const batches = typeof source === 'function' ? source(context) : source;
  const iterable =
    batches !== null &&
    typeof batches === 'object' &&
    (Symbol.iterator in (batches as object) || Symbol.asyncIterator in (batches as object));
  if (!iterable) {
    throw new TypeError(
      `train: the batch source for epoch ${context.epoch} is not iterable; give an array, an iterable or async iterable of FeatureBatch, or a function (context) => batches`,
    );
  }
  return batches;
}
