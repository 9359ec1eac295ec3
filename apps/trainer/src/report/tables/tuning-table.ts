import type { ResultsFile } from '../../results.js';
import { cell, type ReportTable } from './report-table.js';

/**
 * The shared choices tuned on the calibration window before the variants were trained: what was
 * tuned, on which variant and metric, every candidate's score and the choice. `undefined` when
 * the run kept the spec's values (`--no-tune`, or a file from before tuning).
 */
export function tuningTable(results: ResultsFile): ReportTable | undefined {
  const tuning = results.tuning;
  if (!tuning || tuning.length === 0) return undefined;
  return {
    id: 'tuning',
    title: 'Shared choices tuned on the calibration window (never the evaluation window)',
    columns: [
      { label: 'choice', align: 'left' },
      { label: 'criterion', align: 'left' },
      { label: 'candidates → calibration score', align: 'left' },
      { label: 'chosen', align: 'right' },
    ],
    rows: tuning.map((t) => [
      cell(t.name),
      cell(t.criterion),
      cell(
        t.candidates
          .map((c, i) => `${c} → ${Number.isFinite(t.scores[i]) ? (t.scores[i] as number).toFixed(4) : 'n/a'}`)
          .join(', '),
      ),
      cell(String(t.chosen), { strong: true }),
    ]),
    notes: [
      'Each candidate trains the named variant once (seed 0, none of the experiment seeds) on the training window and is scored on the calibration window; the best score wins (ties: the earlier candidate). The fresh-boost of the frontier is chosen the same way, per variant.',
    ],
  };
}
