import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type FeatureFrame, type ItemSnapshot, itemSnapshotFromRows } from '@thaw/data';
import type { Calibration } from '@thaw/model';
import { exportOnnx } from '@thaw/onnx';
import { ARTIFACT_FILES, itemSourceFeatures, type ModelSpec, specHash, writeItemsTable } from '@thaw/spec';
import type { ThawModel } from '@thaw/tfjs';
import { saveModelWeights } from '@thaw/training';
import { writeFileAtomic, writeJsonAtomic, writingTo } from './atomic-write.js';
import type { PlattFit } from './calibration.js';
import type { LoadedData } from './data-source.js';
import type { Logger } from './logger.js';
import type { RunSummary } from './train-run.js';

/** The Platt parameters keyed by task name, as `exportOnnx` and `calibration.json` take them. */
export function calibrationByTask(spec: ModelSpec, calibration: readonly PlattFit[]): Calibration {
  return Object.fromEntries(spec.tasks.map((t, i) => [t.name, { a: calibration[i]?.a ?? 1, b: calibration[i]?.b ?? 0 }]));
}

/** The key of an item as its source wrote it (what the items table and thaw-serve use). */
export const itemKey = (frame: FeatureFrame, item: number) => frame.keys?.item?.[item] ?? String(item);

/** Serialises an item snapshot as the items table thaw-serve reads. */
export function itemsTableFromSnapshot(spec: ModelSpec, snapshot: ItemSnapshot): Uint8Array {
  return writeItemsTable(spec, {
    itemIds: snapshot.itemIds,
    features: snapshot.features,
    cold: snapshot.cold,
    asOf: new Date(snapshot.asOf * 1000).toISOString(),
  });
}

/**
 * The items table for serving, as of the end of the calibration window (the last data the model
 * saw): every item that exists then, historical features from all events strictly before it, item
 * age and cold flag at it — from the source's event log (simulator, MovieLens). Sources without a
 * log (CSV, Parquet) fall back to each item's latest row before that time, whose history lags by
 * that row's own impression.
 */
export function itemsTableBytes(spec: ModelSpec, data: LoadedData): Uint8Array {
  const { train, calibration } = data.split.rows;
  const rows = new Int32Array(train.length + calibration.length);
  rows.set(train);
  rows.set(calibration, train.length);
  let asOf = data.split.windows?.calibration.end;
  if (asOf === undefined) {
    asOf = Number.NEGATIVE_INFINITY;
    for (const r of rows) asOf = Math.max(asOf, data.frame.timestamp[r] as number);
  }
  const snapshot = data.itemSnapshot ? data.itemSnapshot(asOf) : itemSnapshotFromRows(data.frame, spec, { rows, asOf });
  return itemsTableFromSnapshot(spec, snapshot);
}

/** A `POST /v1/rank` body built from the first evaluation request: real context values and item ids. */
export function exampleRequest(spec: ModelSpec, data: LoadedData): Record<string, unknown> {
  const { frame, split } = data;
  const first = split.rows.eval[0];
  if (first === undefined) return {};
  return rankRequestFor(spec, frame, split.rows.eval, frame.requestId[first] as number);
}

/** A `POST /v1/rank` body for one request of the frame: its context values and its candidates' item ids. */
export function rankRequestFor(
  spec: ModelSpec,
  frame: FeatureFrame,
  candidates: ArrayLike<number>,
  request: number,
): Record<string, unknown> {
  const rows = Array.from(candidates).filter((r) => frame.requestId[r] === request);
  const first = rows[0];
  if (first === undefined) throw new RangeError(`rankRequestFor: request ${request} has no rows`);
  const items = new Set(itemSourceFeatures(spec));
  const context: Record<string, unknown> = {};
  for (const f of spec.features) {
    if (items.has(f)) continue;
    const column = frame.features[f.name] as Float32Array | Int32Array;
    if (f.kind === 'dense') context[f.name] = Array.from(column.subarray(first * f.dim, (first + 1) * f.dim));
    else if (f.kind === 'categorical') context[f.name] = f.vocabulary?.[column[first] as number] ?? (column[first] as number);
    else
      context[f.name] =
        f.source === 'user'
          ? (frame.keys?.user?.[frame.userId[first] as number] ?? String(frame.userId[first]))
          : String(column[first]);
  }
  return {
    context,
    candidates: rows.map((r) => ({ itemId: itemKey(frame, frame.itemId[r] as number) })),
    topK: Math.min(3, rows.length),
  };
}

