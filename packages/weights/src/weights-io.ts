import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createTensor, formatShape, sizeOf, type Tensor } from '@thaw/tensor';
import { WeightsFileError } from './weights-file-error.js';

/** The element types a weights file stores (4 bytes each, little-endian). */
export type WeightsDType = 'float32' | 'int32';

/** One tensor's entry in a {@link WeightsManifest}. */
export interface WeightsEntry {
  readonly name: string;
  readonly dtype: WeightsDType;
  readonly shape: readonly number[];
  /** Byte offset in the binary file. */
  readonly offset: number;
  readonly byteLength: number;
}

/** The JSON manifest written beside the binary file. */
export interface WeightsManifest {
  readonly format: 'thaw-weights';
  readonly formatVersion: 1;
  /**
   * File name of the binary, in the manifest's directory: `<base>.<sha16>.bin` (content-addressed;
   * files written by thaw before content addressing use `<base>.bin`, which loads the same way).
   */
  readonly dataFile: string;
  readonly byteLength: number;
  /** Hex SHA-256 of the whole binary file. */
  readonly sha256: string;
  readonly tensors: readonly WeightsEntry[];
  /** Free-form JSON the caller stored (spec hash, training state …). */
  readonly metadata?: unknown;
}

/** Options of {@link saveWeights}. */
export interface SaveWeightsOptions {
  /** JSON-serialisable data stored in the manifest (e.g. `{ specHash }`). */
  readonly metadata?: unknown;
}

/** What {@link loadWeights} returns. */
export interface LoadedWeights {
  readonly tensors: Record<string, Tensor<'float32'> | Tensor<'int32'>>;
  readonly manifest: WeightsManifest;
}

/**
 * The binary file that goes with the manifest at `path`: `manifest.dataFile` beside it.
 *
 * @example
 * ```ts
 * const { manifest } = await loadWeights('out/weights.json');
 * weightsDataPath('out/weights.json', manifest); // 'out/weights.3f2a9c0d1b7e4a65.bin'
 * ```
 */
export function weightsDataPath(path: string, manifest: Pick<WeightsManifest, 'dataFile'>): string {
  return join(dirname(path), manifest.dataFile);
}

/** `weights.json` → `weights`: the name every file of one manifest starts with. */
function baseName(path: string): string {
  return basename(path).replace(/\.json$/i, '');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let temporaryCounter = 0;
function temporaryName(path: string): string {
  temporaryCounter += 1;
  return `${path}.tmp-${process.pid}-${Date.now()}-${temporaryCounter}`;
}

/** Writes `data` to `path` and flushes it to disk before returning. */
async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The data file the manifest at `path` names now, or undefined when there is no readable manifest. */
async function currentDataFile(path: string): Promise<string | undefined> {
  try {
    const dataFile = (JSON.parse(await readFile(path, 'utf8')) as Partial<WeightsManifest>).dataFile;
    return typeof dataFile === 'string' ? dataFile : undefined;
  } catch {
    return undefined;
  }
}

/**
 * After the manifest at `path` was committed naming `keep`: removes the binary the previous
 * manifest named, binaries of interrupted saves (`<base>.<sha16>.bin` named by no manifest) and
 * temporary files of this manifest. Best effort: the save has already succeeded.
 */
async function removeStaleFiles(path: string, keep: string, previous: string | undefined): Promise<void> {
  const dir = dirname(path);
  const base = escapeRegExp(baseName(path));
  const stale = [
    new RegExp(`^${base}\\.[0-9a-f]{16}\\.bin$`),
    new RegExp(`^${base}\\.(?:[0-9a-f]{16}\\.)?bin\\.tmp-`),
    new RegExp(`^${escapeRegExp(basename(path))}\\.tmp-`),
  ];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const doomed = names.filter((name) => name !== keep && (name === previous || stale.some((re) => re.test(name))));
  await Promise.all(doomed.map((name) => rm(join(dir, name), { force: true }).catch(() => undefined)));
}

/**
 * Writes named tensors as a JSON manifest (`path`, e.g. `weights.json`) plus one binary file beside
 * it named by its content (`weights.<first 16 hex digits of its SHA-256>.bin`), with the binary's
 * full SHA-256 in the manifest. No tfjs-node needed.
 *
 * Atomic: the binary is written under a temporary name and renamed to its content-addressed name
 * (no manifest names it yet), then the manifest is written the same way; renaming the manifest
 * into place is the single step that commits the save. A crash at any point leaves the previous
 * manifest with its own binary, readable. After the commit, the previous binary, binaries of
 * interrupted saves and temporary files of this manifest are removed. One process at a time
 * should write a given manifest.
 *
 * @param tensors float32 or int32 host tensors by name (order is kept).
 * @throws TypeError for another dtype.
 * @example
 * ```ts
 * import { createTensor } from '@thaw/tensor';
 * await saveWeights('out/weights.json', { w: createTensor('float32', [1, 2], [1, 2]) }, { metadata: { step: 10 } });
 * const { tensors } = await loadWeights('out/weights.json');
 * ```
 */
export async function saveWeights(
  path: string,
  tensors: Readonly<Record<string, Tensor>>,
  options: SaveWeightsOptions = {},
): Promise<WeightsManifest> {
  const entries: WeightsEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new TypeError(`saveWeights: tensors['${name}'] has dtype '${tensor.dtype}'; weights files store float32 or int32`);
    }
    const data = tensor.data as Float32Array | Int32Array;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    entries.push({ name, dtype: tensor.dtype, shape: [...tensor.shape], offset, byteLength: bytes.byteLength });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const binary = Buffer.concat(chunks);
  const sha256 = createHash('sha256').update(binary).digest('hex');
  const manifest: WeightsManifest = {
    format: 'thaw-weights',
    formatVersion: 1,
    dataFile: `${baseName(path)}.${sha256.slice(0, 16)}.bin`,
    byteLength: binary.byteLength,
    sha256,
    tensors: entries,
    ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
  };
  await mkdir(dirname(path), { recursive: true });
  const previous = await currentDataFile(path);
  const dataPath = weightsDataPath(path, manifest);
  const dataTemp = temporaryName(dataPath);
  const manifestTemp = temporaryName(path);
  try {
    await writeDurably(dataTemp, binary);
    await rename(dataTemp, dataPath);
    await writeDurably(manifestTemp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(manifestTemp, path); // the commit
  } catch (error) {
    await rm(dataTemp, { force: true });
    await rm(manifestTemp, { force: true });
    throw error;
  }
  await removeStaleFiles(path, manifest.dataFile, previous);
  return manifest;
}

function parseManifest(text: string, path: string): WeightsManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WeightsFileError(`loadWeights: ${path} is not valid JSON (${(error as Error).message}); re-save the weights`, path);
  }
  const m = json as Partial<WeightsManifest>;
  if (m.format !== 'thaw-weights' || m.formatVersion !== 1 || !Array.isArray(m.tensors) || typeof m.sha256 !== 'string') {
    throw new WeightsFileError(
      `loadWeights: ${path} is not a thaw weights manifest (expected format 'thaw-weights', formatVersion 1; got format ${JSON.stringify(m.format)}, formatVersion ${JSON.stringify(m.formatVersion)})`,
      path,
    );
  }
  if (typeof m.dataFile !== 'string' || m.dataFile === '' || basename(m.dataFile) !== m.dataFile || m.dataFile === '..') {
    throw new WeightsFileError(
      `loadWeights: ${path} names data file ${JSON.stringify(m.dataFile)}; it must be a file name beside the manifest — re-save the weights`,
      path,
    );
  }
  return m as WeightsManifest;
}

