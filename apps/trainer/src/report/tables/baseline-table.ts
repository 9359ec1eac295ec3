import { HITS_METRIC, type MetricSet, type ResultsFile } from '../../results.js';
import { fixed } from '../format.js';
import { baselineVariant, hitsLabel, mapSliceTasks, sliceTaskColumns } from '../lookup.js';
import { cell, type ReportTable } from './report-table.js';

/**
 * The baseline's absolute metrics (Hits@3, PR-AUC, ROC-AUC, log loss) on fresh and all items per
 * task: the denominators of every lift in the Table 1 analogue.
 */
export function baselineTable(results: ResultsFile): ReportTable {
  const baseline = baselineVariant(results);
  const metrics: [keyof MetricSet, string][] = [
    [HITS_METRIC, hitsLabel(results)],
    ['prAuc', 'PR-AUC'],
    ['rocAuc', 'ROC-AUC'],
    ['logLoss', 'log loss'],
  ];
  return {
    id: 'baseline',
    title: `Absolute metrics of the baseline (${baseline.name}), mean over ${baseline.seeds.length} seed${baseline.seeds.length === 1 ? '' : 's'}`,
    columns: [{ label: 'metric', align: 'left' }, ...sliceTaskColumns(results)],
    rows: metrics.map(([key, label]) => [
      cell(label),
      ...mapSliceTasks(results, (slice, task) => cell(fixed(baseline.metrics[slice][key][task] ?? Number.NaN, 4))),
    ]),
    notes: [],
  };
}
