import type { ResultsFile, VariantResult } from '../../results.js';
import { axisX, axisY, linearTicks, referenceLine } from '../chart/axis.js';
import { bandScale } from '../chart/band-scale.js';
import { boxMark, boxStats } from '../chart/box.js';
import { chartFrame, svgRoot } from '../chart/frame.js';
import { linearScale } from '../chart/linear-scale.js';
import { pointMarks } from '../chart/points.js';
import { element, text } from '../chart/svg.js';
import { niceDomain } from '../chart/ticks.js';
import { fixed, percent } from '../format.js';
import { figureHtml, seriesOf } from './figure.js';

const groups = [
  ['nonHistorical', 'non-historical'],
  ['historical', 'historical'],
] as const;

/** Deterministic jitter in [0, 1): the fractional part of i·φ (golden-ratio sequence, no randomness). */
const jitter = (i: number) => (i * 0.6180339887) % 1;

function panel(results: ResultsFile, variants: readonly VariantResult[], task: string, group: (typeof groups)[number]): string {
  const [key, groupLabel] = group;
  const rows = variants.map((v) => ({
    v,
    features: (v.ablation?.features ?? []).filter((f) => f.group === key && Number.isFinite(f.deltaPrAuc[task])),
  }));
  const deltas = rows.flatMap((r) => r.features.map((f) => f.deltaPrAuc[task] as number));
  const featureCount = Math.max(...rows.map((r) => r.features.length));
  const left = 24 + 7 * Math.max(...variants.map((v) => v.name.length));
  const frame = chartFrame(540, 60 + rows.length * 44, { top: 28, right: 20, bottom: 40, left });
  const x = linearScale(niceDomain(Math.min(0, ...deltas), Math.max(0, ...deltas), 5), [frame.left, frame.right]);
  const y = bandScale(
    rows.map((r) => r.v.name),
    [frame.top, frame.bottom],
    { paddingInner: 0.25, paddingOuter: 0.15 },
  );
  const format = (v: number) => fixed(v, 4);
  const body = rows.map(({ v, features }) => {
    if (features.length === 0) return '';
    const values = features.map((f) => f.deltaPrAuc[task] as number);
    const series = seriesOf(results, v);
    const top = y(v.name);
    const label = `${v.name} · ${groupLabel}`;
    const box = boxMark(
      boxStats(values),
      x,
      { y: top + y.bandwidth * 0.2, height: y.bandwidth * 0.6 },
      { series, label, format },
    );
    const points = pointMarks(
      features.map((f, i) => ({
        x: x(f.deltaPrAuc[task] as number),
        y: top + y.bandwidth * (0.1 + 0.8 * jitter(i + 1)),
        title: `${f.name}: ΔPR-AUC ${format(f.deltaPrAuc[task] as number)}`,
      })),
      { series, label, radius: 3 },
    );
    return box + points;
  });
  const title = `${groupLabel} features (${featureCount})`;
  return svgRoot(
    frame,
    `ΔPR-AUC per removed ${groupLabel} feature, ${task}`,
    element('text', { class: 'panel-title', x: frame.left, y: 16 }, text(title)),
    axisX(frame, linearTicks(x, format, 5), `ΔPR-AUC when one ${groupLabel} feature is removed`, { grid: true }),
    axisY(
      frame,
      rows.map((r) => ({ at: y(r.v.name) + y.bandwidth / 2, label: r.v.name })),
      '',
      { grid: false },
    ),
    referenceLine(frame, 'vertical', x(0), ''),
    ...body,
  );
}

function taskFigure(results: ResultsFile, variants: readonly VariantResult[], task: string): string {
  const ratios = variants.map((v) => `${v.name} ${percent(v.ablation?.ratio[task] ?? Number.NaN, 1)}`).join(', ');
  return figureHtml(
    `ablation-${task}`,
    `<div class="panels">${groups.map((g) => panel(results, variants, task, g)).join('')}</div>`,
    `Fig 2a/6a analogue, ${task}: ΔPR-AUC = PR-AUC with the feature removed − PR-AUC intact, one point per feature (box: quartiles, whiskers: min–max); ` +
      `more negative = more important; each panel has its own scale. ΔPR-AUC ratio non-historical / historical: ${ratios}.`,
  );
}

/**
 * Fig 2a/6a: per task, the distribution of per-feature ΔPR-AUC of non-historical and historical
 * features for the given variants (baseline and Residual) as strip + box plots, one panel per
 * feature group so the small non-historical deltas are not flattened by the historical ones.
 */
export function ablationFigure(results: ResultsFile, variants: readonly VariantResult[]): string {
  return results.tasks.map((task) => taskFigure(results, variants, task)).join('\n');
}
