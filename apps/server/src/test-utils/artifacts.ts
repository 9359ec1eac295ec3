import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forward, initParameters, paramsOnBackend } from '@thaw/model';
import { type Calibration, exportOnnx } from '@thaw/onnx';
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

/** Writes spec.json, model.onnx (random-init weights of `seed`) and items-table.bin for `count` items. */
export async function makeArtifacts(
  spec: ModelSpec,
  options: { seed: number; count: number; version?: string; calibration?: Calibration; parent?: string },
): Promise<TestArtifacts> {
  const parent = options.parent ?? (await mkdtemp(join(tmpdir(), 'thaw-serve-')));
  const dir = join(parent, options.version ?? `model-${options.seed}`);
  await mkdir(dir, { recursive: true });
  const weights = initParameters(spec, options.seed);
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
  const itemValues = itemIds.map((id) =>
    Object.fromEntries(
      features.map((f) => {
        if (f.kind === 'dense') return [f.name, Array.from({ length: f.dim }, () => Math.fround(rng.normal()))];
        if (f.kind === 'categorical') return [f.name, encodeCategorical(f, Math.floor(rng.uniform() * f.vocabSize))];
        return [f.name, hashToBucket(id, f.buckets)];
      }),
    ),
  );
  const columns = Object.fromEntries(features.map((f) => [f.name, itemValues.flatMap((v) => v[f.name] as number | number[])]));
  await writeFile(join(dir, ARTIFACT_FILES.items), writeItemsTable(spec, { itemIds, features: columns, cold, asOf: 'test' }));
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
