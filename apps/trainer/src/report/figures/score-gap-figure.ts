import type { ResultsFile, VariantResult } from '../../results.js';
import { axisX, axisY, linearTicks, referenceLine } from '../chart/axis.js';
import { bandScale } from '../chart/band-scale.js';
import { barMark } from '../chart/bars.js';
import { chartFrame, svgRoot } from '../chart/frame.js';
import { legend } from '../chart/legend.js';
import { linearScale } from '../chart/linear-scale.js';
import { niceDomain } from '../chart/ticks.js';
import { fixed } from '../format.js';
import { figureHtml, seriesOf } from './figure.js';

const labels = [
  ['positive', '+'],
  ['negative', '−'],
] as const;

/**
 * Fig 2c/6c: the warm/cold score gap ratio `(warm − cold) / warm` in % per task and label
 * (positive / negative) of the given variants (baseline and ScoreReg), as grouped bars labelled
 * with their values.
 */
export function scoreGapFigure(results: ResultsFile, variants: readonly VariantResult[]): string {
  const groups = results.tasks.flatMap((task) => labels.map(([key, sign]) => ({ task, key, label: `${task} ${sign}` })));
  const value = (v: VariantResult, task: string, key: 'positive' | 'negative') =>
    100 * (v.scoreGap?.[task]?.[key]?.gapRatio ?? Number.NaN);
  const all = variants.flatMap((v) => groups.map((g) => value(v, g.task, g.key))).filter(Number.isFinite);
  const frame = chartFrame(720, 320, { top: 36, right: 16, bottom: 48, left: 56 });
  const x = bandScale(
    groups.map((g) => g.label),
    [frame.left, frame.right],
    { paddingInner: 0.3, paddingOuter: 0.15 },
  );
  const inner = bandScale(
    variants.map((v) => v.name),
    [0, x.bandwidth],
    { paddingInner: 0.1, paddingOuter: 0 },
  );
  const y = linearScale(niceDomain(Math.min(0, ...all), Math.max(0, ...all), 5), [frame.bottom, frame.top]);
  const bars = groups.flatMap((g) =>
    variants.map((v) => {
      const gap = value(v, g.task, g.key);
      if (!Number.isFinite(gap)) return '';
      const entry = v.scoreGap?.[g.task]?.[g.key];
      return barMark(
        {
          x: x(g.label) + inner(v.name),
          width: inner.bandwidth,
          y: y(gap),
          zero: y(0),
          title: `${v.name}, ${g.task}, ${g.key}: gap ${fixed(gap, 2)}% (warm ${fixed(entry?.warm ?? Number.NaN, 4)}, cold ${fixed(entry?.cold ?? Number.NaN, 4)})`,
          valueLabel: fixed(gap, 1),
        },
        { series: seriesOf(results, v), label: v.name },
      );
    }),
  );
  const svg = svgRoot(
    frame,
    'Warm/cold score gap ratio per task and label',
    axisX(
      frame,
      groups.map((g) => ({ at: x(g.label) + x.bandwidth / 2, label: g.label })),
      'task, label (+ positive, − negative)',
    ),
    axisY(
      frame,
      linearTicks(y, (v) => `${fixed(v, 0)}%`),
      'gap (warm − cold) / warm',
    ),
    referenceLine(frame, 'horizontal', y(0), ''),
    ...bars,
    legend(
      variants.map((v) => ({ series: seriesOf(results, v), label: v.name })),
      frame.left,
      18,
    ),
  );
  return figureHtml(
    'score-gap',
    svg,
    'Fig 2c/6c analogue: gap between the mean predicted score of warm and cold items with the same label, in % of the warm score. Positive: cold items are under-scored.',
  );
}
