import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { demoSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createThawServer, type ThawServer } from './server.js';
import { SessionThread } from './session-thread.js';
import { makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

// thaw-serve scores in a worker thread (SessionThread): the event loop stays free during a run, and
// a crash of that thread must be reported (503, log, metric), never lose a request silently.

const context = { user_history: new Array(16).fill(0.25), query_content: new Array(16).fill(-0.5) };
const body = (n: number) =>
  JSON.stringify({ context, candidates: Array.from({ length: n }, (_, i) => ({ itemId: `item-${i % 50}` })), topK: 3 });

let artifacts: TestArtifacts;
let server: ThawServer;
let thread: SessionThread | undefined;
const lines: Record<string, unknown>[] = [];
beforeAll(async () => {
  artifacts = await makeArtifacts(demoSpec, { seed: 4, count: 50, version: 'v1' });
  const start = SessionThread.start.bind(SessionThread);
  const spy = vi.spyOn(SessionThread, 'start').mockImplementation(async (...args) => {
    thread = await start(...args);
    return thread;
  });
  server = await createThawServer({
    modelDir: artifacts.dir,
    threads: 1,
    logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
  });
  spy.mockRestore();
}, 60_000);
afterAll(async () => {
  await server.shutdown();
  await rm(join(artifacts.dir, '..'), { recursive: true, force: true });
});

const rank = (n: number) =>
  server.app.inject({ method: 'POST', url: '/v1/rank', payload: body(n), headers: { 'content-type': 'application/json' } });

describe('the scoring thread', () => {
  it('a crash mid-request answers 503 scoring_unavailable, is logged and counted, and the next request is scored', async () => {
    const live = thread as SessionThread;
    const run = live.run.bind(live);
    // The thread dies with this request's run posted to it and not answered.
    const crashOnce = vi.spyOn(live, 'run').mockImplementationOnce(async (feeds) => {
      const answer = run(feeds);
      void live.worker.terminate();
      return answer;
    });
    const crashed = await rank(20);
    crashOnce.mockRestore();
    expect(crashed.statusCode).toBe(503);
    expect(crashed.json()).toMatchObject({ error: 'scoring_unavailable', field: '' });
    expect(crashed.json().message).toMatch(/onnxruntime worker thread stopped before answering.*retry/);
    expect(lines.find((l) => l.msg === 'request not scored: the onnxruntime thread crashed')).toMatchObject({ level: 50 });
    expect(lines.find((l) => String(l.msg).startsWith('the onnxruntime worker thread crashed'))).toMatchObject({ level: 50 });

    const next = await rank(20);
    expect(next.statusCode).toBe(200);
    expect(next.json().items).toHaveLength(3);
    const metrics = (await server.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^thaw_scoring_thread_crashes_total 1$/m);
    expect(metrics).toMatch(/^thaw_http_requests_total\{route="\/v1\/rank",method="POST",status="503"\} 1$/m);
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  }, 60_000);
});
