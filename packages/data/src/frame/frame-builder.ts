import type { ModelSpec } from '@thaw/spec';
import type { FeatureColumn, FeatureFrame, FrameKeys } from './feature-frame.js';

type Growable = { data: Float32Array | Int32Array | Float64Array; width: number };

function grow<A extends Float32Array | Int32Array | Float64Array>(data: A, length: number): A {
  const next = new (data.constructor as new (n: number) => A)(length);
  next.set(data);
  return next;
}

/**
 * What writes feature values of one row: a {@link FrameBuilder} (frame rows) or the column builder
 * of an item snapshot, so one function encodes an item's features for both.
 */
export type FeatureWriter = Pick<FrameBuilder, 'setDense' | 'setDenseAt' | 'setIndex'>;

/** Options of {@link FrameBuilder}. */
export interface FrameBuilderOptions {
  /** Keep a ground-truth probability column per task (simulator). */
  readonly truth?: boolean;
  /** Keep the as-of item history columns. */
  readonly itemHistory?: boolean;
  /** Rows to allocate up front (grows by doubling). */
  readonly capacity?: number;
}

/**
 * Appends impressions row by row into growable typed arrays laid out for a spec, then
 * {@link FrameBuilder.build}s a {@link FeatureFrame} (trimmed copies). Used by the simulator and
 * every loader, so all of them produce the same layout.
 *
 * @example
 * ```ts
 * const builder = new FrameBuilder(spec);
 * const r = builder.addRow();
 * builder.setDense('item_content', r, vector);
 * builder.setLabel('save', r, 1);
 * const frame = builder.build();
 * ```
 */
export class FrameBuilder {
  readonly spec: ModelSpec;
  private rows = 0;
  private capacity: number;
  private readonly features = new Map<string, Growable>();
  private readonly labels = new Map<string, Growable>();
  private readonly truth = new Map<string, Growable>();
  private readonly meta: Record<'requestId' | 'itemId' | 'userId' | 'timestamp' | 'itemCreatedAt', Growable>;
  private readonly history: { events: Growable; positives: Growable } | undefined;

  constructor(spec: ModelSpec, options: FrameBuilderOptions = {}) {
    this.spec = spec;
    this.capacity = Math.max(16, options.capacity ?? 1024);
    const n = this.capacity;
    for (const f of spec.features) {
      this.features.set(
        f.name,
        f.kind === 'dense' ? { data: new Float32Array(n * f.dim), width: f.dim } : { data: new Int32Array(n), width: 1 },
      );
    }
    for (const t of spec.tasks) {
      this.labels.set(t.name, { data: new Float32Array(n), width: 1 });
      if (options.truth) this.truth.set(t.name, { data: new Float32Array(n), width: 1 });
    }
    this.meta = {
      requestId: { data: new Int32Array(n), width: 1 },
      itemId: { data: new Int32Array(n), width: 1 },
      userId: { data: new Int32Array(n), width: 1 },
      timestamp: { data: new Float64Array(n), width: 1 },
      itemCreatedAt: { data: new Float64Array(n), width: 1 },
    };
    this.history = options.itemHistory
      ? { events: { data: new Int32Array(n), width: 1 }, positives: { data: new Int32Array(n), width: 1 } }
      : undefined;
  }

  /** Rows appended so far. */
  get size(): number {
    return this.rows;
  }

  private all(): Growable[] {
    const list = [...this.features.values(), ...this.labels.values(), ...this.truth.values(), ...Object.values(this.meta)];
    if (this.history) list.push(this.history.events, this.history.positives);
    return list;
  }

  /** Appends a zero-filled row and returns its index. */
  addRow(): number {
    if (this.rows === this.capacity) {
      this.capacity *= 2;
      for (const g of this.all()) g.data = grow(g.data, this.capacity * g.width);
    }
    return this.rows++;
  }

  private feature(name: string): Growable {
    const column = this.features.get(name);
    if (!column) throw new RangeError(`FrameBuilder: feature must be one of the spec's features (got ${JSON.stringify(name)})`);
    return column;
  }

  /** Writes `dim` values of dense feature `name` for row `row`, from `values[offset…]`. */
  setDense(name: string, row: number, values: ArrayLike<number>, offset = 0): void {
    const column = this.feature(name);
    const base = row * column.width;
    for (let k = 0; k < column.width; k++) column.data[base + k] = values[offset + k] as number;
  }

