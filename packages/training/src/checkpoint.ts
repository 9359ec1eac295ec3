import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LossTerms, ObjectiveConfig } from '@thaw/model';
import type { RngState, Tensor } from '@thaw/tensor';
import type { ResolvedOptimizerConfig } from '@thaw/tfjs';
import { loadWeights, saveWeights, WeightsFileError } from '@thaw/weights';
import { appendLog, EMPTY_LOG, type LogMark, readLog } from './append-log.js';
import type { TrainingEngineName } from './step-engine.js';

/** Where a run stands: the next batch to train on is batch `batch` of epoch `epoch`. */
export interface TrainPosition {
  readonly epoch: number;
  /** Batches of `epoch` already trained on. */
  readonly batch: number;
  /** Optimisation steps done in the whole run. */
  readonly step: number;
  /** Examples trained on in the whole run. */
  readonly examples: number;
}

/**
 * The settings a run was started with, checked when it resumes: a resumed run must use the same
 * ones. Checkpoints written by thaw before run identities hold only `specHash` and `seed`.
 */
export interface CheckpointRun {
  readonly specHash: string;
  readonly seed: number;
  /** The resolved objective (spec `coldStart` with the λ1, λ2, α, `aldiStage` overrides applied). */
  readonly stepConfig?: ObjectiveConfig;
  /** The resolved optimizer settings. */
  readonly optimizer?: ResolvedOptimizerConfig;
  readonly batchSize?: number;
  readonly epochs?: number;
  /** The engine that ran the steps (engines agree to float32 rounding only); unset = `'tfjs'`. */
  readonly engine?: TrainingEngineName;
}

/** Everything a run needs to continue exactly: parameters, optimizer, RNG, data position, history. */
export interface Checkpoint {
  readonly position: TrainPosition;
  readonly params: Record<string, Tensor>;
  readonly optimizer: { readonly kind: 'adam' | 'sgd'; readonly step: number; readonly tensors: Record<string, Tensor> };
  readonly rng: RngState;
  /** Loss terms of every step up to `position.step`. */
  readonly history: readonly StepRecord[];
  /** Results of the metrics callback so far. */
  readonly metrics: readonly Readonly<Record<string, number>>[];
  /** The settings of the run, checked on resume. */
  readonly run: CheckpointRun;
}

/** The loss terms of one step. */
export interface StepRecord extends LossTerms {
  readonly step: number;
  readonly epoch: number;
}

/** How much of each append-only log file a checkpoint covers. */
export interface CheckpointLogs {
  readonly history: LogMark;
  readonly metrics: LogMark;
}

/** Logs of a run that has written no checkpoint yet. */
export const NO_LOGS: CheckpointLogs = { history: EMPTY_LOG, metrics: EMPTY_LOG };

const LOG_FILES = { history: 'history.jsonl', metrics: 'metrics.jsonl' } as const;

/** The manifest path of the checkpoint in `dir`. */
export function checkpointPath(dir: string): string {
  return join(dir, 'checkpoint.json');
}

/**
 * Writes a checkpoint to `dir`: the step records and metrics not yet on disk are appended to
 * `history.jsonl` / `metrics.jsonl` (cut back first to what `logs` — the previous checkpoint —
 * covers), then parameters and optimizer moments go to `checkpoint.json` + its content-addressed
 * binary (`saveWeights`), whose manifest records how far each log reaches. Renaming the manifest
 * commits the whole checkpoint; a crash before it leaves the previous checkpoint intact, and log
 * lines past what a manifest covers are ignored on read. Each save costs O(new records), not
 * O(all records).
 *
 * @param logs what the previous checkpoint of this run covers ({@link NO_LOGS} for a new run).
 * @returns what this checkpoint covers: pass it to the next call.
 */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint, logs: CheckpointLogs): Promise<CheckpointLogs> {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(checkpoint.params)) tensors[`param/${name}`] = t;
  for (const [name, t] of Object.entries(checkpoint.optimizer.tensors)) tensors[`optimizer/${name}`] = t;
  await mkdir(dir, { recursive: true });
  const written: CheckpointLogs = {
    history: await appendLog(join(dir, LOG_FILES.history), logs.history, checkpoint.history),
    metrics: await appendLog(join(dir, LOG_FILES.metrics), logs.metrics, checkpoint.metrics),
  };
  await saveWeights(checkpointPath(dir), tensors, {
    metadata: {
      kind: 'thaw-checkpoint',
      position: checkpoint.position,
      optimizer: { kind: checkpoint.optimizer.kind, step: checkpoint.optimizer.step },
      rng: checkpoint.rng,
      logs: written,
      run: checkpoint.run,
    },
  });
  return written;
}

