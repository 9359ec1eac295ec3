import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTensor } from '@thaw/tensor';
import { describe, expect, it, vi } from 'vitest';
import { freshDirEachTest } from './test-utils/fresh-dir.js';
import { crashOnRename } from './test-utils/simulated-crash.js';
import { WeightsFileError } from './weights-file-error.js';
import { loadWeights, saveWeights, weightsDataPath } from './weights-io.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename) };
});
const realRename = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).rename;

const dir = freshDirEachTest('thaw-weights-');

const tensors = () => ({
  'cross.0.kernel': createTensor('float32', [1.5, -0, Number.NaN, 3.4028234663852886e38, -2.25, 7], [2, 3]),
  bias: createTensor('float32', [0.125], [1]),
  step: createTensor('int32', [2147483647, -5], [2]),
  empty: createTensor('float32', [], [0, 4]),
});

async function expectRefused(path: string, pattern: RegExp) {
  const error = await loadWeights(path).catch((e: unknown) => e);
  expect(WeightsFileError.isInstance(error)).toBe(true);
  expect((error as Error).message).toMatch(pattern);
}

describe('saveWeights / loadWeights', () => {
  it('round-trips names, dtypes, shapes and bit patterns, and keeps metadata', async () => {
    const path = join(dir.path, 'sub', 'weights.json');
    await saveWeights(path, tensors(), { metadata: { step: 3 } });
    const { tensors: back, manifest } = await loadWeights(path);
    expect(Object.keys(back)).toEqual(['cross.0.kernel', 'bias', 'step', 'empty']);
    const original = tensors();
    for (const [name, t] of Object.entries(original)) {
      const b = back[name];
      expect(b?.dtype).toBe(t.dtype);
      expect(b?.shape).toEqual(t.shape);
      expect(Array.from(b?.data ?? []).map(String)).toEqual(Array.from(t.data as Float32Array).map(String));
    }
    expect(Object.is(back['cross.0.kernel']?.data[1], -0)).toBe(true);
    expect(manifest.metadata).toEqual({ step: 3 });
    // 6 + 1 + 2 + 0 elements × 4 bytes
    expect(manifest.byteLength).toBe(36);
    // the binary is named by its content: the first 16 hex digits of its SHA-256
    const sha = createHash('sha256')
      .update(await readFile(weightsDataPath(path, manifest)))
      .digest('hex');
    expect(manifest.dataFile).toBe(`weights.${sha.slice(0, 16)}.bin`);
    expect((await readdir(join(dir.path, 'sub'))).sort()).toEqual([manifest.dataFile, 'weights.json']);
  });

  it('refuses a truncated binary', async () => {
    const path = join(dir.path, 'w.json');
    const manifest = await saveWeights(path, tensors());
    await truncate(weightsDataPath(path, manifest), 20);
    await expectRefused(path, /has 20 bytes but .* says 36; the binary is truncated/);
  });

  it('refuses a binary whose bytes changed (checksum)', async () => {
    const path = join(dir.path, 'w.json');
    const manifest = await saveWeights(path, tensors());
    const bytes = await readFile(weightsDataPath(path, manifest));
    bytes[5] = (bytes[5] as number) ^ 0xff;
    await writeFile(weightsDataPath(path, manifest), bytes);
    await expectRefused(path, /SHA-256 .* expects/);
  });

  it('refuses a binary from another save of the same size', async () => {
    const a = join(dir.path, 'a.json');
    const b = join(dir.path, 'b.json');
    const ma = await saveWeights(a, tensors());
    const mb = await saveWeights(b, { ...tensors(), bias: createTensor('float32', [0.5], [1]) });
    await writeFile(weightsDataPath(a, ma), await readFile(weightsDataPath(b, mb)));
    await expectRefused(a, /SHA-256/);
  });

  it('refuses a missing binary, a foreign manifest and a manifest whose entries overrun the binary', async () => {
    const path = join(dir.path, 'w.json');
    const saved = await saveWeights(path, tensors());
    await rm(weightsDataPath(path, saved));
    await expectRefused(path, /cannot read .*w\.[0-9a-f]{16}\.bin.*ENOENT/);

    await writeFile(path, JSON.stringify({ format: 'keras', formatVersion: 2 }));
    await expectRefused(path, /not a thaw weights manifest/);
    await writeFile(path, '{ not json');
    await expectRefused(path, /not valid JSON/);

    await saveWeights(path, tensors());
    const manifest = JSON.parse(await readFile(path, 'utf8'));
    manifest.tensors[0].shape = [3, 3];
    await writeFile(path, JSON.stringify(manifest));
    await expectRefused(path, /entry 'cross\.0\.kernel' .* does not fit/);

    manifest.tensors[0].shape = [2, 3];
    manifest.dataFile = '../elsewhere.bin';
    await writeFile(path, JSON.stringify(manifest));
    await expectRefused(path, /names data file "\.\.\/elsewhere\.bin"; it must be a file name beside the manifest/);
  });

  it('loads a pair written before content addressing (dataFile <base>.bin), and the next save replaces it', async () => {
    const path = join(dir.path, 'old.json');
    const manifest = await saveWeights(path, tensors());
    await realRename(weightsDataPath(path, manifest), join(dir.path, 'old.bin'));
    await writeFile(path, JSON.stringify({ ...manifest, dataFile: 'old.bin' }));
    expect((await loadWeights(path)).tensors.bias?.data).toEqual(Float32Array.from([0.125]));
    const next = await saveWeights(path, { bias: createTensor('float32', [2], [1]) });
    expect((await readdir(dir.path)).sort()).toEqual([next.dataFile, 'old.json']);
  });

  it('refuses dtypes a weights file cannot store', async () => {
    await expect(saveWeights(join(dir.path, 'x.json'), { x: createTensor('float64', [1], [1]) })).rejects.toThrow(
      /dtype 'float64'/,
    );
  });

  describe.each([
    ['after the binary is written, before it is renamed into place', (to: string) => to.endsWith('.bin')],
    ['after the binary is in place, before the manifest is', (to: string) => to.endsWith('.json')],
  ])('a crash %s', (_, when) => {
    it('leaves the previous save readable; the next save removes what the crash left', async () => {
      const path = join(dir.path, 'w.json');
      await saveWeights(path, tensors(), { metadata: { version: 1 } });
      const crash = crashOnRename(vi.mocked(rename), realRename, when);
      void saveWeights(path, { ...tensors(), bias: createTensor('float32', [9], [1]) }, { metadata: { version: 2 } });
      await crash.crashed;
      crash.restore();
      const after = await loadWeights(path);
      expect(after.manifest.metadata).toEqual({ version: 1 });
      expect(after.tensors.bias?.data).toEqual(Float32Array.from([0.125]));
      expect((await readdir(dir.path)).length).toBeGreaterThan(2); // the crash left files behind

      const third = await saveWeights(path, tensors(), { metadata: { version: 3 } });
      expect((await loadWeights(path)).manifest.metadata).toEqual({ version: 3 });
      expect((await readdir(dir.path)).sort()).toEqual([third.dataFile, 'w.json']);
    });
  });
});
