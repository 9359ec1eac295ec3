import type { FeatureFrame } from '../frame/feature-frame.js';

/**
 * `rows` (default: all rows) grouped by request, requests in order of first appearance and rows
 * of a request in their original order — the evaluation order, where every request is ranked
 * whole. Returns the reordered rows and the start offset of each request (`starts.length` =
 * requests + 1).
 *
 * @example
 * ```ts
 * const { rows, starts } = requestOrder(frame, split.rows.eval);
 * // rows.subarray(starts[q], starts[q + 1]) are the candidates of request q
 * ```
 */
export function requestOrder(
  frame: Pick<FeatureFrame, 'size' | 'requestId'>,
  rows?: ArrayLike<number>,
): { rows: Int32Array; starts: Int32Array } {
  const source = rows ?? Int32Array.from({ length: frame.size }, (_, i) => i);
  const firstSeen = new Map<number, number>();
  const counts: number[] = [];
  const group = new Int32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const q = frame.requestId[source[i] as number] as number;
    let g = firstSeen.get(q);
    if (g === undefined) {
      g = counts.length;
      firstSeen.set(q, g);
      counts.push(0);
    }
    group[i] = g;
    counts[g] = (counts[g] as number) + 1;
  }
  const starts = new Int32Array(counts.length + 1);
  for (let g = 0; g < counts.length; g++) starts[g + 1] = (starts[g] as number) + (counts[g] as number);
  const cursor = starts.slice(0, counts.length);
  const out = new Int32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const g = group[i] as number;
    out[cursor[g] as number] = source[i] as number;
    cursor[g] = (cursor[g] as number) + 1;
  }
  return { rows: out, starts };
}
