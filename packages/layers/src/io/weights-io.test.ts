import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTensor } from '@thaw/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WeightsFileError } from './weights-file-error.js';
import { loadWeights, saveWeights, weightsDataPath } from './weights-io.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thaw-weights-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

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
    const path = join(dir, 'sub', 'weights.json');
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
    expect((await readdir(join(dir, 'sub'))).sort()).toEqual(['weights.bin', 'weights.json']);
  });

  it('refuses a truncated binary', async () => {
    const path = join(dir, 'w.json');
    await saveWeights(path, tensors());
    await truncate(weightsDataPath(path), 20);
    await expectRefused(path, /has 20 bytes but .* says 36; the binary is truncated/);
  });

  it('refuses a binary whose bytes changed (checksum)', async () => {
    const path = join(dir, 'w.json');
    await saveWeights(path, tensors());
    const bytes = await readFile(weightsDataPath(path));
    bytes[5] = (bytes[5] as number) ^ 0xff;
    await writeFile(weightsDataPath(path), bytes);
    await expectRefused(path, /SHA-256 .* expects/);
  });

  it('refuses a binary from another save of the same size', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await saveWeights(a, tensors());
    await saveWeights(b, { ...tensors(), bias: createTensor('float32', [0.5], [1]) });
    await writeFile(weightsDataPath(a), await readFile(weightsDataPath(b)));
    await expectRefused(a, /SHA-256/);
  });

  it('refuses a missing binary, a foreign manifest and a manifest whose entries overrun the binary', async () => {
    const path = join(dir, 'w.json');
    await saveWeights(path, tensors());
    await rm(weightsDataPath(path));
    await expectRefused(path, /cannot read .*w\.bin.*ENOENT/);

    await writeFile(path, JSON.stringify({ format: 'keras', formatVersion: 2 }));
    await expectRefused(path, /not a thaw weights manifest/);
    await writeFile(path, '{ not json');
    await expectRefused(path, /not valid JSON/);

    await saveWeights(path, tensors());
    const manifest = JSON.parse(await readFile(path, 'utf8'));
    manifest.tensors[0].shape = [3, 3];
    await writeFile(path, JSON.stringify(manifest));
    await expectRefused(path, /entry 'cross\.0\.kernel' .* does not fit/);
  });

  it('refuses dtypes a weights file cannot store', async () => {
    await expect(saveWeights(join(dir, 'x.json'), { x: createTensor('float64', [1], [1]) })).rejects.toThrow(/dtype 'float64'/);
  });
});
