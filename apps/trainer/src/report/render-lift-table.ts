import type { ResultsFile } from '../results.js';
import { liftTable } from './tables/lift-table.js';
import { referenceTable, shortcutVerdict } from './tables/reference-table.js';
import { renderTableText } from './tables/text-table.js';

/**
 * The fixed-width plain-text lift table the CLI prints at the end of `thaw-train experiment`:
 * per variant the parameter increase and the Hits@3 lift (%) per task on fresh and all items,
 * significant lifts marked `*`, with the 95% interval and per-seed spread on the lines beneath;
 * then the baseline's absolute Hits@3 against the reference scorers (`!` where a shortcut wins)
 * and the one-line shortcut verdict.
 *
 * @example
 * process.stdout.write(`${renderLiftTable(results)}\n`);
 */
export function renderLiftTable(results: ResultsFile): string {
  return [
    renderTableText(liftTable(results)),
    '',
    renderTableText(referenceTable(results)),
    '',
    shortcutVerdict(results).message,
  ].join('\n');
}
