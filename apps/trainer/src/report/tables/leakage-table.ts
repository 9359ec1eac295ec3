import type { ResultsFile } from '../../results.js';
import { percent } from '../format.js';
import { cell, labelledColumns, type ReportTable, type TableCell } from './report-table.js';
import { splitWindows } from './split-table.js';

const groups = [
  ['warm', 'warm'],
  ['cold', 'cold'],
  ['noHistory', 'no history'],
] as const;

/**
 * Leakage check: the positive rate per task of warm, cold and no-history candidates in each window
 * that reports it (`SplitCounts.positiveRate`). A cold or no-history rate above the warm rate is
 * bold with `!`: the label itself then favours items without history, which a "no history first"
 * shortcut can exploit. Returns `undefined` when no window reports rates.
 */
export function leakageTable(results: ResultsFile): ReportTable | undefined {
  const rows: TableCell[][] = [];
  for (const name of splitWindows) {
    const rates = results.split[name].positiveRate;
    if (!rates) continue;
    for (const [key, label] of groups) {
      rows.push([
        cell(`${name} · ${label}`),
        ...results.tasks.map((task) => {
          const rate = rates[key][task] ?? Number.NaN;
          const above = key !== 'warm' && rate > (rates.warm[task] ?? Number.POSITIVE_INFINITY);
          return cell(percent(rate, 2), above ? { strong: true, marker: '!' } : {});
        }),
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return {
    id: 'leakage',
    title: 'Positive rate of warm, cold and no-history candidates (leakage check)',
    columns: labelledColumns(['window · candidates', ...results.tasks]),
    rows,
    notes: [
      '! (bold): candidates without (full) history are positive more often than warm ones, so ranking them first is a shortcut.',
    ],
  };
}
