import type { ModelSpec } from '@thaw/spec';
import type { FeatureFrame } from './feature-frame.js';

/**
 * Checks that a frame fits a spec: every spec feature has a column of the right type and length
 * with in-range rows (categorical in `[0, vocabSize]`, id in `[0, buckets)`), every task a label
 * column, and every key column `size` rows.
 *
 * @throws TypeError naming the column, what it holds and what the spec wants.
 * @example `validateFrame(frame, spec)` before training on a hand-built frame.
 */
export function validateFrame(frame: FeatureFrame, spec: ModelSpec): void {
  const n = frame.size;
  const fail = (message: string): never => {
    throw new TypeError(`validateFrame: ${message}`);
  };
  for (const key of ['requestId', 'itemId', 'userId', 'timestamp', 'itemCreatedAt'] as const) {
    if (frame[key].length !== n) fail(`frame.${key} must have ${n} rows (got ${frame[key].length})`);
  }
  for (const f of spec.features) {
    const column = frame.features[f.name];
    if (!column) fail(`frame.features.${f.name} is missing; the spec needs a column for every feature`);
    if (f.kind === 'dense') {
      if (!(column instanceof Float32Array)) fail(`frame.features.${f.name} must be a Float32Array (dense feature)`);
      if (column?.length !== n * f.dim) fail(`frame.features.${f.name} must hold ${n}×${f.dim} values (got ${column?.length})`);
      continue;
    }
    if (!(column instanceof Int32Array)) fail(`frame.features.${f.name} must be an Int32Array (${f.kind} feature)`);
    if (column?.length !== n) fail(`frame.features.${f.name} must have ${n} rows (got ${column?.length})`);
    const max = f.kind === 'categorical' ? f.vocabSize : f.buckets - 1;
    const data = column as Int32Array;
    for (let r = 0; r < n; r++) {
      const v = data[r] as number;
      if (v < 0 || v > max) fail(`frame.features.${f.name}[${r}] must be a row in [0, ${max}] (got ${v})`);
    }
  }
  for (const t of spec.tasks) {
    const column = frame.labels[t.name];
    if (!column) fail(`frame.labels.${t.name} is missing; the spec needs a label column for every task`);
    if (column?.length !== n) fail(`frame.labels.${t.name} must have ${n} rows (got ${column?.length})`);
  }
}