/**
 * Reads weights written by {@link saveWeights}, refusing anything that is not byte-for-byte what
 * was written: a missing or truncated binary, a size or SHA-256 mismatch, entries that overrun the
 * binary or whose byte length does not match their shape.
 *
 * @param path the manifest (`weights.json`); the binary is the manifest's `dataFile` beside it.
 * @throws WeightsFileError naming the file, what is wrong and how to fix it.
 */
export async function loadWeights(path: string): Promise<LoadedWeights> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WeightsFileError(
      `loadWeights: cannot read manifest ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      path,
    );
  }
  const manifest = parseManifest(text, path);
  const dataPath = weightsDataPath(path, manifest);
  let binary: Buffer;
  try {
    binary = await readFile(dataPath);
  } catch (error) {
    throw new WeightsFileError(
      `loadWeights: cannot read ${dataPath}, the binary named by ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); copy both files together`,
      dataPath,
    );
  }
  if (binary.byteLength !== manifest.byteLength) {
    throw new WeightsFileError(
      `loadWeights: ${dataPath} has ${binary.byteLength} bytes but ${path} says ${manifest.byteLength}; the binary is truncated or belongs to another manifest — re-save or re-copy both files`,
      dataPath,
    );
  }
  const digest = createHash('sha256').update(binary).digest('hex');
  if (digest !== manifest.sha256) {
    throw new WeightsFileError(
      `loadWeights: the SHA-256 of ${dataPath} is ${digest} but ${path} expects ${manifest.sha256}; the binary is corrupted or from another save — re-save or re-copy both files`,
      dataPath,
    );
  }
  const tensors: Record<string, Tensor<'float32'> | Tensor<'int32'>> = {};
  for (const entry of manifest.tensors) {
    const expected = sizeOf(entry.shape) * 4;
    if (
      entry.byteLength !== expected ||
      entry.offset < 0 ||
      entry.offset + entry.byteLength > binary.byteLength ||
      entry.offset % 4 !== 0
    ) {
      throw new WeightsFileError(
        `loadWeights: entry '${entry.name}' (shape ${formatShape(entry.shape)}, offset ${entry.offset}, ${entry.byteLength} bytes) does not fit ${dataPath} (${binary.byteLength} bytes, ${expected} bytes expected for the shape)`,
        path,
      );
    }
    const bytes = binary.subarray(entry.offset, entry.offset + entry.byteLength);
    const copy = new Uint8Array(bytes).buffer;
    if (entry.dtype === 'float32') tensors[entry.name] = createTensor('float32', new Float32Array(copy), entry.shape);
    else if (entry.dtype === 'int32') tensors[entry.name] = createTensor('int32', new Int32Array(copy), entry.shape);
    else {
      throw new WeightsFileError(
        `loadWeights: entry '${entry.name}' has dtype ${JSON.stringify(entry.dtype)}; expected 'float32' or 'int32'`,
        path,
      );
    }
  }
  return { tensors, manifest };
}
