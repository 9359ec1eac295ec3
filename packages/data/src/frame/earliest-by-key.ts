/**
 * The earliest time of each key (e.g. an item's first appearance, a request's time).
 *
 * @example `earliestByKey(frame.itemId, frame.timestamp).get(item)`
 */
export function earliestByKey(keys: ArrayLike<number>, times: ArrayLike<number>): Map<number, number> {
  const earliest = new Map<number, number>();
  for (let r = 0; r < keys.length; r++) {
    const key = keys[r] as number;
    const t = times[r] as number;
    const seen = earliest.get(key);
    if (seen === undefined || t < seen) earliest.set(key, t);
  }
  return earliest;
}
