import { type ModelSpec, modelDimensions } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { mlp } from './dense.js';
import type { Params } from './params.js';

/**
 * The MMoE experts stacked: `[N, E, U]`, expert `e` an MLP `z̄ → expertUnits` named
 * `expert.<e>.<k>.*`, activated on every layer (as PyTorch's `Linear + ReLU`).
 */
export function mmoeExperts<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, zBar: T): T {
  const { mmoe, activation } = spec.architecture;
  const width = modelDimensions(spec).expert;
  const outputs: T[] = [];
  for (let e = 0; e < mmoe.experts; e++) {
    const out = mlp(ops, params, `expert.${e}`, mmoe.expertUnits.length, zBar, { activation });
    outputs.push(ops.reshape(out, [-1, 1, width]));
  }
  return outputs.length === 1 ? (outputs[0] as T) : ops.concat(outputs, 1);
}

/**
 * The softmax gate of task `t`: `[N, E]` mixing weights, an MLP `z̄ → gateUnits → E` named
 * `gate.<t>.<k>.*` (hidden layers activated, the last linear) followed by a softmax.
 */
export function mmoeGate<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, zBar: T, t: number): T {
  const { mmoe, activation } = spec.architecture;
  const logits = mlp(ops, params, `gate.${t}`, mmoe.gateUnits.length + 1, zBar, { activation, linearLast: true });
  return ops.softmax(logits, 1);
}

/**
 * The prediction module `F`: a Multi-gate Mixture-of-Experts (Ma et al. 2018). For each task `t`
 * (spec order), `m_t = Σ_e g_{t,e} · expert_e(z̄)` with `g_t` = {@link mmoeGate}, then the tower
 * `tower.<t>.*`, an MLP `expert width → tower.units → 1` (hidden layers activated, the logit
 * linear). Returns the logits `[N, T]`; `ŷ = sigmoid(logits)` (eq 3 with `F` = MMoE).
 *
 * @param zBar `[N, modelDimensions(spec).prediction]` from {@link interact} (or mixed, eq 8).
 * @example
 * ```ts
 * const logits = predict(ops, spec, params, interact(ops, spec, params, embedded));
 * ```
 */
export function predict<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, zBar: T): T {
  const { mmoe, tower, activation } = spec.architecture;
  const experts = mmoeExperts(ops, spec, params, zBar);
  const logits = spec.tasks.map((_, t) => {
    const gate = ops.reshape(mmoeGate(ops, spec, params, zBar, t), [-1, mmoe.experts, 1]);
    const mixed = ops.sum(ops.mul(gate, experts), 1);
    return mlp(ops, params, `tower.${t}`, tower.units.length + 1, mixed, { activation, linearLast: true });
  });
  return logits.length === 1 ? (logits[0] as T) : ops.concat(logits, 1);
}
