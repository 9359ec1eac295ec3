import type { ResultsFile, VariantResult } from '../../results.js';
import { axisX, axisY, linearTicks } from '../chart/axis.js';
import { chartFrame, svgRoot } from '../chart/frame.js';
import { legend } from '../chart/legend.js';
import { lineMark } from '../chart/line.js';
import { linearScale } from '../chart/linear-scale.js';
import { pointMarks } from '../chart/points.js';
import { niceDomain } from '../chart/ticks.js';
import { fixed, percent } from '../format.js';
import { figureHtml, seriesOf } from './figure.js';

function curveChart(results: ResultsFile, variants: readonly VariantResult[], which: 'ratio' | 'cumulative'): string {
  const curves = variants.map((v) => ({
    v,
    values: v.explainedVariance?.[which] ?? [],
    series: seriesOf(results, v),
    label: `${v.name} (eff. rank ${fixed(v.explainedVariance?.effectiveRank ?? Number.NaN, 1)})`,
  }));
  const n = Math.max(...curves.map((c) => c.values.length));
  const frame = chartFrame(460, 300);
  const x = linearScale(niceDomain(1, Math.max(n, 2), 6), [frame.left, frame.right]);
  const top = which === 'cumulative' ? 1 : Math.max(...curves.flatMap((c) => c.values));
  const y = linearScale(niceDomain(0, top, 5), [frame.bottom, frame.top]);
  const marks = curves.map(({ v, values, series, label }) => {
    return (
      lineMark(
        values.map((value, i) => [x(i + 1), y(value)]),
        { series, label },
      ) +
      pointMarks(
        values.map((value, i) => ({ x: x(i + 1), y: y(value), title: `${v.name}, component ${i + 1}: ${percent(value, 2)}` })),
        { series, label, radius: 2.5 },
      )
    );
  });
  const title = which === 'ratio' ? 'explained variance ratio' : 'cumulative explained variance';
  const svg = svgRoot(
    frame,
    `PCA of the representation: ${title}`,
    axisX(
      frame,
      linearTicks(x, (v) => String(v), 6),
      'principal component',
    ),
    axisY(
      frame,
      linearTicks(y, (v) => percent(v, 0)),
      title,
    ),
    ...marks,
    legend(curves, frame.left, 18),
  );
  return figureHtml(
    `explained-variance-${which}`,
    svg,
    which === 'ratio'
      ? 'Fig 7a analogue: share of the variance of z̄ explained by each principal component.'
      : 'Fig 7b analogue: cumulative share; a slower rise means a higher-rank, less collapsed representation.',
  );
}

/**
 * Fig 7: PCA explained variance of the representation z̄ for the given variants (baseline and
 * Mixup): the per-component ratio and the cumulative curve side by side, effective rank in the legend.
 */
export function explainedVarianceFigure(results: ResultsFile, variants: readonly VariantResult[]): string {
  return `<div class="figure-row">${curveChart(results, variants, 'ratio')}${curveChart(results, variants, 'cumulative')}</div>`;
}
