import type { Ops } from '@thaw/tensor';

/**
 * `softplus(x) = log(1 + eˣ)`, element-wise, written so that it is stable for any `x` **and** its
 * autodiff gradient is exactly `σ(x)` everywhere, including `x = 0`.
 *
 * It is the stable form `max(x, 0) + log(1 + e^(−|x|))` rewritten as a shifted log-sum-exp:
 * with `m = relu(x)`, `softplus(x) = m + log(e^(−m) + e^(x−m))`. Both exponents are ≤ 0, so
 * nothing overflows, and the sum inside the log lies in [1, 2]. The derivative with respect to `m`
 * cancels identically, so whatever subgradient a backend picks for `relu` at 0, autodiff returns
 * `e^(x−m) / (e^(−m) + e^(x−m)) = σ(x)`; the `relu + abs` form gets `0` instead of `½` at `x = 0`.
 *
 * Absolute accuracy is that of `log` near 1 (no `log1p` in `Ops`): for `|x| > 37` the
 * `log(1 + e^(−|x|))` part (< 1e-16) rounds to 0.
 *
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * softplus(r, r.constant([0, 100, -100], [3])).data; // [0.693…, 100, ~0]
 * ```
 */
export function softplus<T>(ops: Ops<T>, x: T): T {
  const shift = ops.relu(x);
  return ops.add(shift, ops.log(ops.add(ops.exp(ops.neg(shift)), ops.exp(ops.sub(x, shift)))));
}
