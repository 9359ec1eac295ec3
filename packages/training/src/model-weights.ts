import { checkParameters } from '@thaw/model';
import { specHash } from '@thaw/spec';
import type { ThawModel } from '@thaw/tfjs';
import { loadWeights, saveWeights, WeightsFileError, type WeightsManifest } from '@thaw/weights';

/** Options of {@link saveModelWeights}. */
export interface SaveModelWeightsOptions {
  /** JSON data stored in the manifest beside `spec` (the spec's name) and `specHash`. */
  readonly metadata?: Record<string, unknown>;
}

/**
 * Writes a tfjs model's parameters as a weights file (`saveWeights` of `@thaw/weights`: a JSON
 * manifest at `path` and a content-addressed binary beside it), with the spec's name and
 * `specHash` in the manifest's metadata.
 *
 * @returns the manifest written.
 * @example
 * ```ts
 * import { saveModelWeights } from '@thaw/training';
 * await saveModelWeights(model, 'out/weights.json', { metadata: { seed: 1 } });
 * ```
 */
export async function saveModelWeights(
  model: ThawModel,
  path: string,
  options: SaveModelWeightsOptions = {},
): Promise<WeightsManifest> {
  const spec = model.spec;
  return saveWeights(path, await model.getWeights(), {
    metadata: { spec: spec.name, specHash: specHash(spec), ...options.metadata },
  });
}

/**
 * Reads a weights file written by {@link saveModelWeights} (or any weights file holding exactly the
 * parameters of the model's spec) into the model's variables.
 *
 * @throws WeightsFileError when the file is missing, corrupted, or holds the parameters of another
 * spec (naming the first mismatches).
 * @example
 * ```ts
 * import { buildModel } from '@thaw/tfjs';
 * import { loadModelWeights } from '@thaw/training';
 * const model = buildModel(spec);
 * await loadModelWeights(model, 'out/weights.json');
 * ```
 */
export async function loadModelWeights(model: ThawModel, path: string): Promise<void> {
  const spec = model.spec;
  const { tensors } = await loadWeights(path);
  const issues = checkParameters(spec, tensors);
  if (issues.length > 0) {
    throw new WeightsFileError(
      `loadModelWeights: ${path} does not hold the parameters of spec '${spec.name}' (${issues.slice(0, 5).join('; ')}${issues.length > 5 ? `; … ${issues.length - 5} more` : ''}); load weights saved from the same spec`,
      path,
    );
  }
  model.setWeights(tensors);
}
