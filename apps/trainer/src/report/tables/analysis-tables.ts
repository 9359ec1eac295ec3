import type { ResultsFile, VariantResult } from '../../results.js';
import { count, fixed, percent } from '../format.js';
import { cell, labelledColumns, type ReportTable, type TableCell } from './report-table.js';

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Summary of Fig 2a/6a: per variant and task, the ΔPR-AUC ratio (remove all non-historical /
 * remove all historical, in %) and the mean per-feature ΔPR-AUC of each group (more negative =
 * more important).
 */
export function ablationSummary(results: ResultsFile, variants: readonly VariantResult[]): ReportTable {
  const rows = variants.flatMap((v) =>
    results.tasks.map((task): TableCell[] => {
      const features = v.ablation?.features ?? [];
      const groupMean = (group: string) => {
        const deltas = features.filter((f) => f.group === group).map((f) => f.deltaPrAuc[task] ?? Number.NaN);
        return deltas.length ? fixed(mean(deltas), 4) : 'n/a';
      };
      return [
        cell(`${v.name} · ${task}`),
        cell(percent(v.ablation?.ratio[task] ?? Number.NaN, 1)),
        cell(groupMean('nonHistorical')),
        cell(groupMean('historical')),
      ];
    }),
  );
  return {
    id: 'ablation-summary',
    title: 'Feature ablation (Fig 2a, 6a): ΔPR-AUC when features are removed',
    columns: labelledColumns(['variant · task', 'ratio non-hist / hist', 'mean Δ non-hist', 'mean Δ hist']),
    rows,
    notes: [
      'Ratio = ΔPR-AUC(remove all non-historical) / ΔPR-AUC(remove all historical); well below 100% means the model leans on history.',
    ],
  };
}

/** Summary of Fig 2b/6b: first, last and mean gradient-norm ratio (non-historical / historical) per variant. */
export function gradNormSummary(_results: ResultsFile, variants: readonly VariantResult[]): ReportTable {
  return {
    id: 'grad-summary',
    title: 'Gradient-norm ratio non-historical / historical during training (Fig 2b, 6b)',
    columns: labelledColumns(['variant', 'steps logged', 'first', 'last', 'mean']),
    rows: variants.map((v) => {
      const ratios = (v.gradNormRatio ?? []).map(([, r]) => r);
      return [
        cell(v.name),
        cell(count(ratios.length)),
        cell(fixed(ratios[0] ?? Number.NaN, 3)),
        cell(fixed(ratios.at(-1) ?? Number.NaN, 3)),
        cell(fixed(mean(ratios), 3)),
      ];
    }),
    notes: ['Below 1: updates are dominated by historical features.'],
  };
}

/** Summary of Fig 2c/6c: warm/cold score gap ratio per task and label, baseline against ScoreReg. */
export function scoreGapSummary(results: ResultsFile, variants: readonly VariantResult[]): ReportTable {
  const rows = results.tasks.flatMap((task) =>
    (['positive', 'negative'] as const).map((label): TableCell[] => [
      cell(`${task} · ${label}`),
      ...variants.map((v) => {
        const entry = v.scoreGap?.[task]?.[label];
        return entry
          ? cell(percent(entry.gapRatio, 2), { details: [`warm ${fixed(entry.warm, 4)} / cold ${fixed(entry.cold, 4)}`] })
          : cell('n/a');
      }),
    ]),
  );
  return {
    id: 'score-gap-summary',
    title: 'Warm/cold mean-score gap ratio (warm − cold) / warm (Fig 2c, 6c)',
    columns: labelledColumns(['task · label', ...variants.map((v) => v.name)]),
    rows,
    notes: ['Positive: the model scores warm items higher than cold ones with the same label.'],
  };
}

/** Summary of Fig 7: effective rank, components needed for 90% of the variance, first component's share. */
export function explainedVarianceSummary(_results: ResultsFile, variants: readonly VariantResult[]): ReportTable {
  return {
    id: 'variance-summary',
    title: 'Representation rank: PCA of z̄ on evaluation rows (Fig 7)',
    columns: labelledColumns(['variant', 'effective rank', 'components for 90%', 'first component']),
    rows: variants.map((v) => {
      const ev = v.explainedVariance;
      const k90 = ev ? ev.cumulative.findIndex((c) => c >= 0.9) + 1 : 0;
      return [
        cell(v.name),
        cell(fixed(ev?.effectiveRank ?? Number.NaN, 2)),
        cell(k90 > 0 ? String(k90) : `> ${ev?.cumulative.length ?? 0}`),
        cell(percent(ev?.ratio[0] ?? Number.NaN, 1)),
      ];
    }),
    notes: ['Higher effective rank: the representation uses more directions (less collapsed).'],
  };
}
