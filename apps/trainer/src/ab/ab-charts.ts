import { axisX, axisY, linearTicks } from '../report/chart/axis.js';
import { chartFrame, svgRoot } from '../report/chart/frame.js';
import { legend } from '../report/chart/legend.js';
import { lineMark } from '../report/chart/line.js';
import { linearScale } from '../report/chart/linear-scale.js';
import { niceDomain } from '../report/chart/ticks.js';
import { figureHtml } from '../report/figures/figure.js';
import { count, fixed, percent } from '../report/format.js';
import type { AbResults, AbSeries } from './ab-results.js';

/** The report's series colours (`s0`…`s3`): the control is 0 (dashed). */
const SERIES_COLOURS = 4;

function tickFormat(series: AbSeries, span: number): (v: number) => string {
  if (series.id === 'freshShare') return (v) => percent(v, span < 0.05 ? 1 : 0);
  if (series.id.startsWith('utility') || series.id.startsWith('regret')) return (v) => fixed(v, span < 0.05 ? 3 : 2);
  return (v) => count(v);
}

/**
 * One daily series as a line chart: A/B day on x, the mean over worlds on y, one line per arm
 * (`data-mark="line"`, the control dashed), with a legend.
 */
export function dailyChart(ab: AbResults, series: AbSeries): string {
  const arms = ab.arms.filter((a) => series.arms[a.id]);
  const values = arms.flatMap((a) => (series.arms[a.id] as number[]).filter(Number.isFinite));
  const days = ab.settings.days;
  const frame = chartFrame(560, 300);
  const x = linearScale([0, Math.max(1, days - 1)], [frame.left, frame.right]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const y = linearScale(niceDomain(lo, hi === lo ? lo + 1 : hi, 5), [frame.bottom, frame.top]);
  const lines = arms.map((arm, i) =>
    lineMark(
      (series.arms[arm.id] as number[]).flatMap((v, day) => (Number.isFinite(v) ? [[x(day), y(v)] as [number, number]] : [])),
      { series: i % SERIES_COLOURS, label: arm.id },
    ),
  );
  const svg = svgRoot(
    frame,
    `${series.label} per A/B day`,
    axisX(
      frame,
      linearTicks(x, (v) => String(v), 7),
      'A/B day',
    ),
    axisY(frame, linearTicks(y, tickFormat(series, hi - lo)), series.unit),
    ...lines,
    legend(
      arms.map((a, i) => ({ series: i % SERIES_COLOURS, label: a.id })),
      frame.left,
      18,
    ),
  );
  return figureHtml(
    `ab-daily-${series.id}`,
    svg,
    `${series.label}, mean over ${ab.settings.worlds} worlds, per A/B day (${series.unit}).${series.id === 'freshShare' ? ` Fresh = created within ${ab.settings.freshDays} days.` : ''}`,
  );
}

/** Every daily series of the run, in a wrapping row of charts. */
export function dailyCharts(ab: AbResults): string {
  return `<div class="figure-row">${ab.daily.map((s) => dailyChart(ab, s)).join('\n')}</div>`;
}
