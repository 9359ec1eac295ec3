import type { ModelSpec } from '@thaw/spec';
import { HITS_METRIC, type MetricSet } from '../results.js';

/** A small fixed-width table of fresh/all metrics per task for the terminal. */
export function formatMetrics(spec: ModelSpec, metrics: { fresh: MetricSet; all: MetricSet }): string {
  const names = [HITS_METRIC, 'prAuc', 'rocAuc', 'logLoss'] as const;
  const header = ['slice', 'task', ...names].map((h, i) => (i < 2 ? h.padEnd(i === 0 ? 6 : 12) : h.padStart(8))).join(' ');
  const lines = [header];
  for (const slice of ['fresh', 'all'] as const) {
    for (const task of spec.tasks) {
      const cells = names.map((m) => (metrics[slice][m][task.name] as number).toFixed(4).padStart(8));
      lines.push([slice.padEnd(6), task.name.padEnd(12), ...cells].join(' '));
    }
  }
  return lines.join('\n');
}
