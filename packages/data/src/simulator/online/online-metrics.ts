/**
 * Upper bounds (1-based positions, inclusive) of the position buckets of Table 5: top 10, 10–25,
 * 25–50, 50–100, beyond 100.
 */
export const POSITION_BUCKET_LIMITS = [10, 25, 50, 100] as const;

/** Labels of the position buckets, in order (the last is everything beyond 100). */
export const POSITION_BUCKETS = ['top 10', '10–25', '25–50', '50–100', 'beyond 100'] as const;

/** The bucket index of a 1-based position. @example `positionBucket(11) // 1 (10–25)` */
export function positionBucket(position: number): number {
  let b = 0;
  while (b < POSITION_BUCKET_LIMITS.length && position > (POSITION_BUCKET_LIMITS[b] as number)) b++;
  return b;
}

/** Per-task counts in simulator task order: grid-click, save, click. */
export type TaskCounts = [number, number, number];

/**
 * What one arm did on one A/B day. Engagement counts are realised draws; `utility` and
 * `bestUtility` are expectations from the ground truth (no sampling noise).
 */
export interface DayMetrics {
  readonly day: number;
  requests: number;
  /** Shown positions: Σ over requests of the scroll depth. */
  impressions: number;
  /** Impressions of fresh items (created within `freshDays` of the request). */
  freshImpressions: number;
  /** Engagements per task on all items and on fresh items. */
  readonly engagements: { readonly all: TaskCounts; readonly fresh: TaskCounts };
  /** Impressions and engagements per position bucket ({@link POSITION_BUCKETS}). */
  readonly positions: { readonly impressions: number[]; readonly engagements: TaskCounts[] };
  /**
   * Σ over requests of the slate's expected eq 12 utility, `Σ_{k ≤ depth} e_k Σ_t u_t p*_t(item_k)`
   * (e_k the examination of position k, p* the position-free truth).
   */
  utility: number;
  /** Σ over requests of the best achievable: the same sum over the candidates sorted by `Σ_t u_t p*_t`. Regret = best − utility. */
  bestUtility: number;
}

/** An empty {@link DayMetrics} for day `day`. */
export function emptyDayMetrics(day: number): DayMetrics {
  return {
    day,
    requests: 0,
    impressions: 0,
    freshImpressions: 0,
    engagements: { all: [0, 0, 0], fresh: [0, 0, 0] },
    positions: {
      impressions: POSITION_BUCKETS.map(() => 0),
      engagements: POSITION_BUCKETS.map(() => [0, 0, 0] as TaskCounts),
    },
    utility: 0,
    bestUtility: 0,
  };
}

/**
 * Per-item counters of one arm over the A/B days, counted only while the item is fresh: its
 * impressions, grid-clicks and saves (Table 3: unique fresh items with ≥ N impressions / saves).
 */
export class FreshItemCounters {
  readonly impressions: Int32Array;
  readonly gridClicks: Int32Array;
  readonly saves: Int32Array;

  constructor(itemCount: number) {
    this.impressions = new Int32Array(itemCount);
    this.gridClicks = new Int32Array(itemCount);
    this.saves = new Int32Array(itemCount);
  }

  /** Counts one fresh impression of `item` with its labels. */
  add(item: number, labels: ArrayLike<number>): void {
    this.impressions[item] = (this.impressions[item] as number) + 1;
    this.gridClicks[item] = (this.gridClicks[item] as number) + (labels[0] as number);
    this.saves[item] = (this.saves[item] as number) + (labels[1] as number);
  }

  /**
   * Unique items whose fresh-life count reaches each threshold.
   *
   * @example `counters.itemsWithAtLeast('saves', [1, 10])` → `[items with ≥ 1 save, items with ≥ 10]`
   */
  itemsWithAtLeast(what: 'impressions' | 'gridClicks' | 'saves', thresholds: readonly number[]): number[] {
    const column = this[what];
    return thresholds.map((threshold) => {
      let n = 0;
      for (const v of column) if (v >= threshold && v > 0) n++;
      return n;
    });
  }
}
