import type { Ops } from '@thaw/tensor';

/**
 * Sums a per-task vector `[T]` over all tasks or over the chosen task columns (internal). The
 * selection is a constant 0/1 mask, so unselected tasks contribute exactly 0 to the value and
 * the gradient.
 *
 * @throws RangeError when `tasks` holds a non-integer, an index outside `[0, T)` or a duplicate.
 */
export function sumOverTasks<T>(ops: Ops<T>, perTask: T, taskCount: number, tasks: readonly number[] | undefined, fn: string): T {
  if (tasks === undefined) return ops.sum(perTask);
  const mask = new Array<number>(taskCount).fill(0);
  tasks.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= taskCount) {
      throw new RangeError(`${fn}: options.tasks[${i}] must be a task column index in [0, ${taskCount}) (got ${t})`);
    }
    if (mask[t] === 1) throw new RangeError(`${fn}: options.tasks lists task ${t} twice; list each task once`);
    mask[t] = 1;
  });
  return ops.sum(ops.mul(perTask, ops.constant(mask, [taskCount])));
}
