import { COLD_MASK_INPUT } from '@thaw/onnx';
import { type FeatureSpec, hashToBucket, type ItemsTable, itemSourceFeatures, type ModelSpec } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import type { EncodedValue, RankRequest } from './rank-request.js';

/** The graph feeds of one request and which candidates were scored as cold. */
export interface RequestFeeds {
  /** One tensor per graph input: dense float32 `[N, dim]`, categorical/id int64 `[N]`, `is_cold` when ALDI. */
  readonly feeds: Record<string, Tensor>;
  /** 1 = cold: unknown to the items table, or cold in it. */
  readonly cold: Uint8Array;
}

/**
 * How one item-source feature is filled, prepared once per model: where its values sit in an
 * item's record (see {@link FeedBuilder}) and the value an unknown item gets.
 */
type ItemFeaturePlan =
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
 * The items table re-laid out row-major: one record per item holding all its item-source values
 * (dense as float32, categorical/id rows as int32 in the same words), so a request's random items
 * cost one contiguous read each instead of one per feature column (cache and TLB misses dominate
 * building the feeds of a large table). Costs one more copy of the table's values in memory.
 */
function itemRecords(features: readonly FeatureSpec[], items: ItemsTable) {
  const plans: ItemFeaturePlan[] = [];
  let offset = 0;
  for (const feature of features) {
    const column = items.columns[feature.name];
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
  const buffer = new ArrayBuffer(items.count * width * 4);
  const f32 = new Float32Array(buffer);
  const i32 = new Int32Array(buffer);
  for (const plan of plans) {
    const { data } = items.columns[plan.feature.name] as ItemsTable['columns'][string];
    if (plan.kind === 'dense') {
      for (let r = 0; r < items.count; r++) f32.set(data.subarray(r * plan.dim, (r + 1) * plan.dim), r * width + plan.offset);
    } else for (let r = 0; r < items.count; r++) i32[r * width + plan.offset] = data[r] as number;
  }
  return { plans, width, f32, i32 };
}

/** An int64 tensor of `n` values written through its 32-bit words: `set(i, v)` for safe integers |v| < 2^31. */
function int64Feed(n: number) {
  const data = new BigInt64Array(n);
  const words = new Int32Array(data.buffer);
  // Little-endian (checked by @thaw/onnx for every graph): low word first, high word = sign.
  const set = (i: number, v: number) => {
    words[2 * i] = v;
    words[2 * i + 1] = v < 0 ? -1 : 0;
  };
  return { data, set };
}

/** `value` repeated `n` times into a new array (doubling copies: O(log n) calls). */
function repeatRow(value: Float32Array, n: number): Float32Array {
  const dim = value.length;
  const data = new Float32Array(n * dim);
  if (n === 0) return data;
  data.set(value, 0);
  for (let filled = 1; filled < n; filled *= 2) data.copyWithin(filled * dim, 0, Math.min(filled, n - filled) * dim);
  return data;
}

/**
 * Builds the feeds of one onnxruntime `run` for all candidates of a request, with everything that
 * depends only on the model (feature lists, int64 item columns, cold-item templates) prepared once
 * at load:
 * - user/context features: the request's `context` value on every row;
 * - item features of an item in the items table: its row, with inline non-historical values
 *   overriding it;
 * - item features of an unknown item (new since training): scored as cold — historical features
 *   as the model saw them for cold items in training (what `coldItemValues` of `@thaw/spec` gives:
 *   the spec's dense `fill` else zeros, OOV categories, the id hashed from `itemId`),
 *   non-historical ones from the inline values when given.
 *
 * @example
 * ```ts
 * const builder = new FeedBuilder(spec, items); // once per model
 * const { feeds, cold } = builder.build(parseRankRequest(schema, body, limits)); // per request
 * ```
 */
export class FeedBuilder {
  private readonly context: readonly FeatureSpec[];
  private readonly items: readonly ItemFeaturePlan[];
  private readonly aldi: boolean;
  private readonly width: number;
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;

  /** @throws Error when the items table lacks a column of an item-source feature of `spec`. */
  constructor(
    spec: ModelSpec,
    private readonly table: ItemsTable,
  ) {
    const itemFeatures = new Set(itemSourceFeatures(spec));
    this.context = spec.features.filter((f) => !itemFeatures.has(f));
    const records = itemRecords([...itemFeatures], table);
    this.items = records.plans;
    this.width = records.width;
    this.f32 = records.f32;
    this.i32 = records.i32;
    this.aldi = spec.coldStart.aldi.enabled;
  }

  /** The feeds of one request (validated by `parseRankRequest` against the same spec). */
  build(request: RankRequest): RequestFeeds {
    const { candidates } = request;
    const n = candidates.length;
    const rows = new Int32Array(n);
    const cold = new Uint8Array(n);
    // Most candidates carry no inline features: look their features up only when some are there.
    const inline: (Readonly<Record<string, EncodedValue>> | undefined)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const candidate = candidates[i] as RankRequest['candidates'][number];
      const row = this.table.rowOf(candidate.itemId);
      rows[i] = row ?? -1;
      cold[i] = row === undefined ? 1 : (this.table.cold[row] as number);
      for (const _ in candidate.features) {
        inline[i] = candidate.features;
        break;
      }
    }
    const feeds: Record<string, Tensor> = {};

    for (const feature of this.context) {
      const value = request.context[feature.name];
      if (value === undefined) throw new Error(`FeedBuilder.build: context.${feature.name} was not validated`);
      if (feature.kind === 'dense') {
        feeds[feature.name] = { dtype: 'float32', shape: [n, feature.dim], data: repeatRow(value as Float32Array, n) };
      } else {
        const { data, set } = int64Feed(n);
        for (let i = 0; i < n; i++) set(i, value as number);
        feeds[feature.name] = { dtype: 'int64', shape: [n], data };
      }
    }

    // Candidate by candidate (each item's record is read once, front to back), feature by feature.
    const plans = this.items;
    const outputs = plans.map((plan) => (plan.kind === 'dense' ? new Float32Array(n * plan.dim) : int64Feed(n)));
    const { width, f32, i32 } = this;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as number;
      const values = inline[i];
      const base = row * width;
      for (let p = 0; p < plans.length; p++) {
        const plan = plans[p] as ItemFeaturePlan;
        const value = values?.[plan.feature.name];
        if (plan.kind === 'dense') {
          const out = outputs[p] as Float32Array;
          const { dim } = plan;
          const at = i * dim;
          if (value !== undefined) out.set(value as Float32Array, at);
          else if (row >= 0) out.set(f32.subarray(base + plan.offset, base + plan.offset + dim), at);
          else out.set(plan.cold, at);
        } else {
          const { set } = outputs[p] as ReturnType<typeof int64Feed>;
          if (value !== undefined) set(i, value as number);
          else if (row >= 0) set(i, i32[base + plan.offset] as number);
          else
            set(
              i,
              plan.kind === 'categorical'
                ? plan.cold
                : hashToBucket((candidates[i] as RankRequest['candidates'][number]).itemId, plan.buckets),
            );
        }
      }
    }
    plans.forEach((plan, p) => {
      const out = outputs[p] as Float32Array | ReturnType<typeof int64Feed>;
      feeds[plan.feature.name] =
        plan.kind === 'dense'
          ? { dtype: 'float32', shape: [n, plan.dim], data: out as Float32Array }
          : { dtype: 'int64', shape: [n], data: (out as ReturnType<typeof int64Feed>).data };
    });
    if (this.aldi) feeds[COLD_MASK_INPUT] = { dtype: 'float32', shape: [n], data: Float32Array.from(cold) };
    return { feeds, cold };
  }
}
