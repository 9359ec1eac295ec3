import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initParameters } from '@thaw/model';
import { exportOnnx, ONNX_METADATA_KEYS } from '@thaw/onnx';
import { demoSpec, demoSpecInput, type ModelSpec, refMSpec, specHash, validateSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createThawServer, type ThawServer } from './server.js';
import { SessionThread } from './session-thread.js';
import { expectedScores, makeArtifacts, type TestArtifacts, writeManifest } from './test-utils/artifacts.js';

const spec: ModelSpec = demoSpec;
const context = {
  user_history: Array.from({ length: 16 }, (_, j) => Math.fround(j / 16)),
  query_content: Array.from({ length: 16 }, (_, j) => Math.fround(1 - j / 8)),
};
const body = { context, candidates: Array.from({ length: 64 }, (_, i) => ({ itemId: `item-${i}` })), topK: 5 };

let v1: TestArtifacts;
let v2: TestArtifacts;
let server: ThawServer;
let base: string;

beforeAll(async () => {
  v1 = await makeArtifacts(spec, { seed: 1, count: 80, version: 'v1' });
  v2 = await makeArtifacts(spec, { seed: 2, count: 80, version: 'v2', parent: join(v1.dir, '..') });
  server = await createThawServer({ modelDir: v1.dir, threads: 1, logger: pino({ level: 'silent' }) });
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await server.shutdown();
  await rm(join(v1.dir, '..'), { recursive: true, force: true });
});

