import { join } from 'node:path';
import { type FeatureFrame, SECONDS_PER_DAY } from '@thaw/data';
import type { ThawModel } from '@thaw/layers';
import { exportOnnx } from '@thaw/onnx';
import { type FeatureSpec, itemSourceFeatures, type ModelSpec, specHash, writeItemsTable } from '@thaw/spec';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import type { PlattParameters } from './calibration.js';
import type { LoadedData } from './data-source.js';
import type { Logger } from './logger.js';
import type { RunSummary } from './train-run.js';

/** The files of a trainer artifacts directory (what `thaw-serve --model DIR` reads). */
export const ARTIFACTS = {
  spec: 'spec.json',
  weights: 'weights.json',
  calibration: 'calibration.json',
  onnx: 'model.onnx',
  items: 'items-table.bin',
  exampleRequest: 'example-request.json',
  manifest: 'artifacts.json',
} as const;

/** The Platt parameters keyed by task name, as `exportOnnx` and `calibration.json` take them. */
export function calibrationByTask(spec: ModelSpec, calibration: readonly PlattParameters[]) {
  return Object.fromEntries(spec.tasks.map((t, i) => [t.name, { a: calibration[i]?.a ?? 1, b: calibration[i]?.b ?? 0 }]));
}

const itemKey = (frame: FeatureFrame, item: number) => frame.keys?.item?.[item] ?? String(item);

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

/**
 * Writes a trainer artifacts directory for a trained model: `spec.json` (with the training
 * stats), weights, `calibration.json`, `model.onnx` (Platt scaling folded in), `items-table.bin`,
 * an `example-request.json` for `POST /v1/rank`, and `artifacts.json` describing them. Every file
 * is written atomically (temp name, then rename).
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
  const calibration = calibrationByTask(spec, summary.calibration);
  await writeJsonAtomic(join(dir, ARTIFACTS.spec), spec);
  await model.save(join(dir, ARTIFACTS.weights));
  await writeJsonAtomic(join(dir, ARTIFACTS.calibration), calibration);
  const weights = await model.getWeights();
  const modelVersion = `${spec.name}/${variant}/seed-${summary.seed}/${specHash(spec)}`;
  await writeFileAtomic(join(dir, ARTIFACTS.onnx), exportOnnx(spec, weights, { calibration, modelVersion }));
  await writeFileAtomic(join(dir, ARTIFACTS.items), itemsTableBytes(spec, data));
  await writeJsonAtomic(join(dir, ARTIFACTS.exampleRequest), exampleRequest(spec, data));
  await writeJsonAtomic(join(dir, ARTIFACTS.manifest), {
    variant,
    seed: summary.seed,
    data: data.name,
    modelVersion,
    specHash: specHash(spec),
    createdAt: new Date().toISOString(),
    files: ARTIFACTS,
  });
  options.logger.info(`artifacts of ${variant} (seed ${summary.seed}) written to ${dir}`);
}
