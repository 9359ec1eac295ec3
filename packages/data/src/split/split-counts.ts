import type { FeatureFrame } from '../frame/feature-frame.js';
import { coldMask } from '../frame/item-age.js';
import { type FrameSplit, SPLIT_NAMES, type SplitName, type TimeWindow } from './frame-split.js';

/** What one part of a split holds. */
export interface SplitCounts {
  readonly requests: number;
  readonly impressions: number;
  /** Positive labels per task. */
  readonly positives: Readonly<Record<string, number>>;
  /** Distinct items shown. */
  readonly items: number;
  /** Distinct items shown while fresh (age < coldDays). */
  readonly freshItems: number;
  /** Impressions of fresh items. */
  readonly freshImpressions: number;
  readonly window?: TimeWindow;
}

/**
 * Counts requests, impressions, positives per task, items, fresh items and fresh impressions
 * (item age < `coldDays`) in every part of a split.
 *
 * @example `splitCounts(frame, split, spec.coldStart.coldDays).eval.freshImpressions`
 */
export function splitCounts(frame: FeatureFrame, split: FrameSplit, coldDays: number): Record<SplitName, SplitCounts> {
  const cold = coldMask(frame, coldDays);
  const tasks = Object.keys(frame.labels);
  const out = {} as Record<SplitName, SplitCounts>;
  for (const name of SPLIT_NAMES) {
    const rows = split.rows[name];
    const requests = new Set<number>();
    const items = new Set<number>();
    const freshItems = new Set<number>();
    const positives: Record<string, number> = Object.fromEntries(tasks.map((t) => [t, 0]));
    let freshImpressions = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      requests.add(frame.requestId[r] as number);
      items.add(frame.itemId[r] as number);
      if (cold[r] === 1) {
        freshImpressions++;
        freshItems.add(frame.itemId[r] as number);
      }
      for (const t of tasks) positives[t] = (positives[t] as number) + ((frame.labels[t]?.[r] as number) >= 0.5 ? 1 : 0);
    }
    const window = split.windows?.[name];
    out[name] = {
      requests: requests.size,
      impressions: rows.length,
      positives,
      items: items.size,
      freshItems: freshItems.size,
      freshImpressions,
      ...(window ? { window } : {}),
    };
  }
  return out;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

/**
 * A plain-text table of {@link splitCounts}, one line per part, for logs and reports.
 *
 * @example
 * ```text
 * split        window                      requests  impressions  fresh items  fresh impr.  positives
 * train        2025-01-01 → 2025-01-28         5400        54000          812         9120  grid_click=3712 …
 * ```
 */
export function formatSplitCounts(counts: Record<SplitName, SplitCounts>): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `${'split'.padEnd(12)}${'window'.padEnd(26)}${pad('requests', 10)}${pad('impressions', 13)}${pad('items', 8)}${pad('fresh items', 13)}${pad('fresh impr.', 13)}  positives`,
  ];
  for (const name of SPLIT_NAMES) {
    const c = counts[name];
    const window = c.window ? `${iso(c.window.start)} → ${iso(c.window.end)}` : '';
    const positives = Object.entries(c.positives)
      .map(([t, n]) => `${t}=${n}`)
      .join(' ');
    lines.push(
      `${name.padEnd(12)}${window.padEnd(26)}${pad(c.requests, 10)}${pad(c.impressions, 13)}${pad(c.items, 8)}${pad(c.freshItems, 13)}${pad(c.freshImpressions, 13)}  ${positives}`,
    );
  }
  return lines.join('\n');
}
