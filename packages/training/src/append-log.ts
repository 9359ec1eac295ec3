import { open, readFile } from 'node:fs/promises';
import { WeightsFileError } from '@thaw/weights';

/** How much of an append-only JSON-lines log a checkpoint covers: its first `records` lines, `bytes` bytes. */
export interface LogMark {
  readonly records: number;
  readonly bytes: number;
}

/** A log nothing has been written to. */
export const EMPTY_LOG: LogMark = { records: 0, bytes: 0 };

/**
 * Cuts the JSON-lines log at `path` back to `mark` (dropping lines a crashed save appended but
 * never committed) and appends `records.slice(mark.records)`, one JSON object per line, flushed to
 * disk. Creates the file when missing. Returns the new mark.
 *
 * @throws WeightsFileError when the file is shorter than `mark` (lost or cut by something else).
 */
export async function appendLog(path: string, mark: LogMark, records: readonly unknown[]): Promise<LogMark> {
  const text = records
    .slice(mark.records)
    .map((r) => `${JSON.stringify(r)}\n`)
    .join('');
  const handle = await open(path, 'a');
  try {
    const { size } = await handle.stat();
    if (size < mark.bytes) {
      throw new WeightsFileError(
        `writeCheckpoint: ${path} has ${size} bytes but the previous checkpoint covers ${mark.bytes}; the log was cut or replaced — start the run in a fresh checkpoint dir`,
        path,
      );
    }
    if (size > mark.bytes) await handle.truncate(mark.bytes);
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { records: records.length, bytes: mark.bytes + Buffer.byteLength(text) };
}

/**
 * The first `mark.records` records of the JSON-lines log at `path` (its first `mark.bytes`
 * bytes; anything after them was never committed).
 *
 * @param manifest the checkpoint manifest that recorded `mark`, for error messages.
 * @throws WeightsFileError when the file is missing, shorter than `mark` or not JSON lines.
 */
export async function readLog(path: string, mark: LogMark, manifest: string): Promise<unknown[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new WeightsFileError(
      `readCheckpoint: cannot read ${path}, the log ${manifest} records ${mark.records} lines of (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); copy the whole checkpoint dir`,
      path,
    );
  }
  const fail = (what: string) =>
    new WeightsFileError(
      `readCheckpoint: ${path} ${what}, but ${manifest} records ${mark.records} lines in ${mark.bytes} bytes; the log was cut or replaced — copy the whole checkpoint dir or start afresh`,
      path,
    );
  if (bytes.byteLength < mark.bytes) throw fail(`has ${bytes.byteLength} bytes`);
  const lines = bytes.subarray(0, mark.bytes).toString('utf8').split('\n');
  lines.pop(); // the text after the last newline: empty when the mark ends a line
  if (lines.length !== mark.records) throw fail(`has ${lines.length} lines in its first ${mark.bytes} bytes`);
  try {
    return lines.map((line) => JSON.parse(line) as unknown);
  } catch (error) {
    throw fail(`holds a line that is not JSON (${(error as Error).message})`);
  }
}
