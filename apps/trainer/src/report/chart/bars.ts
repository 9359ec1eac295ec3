import { element, text, tooltip } from './svg.js';

/** One vertical bar: its band (`x`, `width`), the pixel of the value and of zero, and its labels. */
export interface BarDatum {
  readonly x: number;
  readonly width: number;
  /** Pixel y of the bar's value. */
  readonly y: number;
  /** Pixel y of zero (bars grow up or down from it). */
  readonly zero: number;
  readonly title: string;
  /** Short text drawn at the bar's end (above for positive, below for negative values). */
  readonly valueLabel?: string;
}

/**
 * A vertical bar from `zero` to `y` (negative values hang below zero), series colour `s<series>`,
 * with `data-mark="bar"` and a tooltip.
 *
 * @example barMark({ x: 10, width: 8, y: 40, zero: 100, title: '0.6' }, { series: 0, label: 'baseline' }) // rect y=40 height=60
 */
export function barMark(bar: BarDatum, { series, label }: { series: number; label: string }): string {
  const top = Math.min(bar.y, bar.zero);
  const height = Math.max(Math.abs(bar.zero - bar.y), 0.5);
  const rect = element(
    'rect',
    { class: `bar s${series}`, x: bar.x, y: top, width: bar.width, height, 'data-mark': 'bar', 'data-series': label },
    tooltip(bar.title),
  );
  if (bar.valueLabel === undefined) return rect;
  const below = bar.y > bar.zero;
  const labelY = below ? bar.y + 11 : bar.y - 3;
  return (
    rect +
    element('text', { class: 'bar-label', x: bar.x + bar.width / 2, y: labelY, 'text-anchor': 'middle' }, text(bar.valueLabel))
  );
}
