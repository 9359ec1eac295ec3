import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { RngState, Tensor } from '@thaw/tensor';
import { WeightsFileError } from '../io/weights-file-error.js';
import { loadWeights, saveWeights } from '../io/weights-io.js';
import type { LossTerms } from './train-step.js';

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

/** Everything a run needs to continue exactly: parameters, optimizer, RNG, data position, history. */
export interface Checkpoint {
  readonly position: TrainPosition;
  readonly params: Record<string, Tensor>;
  readonly optimizer: { readonly kind: 'adam' | 'sgd'; readonly step: number; readonly tensors: Record<string, Tensor> };
  readonly rng: RngState;
  readonly history: readonly StepRecord[];
  /** Results of the metrics callback so far. */
  readonly metrics: readonly Readonly<Record<string, number>>[];
  /** The spec hash and seed of the run, checked on resume. */
  readonly run: { readonly specHash: string; readonly seed: number };
}

/** The loss terms of one step. */
export interface StepRecord extends LossTerms {
  readonly step: number;
  readonly epoch: number;
}

/** The manifest path of the checkpoint in `dir`. */
export function checkpointPath(dir: string): string {
  return join(dir, 'checkpoint.json');
}

/** Writes a checkpoint (atomically: temp files renamed into place; see `saveWeights`). */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<string> {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(checkpoint.params)) tensors[`param/${name}`] = t;
  for (const [name, t] of Object.entries(checkpoint.optimizer.tensors)) tensors[`optimizer/${name}`] = t;
  const path = checkpointPath(dir);
  await saveWeights(path, tensors, {
    metadata: {
      kind: 'thaw-checkpoint',
      position: checkpoint.position,
      optimizer: { kind: checkpoint.optimizer.kind, step: checkpoint.optimizer.step },
      rng: checkpoint.rng,
      history: checkpoint.history,
      metrics: checkpoint.metrics,
      run: checkpoint.run,
    },
  });
  return path;
}

/**
 * Reads the checkpoint in `dir`, or `undefined` when there is none.
 *
 * @throws WeightsFileError when a checkpoint exists but is truncated, corrupted or not a thaw
 * training checkpoint.
 */
export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  const path = checkpointPath(dir);
  try {
    await access(path);
  } catch {
    return undefined;
  }
  const { tensors, manifest } = await loadWeights(path);
  const meta = manifest.metadata as Partial<Omit<Checkpoint, 'params'>> & {
    kind?: string;
    optimizer?: { kind: 'adam' | 'sgd'; step: number };
  };
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
  return {
    position: meta.position,
    params,
    optimizer: { kind: meta.optimizer.kind, step: meta.optimizer.step, tensors: optimizerTensors },
    rng: meta.rng,
    history: meta.history ?? [],
    metrics: meta.metrics ?? [],
    run: meta.run,
  };
}
