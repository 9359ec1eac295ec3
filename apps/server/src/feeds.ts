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
 * How one item-source feature is filled, prepared once per model: the items-table column and the
 * value an unknown item gets. Categorical/id values are small non-negative integers (rows of an
 * embedding table), written into the int64 feeds as two 32-bit words — no BigInt per value.
 */
type ItemFeaturePlan =
  | {
      readonly kind: 'dense';
      readonly feature: FeatureSpec;
      readonly dim: number;
      readonly column: Float32Array;
      readonly cold: Float32Array;
    }
  | { readonly kind: 'categorical'; readonly feature: FeatureSpec; readonly column: Int32Array; readonly cold: number }
  | { readonly kind: 'id'; readonly feature: FeatureSpec; readonly column: Int32Array; readonly buckets: number };

function planItemFeature(feature: FeatureSpec, items: ItemsTable): ItemFeaturePlan {
  const column = items.columns[feature.name];
  if (!column) throw new Error(`the items table has no column '${feature.name}'; write it again from this spec.json`);
  if (feature.kind === 'dense') {
    // Cold template: what training gave cold items (the spec's fill), else zeros.
    const cold = feature.fill ? Float32Array.from(feature.fill) : new Float32Array(feature.dim);
    return { kind: 'dense', feature, dim: feature.dim, column: column.data as Float32Array, cold };
  }
  const rows = column.data instanceof Int32Array ? column.data : Int32Array.from(column.data);
  if (feature.kind === 'categorical') return { kind: 'categorical', feature, column: rows, cold: feature.vocabSize };
  return { kind: 'id', feature, column: rows, buckets: feature.buckets };
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

/** Copies `row` into `out` at `at` (a loop: cheaper than `subarray` + `set` for the short rows of a feature). */
function copyRow(out: Float32Array, at: number, source: Float32Array, from: number, dim: number): void {
  for (let j = 0; j < dim; j++) out[at + j] = source[from + j] as number;
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

  /** @throws Error when the items table lacks a column of an item-source feature of `spec`. */
  constructor(
    spec: ModelSpec,
    private readonly table: ItemsTable,
  ) {
    const itemFeatures = new Set(itemSourceFeatures(spec));
    this.context = spec.features.filter((f) => !itemFeatures.has(f));
    this.items = [...itemFeatures].map((f) => planItemFeature(f, table));
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

    for (const plan of this.items) {
      const { feature } = plan;
      if (plan.kind === 'dense') {
        const { dim, column, cold: template } = plan;
        const data = new Float32Array(n * dim);
        for (let i = 0; i < n; i++) {
          const value = inline[i]?.[feature.name];
          const row = rows[i] as number;
          if (value !== undefined) data.set(value as Float32Array, i * dim);
          else if (row >= 0) copyRow(data, i * dim, column, row * dim, dim);
          else data.set(template, i * dim);
        }
        feeds[feature.name] = { dtype: 'float32', shape: [n, dim], data };
      } else {
        const { data, set } = int64Feed(n);
        for (let i = 0; i < n; i++) {
          const value = inline[i]?.[feature.name];
          const row = rows[i] as number;
          if (value !== undefined) set(i, value as number);
          else if (row >= 0) set(i, plan.column[row] as number);
          else
            set(
              i,
              plan.kind === 'categorical'
                ? plan.cold
                : hashToBucket((candidates[i] as RankRequest['candidates'][number]).itemId, plan.buckets),
            );
        }
        feeds[feature.name] = { dtype: 'int64', shape: [n], data };
      }
    }
    if (this.aldi) feeds[COLD_MASK_INPUT] = { dtype: 'float32', shape: [n], data: Float32Array.from(cold) };
    return { feeds, cold };
  }
}
