import type { FeatureFrame, ItemHistoryColumns } from '../frame/feature-frame.js';
import { replayAsOf } from './replay-as-of.js';

/**
 * The as-of item history of a frame that is itself the event log (an impression log: every row
 * is an event): for each row, how many rows of the same item happened strictly earlier, and how
 * many of those were positive on `task` (default: the first label column).
 *
 * @throws TypeError when the frame has no label column `task`.
 * @example `const frameWithHistory = { ...frame, itemHistory: computeItemHistory(frame) };`
 */
export function computeItemHistory(frame: FeatureFrame, task?: string): ItemHistoryColumns {
  const name = task ?? Object.keys(frame.labels)[0];
  const labels = name === undefined ? undefined : frame.labels[name];
  if (!labels) {
    throw new TypeError(`computeItemHistory: task must name a label column of the frame (got ${JSON.stringify(task)})`);
  }
  const events = new Int32Array(frame.size);
  const positives = new Int32Array(frame.size);
  const seen = new Map<number, [number, number]>();
  replayAsOf({
    eventTimes: frame.timestamp,
    queryTimes: frame.timestamp,
    applyEvent: (e) => {
      const item = frame.itemId[e] as number;
      const tally = seen.get(item) ?? [0, 0];
      tally[0] += 1;
      tally[1] += (labels[e] as number) >= 0.5 ? 1 : 0;
      seen.set(item, tally);
    },
    readQuery: (q) => {
      const tally = seen.get(frame.itemId[q] as number);
      events[q] = tally?.[0] ?? 0;
      positives[q] = tally?.[1] ?? 0;
    },
  });
  return { events, positives };
}
