import type { PlattCalibration } from '@thaw/model';

/** A fitted Platt scaling (`PlattCalibration` of `@thaw/model`: p = σ(a·logit + b)) and why it fell back to the identity, when it did. */
export interface PlattFit extends PlattCalibration {
  /** Why the fit fell back to the identity (a = 1, b = 0), when it did. */
  readonly note?: string;
}

/** The logistic function, stable for large |x|. */
export const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * Fits Platt scaling by maximum likelihood (Newton's method with step halving on the mean log
 * loss): the `a`, `b` minimising `−Σ y log σ(a·s + b) + (1 − y) log(1 − σ(a·s + b))`, i.e. an
 * unregularised logistic regression of the labels on the logits — what the trainer stores per
 * task, fitted on the calibration window (paper §4.2.1).
 *
 * A single-class window has no maximum-likelihood solution, and a fitted slope `a ≤ 0` would
 * reverse (or flatten) the task's ranking once folded into `model.onnx`: in both cases the
 * identity is returned with a note saying why.
 *
 * @param logits raw model logits of the calibration rows.
 * @param labels 0/1 (or soft) labels of the same rows.
 * @throws RangeError when the lengths differ or are 0.
 */
export function fitPlatt(logits: ArrayLike<number>, labels: ArrayLike<number>, maxIterations = 100): PlattFit {
  const n = logits.length;
  if (n === 0 || labels.length !== n) {
    throw new RangeError(`fitPlatt: logits and labels must have the same non-zero length (got ${n} and ${labels.length})`);
  }
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] as number;
  if (positives <= 0 || positives >= n) {
    return { a: 1, b: 0, note: `calibration window has ${positives <= 0 ? 'no positive' : 'no negative'} label; identity kept` };
  }
  const loss = (a: number, b: number) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const z = a * (logits[i] as number) + b;
      const y = labels[i] as number;
      // log(1 + e^z) − y·z, stable
      total += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
    }
    return total / n;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const s = logits[i] as number;
      const p = sigmoid(a * s + b);
      const r = p - (labels[i] as number);
      const w = p * (1 - p);
      ga += r * s;
      gb += r;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-300)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-10) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const improvement = current - next;
    current = next;
    if (improvement < 1e-15 && Math.abs(ga) / n < 1e-12 && Math.abs(gb) / n < 1e-12) break;
  }
  if (!(a > 0)) return { a: 1, b: 0, note: `fitted slope a = ${a.toFixed(3)} ≤ 0 would reverse the ranking; identity kept` };
  return { a, b };
}

/** What {@link fitTaskCalibrations} reads: row-major `[N, T]` logits and labels. */
export interface CalibrationPredictions {
  readonly rows: ArrayLike<number>;
  readonly taskCount: number;
  readonly logits: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
}

/**
 * Fits Platt scaling per task (spec order) on the calibration window's predictions, and calls
 * `warn` naming the task whenever a fit falls back to the identity (an empty or single-class
 * window, or a slope ≤ 0 that would reverse the task's ranking).
 *
 * @example
 * ```ts
 * const calibration = fitTaskCalibrations(spec, predictions, (message) => logger.warn(message));
 * ```
 */
export function fitTaskCalibrations(
  spec: { readonly tasks: readonly { readonly name: string }[] },
  predictions: CalibrationPredictions,
  warn: (message: string) => void,
): PlattFit[] {
  const T = predictions.taskCount;
  const n = predictions.rows.length;
  return spec.tasks.map((task, t) => {
    const logits = new Float64Array(n);
    const labels = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      logits[r] = predictions.logits[r * T + t] as number;
      labels[r] = predictions.labels[r * T + t] as number;
    }
    const fit = n > 0 ? fitPlatt(logits, labels) : { a: 1, b: 0, note: 'empty calibration window; identity kept' };
    if (fit.note !== undefined) warn(`calibration of task '${task.name}': ${fit.note}`);
    return fit;
  });
}
