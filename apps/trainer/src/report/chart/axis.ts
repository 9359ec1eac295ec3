import type { Frame } from './frame.js';
import type { LinearScale } from './linear-scale.js';
import { element, text } from './svg.js';

/** One tick: its pixel position along the axis and its label. */
export interface Tick {
  readonly at: number;
  readonly label: string;
}

/**
 * Ticks of a linear scale, labelled with `format`.
 *
 * @example linearTicks(linearScale([0, 1], [0, 100]), (v) => v.toFixed(1), 2) // [{at: 0, label: '0.0'}, {at: 50, label: '0.5'}, {at: 100, label: '1.0'}]
 */
export function linearTicks(scale: LinearScale, format: (value: number) => string, count = 5): Tick[] {
  return scale.ticks(count).map((value) => ({ at: scale(value), label: format(value) }));
}

/** The bottom axis: a baseline, tick marks, tick labels, optional vertical grid lines and an axis title (none when `''`). */
export function axisX(frame: Frame, ticks: readonly Tick[], title: string, { grid = false } = {}): string {
  const marks = ticks.map((t) =>
    element(
      'g',
      { class: 'tick' },
      grid ? element('line', { class: 'grid', x1: t.at, x2: t.at, y1: frame.top, y2: frame.bottom }) : '',
      element('line', { x1: t.at, x2: t.at, y1: frame.bottom, y2: frame.bottom + 5 }),
      element('text', { x: t.at, y: frame.bottom + 17, 'text-anchor': 'middle' }, text(t.label)),
    ),
  );
  return element(
    'g',
    { class: 'axis axis-x' },
    element('line', { class: 'domain', x1: frame.left, x2: frame.right, y1: frame.bottom, y2: frame.bottom }),
    ...marks,
    title
      ? element(
          'text',
          { class: 'axis-title', x: (frame.left + frame.right) / 2, y: frame.height - 6, 'text-anchor': 'middle' },
          text(title),
        )
      : '',
  );
}

/** The left axis: a baseline, tick marks, tick labels, optional horizontal grid lines and a rotated axis title (none when `''`). */
export function axisY(frame: Frame, ticks: readonly Tick[], title: string, { grid = true } = {}): string {
  const marks = ticks.map((t) =>
    element(
      'g',
      { class: 'tick' },
      grid ? element('line', { class: 'grid', x1: frame.left, x2: frame.right, y1: t.at, y2: t.at }) : '',
      element('line', { x1: frame.left - 5, x2: frame.left, y1: t.at, y2: t.at }),
      element('text', { x: frame.left - 8, y: t.at + 4, 'text-anchor': 'end' }, text(t.label)),
    ),
  );
  const cy = (frame.top + frame.bottom) / 2;
  return element(
    'g',
    { class: 'axis axis-y' },
    element('line', { class: 'domain', x1: frame.left, x2: frame.left, y1: frame.top, y2: frame.bottom }),
    ...marks,
    title
      ? element(
          'text',
          { class: 'axis-title', x: 14, y: cy, 'text-anchor': 'middle', transform: `rotate(-90 14 ${cy})` },
          text(title),
        )
      : '',
  );
}

/**
 * A dashed reference line across the plot area at pixel `at` (e.g. ratio = 1, Δ = 0), with a
 * short label at its end. Not a data mark.
 */
export function referenceLine(frame: Frame, orientation: 'horizontal' | 'vertical', at: number, label: string): string {
  const horizontal = orientation === 'horizontal';
  return element(
    'g',
    { class: 'reference' },
    horizontal
      ? element('line', { x1: frame.left, x2: frame.right, y1: at, y2: at })
      : element('line', { x1: at, x2: at, y1: frame.top, y2: frame.bottom }),
    label
      ? element(
          'text',
          horizontal ? { x: frame.right - 2, y: at - 4, 'text-anchor': 'end' } : { x: at + 4, y: frame.top + 10 },
          text(label),
        )
      : '',
  );
}
