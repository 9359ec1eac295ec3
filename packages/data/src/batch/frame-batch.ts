import type { FeatureBatch, ModelSpec } from '@thaw/spec';
import { createTensor, type Tensor } from '@thaw/tensor';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { coldMask, itemAgeDays } from '../frame/item-age.js';

/**
 * A {@link FeatureBatch} (the layout `@thaw/tfjs` consumes) plus, per row, what the evaluator
 * and the trainer need besides the model inputs: the frame row, request, item, item age and the
 * ground truth when the frame has it.
 */
export interface FrameBatch extends FeatureBatch {
  readonly labels: Tensor<'float32'>;
  readonly isCold: Tensor<'float32'>;
  /** Row of each batch row in the source frame. */
  readonly rows: Int32Array;
  readonly requestId: Int32Array;
  readonly itemId: Int32Array;
  /** Item age at the impression, days. */
  readonly itemAgeDays: Float32Array;
  /** True probabilities `[N, T]` in spec task order (simulator frames only). */
  readonly truth?: Tensor<'float32'>;
}

/**
 * Gathers `rows` of a frame into a {@link FrameBatch}: dense features float32 `[N, dim]` (raw),
 * categorical and id features int32 `[N]`, labels float32 `[N, T]` in spec task order,
 * `isCold` float32 `[N]` (`coldMask`: item age < `spec.coldStart.coldDays`) and `itemAgeDays`
 * (`itemAgeDays` of these rows only).
 *
 * @throws RangeError when a row is outside the frame; TypeError when a spec column is missing.
 * @example `const batch = toFeatureBatch(frame, spec, [0, 1, 2]); batch.labels.shape // [3, 3]`
 */
export function toFeatureBatch(frame: FeatureFrame, spec: ModelSpec, rows: ArrayLike<number>): FrameBatch {
  const n = rows.length;
  const index = Int32Array.from(rows);
  for (let i = 0; i < n; i++) {
    const r = index[i] as number;
    if (r < 0 || r >= frame.size) throw new RangeError(`toFeatureBatch: rows[${i}] must be in [0, ${frame.size}) (got ${r})`);
  }
  const features: Record<string, Tensor<'float32'> | Tensor<'int32'>> = {};
  for (const f of spec.features) {
    const column = frame.features[f.name];
    if (!column) throw new TypeError(`toFeatureBatch: the frame has no column for spec feature ${JSON.stringify(f.name)}`);
    if (f.kind === 'dense') {
      const dim = f.dim;
      const out = new Float32Array(n * dim);
      // An element loop: a subarray view per row cost more than the copy (npm start profile).
      for (let i = 0; i < n; i++) {
        const from = (index[i] as number) * dim;
        const to = i * dim;
        for (let c = 0; c < dim; c++) out[to + c] = column[from + c] as number;
      }
      features[f.name] = createTensor('float32', out, [n, f.dim]);
    } else {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = column[index[i] as number] as number;
      features[f.name] = createTensor('int32', out, [n]);
    }
  }
  const tasks = spec.tasks.map((t) => t.name);
  const gatherTasks = (source: Readonly<Record<string, Float32Array>>, what: string) => {
    const out = new Float32Array(n * tasks.length);
    tasks.forEach((task, k) => {
      const column = source[task];
      if (!column) throw new TypeError(`toFeatureBatch: the frame has no ${what} column for task ${JSON.stringify(task)}`);
      for (let i = 0; i < n; i++) out[i * tasks.length + k] = column[index[i] as number] as number;
    });
    return createTensor('float32', out, [n, tasks.length]);
  };
  const requestId = new Int32Array(n);
  const itemId = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = index[i] as number;
    requestId[i] = frame.requestId[r] as number;
    itemId[i] = frame.itemId[r] as number;
  }
  return {
    size: n,
    features,
    labels: gatherTasks(frame.labels, 'label'),
    isCold: createTensor('float32', Float32Array.from(coldMask(frame, spec.coldStart.coldDays, index)), [n]),
    rows: index,
    requestId,
    itemId,
    itemAgeDays: itemAgeDays(frame, index),
    ...(frame.truth ? { truth: gatherTasks(frame.truth, 'truth') } : {}),
  };
}
