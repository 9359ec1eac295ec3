import type { Ops } from '@thaw/tensor';
import type { ColdWarmGroups } from './cold-warm-groups.js';

/**
 * Eq 5 with a Gaussian kernel, per task (internal): the (biased, V-statistic) squared MMD between
 * the warm and the cold score distributions,
 * `MMD²_t = Σ_{i,j∈w} k/n_w² + Σ_{i,j∈c} k/n_c² − 2·Σ_{i∈w,j∈c} k/(n_w·n_c)`,
 * `k(a, b) = exp(−(a − b)² / (2σ²))`, shape `[T]`, times the gate. Builds `[N, N, T]` kernel
 * values: memory grows with N² (N = 512, T = 3: 786k elements).
 */
export function rbfMmdPerTask<T>(ops: Ops<T>, probs: T, groups: ColdWarmGroups<T>, bandwidth: number): T {
  const taskCount = ops.shape(probs)[1] as number;
  const rows = ops.reshape(probs, [-1, 1, taskCount]);
  const cols = ops.reshape(probs, [1, -1, taskCount]);
  const kernel = ops.exp(ops.mul(ops.square(ops.sub(rows, cols)), ops.scalar(-1 / (2 * bandwidth * bandwidth))));
  // Σ_j k(p_i, p_j)·g_j for each group g: [N, T]; then Σ_i g'_i·(…) gives the pair sums: [T].
  // Group masks are [N, 1] (one group for every task) or [N, T] (a label class per task).
  const maskTasks = ops.shape(groups.warm)[1] as number;
  const towardWarm = ops.sum(ops.mul(kernel, ops.reshape(groups.warm, [1, -1, maskTasks])), 1);
  const towardCold = ops.sum(ops.mul(kernel, ops.reshape(groups.cold, [1, -1, maskTasks])), 1);
  const warmWarm = ops.sum(ops.mul(towardWarm, groups.warm), 0);
  const coldCold = ops.sum(ops.mul(towardCold, groups.cold), 0);
  const warmCold = ops.sum(ops.mul(towardCold, groups.warm), 0);
  const nw = groups.warmDenominator;
  const nc = groups.coldDenominator;
  const mmd = ops.sub(
    ops.add(ops.div(warmWarm, ops.mul(nw, nw)), ops.div(coldCold, ops.mul(nc, nc))),
    ops.div(ops.mul(warmCold, ops.scalar(2)), ops.mul(nw, nc)),
  );
  return ops.mul(mmd, groups.gate);
}
