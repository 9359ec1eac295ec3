import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toOrtTensor } from '@thaw/onnx/ort';
import { demoSpec } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import { InferenceSession } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Artifacts, readArtifacts } from './artifacts.js';
import { FeedBuilder } from './feeds.js';
import { parseRankRequest, rankRequestSchema } from './rank-request.js';
import { onnxSessionOptions } from './session-options.js';
import { ScoringThreadCrashError, SessionThread, type SessionThreadOptions } from './session-thread.js';
import { makeArtifacts } from './test-utils/artifacts.js';

let artifacts: Artifacts;
let dir: string;
beforeAll(async () => {
  dir = (await makeArtifacts(demoSpec, { seed: 11, count: 30, version: 'v1' })).dir;
  artifacts = await readArtifacts(dir);
}, 60_000);
afterAll(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

/** Fresh feeds of `n` candidates (items of the table and unknown ones), as thaw-serve builds them. */
function feeds(n: number): Record<string, Tensor> {
  const body = {
    context: { user_history: new Array(16).fill(0.25), query_content: new Array(16).fill(-0.5) },
    candidates: Array.from({ length: n }, (_, i) => ({ itemId: i % 3 === 0 ? `new-${i}` : `item-${i % 30}` })),
  };
  const request = parseRankRequest(rankRequestSchema(artifacts.spec), body, { maxCandidates: 1000 });
  return new FeedBuilder(artifacts.spec, artifacts.items).build(request).feeds;
}

/** The same run on an onnxruntime session of this thread (the independent path), same options. */
async function inProcess(input: Record<string, Tensor>): Promise<Record<string, Float32Array>> {
  const session = await InferenceSession.create(artifacts.modelBytes, onnxSessionOptions(1, false));
  const results = await session.run(Object.fromEntries(Object.entries(input).map(([k, t]) => [k, toOrtTensor(t)])));
  await session.release();
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.data as Float32Array]));
}

/** A copy of every feed (the thread takes the buffers of the ones it is given). */
const copy = (input: Record<string, Tensor>) =>
  Object.fromEntries(Object.entries(input).map(([k, t]) => [k, { ...t, data: t.data.slice() } as Tensor]));

/** `body` with a started one-thread SessionThread, released afterwards whatever happens. */
async function withThread(
  body: (thread: SessionThread) => Promise<void>,
  options: Omit<SessionThreadOptions, 'threads'> = {},
): Promise<void> {
  const thread = await SessionThread.start(artifacts.modelBytes, { threads: 1, ...options });
  try {
    await body(thread);
  } finally {
    await thread.release();
  }
}

