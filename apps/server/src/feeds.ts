import { COLD_MASK_INPUT } from '@thaw/onnx';
import { coldItemValues, type ItemsTable, itemSourceFeatures, type ModelSpec } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import type { EncodedValue, RankRequest } from './rank-request.js';

/** The graph feeds of one request and which candidates were scored as cold. */
export interface RequestFeeds {
  /** One tensor per graph input: dense float32 `[N, dim]`, categorical/id int64 `[N]`, `is_cold` when ALDI. */
  readonly feeds: Record<string, Tensor>;
  /** 1 = cold: unknown to the items table, or cold in it. */
  readonly cold: Uint8Array;
}

function put(feature: ModelSpec['features'][number], target: Float32Array | BigInt64Array, row: number, value: EncodedValue) {
  if (feature.kind === 'dense') (target as Float32Array).set(value as Float32Array | number[], row * feature.dim);
  else (target as BigInt64Array)[row] = BigInt(value as number);
}

/**
 * Builds the feeds of one `run` for all candidates of a request:
 * - user/context features: the request's `context` value on every row;
 * - item features of an item in the items table: its row, with inline non-historical values
 *   overriding it;
 * - item features of an unknown item (new since training): scored as cold — historical features
 *   as the model saw them for cold items in training (`coldItemValues`: the spec's dense `fill`
 *   else zeros, OOV categories, the id hashed from `itemId`), non-historical ones from the inline
 *   values when given.
 */
export function buildFeeds(spec: ModelSpec, items: ItemsTable, request: RankRequest): RequestFeeds {
  const n = request.candidates.length;
  const itemFeatures = new Set(itemSourceFeatures(spec).map((f) => f.name));
  const rows = request.candidates.map((c) => items.rowOf(c.itemId));
  const cold = Uint8Array.from(rows, (row) => (row === undefined ? 1 : (items.cold[row] as number)));
  const fallback = request.candidates.map((c, i) => (rows[i] === undefined ? coldItemValues(spec, c.itemId) : undefined));
  const feeds: Record<string, Tensor> = {};
  for (const feature of spec.features) {
    const data = feature.kind === 'dense' ? new Float32Array(n * feature.dim) : new BigInt64Array(n);
    if (!itemFeatures.has(feature.name)) {
      const value = request.context[feature.name];
      if (value === undefined) throw new Error(`buildFeeds: context.${feature.name} was not validated`);
      for (let i = 0; i < n; i++) put(feature, data, i, value);
    } else {
      const column = items.columns[feature.name];
      for (let i = 0; i < n; i++) {
        const inline = request.candidates[i]?.features[feature.name];
        const row = rows[i];
        if (inline !== undefined) put(feature, data, i, inline);
        else if (row !== undefined && column) {
          if (feature.kind === 'dense')
            (data as Float32Array).set(column.data.subarray(row * feature.dim, (row + 1) * feature.dim), i * feature.dim);
          else (data as BigInt64Array)[i] = BigInt(column.data[row] as number);
        } else {
          const value = fallback[i]?.[feature.name];
          if (value === undefined) throw new Error(`buildFeeds: no items-table column '${feature.name}' and no fill for it`);
          put(feature, data, i, typeof value === 'number' ? value : Float32Array.from(value));
        }
      }
    }
    feeds[feature.name] =
      feature.kind === 'dense'
        ? { dtype: 'float32', shape: [n, feature.dim], data: data as Float32Array }
        : { dtype: 'int64', shape: [n], data: data as BigInt64Array };
  }
  if (spec.coldStart.aldi.enabled) feeds[COLD_MASK_INPUT] = { dtype: 'float32', shape: [n], data: Float32Array.from(cold) };
  return { feeds, cold };
}
