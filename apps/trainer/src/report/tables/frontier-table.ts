import type { Difference, FrontierResultFile, ResultsFile } from '../../results.js';
import { fixed, interval, signed } from '../format.js';
import { cell, type ReportTable, type TableCell } from './report-table.js';

const pts = (d: Difference): TableCell =>
  cell(signed(100 * d.value, 2), {
    strong: d.significant,
    ...(d.significant ? { marker: '*' } : {}),
    details: [interval([100 * d.ci95[0], 100 * d.ci95[1]], 2)],
    title: `p = ${d.p.toPrecision(2)}`,
  });

const VERDICT = {
  above: 'above: warmer for less',
  below: 'below: the boost is better',
  on: 'on the frontier',
  tradeoff: 'trade-off (match off)',
  colder: 'colder, more accurate',
} as const;
const MATCH = { matched: '', peak: ' (peak)', end: ' (end)' } as const;

/**
 * Every variant against a fresh-boost frontier, by both matching rules: the baseline boost
 * matched on the calibration window to the variant's fresh-items metric (primary: the all-items
 * difference at equal warmth decides) and to its all-items metric (as first declared: the
 * fresh-items difference decides), each compared on the evaluation window with its interval and
 * verdict.
 */
export function frontierTable(results: ResultsFile, frontier: FrontierResultFile, id: string, title: string): ReportTable {
  const fresh = 'matched on fresh (primary)';
  const all = 'matched on all items (as declared)';
  return {
    id,
    title,
    columns: [
      { label: 'variant', align: 'left' },
      { label: 'variant all / fresh', align: 'right' },
      { label: 'boost', group: fresh, align: 'right' },
      { label: 'Δ all (pts)', group: fresh, align: 'right' },
      { label: 'Δ fresh', group: fresh, align: 'right' },
      { label: 'verdict', group: fresh, align: 'left' },
      { label: 'boost', group: all, align: 'right' },
      { label: 'Δ fresh (pts)', group: all, align: 'right' },
      { label: 'Δ all', group: all, align: 'right' },
      { label: 'verdict', group: all, align: 'left' },
    ],
    rows: frontier.placements.map((p) => [
      cell(p.variant, { title: `calibration all ${fixed(p.calibration.all, 4)}, fresh ${fixed(p.calibration.fresh, 4)}` }),
      cell(`${fixed(p.freshMatched.evaluation.variant.all, 4)} / ${fixed(p.freshMatched.evaluation.variant.fresh, 4)}`),
      cell(`${signed(p.freshMatched.boost, 2)}${MATCH[p.freshMatched.match]}`, {
        title: `boosted ${results.baseline}: all ${fixed(p.freshMatched.evaluation.boosted.all, 4)}, fresh ${fixed(p.freshMatched.evaluation.boosted.fresh, 4)}`,
      }),
      pts(p.freshMatched.allDifference),
      pts(p.freshMatched.freshDifference),
      cell(VERDICT[p.freshMatched.verdict], p.freshMatched.verdict === 'above' ? { strong: true } : {}),
      cell(`${signed(p.allMatched.boost, 2)}${MATCH[p.allMatched.match]}`, {
        title: `boosted ${results.baseline}: all ${fixed(p.allMatched.evaluation.boosted.all, 4)}, fresh ${fixed(p.allMatched.evaluation.boosted.fresh, 4)}`,
      }),
      pts(p.allMatched.freshDifference),
      pts(p.allMatched.allDifference),
      cell(VERDICT[p.allMatched.verdict], p.allMatched.verdict === 'above' ? { strong: true } : {}),
    ]),
    notes: [
      `Metrics: ${frontier.metric.all} (all) and ${frontier.metric.fresh} (fresh), on the evaluation window, means over seeds. The reference is the heuristic every production team has: ${results.baseline} with a constant boost added to every task logit of cold candidates, ranked by eq 12.`,
      `Each boost is chosen on the calibration window only, then ${results.baseline} + boost and the variant are compared on evaluation, seed k with seed k, users resampled (Δ = variant − boosted ${results.baseline}, points, 95% interval beneath; * = the interval excludes 0).`,
      'Matched on fresh (primary): the boost with the variant’s fresh-items metric on calibration; at that warmth, Δ all decides — above: Δ all > 0 ("warmer for less"); below: the boost ranks all items better; colder: the variant is colder than the boost that maximises all-items quality (peak) but ranks all items better than it — outside the frontier, not warmer (a variant colder than the peak that does not rank all items better is below: the peak boost is warmer at no all-items cost); on: not distinguishable; trade-off: Δ all and Δ fresh significant with opposite signs.',
      'Matched on all items (the rule first declared): the boost with the variant’s all-items metric; Δ fresh decides. The all-items curve is flat at its peak, where most variants sit, so this match often misses on evaluation (Δ all significant: trade-off); shown as declared.',
    ],
  };
}
