import type { Difference, FrontierResultFile, ResultsFile } from '../../results.js';
import { fixed, interval, signed } from '../format.js';
import { cell, labelledColumns, type ReportTable, type TableCell } from './report-table.js';

const pts = (d: Difference): TableCell =>
  cell(signed(100 * d.value, 2), {
    strong: d.significant,
    ...(d.significant ? { marker: '*' } : {}),
    details: [interval([100 * d.ci95[0], 100 * d.ci95[1]], 2)],
    title: `p = ${d.p.toPrecision(2)}`,
  });

const VERDICT = {
  above: 'above: warmer for less',
  below: 'below: the boost is warmer',
  on: 'on the frontier',
  tradeoff: 'trade-off (match off)',
} as const;
const MATCH = { matched: '', above: ' (≥ every boost)', below: ' (< every boost)' } as const;

/**
 * Every variant against a fresh-boost frontier: the baseline boost matched to the variant's
 * all-items metric on the calibration window, both rankers on the evaluation window, and the
 * variant − boosted-baseline differences with their intervals, and the verdict.
 */
export function frontierTable(results: ResultsFile, frontier: FrontierResultFile, id: string, title: string): ReportTable {
  return {
    id,
    title,
    columns: labelledColumns([
      'variant',
      'matched boost (logits)',
      'variant all / fresh',
      `${results.baseline} + boost all / fresh`,
      'Δ fresh (pts)',
      'Δ all (pts)',
      'verdict',
    ]),
    rows: frontier.placements.map((p) => [
      cell(p.variant),
      cell(`${signed(p.boost, 2)}${MATCH[p.match]}`, { title: `calibration all-items metric ${fixed(p.calibrationAll, 4)}` }),
      cell(`${fixed(p.evaluation.variant.all, 4)} / ${fixed(p.evaluation.variant.fresh, 4)}`),
      cell(`${fixed(p.evaluation.boosted.all, 4)} / ${fixed(p.evaluation.boosted.fresh, 4)}`),
      pts(p.freshDifference),
      pts(p.allDifference),
      cell(VERDICT[p.verdict], p.verdict === 'above' ? { strong: true } : {}),
    ]),
    notes: [
      `Metrics: ${frontier.metric.all} (all) and ${frontier.metric.fresh} (fresh). The reference is the heuristic every production team has: ${results.baseline} with a constant boost added to every task logit of cold candidates, ranked by eq 12.`,
      `For each variant the boost is chosen on the calibration window only — the boost at which the boosted ${results.baseline} has the variant's all-items metric there (the falling branch of the curve; interpolated) — then both are compared on the evaluation window, seed k with seed k, users resampled.`,
      'above: more fresh-items metric than the boost at the same all-items cost (Δ fresh > 0, interval excludes 0, Δ all not significantly negative) — "warmer for less". below: the boost is warmer at that cost. on: no significant fresh difference. trade-off: significantly better on one metric and worse on the other — the calibration match did not hold on evaluation, so no verdict.',
    ],
  };
}
