import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The error of a failed write, saying which file and what to do: Node's own (`ENOSPC: no space
 * left on device, write`) names no path. Keeps `code`, `errno` and `syscall`, and the original as
 * `cause`.
 */
function writeError(path: string, error: unknown): Error {
  const cause = error as NodeJS.ErrnoException;
  const what =
    cause.code === 'ENOSPC'
      ? `no space left on the device holding ${dirname(path)} (ENOSPC); free some space (or write elsewhere with --out) and run again`
      : cause.code === 'EDQUOT'
        ? `the disk quota is exhausted on ${dirname(path)} (EDQUOT); free some space and run again`
        : (cause.message ?? String(error));
  return Object.assign(new Error(`cannot write ${path}: ${what}`, { cause: error }), {
    code: cause.code,
    errno: cause.errno,
    syscall: cause.syscall,
    path,
  });
}

/**
 * Writes a file so that readers never see half of it: the bytes go to a temporary name in the
 * same directory, then a rename (atomic on POSIX) puts them in place. On failure the temporary file
 * is removed and the previous version, if any, is untouched.
 *
 * @throws Error `cannot write <path>: …` (with the `code` of the failure, e.g. `ENOSPC`, naming
 *   the directory to free).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw writeError(path, error);
  }
}

/**
 * Runs a write to `path` done by other code (e.g. `ThawModel.save`), turning its failure into the
 * same error as {@link writeFileAtomic}'s: `cannot write <path>: …`, ENOSPC naming the directory.
 *
 * @example `await writingTo(weightsPath, () => saveModelWeights(model, weightsPath));`
 */
export async function writingTo<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw typeof code === 'string' && code.startsWith('E') ? writeError(path, error) : error;
  }
}

/** {@link writeFileAtomic} of pretty-printed JSON with a trailing newline. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
