import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ONNX_METADATA_KEYS, type OnnxModelInfo, readOnnxModelInfo } from '@thaw/onnx';
import { ARTIFACT_FILES, type ItemsTable, type ModelSpec, readItemsTable, specHash, validateSpec } from '@thaw/spec';

const marker = Symbol.for('@thaw/server.ArtifactsError');

/** A model directory thaw-serve cannot serve: `file` names the artifact at fault. */
export class ArtifactsError extends Error {
  readonly [marker] = true;
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ArtifactsError';
    this.file = file;
  }
  /** True for any `ArtifactsError`, whichever copy of the module threw it. */
  static isInstance(error: unknown): error is ArtifactsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** A validated artifacts directory, read into memory. */
export interface Artifacts {
  readonly dir: string;
  readonly spec: ModelSpec;
  readonly specHash: string;
  readonly modelBytes: Uint8Array;
  readonly modelInfo: OnnxModelInfo;
  readonly items: ItemsTable;
  /** `thaw.modelVersion` from the ONNX metadata, else the directory's name. */
  readonly version: string;
}

async function readArtifact(dir: string, name: string): Promise<Buffer> {
  const path = join(dir, name);
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ArtifactsError(
      path,
      code === 'ENOENT' ? 'is missing; is this a thaw-train artifacts directory?' : `cannot be read (${code})`,
    );
  }
}

/**
 * Reads and cross-checks a trainer artifacts directory: `spec.json` (a valid thaw spec),
 * `model.onnx` (exported from that very spec: its `thaw.specHash` metadata equals
 * `specHash(spec)`) and `items-table.bin` (written for that spec).
 *
 * @throws ArtifactsError naming the file and what is wrong with it.
 */
export async function readArtifacts(directory: string): Promise<Artifacts> {
  const dir = resolve(directory);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new ArtifactsError(dir, 'is not a directory; pass the artifacts directory thaw-train wrote (--model DIR)');

  const specPath = join(dir, ARTIFACT_FILES.spec);
  let spec: ModelSpec;
  try {
    spec = validateSpec(JSON.parse((await readArtifact(dir, ARTIFACT_FILES.spec)).toString('utf8')), specPath);
  } catch (error) {
    if (ArtifactsError.isInstance(error)) throw error;
    throw new ArtifactsError(specPath, (error as Error).message);
  }
  const hash = specHash(spec);

  const modelPath = join(dir, ARTIFACT_FILES.onnx);
  const modelBytes = await readArtifact(dir, ARTIFACT_FILES.onnx);
  let modelInfo: OnnxModelInfo;
  try {
    modelInfo = readOnnxModelInfo(modelBytes);
  } catch (error) {
    throw new ArtifactsError(modelPath, (error as Error).message);
  }
  const exportedFrom = modelInfo.metadata[ONNX_METADATA_KEYS.specHash];
  if (exportedFrom !== hash) {
    throw new ArtifactsError(
      modelPath,
      `was exported from spec hash ${exportedFrom ?? '(none)'} but spec.json hashes to ${hash}; export the model again from this spec.json`,
    );
  }

  const itemsPath = join(dir, ARTIFACT_FILES.items);
  let items: ItemsTable;
  try {
    items = readItemsTable(await readArtifact(dir, ARTIFACT_FILES.items), spec);
  } catch (error) {
    if (ArtifactsError.isInstance(error)) throw error;
    throw new ArtifactsError(itemsPath, (error as Error).message);
  }
  const version = modelInfo.metadata[ONNX_METADATA_KEYS.modelVersion] ?? basename(dir);
  return { dir, spec, specHash: hash, modelBytes, modelInfo, items, version };
}
