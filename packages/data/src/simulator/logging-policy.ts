import type { Rng } from '@thaw/tensor';
import type { HistoryState } from '../history/history-state.js';
import { contentCosine } from './retrieve.js';
import { gumbel } from './sampling.js';
import type { SimulationOptions } from './simulation-options.js';
import type { SimulatedWorld } from './world.js';

/**
 * The deterministic part of the logging policy's score of each candidate of a request for `query`:
 * `a_i = w_sim·cos(x_q, x_i) + w_ctr·logit(r̃_i) + w_pop·log(1 + n_i)`, with `n_i` the item's
 * impressions and `r̃_i` its smoothed grid-click rate as recorded in `history` (clamped to
 * [1e-4, 1 − 1e-4]). The policy shows the top `K` of `a_i + w_ε·G_i`, `G_i ~ Gumbel`.
 *
 * @param stats scratch of `history.statsWidth` values.
 */
export function policyBaseScores(
  world: SimulatedWorld,
  options: SimulationOptions,
  history: HistoryState,
  query: number,
  candidates: readonly number[],
  stats: Float64Array,
): Float64Array {
  const { policy } = options;
  const out = new Float64Array(candidates.length);
  candidates.forEach((item, i) => {
    history.writeStats(item, stats, 0);
    const rate = Math.min(1 - 1e-4, Math.max(1e-4, stats[4] as number));
    out[i] =
      policy.similarity * contentCosine(world, query, item) +
      policy.ctr * Math.log(rate / (1 - rate)) +
      policy.popularity * Math.log1p(history.count(item));
  });
  return out;
}

/**
 * One draw of the logging policy: the candidate indices in slate order (best first), by
 * `base[i] + noise·G_i` with one Gumbel draw per candidate from `rng`, in candidate order. Only
 * the first `K` are shown. Ties keep candidate order.
 */
export function drawPolicyRanking(rng: Rng, base: Float64Array, noise: number): number[] {
  const scored = Array.from(base, (a, i) => ({ i, score: a + noise * gumbel(rng) }));
  scored.sort((x, y) => y.score - x.score);
  return scored.map((s) => s.i);
}

/**
 * The logging policy's propensity of showing each candidate: P(candidate in the top `k`) when
 * the policy ranks by `base[i] + noise·G_i`, `G_i` iid standard Gumbel — the top-`k` set of a
 * Plackett–Luce model with weights `w_i = exp(base[i] / noise)`. There is no closed form beyond the
 * first position (P(first) = w_i / Σ w, see {@link plackettLuceFirst}), so it is estimated by Monte
 * Carlo: `samples` independent policy draws from `rng` (each as the exponential race
 * `argmin E_i / w_i`, `E_i ~ Exp(1)`, which ranks exactly like `base + noise·Gumbel`), counting how
 * often each candidate lands in the top `k`.
 *
 * Error: each estimate is a binomial share, standard error √(p(1 − p)/samples) ≤ 0.5/√samples
 * (0.031 at 256 samples); every draw picks exactly `min(k, n)` candidates, so the propensities of a
 * request sum to `min(k, n)` exactly. `noise = 0` is deterministic: 1 for the top `k` by `base`
 * (ties in candidate order), 0 otherwise.
 *
 * @throws RangeError for `samples` or `k` not an integer ≥ 1, or a negative `noise`.
 * @example `topKPropensity(Float64Array.of(1, 0, 0), 0.5, 1, 1000, createRng(3))` ≈ PL first-position shares.
 */
export function topKPropensity(base: Float64Array, noise: number, k: number, samples: number, rng: Rng): Float64Array {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`topKPropensity: samples must be an integer ≥ 1 (got ${samples})`);
  }
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topKPropensity: k must be an integer ≥ 1 (got ${k})`);
  if (!(noise >= 0)) throw new RangeError(`topKPropensity: noise must be ≥ 0 (got ${noise})`);
  const n = base.length;
  const out = new Float64Array(n);
  if (n <= k) return out.fill(1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (noise === 0) {
    // Deterministic: the k best by base (a stable sort keeps candidate order on ties).
    for (const i of Array.from(order)
      .sort((x, y) => (base[y] as number) - (base[x] as number))
      .slice(0, k))
      out[i] = 1;
    return out;
  }
  // argmax(a_i/σ + G_i) ranks like argmin(E_i / w_i), E_i ~ Exp(1), w_i = exp(a_i/σ): one log per draw.
  let max = Number.NEGATIVE_INFINITY;
  for (const a of base) max = Math.max(max, a);
  const inverseWeight = Float64Array.from(base, (a) => Math.exp((max - a) / noise));
  const key = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      let u = rng.uniform();
      while (u === 0) u = rng.uniform();
      key[i] = -Math.log(u) * (inverseWeight[i] as number);
      order[i] = i;
    }
    // Partial selection of the k smallest keys.
    for (let j = 0; j < k; j++) {
      let best = j;
      for (let i = j + 1; i < n; i++) if ((key[order[i] as number] as number) < (key[order[best] as number] as number)) best = i;
      const chosen = order[best] as number;
      order[best] = order[j] as number;
      order[j] = chosen;
      out[chosen] = (out[chosen] as number) + 1;
    }
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / samples;
  return out;
}

/**
 * The Plackett–Luce first-position probabilities of the policy: P(candidate i ranked first) =
 * exp(base_i / noise) / Σ_j exp(base_j / noise) (the Gumbel-max trick), computed stably.
 *
 * @throws RangeError for `noise` ≤ 0 (the deterministic policy has no distribution).
 */
export function plackettLuceFirst(base: Float64Array, noise: number): Float64Array {
  if (!(noise > 0)) throw new RangeError(`plackettLuceFirst: noise must be > 0 (got ${noise})`);
  let max = Number.NEGATIVE_INFINITY;
  for (const a of base) max = Math.max(max, a);
  const out = Float64Array.from(base, (a) => Math.exp((a - max) / noise));
  const total = out.reduce((s, v) => s + v, 0);
  return out.map((v) => v / total);
}
