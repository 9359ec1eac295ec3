import * as tf from '@tensorflow/tfjs-core';
import { batches, type FeatureFrame } from '@thaw/data';
import { modelDimensions } from '@thaw/spec';
import type { ThawModel } from '@thaw/tfjs';
import type { Progress } from './logger.js';
import { createOnnxRowScorer, type OnnxRowScorer } from './onnx-row-scorer.js';

/** How {@link predictRows} scored the rows. */
export interface ScoringReport {
  readonly engine: 'onnxruntime' | 'tfjs';
  /** Why (`auto`): too few rows, onnxruntime unavailable, or the parity check's outcome. */
  readonly reason: string;
  /** max |logit_onnx − logit_tfjs| / (1 + |logit_tfjs|) on the first batch, when checked. */
  readonly parity?: number;
}

/** Rows below which `auto` scoring stays on tfjs (exporting the graph and starting a session costs ~1 s). */
export const ONNX_SCORING_MIN_ROWS = 50_000;
/** The parity bound between the exported graph and the tfjs forward (float32, other summation order). */
export const ONNX_SCORING_TOLERANCE = 1e-4;

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
  /** Which forward scored the rows. */
  readonly scoring: ScoringReport;
}

/** A progress suffix saying which forward scored the rows (and the parity the check measured). */
export function describeScoring(scoring: ScoringReport): string | undefined {
  if (scoring.engine === 'onnxruntime') return `onnxruntime, export parity ${scoring.parity?.toExponential(1) ?? '?'}`;
  // tfjs as before; say why only when onnxruntime was tried.
  return scoring.reason.startsWith('onnxruntime unavailable') || scoring.parity !== undefined
    ? `tfjs: ${scoring.reason}`
    : undefined;
}

/** max |a − b| / (1 + |b|). */
function relativeGap(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / (1 + Math.abs(b[i] as number)));
  return worst;
}

/**
 * Runs a trained model over frame rows, batch by batch in request order, reading each batch's
 * outputs once (no per-row syncs). With ALDI enabled, cold rows use the content-only student.
 *
 * `engine`: `'auto'` (default) scores through the model's exported ONNX graph (`exportOnnx`, the
 * served `model.onnx`'s function) on onnxruntime when there are at least
 * {@link ONNX_SCORING_MIN_ROWS} rows and the graph's logits on the first batch agree with the tfjs
 * forward to {@link ONNX_SCORING_TOLERANCE} — so every large evaluation also checks export parity
 * end to end — and on tfjs otherwise; `'onnxruntime'` insists (and throws on a parity failure),
 * `'tfjs'` never uses onnxruntime. `scoring` in the result says which ran and why.
 */
export async function predictRows(
  model: ThawModel,
  frame: FeatureFrame,
  rows: ArrayLike<number>,
  options: {
    batchSize?: number;
    representation?: boolean;
    progress?: Progress;
    engine?: 'auto' | 'onnxruntime' | 'tfjs';
    /** `auto` uses onnxruntime from this many rows on. Default {@link ONNX_SCORING_MIN_ROWS}. */
    onnxMinRows?: number;
    /** Where `auto` says it fell back to tfjs (parity failed, onnxruntime unavailable). Default: stderr. */
    warn?: (message: string) => void;
    /** The exported-graph scorer; tests pass a faulty one to see the fallback. Default {@link createOnnxRowScorer}. */
    createScorer?: typeof createOnnxRowScorer;
  } = {},
): Promise<RowPredictions> {
  const choice = options.engine ?? 'auto';
  const minRows = options.onnxMinRows ?? ONNX_SCORING_MIN_ROWS;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
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
  const tfjsForward = async (batch: Parameters<ThawModel['forward']>[0]) => {
    const [logits, zBar] = tf.tidy(() => {
      const result = model.forward(batch);
      return options.representation ? [result.logits, result.zBar] : [result.logits];
    }) as [tf.Tensor, tf.Tensor?];
    const values = {
      logits: (await logits.data()) as Float32Array,
      ...(zBar ? { zBar: (await zBar.data()) as Float32Array } : {}),
    };
    tf.dispose([logits, ...(zBar ? [zBar] : [])]);
    return values;
  };
  let scorer: OnnxRowScorer | undefined;
  let scoring: ScoringReport = { engine: 'tfjs', reason: choice === 'tfjs' ? 'requested' : '' };
  if (choice === 'onnxruntime' || (choice === 'auto' && n >= minRows)) {
    try {
      scorer = await (options.createScorer ?? createOnnxRowScorer)(model, { representation: options.representation === true });
    } catch (error) {
      if (choice === 'onnxruntime') throw error;
      scoring = { engine: 'tfjs', reason: `onnxruntime unavailable: ${(error as Error).message}` };
      warn(`predictRows: scoring ${n} rows on tfjs, ${scoring.reason}`);
    }
  } else if (choice === 'auto') scoring = { engine: 'tfjs', reason: `${n} rows < ${minRows}` };
  let offset = 0;
  try {
    for (const batch of batches(frame, spec, { rows, order: 'request', batchSize: options.batchSize ?? 4096 })) {
      const size = batch.size;
      let values: { logits: Float32Array; zBar?: Float32Array };
      if (scorer !== undefined && offset === 0) {
        // The parity check: the exported graph against the tfjs forward on the first batch.
        const reference = await tfjsForward(batch);
        const candidate = await scorer.score(batch);
        const parity = relativeGap(candidate.logits, reference.logits);
        if (parity <= ONNX_SCORING_TOLERANCE) {
          scoring = {
            engine: 'onnxruntime',
            reason: `the exported graph matches the tfjs forward on the first ${size} rows`,
            parity,
          };
          values = candidate;
        } else {
          const why = `the exported graph's logits differ from the tfjs forward by ${parity.toExponential(2)} (> ${ONNX_SCORING_TOLERANCE}) on the first ${size} rows`;
          if (choice === 'onnxruntime') throw new Error(`predictRows: ${why}`);
          await scorer.release();
          scorer = undefined;
          scoring = { engine: 'tfjs', reason: why, parity };
          warn(`predictRows: scoring ${n} rows on tfjs (the slower path), ${why} — an export defect: please report it`);
          values = reference;
        }
      } else values = scorer !== undefined ? await scorer.score(batch) : await tfjsForward(batch);
      out.logits.set(values.logits, offset * T);
      if (values.zBar && out.representation) out.representation.set(values.zBar, offset * P);
      out.rows.set(batch.rows, offset);
      out.requestId.set(batch.requestId, offset);
      out.isCold.set(batch.isCold.data, offset);
      out.labels.set(batch.labels.data, offset * T);
      offset += size;
      options.progress?.tick(size);
    }
  } finally {
    await scorer?.release();
  }
  return { ...out, taskCount: T, scoring } as RowPredictions;
}
