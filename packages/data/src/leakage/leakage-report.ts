import type { FeatureFrame } from '../frame/feature-frame.js';
import { coldMask } from '../frame/item-age.js';
import { type FrameSplit, SPLIT_NAMES, type SplitName } from '../split/frame-split.js';

/** Impressions of one candidate group and their positive rate per task. */
export interface CandidateGroupRates {
  readonly impressions: number;
  /** Share of positive labels per task (NaN for an empty group). */
  readonly positiveRate: Readonly<Record<string, number>>;
}

/**
 * Positive rates of warm (age ≥ coldDays), cold (age < coldDays) and no-history candidates (no
 * event of the item strictly before the impression) in one part of a split. If no-history
 * candidates are much *more* often positive than the rest, the data leaks "never seen ⇒
 * positive" (e.g. negatives drawn only from items with history) and a benchmark would measure that
 * leak instead of cold-start.
 */
export interface LeakageRates {
  readonly all: CandidateGroupRates;
  readonly warm: CandidateGroupRates;
  readonly cold: CandidateGroupRates;
  readonly noHistory: CandidateGroupRates;
}

/**
 * The leakage check of every part of a split: positive rates of warm, cold and no-history
 * candidates per task. Needs the frame's as-of item history.
 *
 * @throws TypeError when the frame has no `itemHistory` columns.
 * @example `leakageReport(frame, split, 28).eval.noHistory.positiveRate.grid_click`
 */
export function leakageReport(frame: FeatureFrame, split: FrameSplit, coldDays: number): Record<SplitName, LeakageRates> {
  const history = frame.itemHistory;
  if (!history) {
    throw new TypeError('leakageReport: the frame has no itemHistory columns; compute them with computeItemHistory(frame)');
  }
  const cold = coldMask(frame, coldDays);
  const tasks = Object.keys(frame.labels);
  const out = {} as Record<SplitName, LeakageRates>;
  for (const name of SPLIT_NAMES) {
    const groups = { all: [] as number[], warm: [] as number[], cold: [] as number[], noHistory: [] as number[] };
    for (const r of split.rows[name]) {
      groups.all.push(r);
      (cold[r] === 1 ? groups.cold : groups.warm).push(r);
      if (history.events[r] === 0) groups.noHistory.push(r);
    }
    const rates = (rows: number[]): CandidateGroupRates => ({
      impressions: rows.length,
      positiveRate: Object.fromEntries(
        tasks.map((t) => {
          const labels = frame.labels[t] as Float32Array;
          let positives = 0;
          for (const r of rows) positives += (labels[r] as number) >= 0.5 ? 1 : 0;
          return [t, rows.length > 0 ? positives / rows.length : Number.NaN];
        }),
      ),
    });
    out[name] = {
      all: rates(groups.all),
      warm: rates(groups.warm),
      cold: rates(groups.cold),
      noHistory: rates(groups.noHistory),
    };
  }
  return out;
}

/**
 * A plain-text table of a {@link leakageReport}: per split and group, impressions and positive
 * rates per task.
 */
export function formatLeakageReport(report: Record<SplitName, LeakageRates>): string {
  const lines: string[] = [];
  for (const name of SPLIT_NAMES) {
    for (const group of ['all', 'warm', 'cold', 'noHistory'] as const) {
      const g = report[name][group];
      const rates = Object.entries(g.positiveRate)
        .map(([t, v]) => `${t}=${Number.isNaN(v) ? '—' : v.toFixed(4)}`)
        .join(' ');
      lines.push(`${name.padEnd(12)}${group.padEnd(10)}${String(g.impressions).padStart(9)}  ${rates}`);
    }
  }
  return lines.join('\n');
}