/** `artifacts.json`: what the directory holds, written last (its presence means the set is complete). */
export interface ArtifactsManifest {
  readonly variant: string;
  readonly seed: number;
  readonly data: string;
  readonly modelVersion: string;
  readonly specHash: string;
  readonly createdAt: string;
  /** Every artifact file with its size and SHA-256, so a mixed or half-written set is detected. */
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
}

async function fileDigest(path: string) {
  const bytes = await readFile(path);
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The files listed in `artifacts.json` (the weights' data file included). */
async function artifactFiles(dir: string): Promise<string[]> {
  const weights = JSON.parse(await readFile(join(dir, ARTIFACT_FILES.weights), 'utf8')) as { dataFile?: string };
  return [
    ARTIFACT_FILES.spec,
    ARTIFACT_FILES.weights,
    weights.dataFile ?? 'weights.bin',
    ARTIFACT_FILES.calibration,
    ARTIFACT_FILES.onnx,
    ARTIFACT_FILES.items,
    ARTIFACT_FILES.exampleRequest,
  ];
}

/** Writes `artifacts.json` describing the files now in `dir` (call it after every change to them). */
export async function writeArtifactsManifest(dir: string, fields: Omit<ArtifactsManifest, 'files' | 'createdAt'>): Promise<void> {
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const file of await artifactFiles(dir)) files[file] = await fileDigest(join(dir, file));
  await writeJsonAtomic(join(dir, ARTIFACT_FILES.manifest), { ...fields, createdAt: new Date().toISOString(), files });
}

/**
 * Reads `artifacts.json` and checks every file it lists against its recorded SHA-256.
 *
 * @throws Error naming the first missing or changed file and how to repair the directory.
 */
export async function verifyArtifacts(dir: string): Promise<ArtifactsManifest> {
  let manifest: ArtifactsManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, ARTIFACT_FILES.manifest), 'utf8')) as ArtifactsManifest;
  } catch {
    throw new Error(
      `${dir}: no readable ${ARTIFACT_FILES.manifest}; the artifacts were not completely written (train again, or --resume the run)`,
    );
  }
  for (const [file, expected] of Object.entries(manifest.files)) {
    let actual: { bytes: number; sha256: string };
    try {
      actual = await fileDigest(join(dir, file));
    } catch {
      throw new Error(`${dir}: ${file} is missing; the artifacts were not completely written (train again, or --resume the run)`);
    }
    if (actual.sha256 !== expected.sha256) {
      throw new Error(
        `${dir}: ${file} does not match ${ARTIFACT_FILES.manifest} (changed after it was written, or a write was interrupted); train again`,
      );
    }
  }
  return manifest;
}

/**
 * Writes a trainer artifacts directory for a trained model: `spec.json` (with the training
 * stats), weights, `calibration.json`, `model.onnx` (Platt scaling folded in), `items-table.bin`,
 * an `example-request.json` for `POST /v1/rank`, and last `artifacts.json` with every file's
 * SHA-256 (so a set mixed from two runs, or cut by a kill, is detected by `evaluate`/`export`).
 * Every file is written atomically (temp name, then rename).
 */
export async function writeModelArtifacts(options: {
  dir: string;
  model: ThawModel;
  summary: RunSummary;
  data: LoadedData;
  variant: string;
  logger: Logger;
}): Promise<void> {
  const { dir, model, summary, data, variant } = options;
  const spec = model.spec;
  await rm(join(dir, ARTIFACT_FILES.manifest), { force: true });
  const calibration = calibrationByTask(spec, summary.calibration);
  await writeJsonAtomic(join(dir, ARTIFACT_FILES.spec), spec);
  await writingTo(join(dir, ARTIFACT_FILES.weights), () => saveModelWeights(model, join(dir, ARTIFACT_FILES.weights)));
  await writeJsonAtomic(join(dir, ARTIFACT_FILES.calibration), calibration);
  const weights = await model.getWeights();
  const modelVersion = `${spec.name}/${variant}/seed-${summary.seed}/${specHash(spec)}`;
  await writeFileAtomic(join(dir, ARTIFACT_FILES.onnx), exportOnnx(spec, weights, { calibration, modelVersion }));
  await writeFileAtomic(join(dir, ARTIFACT_FILES.items), itemsTableBytes(spec, data));
  await writeJsonAtomic(join(dir, ARTIFACT_FILES.exampleRequest), exampleRequest(spec, data));
  await writeArtifactsManifest(dir, { variant, seed: summary.seed, data: data.name, modelVersion, specHash: specHash(spec) });
  options.logger.info(`artifacts of ${variant} (seed ${summary.seed}) written to ${dir}`);
}
