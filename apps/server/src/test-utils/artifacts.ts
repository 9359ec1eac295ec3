import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Calibration, forward, initParameters, paramsOnBackend } from '@thaw/model';
import { exportOnnx } from '@thaw/onnx';
import { ARTIFACT_FILES, encodeCategorical, hashToBucket, itemSourceFeatures, type ModelSpec, writeItemsTable } from '@thaw/spec';
import { createRng, referenceOps, type Tensor } from '@thaw/tensor';

/** A test artifacts directory and the raw values it was made from. */
export interface TestArtifacts {
  readonly dir: string;
  readonly spec: ModelSpec;
  readonly weights: Record<string, Tensor<'float32'>>;
  readonly itemIds: string[];
  /** Item-source feature values per item, as model rows (dense arrays, category/id rows). */
  readonly itemValues: Record<string, number | number[]>[];
  readonly cold: boolean[];
  readonly calibration: Calibration;
}

/**
 * Writes `artifacts.json` as thaw-train does (`files: { <name>: { bytes, sha256 } }`) for the three
 * files thaw-serve reads, from their bytes now on disk (call it again after changing one on purpose;
 * a missing file is left out).
 */
export async function writeManifest(dir: string): Promise<void> {
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of [ARTIFACT_FILES.spec, ARTIFACT_FILES.onnx, ARTIFACT_FILES.items]) {
    const bytes = await readFile(join(dir, name)).catch(() => undefined);
    if (bytes === undefined) continue; // a test leaving a file out on purpose
    files[name] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  await writeFile(join(dir, ARTIFACT_FILES.manifest), JSON.stringify({ modelVersion: 'test', files }, null, 2));
}

/** Writes spec.json, model.onnx (random-init weights of `seed`, or `weights`), items-table.bin for `count`
 * items and artifacts.json. */
export async function makeArtifacts(
  spec: ModelSpec,
  options: {
    seed: number;
    count: number;
    version?: string;
    calibration?: Calibration;
    parent?: string;
    weights?: Record<string, Tensor<'float32'>>;
    /** Replaces the item-source values of item `i` (model rows: dense arrays, category/id rows). */
    itemValues?: (i: number, values: Record<string, number | number[]>) => Record<string, number | number[]>;
  },
): Promise<TestArtifacts> {
  const parent = options.parent ?? (await mkdtemp(join(tmpdir(), 'thaw-serve-')));
  const dir = join(parent, options.version ?? `model-${options.seed}`);
  await mkdir(dir, { recursive: true });
  const weights = options.weights ?? initParameters(spec, options.seed);
  const calibration = options.calibration ?? {};
  await writeFile(join(dir, ARTIFACT_FILES.spec), JSON.stringify(spec, null, 2));
  await writeFile(
    join(dir, ARTIFACT_FILES.onnx),
    exportOnnx(spec, weights, { calibration, ...(options.version ? { modelVersion: options.version } : {}) }),
  );
  const rng = createRng(options.seed + 1000);
  const itemIds = Array.from({ length: options.count }, (_, i) => `item-${i}`);
  const cold = itemIds.map((_, i) => i % 4 === 0);
  const features = itemSourceFeatures(spec);
  const itemValues = itemIds.map((id, i) => {
    const values = Object.fromEntries(
      features.map((f) => {
        if (f.kind === 'dense') return [f.name, Array.from({ length: f.dim }, () => Math.fround(rng.normal()))];
        if (f.kind === 'categorical') return [f.name, encodeCategorical(f, Math.floor(rng.uniform() * f.vocabSize))];
        return [f.name, hashToBucket(id, f.buckets)];
      }),
    ) as Record<string, number | number[]>;
    return options.itemValues ? options.itemValues(i, values) : values;
  });
  const columns = Object.fromEntries(features.map((f) => [f.name, itemValues.flatMap((v) => v[f.name] as number | number[])]));
  await writeFile(join(dir, ARTIFACT_FILES.items), writeItemsTable(spec, { itemIds, features: columns, cold, asOf: 'test' }));
  await writeManifest(dir);
  return { dir, spec, weights, itemIds, itemValues, cold, calibration };
}

/**
 * The expected ranking, computed independently of the server: rows assembled here from the raw
 * values, the model math on the float64 reference backend, Platt + sigmoid + eq 12 in plain JS.
 */
export function expectedScores(
  a: TestArtifacts,
  rows: Record<string, number | number[]>[],
  utility: Record<string, number> = a.spec.utility,
): { score: number; tasks: Record<string, number> }[] {
  const r = referenceOps;
  const n = rows.length;
  const features = Object.fromEntries(
    a.spec.features.map((f) => {
      if (f.kind === 'dense')
        return [
          f.name,
          r.constant(
            rows.flatMap((row) => row[f.name] as number[]),
            [n, f.dim],
          ),
        ];
      return [
        f.name,
        r.constant(
          rows.map((row) => row[f.name] as number),
          [n],
          'int32',
        ),
      ];
    }),
  );
  const logits = forward(r, a.spec, paramsOnBackend(r, a.weights), features).logits.data;
  const T = a.spec.tasks.length;
  return rows.map((_, i) => {
    const tasks: Record<string, number> = {};
    let score = 0;
    a.spec.tasks.forEach((t, k) => {
      const { a: slope, b } = a.calibration[t.name] ?? { a: 1, b: 0 };
      const p = 1 / (1 + Math.exp(-(slope * (logits[i * T + k] as number) + b)));
      tasks[t.name] = p;
      score += (utility[t.name] as number) * p;
    });
    return { score, tasks };
  });
}
