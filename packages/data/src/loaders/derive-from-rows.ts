import { earliestByKey } from '../frame/earliest-by-key.js';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { computeItemHistory } from '../history/item-history.js';
import type { ResolvedMapping } from './column-mapping.js';

/**
 * Completes a frame loaded whole from a log (CSV/Parquet) with what the mapping did not give:
 * `itemCreatedAt` = the item's first appearance in the file (earliest timestamp), and the as-of
 * item history from the file's own rows (strictly earlier rows only, first task as positive).
 * Works for unsorted files.
 */
export function deriveFromRows(frame: FeatureFrame, mapping: ResolvedMapping): FeatureFrame {
  let out = frame;
  if (!mapping.itemCreatedAt) {
    const first = earliestByKey(frame.itemId, frame.timestamp);
    out = { ...out, itemCreatedAt: Float64Array.from(frame.itemId, (item) => first.get(item) as number) };
  }
  if (!mapping.itemHistory) out = { ...out, itemHistory: computeItemHistory(out, mapping.labels[0]?.[0]) };
  return out;
}
