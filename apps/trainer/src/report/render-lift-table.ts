import type { ResultsFile } from '../results.js';
import { frontierTable } from './tables/frontier-table.js';
import { liftTable } from './tables/lift-table.js';
import { oracleTable } from './tables/oracle-table.js';
import { referenceTable, shortcutVerdict } from './tables/reference-table.js';
import type { ReportTable } from './tables/report-table.js';
import { renderTableText } from './tables/text-table.js';
import { tuningTable } from './tables/tuning-table.js';

/**
 * The plain-text summary the CLI prints at the end of `thaw-train experiment`: for a simulated
 * source first the table against the ground truth (utility ratio and fresh oracle recall per
 * variant and reference ranker, differences to the baseline with intervals) and every variant
 * against the fresh-boost frontier; then what an offline team would see — the logged Hits@3 lift
 * table (significant lifts `*`, intervals and per-seed spread beneath), its frontier placement, the
 * baseline's absolute Hits@3 against the reference scorers (`!` where a shortcut wins) — and the
 * one-line shortcut verdict.
 *
 * @example
 * process.stdout.write(`${renderLiftTable(results)}\n`);
 */
export function renderLiftTable(results: ResultsFile): string {
  const truth = oracleTable(results);
  const oracle = results.oracle;
  const logged = results.loggedFrontier;
  return [
    ...(truth && oracle
      ? [
          renderTableText(truth),
          '',
          renderTableText(
            frontierTable(
              results,
              oracle.frontier,
              'oracle-frontier',
              'Each variant against the fresh-boost frontier (oracle metrics)',
            ),
          ),
          '',
        ]
      : []),
    renderTableText(liftTable(results)),
    '',
    ...(logged
      ? [
          renderTableText(
            frontierTable(
              results,
              logged,
              'logged-frontier',
              'Each variant against the fresh-boost frontier (logged Hits@3 of the first task)',
            ),
          ),
          '',
        ]
      : []),
    renderTableText(referenceTable(results)),
    '',
    shortcutVerdict(results).message,
    ...(tuningTable(results) ? ['', renderTableText(tuningTable(results) as ReportTable)] : []),
  ].join('\n');
}
