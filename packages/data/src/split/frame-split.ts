/** The three parts of the paper's protocol: train, calibration, evaluation. */
export type SplitName = 'train' | 'calibration' | 'eval';

/** Split names in protocol order. */
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'calibration', 'eval'];

/** A half-open time window `[start, end)`, seconds since the epoch. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * A split of a frame's rows into train / calibration / eval. Requests are never cut: every row
 * of a request lands in the same part.
 */
export interface FrameSplit {
  readonly kind: 'temporal' | 'itemHoldout';
  /** Frame rows of each part, ascending. */
  readonly rows: Readonly<Record<SplitName, Int32Array>>;
  /** The time windows (temporal split). */
  readonly windows?: Readonly<Record<SplitName, TimeWindow>>;
  /** The held-out item ids (item hold-out split): never in `train`. */
  readonly heldOutItems?: Int32Array;
}
