import * as tf from '@tensorflow/tfjs-core';
import { batches, type FeatureFrame } from '@thaw/data';
import { modelDimensions } from '@thaw/spec';
import type { ThawModel } from '@thaw/tfjs';
import type { Progress } from './logger.js';

/** A model's outputs on frame rows, in request order (whole requests together). */
export interface RowPredictions {
  /** Frame row of each prediction. */
  readonly rows: Int32Array;
  readonly requestId: Int32Array;
  /** 1 = cold item at the impression. */
  readonly isCold: Float32Array;
  /** Labels `[N, T]` row-major, tasks in spec order. */
  readonly labels: Float32Array;
  /** Logits `[N, T]` row-major. */
  readonly logits: Float32Array;
  /** `z̄` `[N, prediction]` row-major, when asked for. */
  readonly representation?: Float32Array;
  readonly taskCount: number;
}

/**
 * Runs a trained model over frame rows, batch by batch in request order, reading each batch's
 * outputs once (no per-row syncs). With ALDI enabled, cold rows use the content-only student.
 */
export async function predictRows(
  model: ThawModel,
  frame: FeatureFrame,
  rows: ArrayLike<number>,
  options: { batchSize?: number; representation?: boolean; progress?: Progress } = {},
): Promise<RowPredictions> {
  const spec = model.spec;
  const T = spec.tasks.length;
  const P = modelDimensions(spec).prediction;
  const n = rows.length;
  const out = {
    rows: new Int32Array(n),
    requestId: new Int32Array(n),
    isCold: new Float32Array(n),
    labels: new Float32Array(n * T),
    logits: new Float32Array(n * T),
    representation: options.representation ? new Float32Array(n * P) : undefined,
  };
  let offset = 0;
  for (const batch of batches(frame, spec, { rows, order: 'request', batchSize: options.batchSize ?? 4096 })) {
    const size = batch.size;
    const [logits, zBar] = tf.tidy(() => {
      const result = model.forward(batch);
      return options.representation ? [result.logits, result.zBar] : [result.logits];
    }) as [tf.Tensor, tf.Tensor?];
    out.logits.set((await logits.data()) as Float32Array, offset * T);
    logits.dispose();
    if (zBar && out.representation) {
      out.representation.set((await zBar.data()) as Float32Array, offset * P);
      zBar.dispose();
    }
    out.rows.set(batch.rows, offset);
    out.requestId.set(batch.requestId, offset);
    out.isCold.set(batch.isCold.data, offset);
    out.labels.set(batch.labels.data, offset * T);
    offset += size;
    options.progress?.tick(size);
  }
  return { ...out, taskCount: T } as RowPredictions;
}
