import type { ModelSpec } from '@thaw/spec';
import { concatFrames } from '../frame/concat-frames.js';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { type ColumnMapping, type ResolvedMapping, resolveColumnMapping } from './column-mapping.js';
import { deriveFromRows } from './derive-from-rows.js';

/** A mapping as given (JSON) or already resolved against the spec. */
export function resolveMapping(mapping: ColumnMapping | ResolvedMapping, spec: ModelSpec): ResolvedMapping {
  return 'requiredColumns' in mapping ? mapping : resolveColumnMapping(mapping, spec);
}

/**
 * Collects a file's chunks into one frame and derives what the mapping left out (creation times,
 * as-of item history) over the whole file. Nothing is returned if any chunk fails.
 */
export async function loadWhole(chunks: AsyncIterable<FeatureFrame>, mapping: ResolvedMapping): Promise<FeatureFrame> {
  const parts: FeatureFrame[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return deriveFromRows(concatFrames(parts), mapping);
}