const rank = async () => {
  const res = await fetch(`${base}/v1/rank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json()) as { model: { version: string }; items: { itemId: string; score: number }[] },
  };
};
const reload = async (dir?: string) => {
  const res = await fetch(`${base}/admin/reload`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(dir === undefined ? {} : { dir }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const top = (a: TestArtifacts) => {
  const rows = body.candidates.map((_, i) => ({ ...a.itemValues[i], ...context }) as Record<string, number | number[]>);
  return expectedScores(a, rows)
    .map((e, i) => ({ itemId: `item-${i}`, score: e.score }))
    .sort((x, y) => y.score - x.score)
    .slice(0, 5);
};

describe('POST /admin/reload', () => {
  it('swaps models under load: every request sent during the reload succeeds, on the old or the new model', async () => {
    const versions: string[] = [];
    // Per client, in the order it sent them (each client waits for its answer before sending the next).
    const perClient: string[][] = [];
    const sentAfterSwap: string[] = [];
    const failures: unknown[] = [];
    let stop = false;
    let swapDone = false;
    const worker = async () => {
      const mine: string[] = [];
      perClient.push(mine);
      while (!stop) {
        const afterSwap = swapDone;
        try {
          const { status, json } = await rank();
          if (status !== 200) failures.push({ status, json });
          else {
            versions.push(json.model.version);
            mine.push(json.model.version);
            if (afterSwap) sentAfterSwap.push(json.model.version);
          }
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await new Promise((r) => setTimeout(r, 300));
    const before = versions.length;
    const swapped = await reload(v2.dir);
    swapDone = true;
    const after = versions.length;
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(workers);
    expect(swapped.status).toBe(200);
    expect(swapped.json).toMatchObject({ status: 'reloaded', model: { version: 'v2' }, previous: { version: 'v1' } });
    expect(failures).toEqual([]);
    expect(after).toBeGreaterThan(before); // requests kept being answered while the new model loaded
    expect(versions).toContain('v1');
    expect(versions.at(-1)).toBe('v2');
    // Requests in flight at the swap finish on the old model (scoring runs on a worker thread, so one
    // may complete after another client's first v2 answer); what must hold: no client gets v1 after
    // it got v2, and every request sent after the reload answered is scored by v2.
    for (const mine of perClient)
      expect(mine.slice(Math.max(0, mine.indexOf('v2'))).includes('v1') && mine.includes('v2')).toBe(false);
    expect(sentAfterSwap.length).toBeGreaterThan(0);
    expect(sentAfterSwap.every((v) => v === 'v2')).toBe(true);
    // the new model ranks with the new weights
    const { json } = await rank();
    const want = top(v2);
    expect(json.items.map((i) => i.itemId)).toEqual(want.map((w) => w.itemId));
    for (const [k, item] of json.items.entries()) expect(Math.abs(item.score - (want[k]?.score as number))).toBeLessThan(1e-5);
    expect(top(v1).map((w) => w.itemId)).not.toEqual(want.map((w) => w.itemId));
  }, 60_000);

  it('refuses broken directories with 422 naming the file, and the old model keeps serving', async () => {
    const current = (await rank()).json.model.version;
    const parent = join(v1.dir, '..');
    const broken = async (name: string, files: Record<string, string | Uint8Array>) => {
      const dir = join(parent, name);
      await mkdir(dir, { recursive: true });
      for (const file of ['spec.json', 'model.onnx', 'items-table.bin']) {
        const content = files[file];
        if (content === undefined) await copyFile(join(v1.dir, file), join(dir, file));
        else if (content !== '') await writeFile(join(dir, file), content);
      }
      await writeManifest(dir); // consistent hashes: the deeper checks are under test here
      return dir;
    };
    const other = validateSpec({ ...demoSpecInput, name: 'other' });
    const otherArtifacts = await makeArtifacts(other, { seed: 3, count: 5, version: 'other', parent });
    const refm = await makeArtifacts(refMSpec, { seed: 3, count: 3, version: 'refm', parent });
    // A graph whose inputs and outputs have the right names but user_history is 8 wide, not 16: it
    // loads, and onnxruntime fails only when the warm-up runs it.
    const narrow = validateSpec({
      ...demoSpecInput,
      features: demoSpecInput.features.map((f) => (f.name === 'user_history' ? { ...f, dim: 8 } : f)),
    });
    const narrowModel = exportOnnx(narrow, initParameters(narrow, 1), {
      metadata: { [ONNX_METADATA_KEYS.specHash]: specHash(spec) },
    });
    const cases: [string, string, RegExp][] = [
      [
        'a model onnxruntime fails to run (warm-up)',
        await broken('warm-up-fails', { 'model.onnx': narrowModel }),
        /model\.onnx: the load-time inference failed \(.*user_history/,
      ],
      ['missing dir', join(parent, 'nope'), /is not a directory/],
      ['no model.onnx', await broken('no-model', { 'model.onnx': '' }), /model\.onnx: is missing/],
      [
        'a model from another spec',
        await broken('wrong-model', { 'model.onnx': await readFile(join(otherArtifacts.dir, 'model.onnx')) }),
        /was exported from spec hash [0-9a-f]+ but spec\.json hashes to/,
      ],
      [
        'a corrupt model',
        await broken('corrupt-model', { 'model.onnx': new Uint8Array([8, 1, 18, 200, 255, 3, 7]) }),
        /model\.onnx: .*not an ONNX model/,
      ],
      [
        'an items table for another spec',
        await broken('wrong-items', { 'items-table.bin': await readFile(join(refm.dir, 'items-table.bin')) }),
        /items-table\.bin: .*written for spec 'ref-m'/,
      ],
      ['an invalid spec', await broken('bad-spec', { 'spec.json': '{"specVersion": 2}' }), /spec\.json: invalid thaw model spec/],
    ];
    for (const [what, dir, message] of cases) {
      const res = await reload(dir);
      expect(res.status, what).toBe(422);
      expect(res.json.error, what).toBe('reload_refused');
      expect(String(res.json.message), what).toMatch(message);
      const still = await rank();
      expect(still.status).toBe(200);
      expect(still.json.model.version).toBe(current);
    }
    const bad = await fetch(`${base}/admin/reload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"dir": 3}',
    });
    expect(bad.status).toBe(400);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('thaw_model_reloads_total{result="failure"} 7');
  }, 60_000);

  it('logs a failed release of the replaced model instead of crashing on an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const lines: Record<string, unknown>[] = [];
    const logged = await createThawServer({
      modelDir: v1.dir,
      threads: 1,
      drainDelayMs: 0,
      logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
    });
    const release = vi.spyOn(SessionThread.prototype, 'release').mockRejectedValueOnce(new Error('release exploded'));
    try {
      expect((await logged.reload(v2.dir)).version).toBe('v2');
      await new Promise((r) => setTimeout(r, 50));
      expect(release).toHaveBeenCalledTimes(1);
      const line = lines.find((l) => l.msg === 'releasing a retired model failed');
      expect(line).toMatchObject({ level: 50, model: { version: 'v1' }, err: { message: 'release exploded' } });
      expect(unhandled).toEqual([]);
    } finally {
      release.mockRestore();
      process.off('unhandledRejection', onUnhandled);
      await logged.shutdown();
    }
  }, 30_000);

  it('reloads the current directory when no dir is given', async () => {
    const res = await reload();
    expect(res.status).toBe(200);
    expect(res.json.model).toMatchObject({ version: (await rank()).json.model.version });
  });
});
