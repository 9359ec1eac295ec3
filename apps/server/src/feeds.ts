import { COLD_MASK_INPUT } from '@thaw/onnx';
import { type FeatureSpec, hashToBucket, type ItemsTable, itemSourceFeatures, type ModelSpec } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import type { RankRequest } from './rank-request.js';

/** The graph feeds of one request and which candidates were scored as cold. */
export interface RequestFeeds {
  /** One tensor per graph input: dense float32 `[N, dim]`, categorical/id int64 `[N]`, `is_cold` when ALDI. */
  readonly feeds: Record<string, Tensor>;
  /** 1 = cold: unknown to the items table, or cold in it. */
  readonly cold: Uint8Array;
}

/**
 * How one item-source feature is filled, prepared once per model: the items-table column (int
 * columns widened to int64 once, here, rather than per request) and the value an unknown item gets.
 */
type ItemFeaturePlan =
  | {
      readonly kind: 'dense';
      readonly feature: FeatureSpec;
      readonly dim: number;
      readonly column: Float32Array;
      readonly cold: Float32Array;
    }
  | { readonly kind: 'categorical'; readonly feature: FeatureSpec; readonly column: BigInt64Array; readonly cold: bigint }
  | { readonly kind: 'id'; readonly feature: FeatureSpec; readonly column: BigInt64Array; readonly buckets: number };

function planItemFeature(feature: FeatureSpec, items: ItemsTable): ItemFeaturePlan {
  const column = items.columns[feature.name];
  if (!column) throw new Error(`the items table has no column '${feature.name}'; write it again from this spec.json`);
  if (feature.kind === 'dense') {
    // Cold template: what training gave cold items (the spec's fill), else zeros.
    const cold = feature.fill ? Float32Array.from(feature.fill) : new Float32Array(feature.dim);
    return { kind: 'dense', feature, dim: feature.dim, column: column.data as Float32Array, cold };
  }
  const wide = new BigInt64Array(column.data.length);
  for (let i = 0; i < wide.length; i++) wide[i] = BigInt(column.data[i] as number);
  if (feature.kind === 'categorical') return { kind: 'categorical', feature, column: wide, cold: BigInt(feature.vocabSize) };
  return { kind: 'id', feature, column: wide, buckets: feature.buckets };
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
    const rows = candidates.map((c) => this.table.rowOf(c.itemId));
    const cold = Uint8Array.from(rows, (row) => (row === undefined ? 1 : (this.table.cold[row] as number)));
    const feeds: Record<string, Tensor> = {};

    for (const feature of this.context) {
      const value = request.context[feature.name];
      if (value === undefined) throw new Error(`FeedBuilder.build: context.${feature.name} was not validated`);
      if (feature.kind === 'dense') {
        const data = new Float32Array(n * feature.dim);
        for (let i = 0; i < n; i++) data.set(value as Float32Array, i * feature.dim);
        feeds[feature.name] = { dtype: 'float32', shape: [n, feature.dim], data };
      } else {
        feeds[feature.name] = { dtype: 'int64', shape: [n], data: new BigInt64Array(n).fill(BigInt(value as number)) };
      }
    }

    for (const plan of this.items) {
      const { feature } = plan;
      if (plan.kind === 'dense') {
        const { dim, column, cold: template } = plan;
        const data = new Float32Array(n * dim);
        for (let i = 0; i < n; i++) {
          const inline = candidates[i]?.features[feature.name];
          const row = rows[i];
          if (inline !== undefined) data.set(inline as Float32Array, i * dim);
          else if (row !== undefined) data.set(column.subarray(row * dim, (row + 1) * dim), i * dim);
          else data.set(template, i * dim);
        }
        feeds[feature.name] = { dtype: 'float32', shape: [n, dim], data };
      } else {
        const data = new BigInt64Array(n);
        for (let i = 0; i < n; i++) {
          const inline = candidates[i]?.features[feature.name];
          const row = rows[i];
          if (inline !== undefined) data[i] = BigInt(inline as number);
          else if (row !== undefined) data[i] = plan.column[row] as bigint;
          else
            data[i] =
              plan.kind === 'categorical' ? plan.cold : BigInt(hashToBucket(candidates[i]?.itemId as string, plan.buckets));
        }
        feeds[feature.name] = { dtype: 'int64', shape: [n], data };
      }
    }
    if (this.aldi) feeds[COLD_MASK_INPUT] = { dtype: 'float32', shape: [n], data: Float32Array.from(cold) };
    return { feeds, cold };
  }
}
