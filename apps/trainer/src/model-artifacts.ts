import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type FeatureFrame, SECONDS_PER_DAY } from '@thaw/data';
import type { ThawModel } from '@thaw/layers';
import { exportOnnx } from '@thaw/onnx';
import { ARTIFACT_FILES, type FeatureSpec, itemSourceFeatures, type ModelSpec, specHash, writeItemsTable } from '@thaw/spec';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import type { PlattParameters } from './calibration.js';
import type { LoadedData } from './data-source.js';
import type { Logger } from './logger.js';
import type { RunSummary } from './train-run.js';

/** The Platt parameters keyed by task name, as `exportOnnx` and `calibration.json` take them. */
export function calibrationByTask(spec: ModelSpec, calibration: readonly PlattParameters[]) {
  return Object.fromEntries(spec.tasks.map((t, i) => [t.name, { a: calibration[i]?.a ?? 1, b: calibration[i]?.b ?? 0 }]));
}

/** The key of an item as its source wrote it (what the items table and thaw-serve use). */
export const itemKey = (frame: FeatureFrame, item: number) => frame.keys?.item?.[item] ?? String(item);

/**
 * An items table from frame rows: every item of `rows`, with the item-source feature values of
 * its latest row among them, cold when its age at `asOf` (seconds since the epoch; default: the
 * latest row's time) is under `coldDays`.
 */
export function itemsTableFromRows(spec: ModelSpec, frame: FeatureFrame, rows: ArrayLike<number>, asOf?: number): Uint8Array {
  const latest = new Map<number, number>();
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const item = frame.itemId[r] as number;
    const seen = latest.get(item);
    if (seen === undefined || (frame.timestamp[r] as number) >= (frame.timestamp[seen] as number)) latest.set(item, r);
    last = Math.max(last, frame.timestamp[r] as number);
  }
  const at = asOf ?? last;
  const items = [...latest.keys()];
  const width = (f: FeatureSpec) => (f.kind === 'dense' ? f.dim : 1);
  const columns: Record<string, Float32Array | Int32Array> = {};
  for (const f of itemSourceFeatures(spec)) {
    const source = frame.features[f.name];
    if (!source) throw new TypeError(`itemsTableFromRows: the frame has no column '${f.name}'`);
    const w = width(f);
    const out = f.kind === 'dense' ? new Float32Array(items.length * w) : new Int32Array(items.length);
    items.forEach((item, i) => {
      const r = latest.get(item) as number;
      out.set(source.subarray(r * w, (r + 1) * w), i * w);
    });
    columns[f.name] = out;
  }
  const coldDays = spec.coldStart.coldDays;
  const cold = items.map((item) =>
    (at - (frame.itemCreatedAt[latest.get(item) as number] as number)) / SECONDS_PER_DAY < coldDays ? 1 : 0,
  );
  return writeItemsTable(spec, {
    itemIds: items.map((item) => itemKey(frame, item)),
    features: columns,
    cold,
    asOf: Number.isFinite(at) ? new Date(at * 1000).toISOString() : 'unknown',
  });
}

/**
 * The items table for serving: every item shown up to the end of the calibration window, with
 * the item-source feature values of its latest impression in that time (so its historical
 * features as of then), and its cold flag as of the end of the window.
 */
export function itemsTableBytes(spec: ModelSpec, data: LoadedData): Uint8Array {
  const { train, calibration } = data.split.rows;
  const rows = new Int32Array(train.length + calibration.length);
  rows.set(train);
  rows.set(calibration, train.length);
  return itemsTableFromRows(spec, data.frame, rows);
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
  await model.save(join(dir, ARTIFACT_FILES.weights));
  await writeJsonAtomic(join(dir, ARTIFACT_FILES.calibration), calibration);
  const weights = await model.getWeights();
  const modelVersion = `${spec.name}/${variant}/seed-${summary.seed}/${specHash(spec)}`;
  await writeFileAtomic(join(dir, ARTIFACT_FILES.onnx), exportOnnx(spec, weights, { calibration, modelVersion }));
  await writeFileAtomic(join(dir, ARTIFACT_FILES.items), itemsTableBytes(spec, data));
  await writeJsonAtomic(join(dir, ARTIFACT_FILES.exampleRequest), exampleRequest(spec, data));
  await writeArtifactsManifest(dir, { variant, seed: summary.seed, data: data.name, modelVersion, specHash: specHash(spec) });
  options.logger.info(`artifacts of ${variant} (seed ${summary.seed}) written to ${dir}`);
}