interface CheckpointMetadata {
  readonly kind?: string;
  readonly position?: TrainPosition;
  readonly optimizer?: { readonly kind: 'adam' | 'sgd'; readonly step: number };
  readonly rng?: RngState;
  readonly run?: CheckpointRun;
  readonly logs?: CheckpointLogs;
  /** thaw before the append-only logs kept these inline. */
  readonly history?: StepRecord[];
  readonly metrics?: Record<string, number>[];
}

/**
 * The checkpoint in `dir` and how far its logs reach, or `undefined` when there is none.
 *
 * @throws WeightsFileError when a checkpoint exists but is truncated, corrupted, not a thaw
 * training checkpoint, or its logs are shorter than it records.
 */
export async function loadCheckpoint(dir: string): Promise<{ checkpoint: Checkpoint; logs: CheckpointLogs } | undefined> {
  const path = checkpointPath(dir);
  try {
    await access(path);
  } catch {
    return undefined;
  }
  const { tensors, manifest } = await loadWeights(path);
  const meta = manifest.metadata as CheckpointMetadata | undefined;
  if (meta?.kind !== 'thaw-checkpoint' || !meta.position || !meta.optimizer || !meta.rng || !meta.run) {
    throw new WeightsFileError(
      `readCheckpoint: ${path} holds weights but not a thaw training checkpoint (no position/optimizer/rng)`,
      path,
    );
  }
  const params: Record<string, Tensor> = {};
  const optimizerTensors: Record<string, Tensor> = {};
  for (const [key, t] of Object.entries(tensors)) {
    if (key.startsWith('param/')) params[key.slice('param/'.length)] = t;
    else if (key.startsWith('optimizer/')) optimizerTensors[key.slice('optimizer/'.length)] = t;
  }
  // A 0.1 checkpoint holds its logs inline: the next save writes them out in full (from NO_LOGS).
  const logs = meta.logs ?? NO_LOGS;
  const history = meta.logs
    ? ((await readLog(join(dir, LOG_FILES.history), logs.history, path)) as StepRecord[])
    : (meta.history ?? []);
  const metrics = meta.logs
    ? ((await readLog(join(dir, LOG_FILES.metrics), logs.metrics, path)) as Record<string, number>[])
    : (meta.metrics ?? []);
  return {
    checkpoint: {
      position: meta.position,
      params,
      optimizer: { kind: meta.optimizer.kind, step: meta.optimizer.step, tensors: optimizerTensors },
      rng: meta.rng,
      history,
      metrics,
      run: meta.run,
    },
    logs,
  };
}

/**
 * Reads the checkpoint in `dir`, or `undefined` when there is none.
 *
 * @throws WeightsFileError when a checkpoint exists but is truncated, corrupted, not a thaw
 * training checkpoint, or its history/metrics logs are shorter than it records.
 * @example
 * ```ts
 * const saved = await readCheckpoint('runs/a');
 * console.log(saved?.position.step, saved?.history.at(-1)?.total);
 * ```
 */
export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  return (await loadCheckpoint(dir))?.checkpoint;
}
