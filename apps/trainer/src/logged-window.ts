import type { FeatureFrame } from '@thaw/data';
import { hitsAtKPerRequest, type PerRequestValues, type RankingSet, rankingSet } from '@thaw/metrics';
import type { ModelSpec } from '@thaw/spec';
import { createTensor } from '@thaw/tensor';
import type { RowPredictions } from './predict-rows.js';
import { HITS_K } from './results.js';

/**
 * Logged impressions of one window (calibration or evaluation) as a ranking problem for any
 * ranker: Hits@3 of one task on all items and on fresh items, per request — what an offline team
 * with logs only would see. Works for every data source (simulated, MovieLens, CSV).
 */
export class LoggedWindow {
  private readonly set: RankingSet;
  /** User of each request, in the set's request order (the bootstrap's cluster). */
  readonly clusters: Int32Array;

  constructor(
    readonly spec: ModelSpec,
    frame: FeatureFrame,
    /** Any model's predictions on the window: their row order and labels define the window. */
    readonly predictions: RowPredictions,
    /** The task whose Hits@3 is measured (spec order; default the first). */
    readonly task = 0,
  ) {
    const n = predictions.rows.length;
    this.set = rankingSet({
      requestId: predictions.requestId,
      labels: createTensor('float32', predictions.labels, [n, predictions.taskCount]),
      scores: new Float64Array(n),
      tasks: spec.tasks.map((t) => t.name),
      isCold: predictions.isCold,
    });
    const set = this.set;
    this.clusters = Int32Array.from(
      set.requestIds,
      (_, r) => frame.userId[predictions.rows[set.order[set.offsets[r] as number] as number] as number] as number,
    );
  }

  /** The metric names, e.g. `logged Hits@3 grid_click (all items)`. */
  get metric(): { all: string; fresh: string } {
    const name = this.spec.tasks[this.task]?.name ?? String(this.task);
    return { all: `logged Hits@3 ${name}, all items`, fresh: `logged Hits@3 ${name}, fresh items` };
  }

  /** Hits@3 of the task on all items and on fresh items, per request, for per-row scores in this window's order. */
  evaluate(scores: Float64Array): { all: PerRequestValues; fresh: PerRequestValues } {
    const set: RankingSet = { ...this.set, scores: { data: scores, offset: 0, stride: 1, length: scores.length } };
    return {
      all: hitsAtKPerRequest(set, HITS_K, { task: this.task, slice: 'all' }),
      fresh: hitsAtKPerRequest(set, HITS_K, { task: this.task, slice: 'fresh' }),
    };
  }

  /** Checks that other predictions cover the same rows in the same order. */
  sameRows(other: RowPredictions): boolean {
    return other.rows.length === this.predictions.rows.length && other.rows.every((row, i) => row === this.predictions.rows[i]);
  }
}
