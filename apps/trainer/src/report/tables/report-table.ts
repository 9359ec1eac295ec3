/**
 * A table of the report, independent of its output format: the same `ReportTable` is rendered to
 * HTML (`renderTableHtml`), GitHub markdown (`renderTableMarkdown`) and fixed-width text
 * (`renderTableText`), so the three reports cannot disagree on a number.
 */

/** One cell. */
export interface TableCell {
  readonly text: string;
  /** Bold (the paper bolds statistically significant lifts). */
  readonly strong?: boolean;
  /** A short marker appended to the text: `*` significant, `!` a shortcut wins. */
  readonly marker?: string;
  /** Secondary lines under the value (interval, per-seed spread). */
  readonly details?: readonly string[];
  /** Extra information shown on hover in HTML (e.g. the p-value). */
  readonly title?: string;
}

/** One column: its header, the group its header sits under (e.g. `fresh`), its alignment. */
export interface TableColumn {
  readonly label: string;
  readonly group?: string;
  readonly align: 'left' | 'right';
}

/** A titled table with explanatory notes under it. */
export interface ReportTable {
  /** Stable identifier (`data-table` attribute in HTML). */
  readonly id: string;
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly TableCell[])[];
  readonly notes: readonly string[];
}

/** Shorthand for a plain cell. @example cell('0.4123') // { text: '0.4123' } */
export function cell(text: string, extra: Omit<TableCell, 'text'> = {}): TableCell {
  return { text, ...extra };
}

/**
 * Columns of a row-header-first table: the first label left-aligned, the others (numbers)
 * right-aligned, all under `group` when given.
 *
 * @example labelledColumns(['variant', 'seeds']) // [{ label: 'variant', align: 'left' }, { label: 'seeds', align: 'right' }]
 */
export function labelledColumns(labels: readonly string[]): TableColumn[] {
  return labels.map((label, i) => ({ label, align: i === 0 ? 'left' : 'right' }));
}

/**
 * Consecutive runs of equal column groups, for spanning group headers.
 *
 * @example columnGroups([{label:'a',align:'left'},{label:'b',group:'fresh',align:'right'},{label:'c',group:'fresh',align:'right'}])
 * // [{ group: '', span: 1 }, { group: 'fresh', span: 2 }]
 */
export function columnGroups(columns: readonly TableColumn[]): { group: string; span: number }[] {
  const runs: { group: string; span: number }[] = [];
  for (const column of columns) {
    const group = column.group ?? '';
    const last = runs[runs.length - 1];
    if (last && last.group === group) last.span++;
    else runs.push({ group, span: 1 });
  }
  return runs;
}
