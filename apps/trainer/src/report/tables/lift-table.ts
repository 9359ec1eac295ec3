import { HITS_METRIC, type ResultsFile } from '../../results.js';
import { interval, signed, spread } from '../format.js';
import { baselineVariant, hitsLabel, mapSliceTasks, sliceTaskColumns } from '../lookup.js';
import { cell, type ReportTable, type TableCell } from './report-table.js';

/**
 * The Table 1 analogue: per variant (baseline excluded), the parameter increase and the Hits@3
 * lift in % over the baseline on fresh and all items per task. A lift is bold with `*` when its
 * 95% interval (hierarchical bootstrap over requests and seeds) excludes 0 (`Lift.significant`);
 * each cell lists the interval `[lo, hi]` and the per-seed spread `(min..max)` beneath the value.
 */
export function liftTable(results: ResultsFile): ReportTable {
  const baseline = baselineVariant(results);
  const rows = results.variants
    .filter((v) => v !== baseline)
    .map((variant): TableCell[] => [
      cell(variant.name),
      cell(`${signed(variant.paramsIncreasePct, 2)}%`),
      ...mapSliceTasks(results, (slice, task) => {
        const lift = variant.liftPct?.[slice][HITS_METRIC][task];
        if (!lift) return cell('n/a', { title: 'lift not computed' });
        const seedSpread = spread(lift.perSeed, 1);
        return cell(signed(lift.value, 2), {
          strong: lift.significant,
          ...(lift.significant ? { marker: '*' } : {}),
          details: [interval(lift.ci95, 2), ...(seedSpread ? [`(${seedSpread})`] : [])],
          title: `p = ${lift.p.toPrecision(2)}; per-seed lifts: ${lift.perSeed.map((s) => signed(s, 2)).join(', ')}`,
        });
      }),
    ]);
  const { seeds, seedsNote, bootstrapSamples } = results.settings;
  return {
    id: 'lift',
    title: `Logged ${hitsLabel(results)} lift (%) over ${baseline.name} (what an offline team would see), and parameter increase (%)`,
    columns: [{ label: 'variant', align: 'left' }, { label: 'params', align: 'right' }, ...sliceTaskColumns(results)],
    rows,
    notes: [
      `Lift = 100·(variant − ${baseline.name}) / ${baseline.name}, each averaged over ${seeds} seed${seeds === 1 ? '' : 's'}. ` +
        `Under each lift: [its 95% interval] (hierarchical bootstrap over requests and seeds, ${bootstrapSamples} resamples) and (min..max of the per-seed lifts).`,
      '* (bold): the 95% interval excludes 0. Unmarked lifts are neutral: not distinguishable from noise.',
      ...(seedsNote ? [seedsNote] : []),
    ],
  };
}
