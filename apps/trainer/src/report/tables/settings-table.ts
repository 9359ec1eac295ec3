import type { ResultsFile } from '../../results.js';
import { count, duration } from '../format.js';
import { cell, type ReportTable } from './report-table.js';

/** The run's settings as a two-column table (data, spec and its hash, optimisation and loss weights, split, bootstrap, backend). */
export function settingsTable(results: ResultsFile): ReportTable {
  const s = results.settings;
  const entries: [string, string][] = [
    ['data', s.data],
    ['spec', `${s.spec} (hash ${s.specHash})`],
    ['seeds', s.seedsNote ? `${s.seeds} — ${s.seedsNote}` : String(s.seeds)],
    ['epochs', String(s.epochs)],
    ['batch size', count(s.batchSize)],
    ['learning rate', String(s.learningRate)],
    ['λ1 (Mixup loss weight, eq 11)', String(s.lambda1)],
    ['λ2 (ScoreReg MMD weight, eq 11)', String(s.lambda2)],
    ['α (Mixup λ ~ Beta(α, α), eq 7)', String(s.alpha)],
    ['fresh / cold threshold', `${s.coldDays} days`],
    ['k of Hits@k', String(s.k)],
    ['bootstrap resamples', count(s.bootstrapSamples)],
    ['backend', s.backend],
    ['created', results.createdAt],
    ['total time', duration(results.totalSeconds)],
    ['schema version', String(results.schemaVersion)],
  ];
  return {
    id: 'settings',
    title: 'Settings of this run',
    columns: [
      { label: 'setting', align: 'left' },
      { label: 'value', align: 'left' },
    ],
    rows: entries.map(([k, v]) => [cell(k), cell(v)]),
    notes: [],
  };
}
