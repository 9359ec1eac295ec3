import type { FrontierResultFile } from '../../results.js';
import { axisX, axisY, linearTicks } from '../chart/axis.js';
import { chartFrame, svgRoot } from '../chart/frame.js';
import { legend } from '../chart/legend.js';
import { lineMark } from '../chart/line.js';
import { linearScale } from '../chart/linear-scale.js';
import { pointMarks } from '../chart/points.js';
import { element, text } from '../chart/svg.js';
import { niceDomain } from '../chart/ticks.js';
import { fixed, signed } from '../format.js';
import { figureHtml } from './figure.js';

/**
 * The fresh-boost frontier on the evaluation window: the baseline boosted by every logit boost
 * (a dashed line, one point per boost; x = all-items metric, y = fresh-items metric), every
 * variant as a labelled point, and the boost matched to each variant's fresh-items metric (chosen on
 * the calibration window) as a hollow point joined to it. A variant to the right of its hollow point
 * ranks all items better at the same warmth: above the frontier.
 */
export function frontierFigure(frontier: FrontierResultFile, id: string, baseline: string): string {
  const curve = frontier.evaluation.filter((p) => Number.isFinite(p.all) && Number.isFinite(p.fresh));
  // The primary comparison: each variant against the boost matched to its fresh-items metric.
  const placed = frontier.placements
    .map((p) => ({ variant: p.variant, ...p.freshMatched }))
    .filter((p) => Number.isFinite(p.evaluation.variant.all) && Number.isFinite(p.evaluation.variant.fresh));
  // Zoom on the variants and their matched boosts (the whole curve spans far more than they do);
  // the boost curve is drawn where it passes through that window.
  const xs = placed.flatMap((p) => [p.evaluation.variant.all, p.evaluation.boosted.all]);
  const ys = placed.flatMap((p) => [p.evaluation.variant.fresh, p.evaluation.boosted.fresh]);
  if (xs.length === 0 && curve.length === 0) return '';
  const around = (values: number[], fallback: number[], minSpan: number): [number, number] => {
    const v = values.length > 0 ? values : fallback;
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    const pad = Math.max(hi - lo, minSpan) * 0.6;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = around(
    xs,
    curve.map((p) => p.all),
    0.01,
  );
  const [y0, y1] = around(
    ys,
    curve.map((p) => p.fresh),
    0.05,
  );
  const frame = chartFrame(720, 400, { top: 36, right: 24, bottom: 48, left: 64 });
  const x = linearScale(niceDomain(x0, x1, 6), [frame.left, frame.right]);
  const y = linearScale(niceDomain(Math.max(0, y0), Math.min(1, y1), 6), [frame.bottom, frame.top]);
  const inside = (p: { all: number; fresh: number }) =>
    p.all >= (x.domain[0] as number) &&
    p.all <= (x.domain[1] as number) &&
    p.fresh >= (y.domain[0] as number) &&
    p.fresh <= (y.domain[1] as number);
  const shown = curve.filter(inside);
  const line = lineMark(
    shown.map((p) => [x(p.all), y(p.fresh)]),
    { series: 0, label: `${baseline} + boost` },
  );
  const curvePoints = pointMarks(
    shown.map((p) => ({
      x: x(p.all),
      y: y(p.fresh),
      title: `${baseline} + boost ${signed(p.boost, 2)}: all ${fixed(p.all, 4)}, fresh ${fixed(p.fresh, 4)}`,
    })),
    { series: 0, label: `${baseline} + boost`, radius: 2.5 },
  );
  const links = placed
    .map((p) =>
      element('line', {
        class: 'link',
        x1: x(p.evaluation.variant.all),
        y1: y(p.evaluation.variant.fresh),
        x2: x(p.evaluation.boosted.all),
        y2: y(p.evaluation.boosted.fresh),
        stroke: 'currentColor',
        'stroke-opacity': 0.35,
      }),
    )
    .join('');
  const matched = placed
    .map((p) =>
      element(
        'circle',
        {
          class: 'point s2',
          cx: x(p.evaluation.boosted.all),
          cy: y(p.evaluation.boosted.fresh),
          r: 3.5,
          'fill-opacity': 0.15,
          'data-mark': 'point',
          'data-series': 'matched boost',
        },
        element(
          'title',
          {},
          text(
            `${p.variant}'s matched boost ${signed(p.boost, 2)}: all ${fixed(p.evaluation.boosted.all, 4)}, fresh ${fixed(p.evaluation.boosted.fresh, 4)}`,
          ),
        ),
      ),
    )
    .join('');
  const variants = pointMarks(
    placed.map((p) => ({
      x: x(p.evaluation.variant.all),
      y: y(p.evaluation.variant.fresh),
      title: `${p.variant}: all ${fixed(p.evaluation.variant.all, 4)}, fresh ${fixed(p.evaluation.variant.fresh, 4)} (${p.verdict})`,
    })),
    { series: 1, label: 'variants', radius: 4 },
  );
  const labels = placed
    .map((p) =>
      element(
        'text',
        { class: 'point-label', x: x(p.evaluation.variant.all) + 6, y: y(p.evaluation.variant.fresh) - 6 },
        text(p.variant),
      ),
    )
    .join('');
  const svg = svgRoot(
    frame,
    `Fresh-boost frontier: ${frontier.metric.fresh} against ${frontier.metric.all}`,
    axisX(
      frame,
      linearTicks(x, (v) => fixed(v, 3), 6),
      frontier.metric.all,
      { grid: true },
    ),
    axisY(
      frame,
      linearTicks(y, (v) => fixed(v, 3), 6),
      frontier.metric.fresh,
    ),
    line,
    curvePoints,
    links,
    matched,
    variants,
    labels,
    legend(
      [
        { series: 0, label: `${baseline} + boost (evaluation window)` },
        { series: 1, label: 'variant' },
        { series: 2, label: 'its matched boost' },
      ],
      frame.left,
      18,
    ),
  );
  return figureHtml(
    id,
    svg,
    `The baseline plus a constant logit boost on cold candidates, swept from ${signed(frontier.boosts[0] ?? 0, 2)} to ${signed(frontier.boosts.at(-1) ?? 0, 2)} (dashed line, evaluation window; the axes zoom on the variants, so the curve's far ends fall outside), and every variant. Each variant's boost is chosen on the calibration window to match its fresh-items metric; the hollow point is that boost on evaluation. Up and to the right is better; a variant to the right of its hollow point (above the line) is warmer for less.`,
  );
}
