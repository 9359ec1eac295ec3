import type { Slice } from './ranking-options.js';

/** One cell of a {@link sliceBy} table: the slice and the task to compute. */
export interface SliceCell {
  readonly slice: Slice;
  readonly task: number | string;
}

/** Options of {@link sliceBy}. */
export interface SliceByOptions<S extends Slice> {
  /** Tasks, by name or index (e.g. `spec.tasks.map((t) => t.name)`). */
  readonly tasks: readonly (number | string)[];
  /** Slices, in column order (default `['fresh', 'all']`, as in Table 1). */
  readonly slices?: readonly S[];
}

/**
 * Computes one value per (slice, task) — one row of the paper's Table 1 (fresh / all ×
 * grid-click / save) — with any per-cell computation: a metric, or a bootstrap lift.
 *
 * `compute` receives `{ slice, task }`, which is a valid `RankingOptions`, so metrics can take
 * it directly. The result is keyed `table[slice][task]` (task names or index strings).
 *
 * @example
 * ```ts
 * const row = sliceBy((cell) => hitsAtK(set, 3, cell), { tasks: ['grid_click', 'save'] });
 * row.fresh.save; // Hits@3 on fresh items for save
 * const lifts = sliceBy(
 *   (cell) => pairedBootstrap((s) => hitsAtKPerRequest(s, 3, cell), baseline, variant, { seed: 1 }),
 *   { tasks: ['grid_click', 'save'] },
 * );
 * lifts.fresh.grid_click.lift; // % lift with ci and pValue
 * ```
 */
export function sliceBy<V, S extends Slice = Slice>(
  compute: (cell: SliceCell) => V,
  options: SliceByOptions<S>,
): Record<S, Record<string, V>> {
  if (!Array.isArray(options?.tasks) || options.tasks.length === 0) {
    throw new TypeError('sliceBy: options.tasks must list at least one task name or index');
  }
  const slices = options.slices ?? (['fresh', 'all'] as readonly Slice[] as readonly S[]);
  const table = {} as Record<S, Record<string, V>>;
  for (const slice of slices) {
    if (slice !== 'fresh' && slice !== 'all')
      throw new TypeError(`sliceBy: options.slices must hold 'fresh' or 'all' (got ${slice})`);
    const row: Record<string, V> = {};
    for (const task of options.tasks) row[String(task)] = compute({ slice, task });
    table[slice] = row;
  }
  return table;
}
