import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initParameters } from '@thaw/model';
import { ARTIFACT_FILES, demoSpec, hashToBucket } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThawServer, type ThawServer } from './server.js';
import { makeArtifacts, type TestArtifacts, writeManifest } from './test-utils/artifacts.js';

// Defect 1 of issue 14: a corrupted model.onnx was accepted on load and reload, broken embedding
// rows passed an 8-id warm-up, and NaN scores reached the serializer (500).

const context = { user_history: new Array(16).fill(0.25), query_content: new Array(16).fill(-0.5) };
const silent = pino({ level: 'silent' });

let good: TestArtifacts;
let parent: string;
let server: ThawServer;
beforeAll(async () => {
  good = await makeArtifacts(demoSpec, { seed: 11, count: 60, version: 'good' });
  parent = join(good.dir, '..');
  server = await createThawServer({ modelDir: good.dir, threads: 1, logger: silent });
}, 60_000);
afterAll(async () => {
  await server.shutdown();
  await rm(parent, { recursive: true, force: true });
});

const reload = (dir: string) => server.app.inject({ method: 'POST', url: '/admin/reload', payload: { dir } });
const rank = (body: unknown) => server.app.inject({ method: 'POST', url: '/v1/rank', payload: body as Record<string, unknown> });
const stillServing = async () => {
  const res = await rank({ context, candidates: [{ itemId: 'item-1' }, { itemId: 'item-2' }] });
  expect(res.statusCode).toBe(200);
  expect(res.json().model.version).toBe('good');
};

/**
 * A copy of the good artifacts whose model.onnx is changed by `corrupt` after artifacts.json was
 * written: `corrupt` gets the bytes of the `embedding.item_id` table inside the file (the largest
 * weight, read only for the rows a request names — what an 8-id warm-up never reads).
 */
async function corruptedCopy(name: string, corrupt: (table: Buffer) => void): Promise<string> {
  const copy = await makeArtifacts(demoSpec, { seed: 11, count: 60, version: name, parent });
  const path = join(copy.dir, ARTIFACT_FILES.onnx);
  const bytes = await readFile(path);
  const { data } = copy.weights['embedding.item_id'] as { data: Float32Array };
  const start = bytes.indexOf(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  expect(start).toBeGreaterThan(0);
  corrupt(bytes.subarray(start, start + data.byteLength));
  await writeFile(path, bytes);
  return copy.dir;
}

describe('artifacts.json: every file thaw-serve reads must match its SHA-256', () => {
  it('refuses a model.onnx with 4,000 bytes set to 0xFF, on reload (422) and at start', async () => {
    const dir = await corruptedCopy('ff-bytes', (table) => table.fill(0xff, 100_000, 104_000));
    const res = await reload(dir);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/model\.onnx: its SHA-256 [0-9a-f]{12}… differs from artifacts\.json's [0-9a-f]{12}…/);
    await stillServing();
    await expect(createThawServer({ modelDir: dir, threads: 1, logger: silent })).rejects.toThrow(/model\.onnx: its SHA-256/);
  }, 60_000);

  it('refuses a model.onnx with 40 KB of low-bit flips (it still parses and runs)', async () => {
    const rng = createRng(3);
    const dir = await corruptedCopy('bit-flips', (table) => {
      for (let k = 0; k < 40_000; k++) {
        const at = Math.floor(rng.uniform() * table.length);
        table[at] = (table[at] as number) ^ 1;
      }
    });
    const res = await reload(dir);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/model\.onnx: its SHA-256/);
    await stillServing();
  }, 60_000);

  it('refuses a changed items table and a directory without artifacts.json, naming the file', async () => {
    const changed = await makeArtifacts(demoSpec, { seed: 11, count: 60, version: 'items-changed', parent });
    const items = join(changed.dir, ARTIFACT_FILES.items);
    const bytes = await readFile(items);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    await writeFile(items, bytes);
    const res = await reload(changed.dir);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/items-table\.bin: its SHA-256/);

    const unlisted = await makeArtifacts(demoSpec, { seed: 11, count: 60, version: 'no-manifest', parent });
    await rm(join(unlisted.dir, ARTIFACT_FILES.manifest));
    const missing = await reload(unlisted.dir);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().message).toMatch(/artifacts\.json: is missing/);
    await stillServing();
  }, 60_000);
});

describe('at load, every items-table row is scored once and must give finite outputs', () => {
  it('refuses a model whose weights hold a NaN, naming the weight (even in an id row no warm-up reads)', async () => {
    const weights = initParameters(demoSpec, 11);
    const table = weights['embedding.item_id'] as { data: Float32Array };
    // A bucket no table item hashes to: only an unknown item's request would ever read it.
    const used = new Set(Array.from({ length: 60 }, (_, i) => hashToBucket(`item-${i}`, 8192)));
    const unused = Array.from({ length: 8192 }, (_, b) => b).find((b) => !used.has(b) && b > 100) as number;
    table.data[unused * 8 + 3] = Number.NaN;
    const nan = await makeArtifacts(demoSpec, { seed: 11, count: 60, version: 'nan-weight', parent, weights });
    const res = await reload(nan.dir);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(
      new RegExp(`model\\.onnx: weight 'embedding\\.item_id' holds NaN at element ${unused * 8 + 3}`),
    );
    await stillServing();
  }, 60_000);

  it('refuses an items table whose rows the model scores as NaN (finite values, out of range)', async () => {
    const huge = await makeArtifacts(demoSpec, {
      seed: 11,
      count: 60,
      version: 'huge-row',
      parent,
      itemValues: (i, values) => (i === 37 ? { ...values, item_stats: new Array(7).fill(3e38) } : values),
    });
    await writeManifest(huge.dir);
    const res = await reload(huge.dir);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/items-table\.bin: the model scores item 'item-37' \(row 37\) as NaN/);
    await stillServing();
  }, 60_000);
});

describe('per request, a non-finite score is refused with a clear error (never a serializer 500)', () => {
  it('context values that overflow the model: 422 non_finite_score naming the candidate', async () => {
    const res = await rank({
      context: { ...context, user_history: new Array(16).fill(3e38) },
      candidates: [{ itemId: 'item-1' }, { itemId: 'item-2' }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'non_finite_score', field: 'candidates[0]' });
    expect(res.json().message).toMatch(/scores candidate 0 \('item-1'\) as NaN/);
    await stillServing();
  });

  it('utility weights whose weighted sum overflows: 422 naming utility', async () => {
    const res = await rank({
      context,
      candidates: [{ itemId: 'item-1' }],
      utility: { grid_click: 1.7e308, save: 1.7e308, click: 1.7e308 },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'non_finite_score', field: 'utility' });
    expect(res.json().message).toMatch(/Infinity/);
    await stillServing();
  });
});
