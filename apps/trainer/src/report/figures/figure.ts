import type { ResultsFile, VariantResult } from '../../results.js';
import { escapeHtml } from '../escape.js';

/**
 * One chart of the report as `<figure data-chart="id">` with its SVG and caption. The browser
 * test finds every chart by `data-chart` and counts its `[data-mark]` elements.
 */
export function figureHtml(id: string, svg: string, caption: string): string {
  return `<figure data-chart="${escapeHtml(id)}">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/**
 * A visible "not computed" note standing in for a chart or table whose data is missing from
 * results.json, listing why (`reasons`, joined with `; `).
 *
 * @example notComputedHtml('analysis-scoreGap', ['the run has no "scorereg" variant'])
 */
export function notComputedHtml(id: string, reasons: readonly string[]): string {
  return `<p class="not-computed" data-not-computed="${escapeHtml(id)}"><strong>Not computed:</strong> ${escapeHtml(reasons.join('; '))}.</p>`;
}

/** Series colour index of a variant: 0 for the baseline, 1 for the variant compared with it. */
export function seriesOf(results: ResultsFile, variant: VariantResult): number {
  return variant.name === results.baseline ? 0 : 1;
}
