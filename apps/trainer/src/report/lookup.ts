import type { ResultsFile, VariantResult } from '../results.js';
import type { TableColumn } from './tables/report-table.js';

/** The two evaluation slices of Table 1, in the paper's order. */
export const slices = ['fresh', 'all'] as const;
/** One evaluation slice. */
export type Slice = (typeof slices)[number];

/**
 * The variant a figure compares with the baseline (paper Fig 2/6/7): Residual for feature
 * importance and gradients, ScoreReg for score gaps, Mixup for representation rank.
 */
export const comparedVariant = {
  ablation: 'residual',
  gradNormRatio: 'residual',
  scoreGap: 'scorereg',
  explainedVariance: 'mixup',
} as const;

/** The variant named `name`, or `undefined`. */
export function findVariant(results: ResultsFile, name: string): VariantResult | undefined {
  return results.variants.find((v) => v.name === name);
}

/** The baseline variant (`results.baseline`); throws naming the variants present when it is missing. */
export function baselineVariant(results: ResultsFile): VariantResult {
  const found = findVariant(results, results.baseline);
  if (!found) {
    const names = results.variants.map((v) => v.name).join(', ') || 'none';
    throw new RangeError(`results.baseline names variant "${results.baseline}" but results.variants has only: ${names}`);
  }
  return found;
}

/** The ranking metric's display name, from `settings.k` (`Hits@3`). */
export function hitsLabel(results: ResultsFile): string {
  return `Hits@${results.settings.k}`;
}

/** The header group of a slice: `fresh items (< 28 d)` or `all items`. */
export function sliceLabel(results: ResultsFile, slice: Slice): string {
  return slice === 'fresh' ? `fresh items (< ${results.settings.coldDays} d)` : 'all items';
}

/** One right-aligned column per slice × task, grouped by slice (the layout of Table 1). */
export function sliceTaskColumns(results: ResultsFile): TableColumn[] {
  return slices.flatMap((slice) =>
    results.tasks.map((task) => ({ label: task, group: sliceLabel(results, slice), align: 'right' as const })),
  );
}

/** Calls `f` for each slice × task in column order and collects the results. */
export function mapSliceTasks<T>(results: ResultsFile, f: (slice: Slice, task: string) => T): T[] {
  return slices.flatMap((slice) => results.tasks.map((task) => f(slice, task)));
}

/**
 * The baseline and the variant an analysis compares it with (see {@link comparedVariant}), keeping
 * only those present that carry the analysis (`has`).
 */
export function comparedPair(
  results: ResultsFile,
  analysis: keyof typeof comparedVariant,
  has: (v: VariantResult) => boolean,
): VariantResult[] {
  const pair = [baselineVariant(results), findVariant(results, comparedVariant[analysis])];
  return pair.filter((v): v is VariantResult => v !== undefined && has(v));
}

/**
 * Why the baseline and/or the compared variant of an analysis cannot be drawn: one phrase per
 * missing variant or missing analysis, `[]` when both are there.
 *
 * @example missingReasons(results, 'ablation', (v) => v.ablation !== undefined, 'ablation')
 * // ['the run has no "residual" variant']
 */
export function missingReasons(
  results: ResultsFile,
  analysis: keyof typeof comparedVariant,
  has: (v: VariantResult) => boolean,
  field: string,
): string[] {
  const reasons: string[] = [];
  const baseline = baselineVariant(results);
  if (!has(baseline)) reasons.push(`"${baseline.name}" has no ${field} in results.json`);
  const name = comparedVariant[analysis];
  const compared = findVariant(results, name);
  if (!compared) reasons.push(`the run has no "${name}" variant`);
  else if (!has(compared)) reasons.push(`"${name}" has no ${field} in results.json`);
  return reasons;
}
