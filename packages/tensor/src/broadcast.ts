import { formatShape } from './shape.js';

/**
 * The shape NumPy broadcasting gives two shapes: align from the right; extents must be equal or 1.
 *
 * @throws RangeError naming both shapes and the axis that cannot broadcast.
 * @example `broadcastShapes([4, 1], [3])` is `[4, 3]`.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], op = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const ea = a[a.length - rank + i] ?? 1;
    const eb = b[b.length - rank + i] ?? 1;
    if (ea !== eb && ea !== 1 && eb !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (axis ${i} from the left of the result: ${ea} vs ${eb})`,
      );
    }
    out[i] = ea === 1 ? eb : ea;
  }
  return out;
}

/** Normalises a possibly negative axis for a tensor of rank `rank`; throws RangeError when out of range. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis must be an integer in [${-rank}, ${rank}) (got ${axis})`);
  }
  return axis < 0 ? axis + rank : axis;
}
