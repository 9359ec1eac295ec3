/**
 * The file names of a model artifacts directory: what `thaw-train` writes after training and
 * `thaw-serve --model DIR` reads. One list, so the writer and the reader cannot drift apart.
 *
 * | key | file | what | read by thaw-serve |
 * |---|---|---|---|
 * | `spec` | `spec.json` | the validated model spec, with the `stats`/`fill` that training set | yes |
 * | `weights` | `weights.json` | the trained parameters (`saveModelWeights` of `@thaw/training`, a `@thaw/weights` file) | no |
 * | `calibration` | `calibration.json` | per-task Platt parameters `{ <task>: { a, b } }` | no (folded into `model.onnx`) |
 * | `onnx` | `model.onnx` | the ONNX graph (`exportOnnx`); its `thaw.specHash` metadata is `specHash(spec.json)` | yes |
 * | `items` | `items-table.bin` | item id → item-source feature values and cold flag (`writeItemsTable`) | yes |
 * | `exampleRequest` | `example-request.json` | a `POST /v1/rank` body with real item ids, for trying the server | no |
 * | `manifest` | `artifacts.json` | what the run wrote: variant, seed, data, model version, spec hash, these names | no |
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * const specPath = join(modelDir, ARTIFACT_FILES.spec); // …/spec.json
 * ```
 */
export const ARTIFACT_FILES = {
  spec: 'spec.json',
  weights: 'weights.json',
  calibration: 'calibration.json',
  onnx: 'model.onnx',
  items: 'items-table.bin',
  exampleRequest: 'example-request.json',
  manifest: 'artifacts.json',
} as const;

/** A key of {@link ARTIFACT_FILES} (`'spec'`, `'onnx'`, `'items'` …). */
export type ArtifactFile = keyof typeof ARTIFACT_FILES;
