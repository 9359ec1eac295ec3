import type { ResultsFile } from '../../results.js';
import { count, duration, signed } from '../format.js';
import { cell, labelledColumns, type ReportTable } from './report-table.js';

/** Cost of every variant: trainable parameters served, increase over the baseline, training time and throughput. */
export function costTable(results: ResultsFile): ReportTable {
  return {
    id: 'cost',
    title: 'Cost per variant',
    columns: labelledColumns(['variant', 'parameters', 'increase', 'train time / seed', 'examples/s', 'seeds']),
    rows: results.variants.map((v) => [
      cell(v.name),
      cell(count(v.params)),
      cell(`${signed(v.paramsIncreasePct, 2)}%`),
      cell(duration(v.trainSeconds)),
      cell(count(v.examplesPerSecond)),
      cell(String(v.seeds.length), { title: `seeds ${v.seeds.join(', ')}` }),
    ]),
    notes: [],
  };
}
