import type { ResultsFile, VariantResult } from '../../results.js';
import { axisX, axisY, linearTicks, referenceLine } from '../chart/axis.js';
import { chartFrame, svgRoot } from '../chart/frame.js';
import { legend } from '../chart/legend.js';
import { lineMark } from '../chart/line.js';
import { linearScale } from '../chart/linear-scale.js';
import { pointMarks } from '../chart/points.js';
import { niceDomain } from '../chart/ticks.js';
import { count, fixed } from '../format.js';
import { figureHtml, seriesOf } from './figure.js';

/** Curves with at most this many logged steps also get a point per step. */
const maxPointsPerCurve = 60;

/**
 * Fig 2b/6b: the ratio of mean gradient l2-norms, non-historical / historical features, over
 * training steps, for the given variants (baseline and Residual), with a reference line at 1.
 */
export function gradRatioFigure(results: ResultsFile, variants: readonly VariantResult[]): string {
  const all = variants.flatMap((v) => v.gradNormRatio ?? []);
  const steps = all.map(([s]) => s);
  const ratios = all.map(([, r]) => r);
  const frame = chartFrame(720, 320);
  const x = linearScale(niceDomain(Math.min(...steps), Math.max(...steps), 8), [frame.left, frame.right]);
  const y = linearScale(niceDomain(0, Math.max(1, ...ratios), 5), [frame.bottom, frame.top]);
  const curves = variants.map((v) => {
    const series = seriesOf(results, v);
    const data = v.gradNormRatio ?? [];
    const line = lineMark(
      data.map(([s, r]) => [x(s), y(r)]),
      { series, label: v.name },
    );
    const points =
      data.length <= maxPointsPerCurve
        ? pointMarks(
            data.map(([s, r]) => ({ x: x(s), y: y(r), title: `${v.name}, step ${count(s)}: ${fixed(r, 3)}` })),
            { series, label: v.name, radius: 2.5 },
          )
        : '';
    return line + points;
  });
  const svg = svgRoot(
    frame,
    'Gradient-norm ratio non-historical / historical over training',
    axisX(frame, linearTicks(x, count, 8), 'training step'),
    axisY(
      frame,
      linearTicks(y, (v) => fixed(v, 2)),
      'ratio of mean ‖∇‖₂ non-hist / hist',
    ),
    referenceLine(frame, 'horizontal', y(1), 'ratio = 1'),
    ...curves,
    legend(
      variants.map((v) => ({ series: seriesOf(results, v), label: v.name })),
      frame.left,
      18,
    ),
  );
  return figureHtml(
    'grad-ratio',
    svg,
    'Fig 2b/6b analogue: ratio of the mean gradient l2-norm with respect to non-historical features to that of historical features during training. Below 1: updates are dominated by historical features.',
  );
}
