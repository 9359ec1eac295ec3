/**
 * A feature column: dense features hold `size × dim` float32 values row-major; categorical
 * features hold one embedding row per impression (`encodeCategorical`, `vocabSize` = OOV); id
 * features hold one hashed bucket per impression (`hashToBucket`).
 */
export type FeatureColumn = Float32Array | Int32Array;

/**
 * Optional original keys for the integer id columns: `item[itemId[r]]` is the item key of row `r`
 * as it appeared in the source (CSV value, MovieLens `movieId` …). Absent when the ids are the keys.
 */
export interface FrameKeys {
  readonly item?: readonly string[];
  readonly user?: readonly string[];
  readonly request?: readonly string[];
}

/**
 * What the data knew about an item's engagement history **as of** each impression (strictly
 * earlier events only): the number of logged events (impressions in the simulator, ratings in
 * MovieLens, rows of a CSV log) and how many of them were positive on the first task.
 * The leakage report and the reference scorers (popularity, "no history first") read these.
 */
export interface ItemHistoryColumns {
  /** Events of the item strictly before the impression; 0 = a "no-history" candidate. */
  readonly events: Int32Array;
  /** Of those, the positives of the first task (popularity). */
  readonly positives: Int32Array;
}

/**
 * A columnar table of impressions: one typed array per spec feature, the request/item/user keys,
 * times, one label column per task and, for the simulator, the ground-truth probabilities.
 *
 * Times are seconds since the Unix epoch (float64). `itemCreatedAt` gives the item age at each
 * impression (`itemAgeDays`) and so the cold flag (`age < spec.coldStart.coldDays`, see
 * `coldMask`). Row `r` of every column describes the same impression.
 *
 * @example
 * ```ts
 * const { frame, spec } = simulate('tiny', 1);
 * frame.size;                          // impressions
 * frame.features['item_content'];      // Float32Array, size × 16
 * frame.labels['save'];                // Float32Array of 0/1
 * itemAgeDays(frame)[0];               // age of the first impression's item, in days
 * ```
 */
export interface FeatureFrame {
  /** Number of rows (impressions). */
  readonly size: number;
  /** One column per spec feature, keyed by feature name. */
  readonly features: Readonly<Record<string, FeatureColumn>>;
  /** One 0/1 (or soft) label column per task, keyed by task name. */
  readonly labels: Readonly<Record<string, Float32Array>>;
  /** True per-task probabilities where the generating process is known (simulator). */
  readonly truth?: Readonly<Record<string, Float32Array>>;
  /** Request (query) of each row; rows of one request are ranked together (Hits@K). */
  readonly requestId: Int32Array;
  readonly itemId: Int32Array;
  readonly userId: Int32Array;
  /** Impression time, seconds since the epoch. */
  readonly timestamp: Float64Array;
  /** Creation time of the row's item, seconds since the epoch. */
  readonly itemCreatedAt: Float64Array;
  /** The item's engagement history as of the impression, when known. */
  readonly itemHistory?: ItemHistoryColumns;
  readonly keys?: FrameKeys;
}

/** Seconds in a day: frame times are seconds, ages and windows are days. */
export const SECONDS_PER_DAY = 86_400;
