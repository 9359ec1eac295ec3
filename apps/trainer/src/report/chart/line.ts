import { element, px, tooltip } from './svg.js';

/**
 * A data line through pixel points (`M x y L x y …`), drawn with series colour `series` (CSS class
 * `s<series>`). Carries `data-mark="line"` and `data-series` so tests can count drawn marks.
 *
 * @example lineMark([[0, 10], [5, 20]], { series: 0, label: 'baseline' }) // '<path class="line s0" d="M0 10L5 20" …/>'
 */
export function lineMark(
  points: readonly (readonly [number, number])[],
  { series, label }: { series: number; label: string },
): string {
  if (points.length === 0) return '';
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x)} ${px(y)}`).join('');
  return element('path', { class: `line s${series}`, d, 'data-mark': 'line', 'data-series': label }, tooltip(label));
}
