import type { ResultsFile } from '../../results.js';
import { count } from '../format.js';
import { cell, labelledColumns, type ReportTable } from './report-table.js';

/** The three windows of the time split, in order. */
export const splitWindows = ['train', 'calibration', 'evaluation'] as const;

/**
 * Counts of the train / calibration / evaluation windows: requests, impressions, fresh items and
 * their impressions, positives per task.
 */
export function splitTable(results: ResultsFile): ReportTable {
  const { dataset } = results;
  return {
    id: 'split',
    title: `Data split of ${dataset.name}`,
    columns: [
      ...labelledColumns(['window', 'requests', 'impressions', 'fresh items', 'fresh impr.']),
      ...results.tasks.map((task) => ({ label: task, group: 'positives', align: 'right' as const })),
    ],
    rows: splitWindows.map((name) => {
      const w = results.split[name];
      return [
        cell(name),
        cell(count(w.requests)),
        cell(count(w.impressions)),
        cell(count(w.freshItems)),
        cell(count(w.freshImpressions)),
        ...results.tasks.map((task) => cell(count(w.positives[task] ?? Number.NaN))),
      ];
    }),
    notes: [
      `Dataset: ${count(dataset.rows)} rows, ${count(dataset.requests)} requests, ${count(dataset.items)} items, ${count(dataset.users)} users. ` +
        `Fresh = created less than ${results.settings.coldDays} days before the impression.`,
    ],
  };
}
