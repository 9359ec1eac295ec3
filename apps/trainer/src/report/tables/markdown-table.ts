import { escapeMarkdownCell } from '../escape.js';
import type { ReportTable, TableCell } from './report-table.js';

function cellMarkdown(c: TableCell): string {
  const value = escapeMarkdownCell(c.text);
  const main = (c.strong ? `**${value}**` : value) + (c.marker ? escapeMarkdownCell(c.marker) : '');
  return [main, ...(c.details ?? []).map(escapeMarkdownCell)].join(' ');
}

/**
 * A {@link ReportTable} as a GitHub-flavoured markdown table under a `###` heading. Column groups
 * prefix the header (`fresh grid_click`) since markdown has no spanning headers; flagged cells are
 * bold with an escaped marker (`**+1.32**\*`); details follow on the same line; notes follow as
 * paragraphs.
 */
export function renderTableMarkdown(table: ReportTable): string {
  const header = table.columns.map((c) => escapeMarkdownCell(c.group ? `${c.group} ${c.label}` : c.label));
  const rule = table.columns.map((c) => (c.align === 'right' ? '---:' : ':---'));
  const lines = [
    `### ${escapeMarkdownCell(table.title)}`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${rule.join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(cellMarkdown).join(' | ')} |`),
  ];
  if (table.notes.length > 0)
    lines.push(
      '',
      ...table.notes
        .map((n) => escapeMarkdownCell(n))
        .join('\n\n')
        .split('\n'),
    );
  return lines.join('\n');
}