  /** Writes one value of dense feature `name` at component `k` of row `row`. */
  setDenseAt(name: string, row: number, k: number, value: number): void {
    const column = this.feature(name);
    column.data[row * column.width + k] = value;
  }

  /** Writes the embedding row of a categorical or id feature. */
  setIndex(name: string, row: number, value: number): void {
    this.feature(name).data[row] = value;
  }

  /** Writes the label of `task` for row `row`. */
  setLabel(task: string, row: number, value: number): void {
    const column = this.labels.get(task);
    if (!column) throw new RangeError(`FrameBuilder: task must be one of the spec's tasks (got ${JSON.stringify(task)})`);
    column.data[row] = value;
  }

  /** The label of `task` at row `row` (undefined for an unknown task). */
  labelAt(task: string, row: number): number | undefined {
    return this.labels.get(task)?.data[row];
  }

  /** Writes the ground-truth probability of `task` for row `row` (builders made with `truth: true`). */
  setTruth(task: string, row: number, value: number): void {
    const column = this.truth.get(task);
    if (!column) throw new RangeError(`FrameBuilder: no truth column for ${JSON.stringify(task)}; pass { truth: true }`);
    column.data[row] = value;
  }

  /** Writes the keys and times of row `row` (times in seconds since the epoch). */
  setMeta(
    row: number,
    meta: { requestId: number; itemId: number; userId: number; timestamp: number; itemCreatedAt: number },
  ): void {
    this.meta.requestId.data[row] = meta.requestId;
    this.meta.itemId.data[row] = meta.itemId;
    this.meta.userId.data[row] = meta.userId;
    this.meta.timestamp.data[row] = meta.timestamp;
    this.meta.itemCreatedAt.data[row] = meta.itemCreatedAt;
  }

  /** Overwrites the creation time of row `row`'s item. */
  setItemCreatedAt(row: number, seconds: number): void {
    this.meta.itemCreatedAt.data[row] = seconds;
  }

  /** Writes the as-of item history of row `row`. */
  setHistory(row: number, events: number, positives: number): void {
    if (!this.history) throw new RangeError('FrameBuilder: no item history columns; pass { itemHistory: true }');
    this.history.events.data[row] = events;
    this.history.positives.data[row] = positives;
  }

  /** The frame of the rows appended so far (trimmed copies; appending more rows afterwards is safe). */
  build(keys?: FrameKeys): FeatureFrame {
    const n = this.rows;
    // Exactly full columns are handed over without a copy (the builder then reallocates on growth).
    const take = <A extends Float32Array | Int32Array | Float64Array>(g: Growable) =>
      (g.data.length === n * g.width ? g.data : g.data.slice(0, n * g.width)) as A;
    const record = (map: Map<string, Growable>) =>
      Object.fromEntries([...map].map(([name, g]) => [name, take<Float32Array>(g)])) as Record<string, Float32Array>;
    const features: Record<string, FeatureColumn> = {};
    for (const [name, g] of this.features) features[name] = take(g);
    return {
      size: n,
      features,
      labels: record(this.labels),
      ...(this.truth.size > 0 ? { truth: record(this.truth) } : {}),
      requestId: take<Int32Array>(this.meta.requestId),
      itemId: take<Int32Array>(this.meta.itemId),
      userId: take<Int32Array>(this.meta.userId),
      timestamp: take<Float64Array>(this.meta.timestamp),
      itemCreatedAt: take<Float64Array>(this.meta.itemCreatedAt),
      ...(this.history
        ? { itemHistory: { events: take<Int32Array>(this.history.events), positives: take<Int32Array>(this.history.positives) } }
        : {}),
      ...(keys ? { keys } : {}),
    };
  }

  /**
   * Forgets all rows (for chunked streaming) and gives every column a fresh buffer of the current
   * capacity: `build` may hand its buffers to the frame it returned, so they are never reused.
   */
  clear(): void {
    this.rows = 0;
    for (const g of this.all()) g.data = new (g.data.constructor as new (n: number) => typeof g.data)(this.capacity * g.width);
  }
}
