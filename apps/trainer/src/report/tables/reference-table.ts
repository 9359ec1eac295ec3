import { HITS_METRIC, type ResultsFile } from '../../results.js';
import { fixed } from '../format.js';
import { baselineVariant, hitsLabel, mapSliceTasks, type Slice, sliceTaskColumns } from '../lookup.js';
import { oracleShortcuts } from './oracle-table.js';
import { cell, type ReportTable } from './report-table.js';

/** A trivial scorer that matches or beats the trained baseline on one slice and task. */
export interface ShortcutWin {
  readonly scorer: string;
  readonly slice: Slice;
  readonly task: string;
  readonly scorerValue: number;
  readonly baselineValue: number;
}

/**
 * Every (reference scorer, slice, task) where the trivial scorer's absolute Hits@3 is ≥ the
 * baseline's: the benchmark then rewards a shortcut (e.g. "no history first" wins when fresh
 * items are positive more often), and lifts on it say little about the model.
 */
export function shortcutWins(results: ResultsFile): ShortcutWin[] {
  const baseline = baselineVariant(results);
  return results.referenceScorers.flatMap((scorer) =>
    mapSliceTasks(results, (slice, task) => ({
      scorer: scorer.name,
      slice,
      task,
      scorerValue: scorer.metrics[slice][HITS_METRIC][task] ?? Number.NaN,
      baselineValue: baseline.metrics[slice][HITS_METRIC][task] ?? Number.NaN,
    })).filter((w) => w.scorerValue >= w.baselineValue),
  );
}

/**
 * Absolute Hits@3 of the baseline and of the reference scorers (random, popularity, no history
 * first) on fresh and all items per task. A reference value that matches or beats the baseline is
 * bold with `!`.
 */
export function referenceTable(results: ResultsFile): ReportTable {
  const baseline = baselineVariant(results);
  const wins = new Set(shortcutWins(results).map((w) => `${w.scorer}/${w.slice}/${w.task}`));
  const rows = [
    [
      cell(`${baseline.name} (trained)`),
      ...mapSliceTasks(results, (slice, task) => cell(fixed(baseline.metrics[slice][HITS_METRIC][task] ?? Number.NaN, 4))),
    ],
    ...results.referenceScorers.map((scorer) => [
      cell(scorer.name, { title: scorer.description }),
      ...mapSliceTasks(results, (slice, task) => {
        const win = wins.has(`${scorer.name}/${slice}/${task}`);
        return cell(fixed(scorer.metrics[slice][HITS_METRIC][task] ?? Number.NaN, 4), win ? { strong: true, marker: '!' } : {});
      }),
    ]),
  ];
  return {
    id: 'reference',
    title: `Absolute ${hitsLabel(results)}: the baseline against trivial reference scorers`,
    columns: [{ label: 'scorer', align: 'left' }, ...sliceTaskColumns(results)],
    rows,
    notes: [
      ...results.referenceScorers.map((s) => `${s.name}: ${s.description}`),
      '! (bold): a trivial scorer matches or beats the trained baseline here, so the benchmark rewards a shortcut.',
    ],
  };
}

/**
 * One sentence saying whether any trivial scorer matches or beats the baseline, listing where —
 * shown at the top of every report so a reader sees at once whether a shortcut wins.
 */
export function shortcutVerdict(results: ResultsFile): { readonly wins: readonly ShortcutWin[]; readonly message: string } {
  const oracleWins: ShortcutWin[] = results.oracle
    ? oracleShortcuts(results.oracle, results.baseline).map((w) => ({
        scorer: w.scorer,
        slice: w.metric,
        task: w.metric === 'all' ? 'oracle utility ratio@3' : 'oracle fresh recall@3',
        scorerValue: w.value,
        baselineValue: w.baseline,
      }))
    : [];
  const wins = [...oracleWins, ...shortcutWins(results)];
  const names =
    [
      ...(results.oracle?.referenceScorers.map((s) => `${s.name} (truth)`) ?? []),
      ...results.referenceScorers.map((s) => s.name),
    ].join(', ') || 'none were run';
  if (wins.length === 0) return { wins, message: `No reference scorer (${names}) reaches the baseline on any slice or task.` };
  const where = wins
    .map((w) =>
      w.task.startsWith('oracle')
        ? `${w.scorer} on ${w.task} against the truth (${fixed(w.scorerValue, 4)} ≥ ${fixed(w.baselineValue, 4)})`
        : `${w.scorer} on ${w.slice} ${w.task} (${fixed(w.scorerValue, 4)} ≥ ${fixed(w.baselineValue, 4)})`,
    )
    .join('; ');
  return {
    wins,
    message: `Shortcut warning: a trivial scorer matches or beats the trained baseline: ${where}. Lifts on this benchmark may reward the shortcut.`,
  };
}
