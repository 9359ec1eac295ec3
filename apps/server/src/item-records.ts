import type { FeatureSpec, ItemsTable } from '@thaw/spec';

/**
 * How one item-source feature is filled, prepared once per model: where its values sit in an
 * item's record (see {@link ItemRecords}) and the value an unknown item gets.
 */
export type ItemFeaturePlan =
  | {
      readonly kind: 'dense';
      readonly feature: FeatureSpec;
      readonly dim: number;
      readonly offset: number;
      readonly cold: Float32Array;
    }
  | { readonly kind: 'categorical'; readonly feature: FeatureSpec; readonly offset: number; readonly cold: number }
  | { readonly kind: 'id'; readonly feature: FeatureSpec; readonly offset: number; readonly buckets: number };

/** Words (4 bytes) an item's record is rounded up to: 16 = one 64-byte cache line. */
const RECORD_ALIGN = 16;
/**
 * The items table re-laid out for the random reads of serving, built once per model: one record
 * per item holding all its item-source values (dense as float32, categorical/id rows as int32 in
 * the same words), so a request's random items cost one contiguous read each instead of one per
 * feature column. {@link rowsOf} looks a request's ids up and then touches every cache line of
 * every record found in a tight loop: independent loads, so the cache and TLB misses (on a table
 * larger than the caches they are what building the feeds costs) overlap instead of coming one at
 * a time inside the copy that follows. Memory: one more copy of the table's values.
 *
 * @example
 * ```ts
 * const records = new ItemRecords(features, table); // once per model
 * const rows = new Int32Array(ids.length);
 * records.rowsOf(candidates, rows); // rows[i] = row of candidates[i].itemId, or -1 when unknown
 * records.f32[rows[0] * records.width + plan.offset]; // a value of the first candidate
 * ```
 */
export class ItemRecords {
  readonly plans: readonly ItemFeaturePlan[];
  /** Words per record (a multiple of 16). */
  readonly width: number;
  /** The records as float32 (dense values) and int32 (categorical/id rows) views of one buffer. */
  readonly f32: Float32Array;
  readonly i32: Int32Array;
  /** What the touch loop read (kept so the reads are not optimised away). */
  private touched = 0;

  /** @throws Error naming a feature whose column the items table lacks. */
  constructor(
    features: readonly FeatureSpec[],
    private readonly table: ItemsTable,
  ) {
    const plans: ItemFeaturePlan[] = [];
    let offset = 0;
    for (const feature of features) {
      const column = table.columns[feature.name];
      if (!column) throw new Error(`the items table has no column '${feature.name}'; write it again from this spec.json`);
      if (feature.kind === 'dense') {
        // Cold template: what training gave cold items (the spec's fill), else zeros.
        const cold = feature.fill ? Float32Array.from(feature.fill) : new Float32Array(feature.dim);
        plans.push({ kind: 'dense', feature, dim: feature.dim, offset, cold });
        offset += feature.dim;
      } else {
        plans.push(
          feature.kind === 'categorical'
            ? { kind: 'categorical', feature, offset, cold: feature.vocabSize }
            : { kind: 'id', feature, offset, buckets: feature.buckets },
        );
        offset += 1;
      }
    }
    const width = Math.max(RECORD_ALIGN, Math.ceil(offset / RECORD_ALIGN) * RECORD_ALIGN);
    const buffer = new ArrayBuffer(table.count * width * 4);
    const f32 = new Float32Array(buffer);
    const i32 = new Int32Array(buffer);
    for (const plan of plans) {
      const { data } = table.columns[plan.feature.name] as ItemsTable['columns'][string];
      if (plan.kind === 'dense') {
        for (let r = 0; r < table.count; r++) f32.set(data.subarray(r * plan.dim, (r + 1) * plan.dim), r * width + plan.offset);
      } else for (let r = 0; r < table.count; r++) i32[r * width + plan.offset] = data[r] as number;
    }
    this.plans = plans;
    this.width = width;
    this.f32 = f32;
    this.i32 = i32;
  }

  /**
   * Fills `rows[i]` with the row of `candidates[i].itemId` (-1 when unknown) for the first
   * `rows.length` candidates, and leaves their records in cache for the copy that follows.
   */
  rowsOf(candidates: readonly { readonly itemId: string }[], rows: Int32Array): void {
    const n = rows.length;
    const { width, i32, table } = this;
    for (let i = 0; i < n; i++) rows[i] = table.rowOf((candidates[i] as { itemId: string }).itemId) ?? -1;
    // Every cache line of every record found.
    let touched = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as number;
      if (row < 0) continue;
      for (let w = row * width, end = w + width; w < end; w += RECORD_ALIGN) touched ^= i32[w] as number;
    }
    this.touched ^= touched;
  }
}
