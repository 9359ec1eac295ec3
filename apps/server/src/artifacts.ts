import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { findNonFiniteWeight, ONNX_METADATA_KEYS, type OnnxModelInfo, readOnnxModelInfo } from '@thaw/onnx';
import { ARTIFACT_FILES, type ItemsTable, type ModelSpec, readItemsTable, specHash, validateSpec } from '@thaw/spec';
import { type ArtifactsManifestFiles, parseJsonArtifact, readManifest, verifyArtifact } from './artifacts-manifest.js';

const marker = Symbol.for('@thaw/server.ArtifactsError');

/**
 * A model directory thaw-serve cannot serve: `file` names the artifact at fault; `outsideRoot` is
 * true when it (or the directory) resolves outside the models root (a reload then gets 403).
 */
export class ArtifactsError extends Error {
  readonly [marker] = true;
  readonly file: string;
  readonly outsideRoot: boolean;
  constructor(file: string, message: string, options: { outsideRoot?: boolean } = {}) {
    super(`${file}: ${message}`);
    this.name = 'ArtifactsError';
    this.file = file;
    this.outsideRoot = options.outsideRoot ?? false;
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

/** Where {@link readArtifacts} may read: a directory tree no path may leave, symlinks resolved. */
export interface ArtifactsOptions {
  /**
   * The models root (its realpath): the directory and every file read must resolve inside it
   * (`realpath`, so a symlink pointing out of it is refused). Default: no containment.
   */
  readonly root?: string;
}

/** True when `path` is `root` or lies under it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function readArtifact(dir: string, name: string, root: string | undefined): Promise<Buffer> {
  const path = join(dir, name);
  let target = path;
  try {
    if (root !== undefined) {
      target = await realpath(path);
      if (!isInside(root, target)) {
        throw new ArtifactsError(
          path,
          `resolves outside the models root ${root} (a symlink?); thaw-serve reads only files inside it`,
          { outsideRoot: true },
        );
      }
    }
    return await readFile(target);
  } catch (error) {
    if (ArtifactsError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ArtifactsError(
      path,
      code === 'ENOENT' ? 'is missing; is this a thaw-train artifacts directory?' : `cannot be read (${code})`,
    );
  }
}

/**
 * Reads and cross-checks a trainer artifacts directory: `artifacts.json` (thaw-train's manifest:
 * each file thaw-serve reads must match its recorded size and SHA-256), `spec.json` (a valid thaw
 * spec), `model.onnx` (exported from that very spec: its `thaw.specHash` metadata equals
 * `specHash(spec)`; every float weight finite) and `items-table.bin` (written for that spec).
 * With `options.root`, the directory and each file must resolve (realpath) inside the root.
 * Error messages never quote a file's content.
 *
 * @throws ArtifactsError naming the file and what is wrong with it.
 */
export async function readArtifacts(directory: string, options: ArtifactsOptions = {}): Promise<Artifacts> {
  const { root } = options;
  let dir = root === undefined ? resolve(directory) : resolve(root, directory);
  if (root !== undefined && !isInside(root, dir)) {
    throw new ArtifactsError(
      dir,
      `is outside the models root ${root}; thaw-serve loads models only from inside it (--models-root)`,
      {
        outsideRoot: true,
      },
    );
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new ArtifactsError(dir, 'is not a directory; pass the artifacts directory thaw-train wrote (--model DIR)');
  if (root !== undefined) {
    const real = await realpath(dir);
    if (!isInside(root, real)) {
      throw new ArtifactsError(
        dir,
        `resolves to ${real}, outside the models root ${root}; thaw-serve loads models only from inside it (--models-root)`,
        { outsideRoot: true },
      );
    }
    dir = real;
  }

  const manifestPath = join(dir, ARTIFACT_FILES.manifest);
  const parsedManifest = parseJsonArtifact(await readArtifact(dir, ARTIFACT_FILES.manifest, root));
  const checked = parsedManifest.ok ? readManifest(parsedManifest.value) : parsedManifest;
  if (!checked.ok) throw new ArtifactsError(manifestPath, checked.problem);
  const manifest: ArtifactsManifestFiles = checked.manifest;
  /** A file's bytes, checked against artifacts.json before anything parses them. */
  const readChecked = async (name: string) => {
    const bytes = await readArtifact(dir, name, root);
    const problem = verifyArtifact(manifest, name, bytes);
    if (problem !== undefined) throw new ArtifactsError(join(dir, name), problem);
    return bytes;
  };

  const specPath = join(dir, ARTIFACT_FILES.spec);
  const specJson = parseJsonArtifact(await readChecked(ARTIFACT_FILES.spec));
  if (!specJson.ok) throw new ArtifactsError(specPath, specJson.problem);
  let spec: ModelSpec;
  try {
    spec = validateSpec(specJson.value, specPath);
  } catch (error) {
    throw new ArtifactsError(specPath, (error as Error).message);
  }
  const hash = specHash(spec);

  const modelPath = join(dir, ARTIFACT_FILES.onnx);
  const modelBytes = await readChecked(ARTIFACT_FILES.onnx);
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

  const nonFinite = findNonFiniteWeight(modelBytes);
  if (nonFinite !== undefined) {
    throw new ArtifactsError(
      modelPath,
      `weight '${nonFinite.name}' holds ${nonFinite.value} at element ${nonFinite.index}; the model cannot score every item (did training diverge?)`,
    );
  }

  const itemsPath = join(dir, ARTIFACT_FILES.items);
  let items: ItemsTable;
  try {
    items = readItemsTable(await readChecked(ARTIFACT_FILES.items), spec);
  } catch (error) {
    if (ArtifactsError.isInstance(error)) throw error;
    throw new ArtifactsError(itemsPath, (error as Error).message);
  }
  const version = modelInfo.metadata[ONNX_METADATA_KEYS.modelVersion] ?? basename(dir);
  return { dir, spec, specHash: hash, modelBytes, modelInfo, items, version };
}
