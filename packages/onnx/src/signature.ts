import type { ModelSpec } from '@thaw/spec';

/** One graph input or output of an exported thaw model; `-1` is the symbolic batch axis `N`. */
export interface OnnxTensorSignature {
  readonly name: string;
  readonly dtype: 'float32' | 'int64';
  readonly shape: readonly number[];
}

/** The inputs and outputs of the graph `exportOnnx(spec, …)` writes. */
export interface OnnxModelSignature {
  /** One per spec feature (spec order), then `is_cold` when the ALDI baseline is enabled. */
  readonly inputs: readonly OnnxTensorSignature[];
  /** `p_<task>` per task (spec order), then `score`. */
  readonly outputs: readonly OnnxTensorSignature[];
}

/** Name of the eq 12 score output, `Σ_t u_t · p_t` float32 `[N]`. */
export const SCORE_OUTPUT = 'score';

/** Name of the ALDI cold-mask input (float32 `[N]`, 1 = cold), present only when `coldStart.aldi.enabled`. */
export const COLD_MASK_INPUT = 'is_cold';

/** Name of task `task`'s (calibrated) probability output, float32 `[N]`: `p_<task>`. */
export function taskOutputName(task: string): string {
  return `p_${task}`;
}

/**
 * The graph interface of an exported model, derived from the spec alone (so a server can build
 * its feeds without opening the graph):
 *
 * - inputs: dense features float32 `[N, dim]` (raw values; the graph applies `stats`),
 *   categorical features int64 `[N]` rows from `encodeCategorical` (anything outside
 *   `[0, vocabSize]` is read as the OOV row `vocabSize`), id features int64 `[N]` from
 *   `hashToBucket` (anything outside `[0, buckets)` is reduced modulo `buckets`); plus
 *   `is_cold` float32 `[N]` when the ALDI baseline is enabled (its student replaces the item-side
 *   historical inputs of cold rows);
 * - outputs: `p_<task>` float32 `[N]` per task (sigmoid of the logit, Platt-calibrated when a
 *   calibration was given), and `score` float32 `[N]` = `Σ_t u_t · p_<task>` (eq 12).
 *
 * @example
 * ```ts
 * import { onnxSignature } from '@thaw/onnx';
 * import { demoSpec } from '@thaw/spec';
 * onnxSignature(demoSpec).outputs.map((o) => o.name); // ['p_grid_click', 'p_save', 'p_click', 'score']
 * ```
 */
export function onnxSignature(spec: ModelSpec): OnnxModelSignature {
  const inputs: OnnxTensorSignature[] = spec.features.map((f) =>
    f.kind === 'dense' ? { name: f.name, dtype: 'float32', shape: [-1, f.dim] } : { name: f.name, dtype: 'int64', shape: [-1] },
  );
  if (spec.coldStart.aldi.enabled) inputs.push({ name: COLD_MASK_INPUT, dtype: 'float32', shape: [-1] });
  const outputs: OnnxTensorSignature[] = spec.tasks.map((t) => ({ name: taskOutputName(t.name), dtype: 'float32', shape: [-1] }));
  outputs.push({ name: SCORE_OUTPUT, dtype: 'float32', shape: [-1] });
  const names = [...inputs, ...outputs].map((s) => s.name);
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash !== undefined) {
    throw new TypeError(
      `onnxSignature: the graph name '${clash}' is used twice (feature names must differ from ${COLD_MASK_INPUT}, ${SCORE_OUTPUT} and p_<task>); rename the feature`,
    );
  }
  return { inputs, outputs };
}
