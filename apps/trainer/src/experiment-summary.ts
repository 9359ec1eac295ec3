import { leakageReport, referenceScores, type SplitName, splitCounts } from '@thaw/data';
import { hitsAtK, rankingSet } from '@thaw/metrics';
import type { ModelSpec } from '@thaw/spec';
import { createTensor } from '@thaw/tensor';
import type { LoadedData } from './data-source.js';
import type { RowPredictions } from './predict-rows.js';
import {
  HITS_K,
  HITS_METRIC,
  type MetricSet,
  type ReferenceScorerResult,
  type ResultsFile,
  type SplitCounts,
} from './results.js';

/** The metrics of one trained seed (what {@link meanMetrics} averages). */
export interface SeedMetrics {
  readonly metrics: { fresh: MetricSet; all: MetricSet };
}

/** A variant's metrics: the mean over its seeds, per slice, metric and task. */
export function meanMetrics(outcomes: readonly SeedMetrics[]): { fresh: MetricSet; all: MetricSet } {
  const mean = (slice: 'fresh' | 'all', metric: keyof MetricSet) => {
    const first = outcomes[0]?.metrics[slice][metric] ?? {};
    return Object.fromEntries(
      Object.keys(first).map((task) => [
        task,
        outcomes.reduce((s, o) => s + (o.metrics[slice][metric][task] as number), 0) / outcomes.length,
      ]),
    );
  };
  const set = (slice: 'fresh' | 'all'): MetricSet => ({
    [HITS_METRIC]: mean(slice, HITS_METRIC),
    prAuc: mean(slice, 'prAuc'),
    rocAuc: mean(slice, 'rocAuc'),
    logLoss: mean(slice, 'logLoss'),
  });
  return { fresh: set('fresh'), all: set('all') };
}

/** Counts and the leakage check (positive rates of warm, cold and no-history candidates) of each window. */
export function splitSummary(data: LoadedData, coldDays: number): ResultsFile['split'] {
  const counts = splitCounts(data.frame, data.split, coldDays);
  const leakage = data.frame.itemHistory ? leakageReport(data.frame, data.split, coldDays) : undefined;
  const part = (name: SplitName): SplitCounts => {
    const c = counts[name];
    const l = leakage?.[name];
    return {
      requests: c.requests,
      impressions: c.impressions,
      positives: c.positives,
      freshItems: c.freshItems,
      freshImpressions: c.freshImpressions,
      ...(l
        ? { positiveRate: { warm: l.warm.positiveRate, cold: l.cold.positiveRate, noHistory: l.noHistory.positiveRate } }
        : {}),
    };
  };
  return { train: part('train'), calibration: part('calibration'), evaluation: part('eval') };
}

/** Hits@3 of the trivial reference scorers on the evaluation rows: could a shortcut win? */
export function referenceScorers(data: LoadedData, spec: ModelSpec, evaluation: RowPredictions): ReferenceScorerResult[] {
  if (!data.frame.itemHistory) return [];
  const scores = referenceScores(data.frame, 0);
  const descriptions = {
    random: 'uniform random scores (chance level)',
    popularity: 'prior positives of the item as of the impression',
    noHistoryFirst: 'items with no history ranked first (the leak detector)',
  } as const;
  const T = spec.tasks.length;
  const n = evaluation.rows.length;
  return (['random', 'popularity', 'noHistoryFirst'] as const).map((name) => {
    const column = scores[name];
    const s = Float32Array.from(evaluation.rows, (r) => column[r] as number);
    const set = rankingSet({
      requestId: evaluation.requestId,
      labels: createTensor('float32', evaluation.labels, [n, T]),
      scores: s,
      tasks: spec.tasks.map((t) => t.name),
      isCold: evaluation.isCold,
    });
    const hits = (slice: 'fresh' | 'all') =>
      Object.fromEntries(spec.tasks.map((t, i) => [t.name, hitsAtK(set, HITS_K, { task: i, slice })]));
    return {
      name,
      description: descriptions[name],
      metrics: { fresh: { [HITS_METRIC]: hits('fresh') }, all: { [HITS_METRIC]: hits('all') } },
    };
  });
}
