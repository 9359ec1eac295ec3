/**
 * The report of `thaw-train experiment`: `report.html` (self-contained, inline SVG charts),
 * `report.md` and the plain-text lift table printed by the CLI, all rendered from `results.json`
 * (`ResultsFile`). The chart primitives and table model are exported for reuse and tests.
 */
export { axisX, axisY, linearTicks, referenceLine, type Tick } from './chart/axis.js';
export { type BandScale, bandScale } from './chart/band-scale.js';
export { type BarDatum, barMark } from './chart/bars.js';
export { type BoxStats, boxMark, boxStats, quantile } from './chart/box.js';
export { chartFrame, type Frame, type Margin, svgRoot } from './chart/frame.js';
export { type LegendItem, legend } from './chart/legend.js';
export { lineMark } from './chart/line.js';
export { type LinearScale, linearScale } from './chart/linear-scale.js';
export { type PointDatum, pointMarks } from './chart/points.js';
export { type Attributes, element, px, text, tooltip } from './chart/svg.js';
export { niceDomain, niceTicks, tickStep } from './chart/ticks.js';
export { escapeHtml, escapeMarkdownCell } from './escape.js';
export { ablationFigure } from './figures/ablation-figure.js';
export { explainedVarianceFigure } from './figures/explained-variance-figure.js';
export { figureHtml, notComputedHtml, seriesOf } from './figures/figure.js';
export { gradRatioFigure } from './figures/grad-ratio-figure.js';
export { scoreGapFigure } from './figures/score-gap-figure.js';
export { count, duration, fixed, interval, percent, signed, spread } from './format.js';
export {
  baselineVariant,
  comparedPair,
  comparedVariant,
  findVariant,
  hitsLabel,
  mapSliceTasks,
  missingReasons,
  type Slice,
  sliceLabel,
  slices,
  sliceTaskColumns,
} from './lookup.js';
export { renderReportHtml } from './render-html.js';
export { renderLiftTable } from './render-lift-table.js';
export { renderReportMarkdown } from './render-markdown.js';
export { type ReportSection, reportSections } from './sections.js';
export { reportCss } from './styles.js';
export { ablationSummary, explainedVarianceSummary, gradNormSummary, scoreGapSummary } from './tables/analysis-tables.js';
export { baselineTable } from './tables/baseline-table.js';
export { costTable } from './tables/cost-table.js';
export { renderTableHtml } from './tables/html-table.js';
export { leakageTable } from './tables/leakage-table.js';
export { liftTable } from './tables/lift-table.js';
export { renderTableMarkdown } from './tables/markdown-table.js';
export { referenceTable, type ShortcutWin, shortcutVerdict, shortcutWins } from './tables/reference-table.js';
export {
  cell,
  columnGroups,
  labelledColumns,
  type ReportTable,
  type TableCell,
  type TableColumn,
} from './tables/report-table.js';
export { settingsTable } from './tables/settings-table.js';
export { splitTable, splitWindows } from './tables/split-table.js';
export { renderTableText } from './tables/text-table.js';
