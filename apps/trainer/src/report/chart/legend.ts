import { element, text } from './svg.js';

/** One legend entry: the series colour index and its label. */
export interface LegendItem {
  readonly series: number;
  readonly label: string;
}

/**
 * A one-row legend starting at pixel (`x`, `y`): a colour swatch and the label for each series.
 * Entries are spaced by an estimate of the label width (7 px per character at the report's 12 px
 * font), so no text measurement (and no script) is needed.
 */
export function legend(items: readonly LegendItem[], x: number, y: number): string {
  let offset = x;
  const entries = items.map((item) => {
    const entry = element(
      'g',
      { class: 'legend-item' },
      element('rect', { class: `swatch s${item.series}`, x: offset, y: y - 9, width: 14, height: 10 }),
      element('text', { x: offset + 19, y }, text(item.label)),
    );
    offset += 19 + item.label.length * 7 + 16;
    return entry;
  });
  return element('g', { class: 'legend' }, ...entries);
}
