import { escapeHtml } from '../escape.js';
import { columnGroups, type ReportTable, type TableCell } from './report-table.js';

function cellHtml(tag: 'td' | 'th', c: TableCell, align: 'left' | 'right'): string {
  const value = c.strong ? `<strong>${escapeHtml(c.text)}</strong>` : escapeHtml(c.text);
  const marker = c.marker ? `<sup class="marker">${escapeHtml(c.marker)}</sup>` : '';
  const details = (c.details ?? []).map((d) => `<span class="detail">${escapeHtml(d)}</span>`).join('');
  const attrs = [
    tag === 'th' ? ' scope="row"' : '',
    align === 'right' ? ' class="num"' : '',
    c.title ? ` title="${escapeHtml(c.title)}"` : '',
    c.marker ? ` data-marker="${escapeHtml(c.marker)}"` : '',
  ].join('');
  return `<${tag}${attrs}>${value}${marker}${details}</${tag}>`;
}

/**
 * A {@link ReportTable} as an HTML `<table>` (escaped text, spanning group headers, bold +
 * superscript marker for flagged cells, details as small lines) followed by its notes.
 * The first cell of each row is a row header (`<th scope="row">`).
 */
export function renderTableHtml(table: ReportTable): string {
  const groups = columnGroups(table.columns);
  const groupRow = groups.some((g) => g.group)
    ? `<tr class="groups">${groups.map((g) => `<th colspan="${g.span}">${escapeHtml(g.group)}</th>`).join('')}</tr>`
    : '';
  const headerRow = `<tr>${table.columns.map((c) => `<th${c.align === 'right' ? ' class="num"' : ''} scope="col">${escapeHtml(c.label)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((row) => `<tr>${row.map((c, i) => cellHtml(i === 0 ? 'th' : 'td', c, table.columns[i]?.align ?? 'left')).join('')}</tr>`)
    .join('\n');
  const notes = table.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  return [
    `<div class="table-wrap"><table data-table="${escapeHtml(table.id)}">`,
    `<caption>${escapeHtml(table.title)}</caption>`,
    `<thead>${groupRow}${headerRow}</thead>`,
    `<tbody>\n${body}\n</tbody></table></div>`,
    notes,
  ].join('\n');
}
