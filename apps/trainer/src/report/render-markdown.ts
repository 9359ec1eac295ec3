import type { ResultsFile } from '../results.js';
import { escapeMarkdownCell } from './escape.js';
import { count, duration } from './format.js';
import { reportSections } from './sections.js';
import { renderTableMarkdown } from './tables/markdown-table.js';
import { shortcutVerdict } from './tables/reference-table.js';

/**
 * Renders `results.json` as GitHub-flavoured markdown (`report.md`): the same tables as
 * `report.html` (Table 1 analogue with intervals and per-seed spread, significant lifts as
 * `**+1.32**\*`, reference scorers and shortcut verdict, split and leakage, cost, the analyses'
 * summaries, settings) without the charts; missing analyses are listed as "Not computed".
 *
 * @example
 * writeFileSync(join(out, 'report.md'), renderReportMarkdown(results));
 */
export function renderReportMarkdown(results: ResultsFile): string {
  const s = results.settings;
  const { message, wins } = shortcutVerdict(results);
  const lines = [
    `# thaw-train report: ${escapeMarkdownCell(results.dataset.name)}`,
    '',
    escapeMarkdownCell(
      `data ${s.data} · ${count(results.variants.length)} variants × ${s.seeds} seed${s.seeds === 1 ? '' : 's'} · ` +
        `tasks ${results.tasks.join(', ')} · created ${results.createdAt} · total ${duration(results.totalSeconds)}`,
    ),
    ...(s.seedsNote ? ['', escapeMarkdownCell(s.seedsNote)] : []),
    '',
    `> ${wins.length ? '**' : ''}${escapeMarkdownCell(message)}${wins.length ? '**' : ''}`,
  ];
  for (const section of reportSections(results)) {
    lines.push('', `## ${escapeMarkdownCell(section.title)}`);
    if (section.notComputed.length) lines.push('', `_Not computed: ${escapeMarkdownCell(section.notComputed.join('; '))}._`);
    for (const table of section.tables) lines.push('', renderTableMarkdown(table));
  }
  return `${lines.join('\n')}\n`;
}