describe('SessionThread', () => {
  it('answers every run with what an onnxruntime session on the main thread gives for the same feeds', async () => {
    await withThread(async (thread) => {
      expect([...thread.inputNames].sort()).toEqual([...(await InferenceSession.create(artifacts.modelBytes)).inputNames].sort());
      for (const n of [1, 7, 200]) {
        const input = feeds(n);
        const want = await inProcess(copy(input));
        const got = await thread.run(input);
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        for (const [name, values] of Object.entries(want)) {
          expect(got[name]?.shape).toEqual([n]);
          expect(Array.from(got[name]?.data as Float32Array)).toEqual(Array.from(values));
        }
      }
      // Concurrent runs come back to the right callers.
      const inputs = [3, 9, 27, 81].map((n) => feeds(n));
      const wants = await Promise.all(inputs.map((input) => inProcess(copy(input))));
      const gots = await Promise.all(inputs.map((input) => thread.run(input)));
      gots.forEach((got, k) => {
        expect(Array.from(got.score?.data as Float32Array)).toEqual(Array.from(wants[k]?.score as Float32Array));
      });
    });
  }, 60_000);

  it('moves a feed that owns its buffer and copies one that views part of a larger buffer', async () => {
    await withThread(async (thread) => {
      const input = feeds(4);
      const owning = input.user_history as Tensor;
      // A feed viewing the middle of a larger buffer: the larger buffer must stay whole and usable.
      const big = new Float32Array(1000).fill(7);
      const content = input.query_content as Tensor;
      big.set(content.data as Float32Array, 100);
      input.query_content = { ...content, data: big.subarray(100, 100 + content.data.length) } as Tensor;
      const want = await inProcess(copy(input));
      const got = await thread.run(input);
      expect(Array.from(got.score?.data as Float32Array)).toEqual(Array.from(want.score as Float32Array));
      expect(owning.data.byteLength).toBe(0); // moved to the thread (detached here)
      expect(big.byteLength).toBe(4000);
      expect(big[0]).toBe(7);
    });
  }, 60_000);

  it('rejects a run onnxruntime refuses with its message, and keeps serving', async () => {
    await withThread(async (thread) => {
      const input = feeds(5);
      input.user_history = { dtype: 'float32', shape: [5, 3], data: new Float32Array(15) } as Tensor;
      await expect(thread.run(input)).rejects.toThrow(/user_history|dimension|shape/i);
      expect((await thread.run(feeds(5))).score?.shape).toEqual([5]);
    });
  }, 60_000);

  it('refuses bytes onnxruntime cannot load, with its message, leaving no thread behind', async () => {
    await expect(SessionThread.start(new TextEncoder().encode('not an onnx model'), { threads: 1 })).rejects.toThrow(
      /protobuf|parse|model/i,
    );
  }, 60_000);

  it('a crash rejects every run in flight with ScoringThreadCrashError, is reported once, and a new thread serves the next runs', async () => {
    const crashes: ScoringThreadCrashError[] = [];
    await withThread(
      async (thread) => {
        const first = thread.worker;
        const inFlight = [200, 200, 200].map((n) => thread.run(feeds(n)));
        await first.terminate();
        const settled = await Promise.allSettled(inFlight);
        // Runs the thread answered before it ended are fine; none is left hanging, none silently lost.
        const refused = settled.filter((s) => s.status === 'rejected');
        expect(refused.length).toBeGreaterThan(0);
        for (const r of refused) {
          const reason = (r as PromiseRejectedResult).reason;
          expect(ScoringThreadCrashError.isInstance(reason)).toBe(true);
          expect(reason.message).toMatch(/stopped before answering \(it exited with code 1\).*not scored: retry/);
        }
        expect(crashes).toHaveLength(1);
        expect((await thread.run(feeds(3))).score?.shape).toEqual([3]);
        expect(thread.worker).not.toBe(first);
        expect(crashes).toHaveLength(1);
      },
      { onCrash: (e) => crashes.push(e) },
    );
  }, 60_000);

  it("reports an uncaught error in the thread with the thread's own message", async () => {
    const crashes: ScoringThreadCrashError[] = [];
    await withThread(
      async (thread) => {
        const pending = thread.run(feeds(50));
        thread.worker.postMessage({ type: 'no-such-message' });
        const outcome = await pending.then(
          () => 'answered',
          (e: Error) => e,
        );
        // The run was posted first, so it may be answered before the bad message ends the thread.
        if (outcome !== 'answered') expect(ScoringThreadCrashError.isInstance(outcome)).toBe(true);
        while (crashes.length === 0) await new Promise((r) => setTimeout(r, 10));
        expect(crashes[0]?.message).toMatch(/unknown message type "no-such-message"/);
        expect((await thread.run(feeds(2))).score?.shape).toEqual([2]);
      },
      { onCrash: (e) => crashes.push(e) },
    );
  }, 60_000);

  it('release ends the thread (not a crash); runs after it are refused; a second release returns', async () => {
    const crashes: ScoringThreadCrashError[] = [];
    const thread = await SessionThread.start(artifacts.modelBytes, { threads: 1, onCrash: (e) => crashes.push(e) });
    const worker = thread.worker;
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const last = thread.run(feeds(10));
    await thread.release();
    expect((await last).score?.shape).toEqual([10]); // posted before the release: answered
    expect(await exited).toBe(0);
    await expect(thread.run(feeds(1))).rejects.toThrow(/released/);
    await thread.release();
    expect(crashes).toEqual([]);
  }, 60_000);
});
