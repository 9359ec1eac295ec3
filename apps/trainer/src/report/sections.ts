import type { ResultsFile, VariantResult } from '../results.js';
import { ablationFigure } from './figures/ablation-figure.js';
import { explainedVarianceFigure } from './figures/explained-variance-figure.js';
import { frontierFigure } from './figures/frontier-figure.js';
import { gradRatioFigure } from './figures/grad-ratio-figure.js';
import { scoreGapFigure } from './figures/score-gap-figure.js';
import { comparedPair, comparedVariant, missingReasons } from './lookup.js';
import { ablationSummary, explainedVarianceSummary, gradNormSummary, scoreGapSummary } from './tables/analysis-tables.js';
import { baselineTable } from './tables/baseline-table.js';
import { costTable } from './tables/cost-table.js';
import { frontierTable } from './tables/frontier-table.js';
import { leakageTable } from './tables/leakage-table.js';
import { liftTable } from './tables/lift-table.js';
import { biasTable, oracleTable } from './tables/oracle-table.js';
import { referenceTable } from './tables/reference-table.js';
import type { ReportTable } from './tables/report-table.js';
import { settingsTable } from './tables/settings-table.js';
import { splitTable } from './tables/split-table.js';
import { tuningTable } from './tables/tuning-table.js';

/** One section of the report, shared by the HTML and markdown renderers. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly tables: readonly ReportTable[];
  /** The section's charts as HTML (SVG); `''` when there are none. Only the HTML report calls it. */
  readonly charts: () => string;
  /** Why (part of) the section could not be shown, e.g. `the run has no "mixup" variant`. */
  readonly notComputed: readonly string[];
}

interface Analysis {
  readonly key: keyof typeof comparedVariant;
  readonly title: string;
  readonly field: string;
  readonly has: (v: VariantResult) => boolean;
  readonly figure: (results: ResultsFile, variants: readonly VariantResult[]) => string;
  readonly summary: (results: ResultsFile, variants: readonly VariantResult[]) => ReportTable;
}

const analyses: readonly Analysis[] = [
  {
    key: 'ablation',
    title: 'Feature importance: ΔPR-AUC distributions (Fig 2a, 6a)',
    field: 'ablation',
    has: (v) => (v.ablation?.features.length ?? 0) > 0,
    figure: ablationFigure,
    summary: ablationSummary,
  },
  {
    key: 'gradNormRatio',
    title: 'Gradient-norm ratio during training (Fig 2b, 6b)',
    field: 'gradient-norm ratio',
    has: (v) => (v.gradNormRatio?.length ?? 0) > 0,
    figure: gradRatioFigure,
    summary: gradNormSummary,
  },
  {
    key: 'scoreGap',
    title: 'Warm/cold score gaps (Fig 2c, 6c)',
    field: 'score gap',
    has: (v) => v.scoreGap !== undefined,
    figure: scoreGapFigure,
    summary: scoreGapSummary,
  },
  {
    key: 'explainedVariance',
    title: 'Representation rank: PCA explained variance (Fig 7)',
    field: 'explained variance',
    has: (v) => (v.explainedVariance?.ratio.length ?? 0) > 0,
    figure: explainedVarianceFigure,
    summary: explainedVarianceSummary,
  },
];

function analysisSection(results: ResultsFile, analysis: Analysis): ReportSection {
  const variants = comparedPair(results, analysis.key, analysis.has);
  const compared = comparedVariant[analysis.key];
  return {
    id: `analysis-${analysis.key}`,
    title: `${analysis.title}: ${results.baseline} vs ${compared}`,
    tables: variants.length > 0 ? [analysis.summary(results, variants)] : [],
    charts: () => (variants.length > 0 ? analysis.figure(results, variants) : ''),
    notComputed: missingReasons(results, analysis.key, analysis.has, analysis.field),
  };
}

/** The ground-truth section (simulated sources): the oracle table, the frontier placement and figure, the bias. */
function oracleSection(results: ResultsFile): ReportSection[] {
  const oracle = results.oracle;
  const table = oracleTable(results);
  const bias = biasTable(results);
  if (!oracle || !table || !bias) return [];
  return [
    {
      id: 'truth',
      title: "Against the simulator's ground truth: every retrieved candidate, and the fresh-boost frontier",
      tables: [
        table,
        frontierTable(
          results,
          oracle.frontier,
          'oracle-frontier',
          'Each variant against the fresh-boost frontier (oracle metrics)',
        ),
        bias,
      ],
      charts: () => frontierFigure(oracle.frontier, 'oracle-frontier', results.baseline),
      notComputed: [],
    },
  ];
}

/**
 * The report's sections in order: against the ground truth (simulated sources: the oracle table,
 * the fresh-boost frontier, the bias), then what an offline team would see — the logged Hits@3
 * frontier and the Table 1 analogue — the baseline against reference scorers, the data split with
 * its leakage check, cost, the four analyses (Fig 2a/6a, 2b/6b, 2c/6c, 7) and the settings.
 */
export function reportSections(results: ResultsFile): ReportSection[] {
  const leakage = leakageTable(results);
  const none = () => '';
  const logged = results.loggedFrontier;
  return [
    ...oracleSection(results),
    {
      id: 'lift',
      title: `Logged ${results.settings.k === 3 ? 'Hits@3' : `Hits@${results.settings.k}`}: what an offline team would see (Table 1 analogue and its fresh-boost frontier)`,
      tables: [
        liftTable(results),
        ...(logged
          ? [
              frontierTable(
                results,
                logged,
                'logged-frontier',
                'Each variant against the fresh-boost frontier (logged Hits@3 of the first task)',
              ),
            ]
          : []),
      ],
      charts: () => (logged ? frontierFigure(logged, 'logged-frontier', results.baseline) : ''),
      notComputed: [],
    },
    {
      id: 'reference',
      title: 'Baseline and reference scorers',
      tables: [referenceTable(results), baselineTable(results)],
      charts: none,
      notComputed: [],
    },
    {
      id: 'data',
      title: 'Data split and leakage check',
      tables: leakage ? [splitTable(results), leakage] : [splitTable(results)],
      charts: none,
      notComputed: leakage
        ? []
        : ['positive rates of warm, cold and no-history candidates: results.json has no split.*.positiveRate'],
    },
    { id: 'cost', title: 'Cost', tables: [costTable(results)], charts: none, notComputed: [] },
    ...analyses.map((a) => analysisSection(results, a)),
    {
      id: 'settings',
      title: 'Settings',
      tables: [...(tuningTable(results) ? [tuningTable(results) as ReportTable] : []), settingsTable(results)],
      charts: none,
      notComputed: [],
    },
  ];
}
