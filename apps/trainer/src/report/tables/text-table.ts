import { columnGroups, type ReportTable, type TableCell } from './report-table.js';

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/**
 * A {@link ReportTable} as a fixed-width plain-text table for terminals: the title, a group header
 * line, column headers, a rule, then each row (details on extra lines under the value), then the
 * notes. Markers are appended to values (`+1.32*`); in right-aligned columns unmarked values get a
 * space instead so decimals line up. Plain ASCII apart from what the cells themselves contain.
 */
export function renderTableText(table: ReportTable): string {
  const markerWidth = table.columns.map((_, i) => Math.max(0, ...table.rows.map((r) => r[i]?.marker?.length ?? 0)));
  const main = (c: TableCell | undefined, i: number): string => {
    if (!c) return '';
    const align = table.columns[i]?.align ?? 'left';
    const marker = c.marker ?? '';
    return c.text + (align === 'right' ? marker.padEnd(markerWidth[i] ?? 0) : marker);
  };
  const widths = table.columns.map((column, i) =>
    Math.max(
      column.label.length,
      ...table.rows.map((r) => main(r[i], i).length),
      ...table.rows.flatMap((r) => (r[i]?.details ?? []).map((d) => d.length)),
    ),
  );
  const gap = '  ';
  const out: string[] = [table.title];
  const groups = columnGroups(table.columns);
  if (groups.some((g) => g.group)) {
    let start = 0;
    const parts = groups.map((g) => {
      const width = widths.slice(start, start + g.span).reduce((a, b) => a + b, 0) + gap.length * (g.span - 1);
      start += g.span;
      return g.group.padEnd(width);
    });
    out.push(parts.join(gap).trimEnd());
  }
  out.push(
    table.columns
      .map((c, i) => pad(c.label, widths[i] ?? 0, c.align))
      .join(gap)
      .trimEnd(),
  );
  out.push(widths.map((w) => '-'.repeat(w)).join(gap));
  for (const row of table.rows) {
    const height = 1 + Math.max(0, ...row.map((c) => c.details?.length ?? 0));
    for (let line = 0; line < height; line++) {
      const parts = table.columns.map((column, i) => {
        const c = row[i];
        const value = line === 0 ? main(c, i) : (c?.details?.[line - 1] ?? '');
        const align = column.align;
        return pad(value, widths[i] ?? 0, align === 'right' && line > 0 ? 'right' : align);
      });
      out.push(parts.join(gap).trimEnd());
    }
  }
  if (table.notes.length > 0) out.push(...table.notes);
  return out.join('\n');
}
