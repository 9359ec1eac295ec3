/** Options of {@link HistoryState}. */
export interface HistoryStateOptions {
  /** Number of tracked 0/1 labels per event (e.g. the tasks). */
  readonly labels: number;
  /** Also track a numeric value per event (e.g. a rating) and report its smoothed mean. */
  readonly valued?: boolean;
  /** Width of the profile vector averaged over an entity's profile events (0 = none). */
  readonly profileDim?: number;
  /**
   * Pseudo-count `m` of the smoothed rates: `(positives + m·p̄) / (events + m)`, with `p̄` the
   * global rate of all events recorded so far (default 20).
   */
  readonly smoothing?: number;
}

function ensure(array: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  if (length <= array.length) return array;
  const next = new Float64Array(Math.max(length, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Running engagement tallies per entity (item or user), from which the as-of historical features
 * are read. Callers record events in time order and read an entity's features **before**
 * recording the events of the same instant, so features only see strictly earlier events
 * (`replayAsOf` enforces this for logs; the simulator does it request by request).
 *
 * The stats vector (`statsWidth` = 1 + 2L (+1 when valued)) of an entity with `n` events,
 * `p_k` positives on label k and value sum `V` is
 * `[log(1+n), log(1+p_1) … log(1+p_L), (p_1 + m·p̄_1)/(n+m) … (p_L + m·p̄_L)/(n+m), (V + m·v̄)/(n+m)]`,
 * where `p̄_k`, `v̄` are the global means over every event recorded so far (0 before any).
 *
 * @example
 * ```ts
 * const items = new HistoryState({ labels: 3 });
 * const stats = new Float32Array(items.statsWidth);
 * items.writeStats(42, stats, 0);   // item 42 before any event: [0, 0, 0, 0, 0, 0, 0]
 * items.record(42, [1, 0, 0]);      // one impression, grid-clicked
 * ```
 */
export class HistoryState {
  readonly labels: number;
  readonly valued: boolean;
  readonly profileDim: number;
  readonly smoothing: number;
  /** Width of the vector `writeStats` writes. */
  readonly statsWidth: number;
  private events = new Float64Array(64);
  private positives: Float64Array<ArrayBuffer>;
  private values = new Float64Array(64);
  private profileCounts = new Float64Array(64);
  private profiles: Float64Array<ArrayBuffer>;
  private totalEvents = 0;
  private readonly totalPositives: Float64Array;
  private totalValue = 0;

  constructor(options: HistoryStateOptions) {
    const { labels, profileDim = 0, smoothing = 20 } = options;
    if (!Number.isInteger(labels) || labels < 0)
      throw new RangeError(`HistoryState: labels must be an integer ≥ 0 (got ${labels})`);
    if (!Number.isInteger(profileDim) || profileDim < 0) {
      throw new RangeError(`HistoryState: profileDim must be an integer ≥ 0 (got ${profileDim})`);
    }
    if (!(smoothing >= 0)) throw new RangeError(`HistoryState: smoothing must be a number ≥ 0 (got ${smoothing})`);
    this.labels = labels;
    this.valued = options.valued ?? false;
    this.profileDim = profileDim;
    this.smoothing = smoothing;
    this.statsWidth = 1 + 2 * labels + (this.valued ? 1 : 0);
    this.positives = new Float64Array(64 * Math.max(1, labels));
    this.profiles = new Float64Array(64 * Math.max(1, profileDim));
    this.totalPositives = new Float64Array(labels);
  }

  private grow(entity: number): void {
    if (!Number.isInteger(entity) || entity < 0) {
      throw new RangeError(`HistoryState: entity must be an integer ≥ 0 (got ${entity})`);
    }
    const n = entity + 1;
    this.events = ensure(this.events, n);
    this.values = ensure(this.values, n);
    this.profileCounts = ensure(this.profileCounts, n);
    this.positives = ensure(this.positives, n * Math.max(1, this.labels));
    this.profiles = ensure(this.profiles, n * Math.max(1, this.profileDim));
  }

  /**
   * An independent copy: the same tallies, profiles and global rates; recording into either leaves
   * the other unchanged (e.g. one copy per arm of an online A/B test from a shared warm-up).
   */
  clone(): HistoryState {
    const copy = new HistoryState({
      labels: this.labels,
      valued: this.valued,
      profileDim: this.profileDim,
      smoothing: this.smoothing,
    });
    copy.events = this.events.slice();
    copy.positives = this.positives.slice();
    copy.values = this.values.slice();
    copy.profileCounts = this.profileCounts.slice();
    copy.profiles = this.profiles.slice();
    copy.totalEvents = this.totalEvents;
    copy.totalPositives.set(this.totalPositives);
    copy.totalValue = this.totalValue;
    return copy;
  }

  /** Records one event of `entity` with its labels (and value). */
  record(entity: number, labels: ArrayLike<number>, value = 0): void {
    this.grow(entity);
    this.events[entity] = (this.events[entity] as number) + 1;
    this.totalEvents += 1;
    for (let k = 0; k < this.labels; k++) {
      const y = labels[k] as number;
      const at = entity * this.labels + k;
      this.positives[at] = (this.positives[at] as number) + y;
      this.totalPositives[k] = (this.totalPositives[k] as number) + y;
    }
    if (this.valued) {
      this.values[entity] = (this.values[entity] as number) + value;
      this.totalValue += value;
    }
  }

  /** Adds `vector[offset … offset + profileDim)` to the entity's profile (e.g. an engaged item's content). */
  recordProfile(entity: number, vector: ArrayLike<number>, offset = 0): void {
    this.grow(entity);
    this.profileCounts[entity] = (this.profileCounts[entity] as number) + 1;
    const base = entity * this.profileDim;
    for (let k = 0; k < this.profileDim; k++) {
      this.profiles[base + k] = (this.profiles[base + k] as number) + (vector[offset + k] as number);
    }
  }

  /** Events recorded for `entity`. */
  count(entity: number): number {
    return entity < this.events.length ? (this.events[entity] as number) : 0;
  }

  /** Positives of label `k` recorded for `entity`. */
  positivesOf(entity: number, k: number): number {
    return entity < this.events.length ? (this.positives[entity * this.labels + k] as number) : 0;
  }

  /** Writes the `statsWidth` stats of `entity` into `out[offset …]` (see the class doc). */
  writeStats(entity: number, out: { [i: number]: number }, offset: number): void {
    const n = this.count(entity);
    const m = this.smoothing;
    const L = this.labels;
    out[offset] = Math.log1p(n);
    for (let k = 0; k < L; k++) {
      const p = this.positivesOf(entity, k);
      const prior = this.totalEvents > 0 ? (this.totalPositives[k] as number) / this.totalEvents : 0;
      out[offset + 1 + k] = Math.log1p(p);
      out[offset + 1 + L + k] = n + m > 0 ? (p + m * prior) / (n + m) : 0;
    }
    if (this.valued) {
      const v = entity < this.values.length ? (this.values[entity] as number) : 0;
      const prior = this.totalEvents > 0 ? this.totalValue / this.totalEvents : 0;
      out[offset + 1 + 2 * L] = n + m > 0 ? (v + m * prior) / (n + m) : 0;
    }
  }

  /** Writes the mean profile vector of `entity` (zeros without profile events) into `out[offset …]`. */
  writeProfile(entity: number, out: { [i: number]: number }, offset: number): void {
    const c = entity < this.profileCounts.length ? (this.profileCounts[entity] as number) : 0;
    const base = entity * this.profileDim;
    for (let k = 0; k < this.profileDim; k++) out[offset + k] = c > 0 ? (this.profiles[base + k] as number) / c : 0;
  }
}
