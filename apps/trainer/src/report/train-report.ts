import { type SplitCounts, type SplitName, splitCounts } from '@thaw/data';
import { countParameters, type ModelSpec, parameterOverhead } from '@thaw/spec';
import type { PlattFit } from '../calibration.js';
import type { LoadedData } from '../data-source.js';
import { HITS_METRIC, type MetricSet } from '../results.js';
import type { RunSummary } from '../train-run.js';
import { escapeMarkdownCell } from './escape.js';
import { count, duration } from './format.js';

/** What `thaw-train train` knows when it writes `report.md`. */
export interface TrainReportInput {
  readonly spec: ModelSpec;
  readonly variant: string;
  readonly data: LoadedData;
  readonly summary: RunSummary;
  readonly metrics: { readonly fresh: MetricSet; readonly all: MetricSet };
  readonly backend: string;
  readonly createdAt: string;
}

const row = (cells: readonly (string | number)[]) => `| ${cells.map((c) => escapeMarkdownCell(String(c))).join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
const fixed = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');

function splitTable(counts: Record<SplitName, SplitCounts>, tasks: readonly string[]): string {
  return table(
    ['window', 'from', 'to', 'requests', 'impressions', 'fresh impressions', ...tasks.map((t) => `${t} positives`)],
    (['train', 'calibration', 'eval'] as const).map((name) => {
      const c = counts[name];
      return [
        name,
        c.window ? iso(c.window.start) : '',
        c.window ? iso(c.window.end) : '',
        count(c.requests),
        count(c.impressions),
        count(c.freshImpressions),
        ...tasks.map((t) => count(c.positives[t] ?? 0)),
      ];
    }),
  );
}

function calibrationTable(spec: ModelSpec, calibration: readonly PlattFit[]): string {
  return table(
    ['task', 'a (slope)', 'b (offset)', 'note'],
    spec.tasks.map((task, t) => {
      const fit = calibration[t] ?? { a: 1, b: 0 };
      return [task.name, fixed(fit.a), fixed(fit.b), fit.note ?? ''];
    }),
  );
}

function metricsTable(spec: ModelSpec, metrics: TrainReportInput['metrics']): string {
  const names = [HITS_METRIC, 'prAuc', 'rocAuc', 'logLoss'] as const;
  return table(
    ['slice', 'task', ...names],
    (['fresh', 'all'] as const).flatMap((slice) =>
      spec.tasks.map((task) => [slice, task.name, ...names.map((m) => fixed(metrics[slice][m][task.name] ?? Number.NaN))]),
    ),
  );
}

/**
 * Renders the report `thaw-train train` writes beside the artifacts (`report.md`): the data and
 * its split, the model (features by group, parameters, the techniques on), training (steps,
 * throughput, final loss terms), the calibration per task (with any fallback to the identity) and
 * the metrics on the evaluation window — one model, so no lift: `thaw-train experiment` compares
 * variants against a baseline with intervals.
 *
 * @example
 * await writeFileAtomic(join(out, 'report.md'), renderTrainReportMarkdown({ spec, variant, data, summary, metrics, backend, createdAt }));
 */
export function renderTrainReportMarkdown(input: TrainReportInput): string {
  const { spec, variant, data, summary, metrics } = input;
  const tasks = spec.tasks.map((t) => t.name);
  const parameters = countParameters(spec);
  const overhead = parameterOverhead(spec);
  const group = (g: 'historical' | 'nonHistorical') =>
    spec.features
      .filter((f) => f.group === g)
      .map((f) => f.name)
      .join(', ') || '(none)';
  const on = Object.entries(spec.coldStart)
    .filter(([, v]) => typeof v === 'object' && v !== null && (v as { enabled?: boolean }).enabled === true)
    .map(([k]) => k);
  if (spec.architecture.residual.enabled) on.unshift('residual');
  const loss = Object.entries(summary.finalLoss)
    .map(([k, v]) => `${k} ${fixed(v)}`)
    .join(', ');
  const lines = [
    `# thaw-train report: ${spec.name} / ${variant} (seed ${summary.seed})`,
    '',
    escapeMarkdownCell(`data ${data.name} · tasks ${tasks.join(', ')} · backend ${input.backend} · created ${input.createdAt}`),
    '',
    '> One trained model: its metrics on the evaluation window, not a comparison. To see whether a technique helps fresh items, ' +
      'run `thaw-train experiment` on the same data: it trains a baseline and each variant with several seeds and reports lifts with intervals.',
    '',
    '## Data',
    '',
    `Requests are split in time: train, then calibration (Platt scaling), then evaluation. Fresh = item younger than ${spec.coldStart.coldDays} days at the impression.`,
    '',
    splitTable(splitCounts(data.frame, data.split, spec.coldStart.coldDays), tasks),
    '',
    '## Model',
    '',
    table(
      ['', ''],
      [
        ['historical features', group('historical')],
        ['non-historical features', group('nonHistorical')],
        ['techniques on', on.join(', ') || 'none (baseline)'],
        ['parameters', `${count(parameters.total)} (${count(parameters.dense)} dense)`],
        [
          'Residual adds',
          spec.architecture.residual.enabled
            ? `${count(overhead.residual.parameters)} (+${fixed(overhead.residual.percentOfDense, 2)}% dense)`
            : 'off',
        ],
      ],
    ),
    '',
    '## Training',
    '',
    table(
      ['steps', 'examples', 'time', 'examples/s', 'resumed from step', 'mean loss terms, last 10% of steps'],
      [
        [
          count(summary.steps),
          count(summary.examples),
          duration(summary.trainSeconds),
          count(Math.round(summary.examplesPerSecond)),
          summary.resumedFrom,
          loss,
        ],
      ],
    ),
    '',
    '## Calibration',
    '',
    'Platt scaling per task, `p = σ(a·logit + b)`, fitted on the calibration window and folded into `model.onnx`. A fit that would ' +
      'reverse the ranking (a ≤ 0) or has a single-class window keeps the identity (a = 1, b = 0).',
    '',
    calibrationTable(spec, summary.calibration),
    '',
    '## Evaluation',
    '',
    `On the evaluation window: ${HITS_METRIC} per request (eq 12 ranking; fresh = fresh positives among all candidates), and PR-AUC, ROC-AUC, log loss of the calibrated probabilities.`,
    '',
    metricsTable(spec, metrics),
  ];
  return `${lines.join('\n')}\n`;
}
