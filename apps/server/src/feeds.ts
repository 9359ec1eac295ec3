import { COLD_MASK_INPUT } from '@thaw/onnx';
import { type FeatureSpec, hashToBucket, type ItemsTable, itemSourceFeatures, type ModelSpec } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import { type ItemFeaturePlan, ItemRecords } from './item-records.js';
import type { EncodedValue, RankRequest } from './rank-request.js';

/** The graph feeds of one request and which candidates were scored as cold. */
export interface RequestFeeds {
  /** One tensor per graph input: dense float32 `[N, dim]`, categorical/id int64 `[N]`, `is_cold` when ALDI. */
  readonly feeds: Record<string, Tensor>;
  /** 1 = cold: unknown to the items table, or cold in it. */
  readonly cold: Uint8Array;
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
 * depends only on the model (feature lists, the item records, cold-item templates)
 * prepared once at load:
 * - user/context features: the request's `context` value on every row;
 * - item features of an item in the items table: its row, with inline non-historical values
 *   overriding it;
 * - item features of an unknown item (new since training): scored as cold — historical features
 *   as the model saw them for cold items in training (what `coldItemValues` of `@thaw/spec` gives:
 *   the spec's dense `fill` else zeros, OOV categories, the id hashed from `itemId`),
 *   non-historical ones from the inline values when given.
 *
 * Per request it is memory-bound (random items of a large table): the ids are looked up and the
 * records brought into cache in batched passes ({@link ItemRecords.rowsOf}), then values are
 * copied word by word into the feeds with no per-candidate allocation.
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
  private readonly dense: readonly Extract<ItemFeaturePlan, { kind: 'dense' }>[];
  private readonly ints: readonly Exclude<ItemFeaturePlan, { kind: 'dense' }>[];
  private readonly aldi: boolean;
  private readonly width: number;
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;
  private readonly records: ItemRecords;

  /** @throws Error when the items table lacks a column of an item-source feature of `spec`. */
  constructor(
    spec: ModelSpec,
    private readonly table: ItemsTable,
  ) {
    const itemFeatures = new Set(itemSourceFeatures(spec));
    this.context = spec.features.filter((f) => !itemFeatures.has(f));
    const records = new ItemRecords([...itemFeatures], table);
    this.records = records;
    this.items = records.plans;
    this.dense = records.plans.filter((p) => p.kind === 'dense');
    this.ints = records.plans.filter((p) => p.kind !== 'dense');
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
    const { width, f32, i32 } = this;
    const tableCold = this.table.cold;
    this.records.rowsOf(candidates, rows);
    // Most candidates carry no inline features: they take the copy-only path below.
    let inline: (Readonly<Record<string, EncodedValue>> | undefined)[] | undefined;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as number;
      cold[i] = row < 0 ? 1 : (tableCold[row] as number);
      for (const _ in (candidates[i] as RankRequest['candidates'][number]).features) {
        inline ??= new Array(n);
        inline[i] = (candidates[i] as RankRequest['candidates'][number]).features;
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

    const { dense, ints } = this;
    const denseOut = dense.map((plan) => new Float32Array(n * plan.dim));
    const intOut = ints.map(() => new BigInt64Array(n));
    const intWords = intOut.map((data) => new Int32Array(data.buffer));
    for (let i = 0; i < n; i++) {
      const row = rows[i] as number;
      const values = inline?.[i];
      if (row >= 0 && values === undefined) {
        // A known item with no inline values: its record, copied.
        const base = row * width;
        for (let p = 0; p < dense.length; p++) {
          const { dim, offset } = dense[p] as (typeof dense)[number];
          const out = denseOut[p] as Float32Array;
          for (let j = 0, src = base + offset, dst = i * dim; j < dim; j++) out[dst + j] = f32[src + j] as number;
        }
        for (let p = 0; p < ints.length; p++) {
          const v = i32[base + (ints[p] as (typeof ints)[number]).offset] as number;
          const words = intWords[p] as Int32Array;
          // Little-endian int64 (checked by @thaw/onnx for every graph): low word, then the sign.
          words[2 * i] = v;
          words[2 * i + 1] = v >> 31;
        }
        continue;
      }
      const itemId = (candidates[i] as RankRequest['candidates'][number]).itemId;
      const base = row * width;
      for (let p = 0; p < dense.length; p++) {
        const plan = dense[p] as (typeof dense)[number];
        const value = values?.[plan.feature.name];
        const out = denseOut[p] as Float32Array;
        const at = i * plan.dim;
        if (value !== undefined) out.set(value as Float32Array, at);
        else if (row >= 0) out.set(f32.subarray(base + plan.offset, base + plan.offset + plan.dim), at);
        else out.set(plan.cold, at);
      }
      for (let p = 0; p < ints.length; p++) {
        const plan = ints[p] as (typeof ints)[number];
        const value = values?.[plan.feature.name];
        const v =
          value !== undefined
            ? (value as number)
            : row >= 0
              ? (i32[base + plan.offset] as number)
              : plan.kind === 'categorical'
                ? plan.cold
                : hashToBucket(itemId, plan.buckets);
        const words = intWords[p] as Int32Array;
        words[2 * i] = v;
        words[2 * i + 1] = v < 0 ? -1 : 0;
      }
    }
    // Feeds in the items table's feature order (as before), context features first.
    for (const plan of this.items) {
      feeds[plan.feature.name] =
        plan.kind === 'dense'
          ? { dtype: 'float32', shape: [n, plan.dim], data: denseOut[dense.indexOf(plan)] as Float32Array }
          : { dtype: 'int64', shape: [n], data: intOut[ints.indexOf(plan)] as BigInt64Array };
    }
    if (this.aldi) feeds[COLD_MASK_INPUT] = { dtype: 'float32', shape: [n], data: Float32Array.from(cold) };
    return { feeds, cold };
  }
}
