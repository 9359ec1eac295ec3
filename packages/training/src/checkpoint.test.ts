import { readdir, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, createTensor } from '@thaw/tensor';
import { saveWeights, WeightsFileError } from '@thaw/weights';
import { describe, expect, it, vi } from 'vitest';
import { type Checkpoint, checkpointPath, loadCheckpoint, NO_LOGS, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { freshDirEachTest } from './test-utils/fresh-dir.js';
import { crashOnRename } from './test-utils/simulated-crash.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename) };
});
const realRename = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).rename;

const dir = freshDirEachTest('thaw-checkpoint-');

const record = (step: number) => ({ step, epoch: 0, total: step / 3, bce: 0.5, mixup: 0.25, scoreReg: 0.125, aldi: 0 });

/** A checkpoint after `steps` steps (metrics every 2 steps). */
function checkpointAt(steps: number): Checkpoint {
  return {
    position: { epoch: 0, batch: steps, step: steps, examples: steps * 4 },
    params: { w: createTensor('float32', [steps, -steps], [2]) },
    optimizer: { kind: 'adam', step: steps, tensors: { 'm/w': createTensor('float32', [0.5, steps], [2]) } },
    rng: createRng(steps).state(),
    history: Array.from({ length: steps }, (_, i) => record(i + 1)),
    metrics: Array.from({ length: Math.floor(steps / 2) }, (_, i) => ({ step: 2 * (i + 1), auc: 0.5 + i / 100 })),
    run: { specHash: 'abc', seed: 1 },
  };
}

describe('writeCheckpoint / readCheckpoint', () => {
  it('appends the history and metrics to side logs (each save writes only the new records) and reads them back', async () => {
    let logs = await writeCheckpoint(dir.path, checkpointAt(3), NO_LOGS);
    const historyAfter3 = (await stat(join(dir.path, 'history.jsonl'))).size;
    const manifestAfter3 = (await stat(checkpointPath(dir.path))).size;
    logs = await writeCheckpoint(dir.path, checkpointAt(300), logs);
    expect(logs.history.records).toBe(300);
    // the first 3 lines are the ones the first save wrote; the manifest does not grow with the history
    const text = await readFile(join(dir.path, 'history.jsonl'), 'utf8');
    expect(
      text
        .split('\n')
        .slice(0, 3)
        .map((l) => JSON.parse(l)),
    ).toEqual(checkpointAt(3).history);
    expect(Buffer.byteLength(text.split('\n').slice(0, 3).join('\n')) + 1).toBe(historyAfter3);
    expect((await stat(checkpointPath(dir.path))).size).toBeLessThan(manifestAfter3 + 100);

    const back = await readCheckpoint(dir.path);
    const expected = checkpointAt(300);
    expect(back?.history).toEqual(expected.history);
    expect(back?.metrics).toEqual(expected.metrics);
    expect(back?.position).toEqual(expected.position);
    expect(Array.from(back?.params.w?.data as Float32Array)).toEqual([300, -300]);
    expect((await readdir(dir.path)).filter((n) => n.endsWith('.bin'))).toHaveLength(1);
  });

  it('a crash after the logs are appended but before the manifest is renamed leaves the previous checkpoint, exactly', async () => {
    const logs3 = await writeCheckpoint(dir.path, checkpointAt(3), NO_LOGS);
    const crash = crashOnRename(vi.mocked(rename), realRename, (to) => to.endsWith('checkpoint.json'));
    void writeCheckpoint(dir.path, checkpointAt(6), logs3);
    await crash.crashed;
    crash.restore();
    // history.jsonl now holds 6 lines and a new binary lies beside the old manifest
    expect((await readFile(join(dir.path, 'history.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(6);

    const loaded = await loadCheckpoint(dir.path);
    expect(loaded?.checkpoint.position.step).toBe(3);
    expect(loaded?.checkpoint.history).toEqual(checkpointAt(3).history);
    expect(loaded?.checkpoint.metrics).toEqual(checkpointAt(3).metrics);
    expect(Array.from(loaded?.checkpoint.params.w?.data as Float32Array)).toEqual([3, -3]);

    // The resumed run saves again from the loaded marks: the uncommitted lines are replaced.
    const five = checkpointAt(5);
    await writeCheckpoint(dir.path, five, loaded?.logs ?? NO_LOGS);
    const back = await readCheckpoint(dir.path);
    expect(back?.history).toEqual(five.history);
    expect((await readFile(join(dir.path, 'history.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(5);
    const files = (await readdir(dir.path)).sort();
    expect(files.filter((n) => !n.endsWith('.bin'))).toEqual(['checkpoint.json', 'history.jsonl', 'metrics.jsonl']);
    expect(files.filter((n) => n.endsWith('.bin'))).toHaveLength(1);
  });

  it('reads an older checkpoint (history inline, checkpoint.bin); the next save moves it to the logs', async () => {
    const old = checkpointAt(4);
    const manifest = await saveWeights(
      checkpointPath(dir.path),
      { 'param/w': old.params.w as never, 'optimizer/m/w': old.optimizer.tensors['m/w'] as never },
      {
        metadata: {
          kind: 'thaw-checkpoint',
          position: old.position,
          optimizer: { kind: 'adam', step: 4 },
          rng: old.rng,
          history: old.history,
          metrics: old.metrics,
          run: old.run,
        },
      },
    );
    await realRename(join(dir.path, manifest.dataFile), join(dir.path, 'checkpoint.bin'));
    await writeFile(checkpointPath(dir.path), JSON.stringify({ ...manifest, dataFile: 'checkpoint.bin' }));

    const loaded = await loadCheckpoint(dir.path);
    expect(loaded?.checkpoint.history).toEqual(old.history);
    expect(loaded?.checkpoint.metrics).toEqual(old.metrics);
    const six = checkpointAt(6);
    await writeCheckpoint(dir.path, six, loaded?.logs ?? NO_LOGS);
    expect((await readCheckpoint(dir.path))?.history).toEqual(six.history);
    expect(await readdir(dir.path)).not.toContain('checkpoint.bin');
  });

  it('refuses a checkpoint whose history log was cut', async () => {
    await writeCheckpoint(dir.path, checkpointAt(4), NO_LOGS);
    await truncate(join(dir.path, 'history.jsonl'), 30);
    const error = await readCheckpoint(dir.path).catch((e: unknown) => e);
    expect(WeightsFileError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/history\.jsonl has 30 bytes, but .*checkpoint\.json records 4 lines/);
  });
});
