import { HITS_METRIC, type ResultsFile } from '../../results.js';
import { interval, signed, spread } from '../format.js';
import { baselineVariant, hitsLabel, mapSliceTasks, sliceTaskColumns } from '../lookup.js';
import { cell, type ReportTable, type TableCell } from './report-table.js';

/**
 * The Table 1 analogue: per variant (baseline excluded), the parameter increase and the Hits@3
 * lift in % over the baseline on fresh and all items per task. Each cell lists the 95% interval
 * `[lo, hi]` and the per-seed spread `(min..max)` beneath the value. The intervals resample users
 * (all their requests together) and seeds paired across arms; a primary cell (declared before
 * the run, marked `†`) is significant at p < 0.05, every other cell after Holm's correction over
 * the table (`Lift.significant`); significant lifts are bold with `*`. Files from before issue 11
 * (no `liftStatistics`) keep their request-level rule and say so.
 */
export function liftTable(results: ResultsFile): ReportTable {
  const baseline = baselineVariant(results);
  const stats = results.liftStatistics;
  const rows = results.variants
    .filter((v) => v !== baseline)
    .map((variant): TableCell[] => [
      cell(variant.name),
      cell(`${signed(variant.paramsIncreasePct, 2)}%`),
      ...mapSliceTasks(results, (slice, task) => {
        const lift = variant.liftPct?.[slice][HITS_METRIC][task];
        if (!lift) return cell('n/a', { title: 'lift not computed' });
        const seedSpread = spread(lift.perSeed, 1);
        const marker = `${lift.significant ? '*' : ''}${lift.primary ? '†' : ''}`;
        const pText =
          lift.pHolm === undefined
            ? `p = ${lift.p.toPrecision(2)}`
            : `p = ${lift.p.toPrecision(2)}, Holm p = ${lift.pHolm.toPrecision(2)}`;
        const points =
          lift.points === undefined
            ? ''
            : `; ${signed(lift.points, 2)} points ${interval(lift.pointsCi95 ?? [Number.NaN, Number.NaN], 2)}`;
        return cell(signed(lift.value, 2), {
          strong: lift.significant,
          ...(marker ? { marker } : {}),
          details: [interval(lift.ci95, 2), ...(seedSpread ? [`(${seedSpread})`] : [])],
          title: `${pText}${points}; per-seed lifts: ${lift.perSeed.map((s) => signed(s, 2)).join(', ')}`,
        });
      }),
    ]);
  const { seeds, seedsNote, bootstrapSamples } = results.settings;
  const effective = (slice: 'fresh' | 'all') =>
    Object.entries(stats?.effectiveUsers[slice] ?? {})
      .map(([task, n]) => `${task} ${n.toFixed(1)}`)
      .join(', ');
  return {
    id: 'lift',
    title: `Logged ${hitsLabel(results)} lift (%) over ${baseline.name} (what an offline team would see), and parameter increase (%)`,
    columns: [{ label: 'variant', align: 'left' }, { label: 'params', align: 'right' }, ...sliceTaskColumns(results)],
    rows,
    notes: stats
      ? [
          `Lift = 100·(variant − ${baseline.name}) / ${baseline.name}, each averaged over ${seeds} seed${seeds === 1 ? '' : 's'}. ` +
            `Under each lift: [its 95% interval] (bootstrap over the ${stats.users} evaluation users, all their requests together, and over seeds paired across arms, ${bootstrapSamples} resamples) and (min..max of the per-seed lifts).`,
          `Effective users (Kish) of the requests that count — fresh: ${effective('fresh')}; all: ${effective('all')}. The precision of a column follows these, not its request count.`,
          `† primary cell, declared before the run (${stats.primaryCells.join('; ')}): * when p < 0.05. ` +
            `Every other cell (${stats.holmFamily}) is corrected by Holm as one family: * when the Holm-adjusted p < 0.05. Unmarked lifts are not distinguishable from noise.`,
          ...(seedsNote ? [seedsNote] : []),
        ]
      : [
          `Lift = 100·(variant − ${baseline.name}) / ${baseline.name}, each averaged over ${seeds} seed${seeds === 1 ? '' : 's'}. ` +
            `Under each lift: [its 95% interval] (bootstrap over requests and seeds, ${bootstrapSamples} resamples — a file from before user-clustered intervals: requests of one user are not independent, so these are too narrow) and (min..max of the per-seed lifts).`,
          '* (bold): the 95% interval excludes 0, with no correction for the number of cells.',
          ...(seedsNote ? [seedsNote] : []),
        ],
  };
}
