import { element, tooltip } from './svg.js';

/** One point in pixels with the tooltip shown on hover. */
export interface PointDatum {
  readonly x: number;
  readonly y: number;
  readonly title: string;
}

/**
 * Circles at pixel positions, series colour `s<series>`, each with `data-mark="point"` and a
 * tooltip.
 *
 * @example pointMarks([{ x: 1, y: 2, title: 'a' }], { series: 1, label: 'mixup' })
 */
export function pointMarks(
  points: readonly PointDatum[],
  { series, label, radius = 3 }: { series: number; label: string; radius?: number },
): string {
  return points
    .map((p) =>
      element(
        'circle',
        { class: `point s${series}`, cx: p.x, cy: p.y, r: radius, 'data-mark': 'point', 'data-series': label },
        tooltip(p.title),
      ),
    )
    .join('');
}
