/** True when candidate `a` ranks before candidate `b`: higher score, or equal score and earlier in the request. */
const ranksBefore = (scores: ArrayLike<number>, a: number, b: number) =>
  (scores[a] as number) > (scores[b] as number) || ((scores[a] as number) === (scores[b] as number) && a < b);

/**
 * The indices of the `k` highest `scores`, highest first; equal scores keep index (request) order.
 * With `k < n` it keeps a size-`k` min-heap of the best so far (O(n log k)) instead of sorting all
 * `n`; with `k ≥ n` it sorts all of them. Scores must not be NaN.
 *
 * @example `topKIndices([0.2, 0.9, 0.5, 0.9], 2)` → `[1, 3]`
 */
export function topKIndices(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  const count = Math.max(0, Math.min(k, n));
  const byRank = (a: number, b: number) => (ranksBefore(scores, a, b) ? -1 : 1);
  if (count === n) return Array.from({ length: n }, (_, i) => i).sort(byRank);
  if (count === 0) return [];

  // A heap ordered by rank, worst on top: heap[0] is the worst of the best `count` seen so far, and
  // every parent ranks after its children.
  const heap = new Int32Array(count);
  const worse = (a: number, b: number) => ranksBefore(scores, b, a);
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= count) return;
      const right = left + 1;
      const child = right < count && worse(heap[right] as number, heap[left] as number) ? right : left;
      if (!worse(heap[child] as number, heap[i] as number)) return;
      const parent = heap[i] as number;
      heap[i] = heap[child] as number;
      heap[child] = parent;
      i = child;
    }
  };
  for (let i = 0; i < count; i++) heap[i] = i;
  for (let i = (count >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let i = count; i < n; i++) {
    if (ranksBefore(scores, i, heap[0] as number)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return Array.from(heap).sort(byRank);
}
