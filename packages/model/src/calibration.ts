import type { ModelSpec } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';

/**
 * Platt scaling of one task (Platt 1999): the calibrated probability is `sigmoid(a · logit + b)`,
 * with `a`, `b` fitted by logistic regression of the labels on the model's logits on a held-out
 * calibration day (paper protocol: the day after training). Identity: `{ a: 1, b: 0 }`.
 */
export interface PlattCalibration {
  /** Slope on the logit (dimensionless; must be > 0, which keeps the ranking order of the task). */
  readonly a: number;
  /** Offset added to the scaled logit. */
  readonly b: number;
}

/**
 * Platt parameters per task name, e.g. `{ grid_click: { a: 0.93, b: -0.41 } }`. Tasks left out are
 * not calibrated (`a = 1, b = 0`). This is what `exportOnnx(spec, weights, { calibration })` folds
 * into the graph and what the trainer writes beside the weights.
 */
export type Calibration = Readonly<Record<string, PlattCalibration>>;

/**
 * The per-task slopes and offsets of a calibration, in spec task order, after checking it.
 *
 * @throws TypeError naming the entry when a task is unknown or `a`/`b` is not a finite number;
 * RangeError when a slope `a` is ≤ 0 (it would reverse or flatten the task's ranking).
 * @example
 * ```ts
 * plattVectors(spec, { save: { a: 2, b: -1 } }); // { a: [1, 2, 1], b: [0, -1, 0] } for tasks [grid_click, save, click]
 * ```
 */
export function plattVectors(spec: ModelSpec, calibration: Calibration = {}): { a: number[]; b: number[] } {
  const tasks = spec.tasks.map((t) => t.name);
  for (const [task, platt] of Object.entries(calibration)) {
    if (!tasks.includes(task)) {
      throw new TypeError(`calibration.${task}: no such task in spec '${spec.name}'; use one of ${tasks.join(', ')}`);
    }
    for (const key of ['a', 'b'] as const) {
      const value = (platt as Partial<PlattCalibration> | undefined)?.[key];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new TypeError(`calibration.${task}.${key} must be a finite number (got ${String(value)})`);
      }
    }
    if (!(platt.a > 0)) {
      throw new RangeError(
        `calibration.${task}.a must be > 0 (got ${platt.a}): a slope ≤ 0 reverses or flattens the ranking of task '${task}'; ` +
          'refit the calibration on more data, or leave the task out to keep it uncalibrated (a = 1, b = 0)',
      );
    }
  }
  return {
    a: tasks.map((t) => calibration[t]?.a ?? 1),
    b: tasks.map((t) => calibration[t]?.b ?? 0),
  };
}

/**
 * Calibrated task probabilities `[N, T]`: `p_t = sigmoid(a_t · logit_t + b_t)` with the Platt
 * parameters of `calibration` (tasks left out: `a = 1, b = 0`); without a calibration, plain
 * `sigmoid(logits)`. This is what the trainer's metrics, `exportOnnx` and `thaw-serve` all compute.
 *
 * @param logits `[N, T]` task logits in spec order.
 * @throws TypeError as {@link plattVectors} does.
 * @example
 * ```ts
 * const probs = calibratedProbabilities(ops, spec, logits, { save: { a: 0.9, b: -0.2 } });
 * ```
 */
export function calibratedProbabilities<T>(ops: Ops<T>, spec: ModelSpec, logits: T, calibration?: Calibration): T {
  if (calibration === undefined) return ops.sigmoid(logits);
  const { a, b } = plattVectors(spec, calibration);
  return ops.sigmoid(ops.add(ops.mul(logits, ops.constant(a, [a.length])), ops.constant(b, [b.length])));
}
