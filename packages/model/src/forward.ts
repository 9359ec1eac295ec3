import type { ModelSpec } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { aldiStudent, replaceItemHistorical } from './aldi.js';
import { type Calibration, calibratedProbabilities } from './calibration.js';
import { type Embedded, embed } from './embed.js';
import { interact } from './interact.js';
import type { Params } from './params.js';
import { predict } from './predict.js';
import { utilityScores } from './utility-scores.js';

/** Options of {@link forward}. */
export interface ForwardOptions<T> {
  /**
   * `[N]` float, 1 = cold item. When the spec enables the ALDI baseline, cold rows' item-side
   * historical inputs are replaced by the content-only student's output (ALDI inference); without
   * a mask (or without ALDI in the spec) every row uses its own inputs.
   */
  readonly coldMask?: T;
  /** Platt parameters per task, applied to the probabilities (see {@link calibratedProbabilities}); default none. */
  readonly calibration?: Calibration;
}

/** What {@link forward} returns: the outputs and the intermediate representations. */
export interface ForwardResult<T> {
  /** `[N, T]` task logits in spec order (before calibration). */
  readonly logits: T;
  /** `[N, T]` task probabilities: `sigmoid(a_t · logit_t + b_t)` (Platt; identity without calibration). */
  readonly probabilities: T;
  /** `[N]` ranking scores `s = Σ_t u_t · p_t` (eq 12) of the probabilities. */
  readonly scores: T;
  /** `z̄ = [I(x0); P(x_nh)]` `[N, prediction]` — where manifold mixup acts (eq 8). */
  readonly zBar: T;
  /** `x_h`, `x_nh` (after the ALDI swap, when it applied). */
  readonly embedded: Embedded<T>;
}

/**
 * The model's inference forward, the one every runtime calls: {@link embed} → ALDI swap for cold
 * rows (when the spec enables the baseline and `coldMask` is given) → {@link interact} (eq 1–3) →
 * {@link predict} (MMoE) → Platt calibration → eq 12 scores. The tfjs model of `@thaw/tfjs` runs it
 * on tfjs, `exportOnnx` of `@thaw/onnx` records it as the served graph, and the tests run it on
 * the float64 reference — so training, export and serving share this one function.
 *
 * @example
 * ```ts
 * import { featuresOnBackend, forward, initParameters, paramsOnBackend } from '@thaw/model';
 * import { referenceOps as ops } from '@thaw/tensor';
 * const params = paramsOnBackend(ops, initParameters(spec, 7));
 * const { logits, scores } = forward(ops, spec, params, featuresOnBackend(ops, spec, batch));
 * ```
 */
export function forward<T>(
  ops: Ops<T>,
  spec: ModelSpec,
  params: Params<T>,
  features: Readonly<Record<string, T>>,
  options: ForwardOptions<T> = {},
): ForwardResult<T> {
  let embedded = embed(ops, spec, params, features);
  if (spec.coldStart.aldi.enabled && options.coldMask !== undefined) {
    const student = aldiStudent(ops, spec, params, embedded.nonHistorical);
    embedded = replaceItemHistorical(ops, spec, embedded, student, options.coldMask);
  }
  const zBar = interact(ops, spec, params, embedded);
  const logits = predict(ops, spec, params, zBar);
  const probabilities = calibratedProbabilities(ops, spec, logits, options.calibration);
  return { logits, probabilities, scores: utilityScores(ops, spec, probabilities), zBar, embedded };
}
