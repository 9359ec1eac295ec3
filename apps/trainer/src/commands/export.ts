import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exportOnnx } from '@thaw/onnx';
import { ARTIFACT_FILES, validateSpec } from '@thaw/spec';
import { loadWeights } from '@thaw/weights';
import { writeFileAtomic } from '../atomic-write.js';
import { verifyArtifacts, writeArtifactsManifest } from '../model-artifacts.js';
import { type CommonOptions, ensureArtifactsDir, loggerFor } from './common.js';

/** Flags of `thaw-train export`. */
export interface ExportCommandOptions extends CommonOptions {
  readonly model: string;
  readonly output?: string;
}

/** `thaw-train export`: (re)writes `model.onnx` from an artifacts directory's spec, weights and calibration. */
export async function exportCommand(options: ExportCommandOptions): Promise<void> {
  const dir = resolve(options.model);
  await ensureArtifactsDir(dir, ARTIFACT_FILES.spec);
  const logger = loggerFor(options);
  const spec = validateSpec(JSON.parse(await readFile(join(dir, ARTIFACT_FILES.spec), 'utf8')), join(dir, ARTIFACT_FILES.spec));
  const weights = await loadWeights(join(dir, ARTIFACT_FILES.weights));
  const calibration = JSON.parse(await readFile(join(dir, ARTIFACT_FILES.calibration), 'utf8'));
  const manifest = await verifyArtifacts(dir);
  const bytes = exportOnnx(spec, weights.tensors, { calibration, modelVersion: manifest.modelVersion });
  const output = resolve(options.output ?? join(dir, ARTIFACT_FILES.onnx));
  await writeFileAtomic(output, bytes);
  if (output === join(dir, ARTIFACT_FILES.onnx)) {
    const { files: _, createdAt: __, ...fields } = manifest;
    await writeArtifactsManifest(dir, fields);
  }
  logger.info(`wrote ${output} (${bytes.length} bytes, opset 17, IR 8)`);
  if (options.json) process.stdout.write(`${JSON.stringify({ onnx: output, bytes: bytes.length })}\n`);
}
