import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { demoSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThawServer, type ThawServer } from './server.js';
import { makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

// Defect 6c of issue 14: /metrics was hand-written and had no process or GC metrics.

let artifacts: TestArtifacts;
let server: ThawServer;
beforeAll(async () => {
  artifacts = await makeArtifacts(demoSpec, { seed: 4, count: 50, version: 'v1' });
  server = await createThawServer({ modelDir: artifacts.dir, threads: 1, logger: pino({ level: 'silent' }) });
}, 60_000);
afterAll(async () => {
  await server.shutdown();
  await rm(join(artifacts.dir, '..'), { recursive: true, force: true });
});

describe('GET /metrics (prom-client)', () => {
  it("serves prom-client's default process, heap, event-loop and GC metrics next to thaw's", async () => {
    await server.app.inject({ url: '/healthz' });
    const res = await server.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const type of [
      'process_cpu_user_seconds_total counter',
      'process_resident_memory_bytes gauge',
      'process_open_fds gauge',
      'nodejs_heap_size_used_bytes gauge',
      'nodejs_eventloop_lag_seconds gauge',
      'nodejs_gc_duration_seconds histogram',
      'thaw_http_requests_total counter',
      'thaw_http_request_duration_seconds histogram',
      'thaw_rank_candidates histogram',
      'thaw_model_info gauge',
      'thaw_ready gauge',
      'thaw_model_reloads_total counter',
    ]) {
      expect(res.body).toContain(`# TYPE ${type}`);
    }
    expect(res.body).toMatch(/^thaw_http_requests_total\{route="\/healthz",method="GET",status="200"\} 1$/m);
    expect(res.body).toMatch(/^process_cpu_user_seconds_total \d/m);
  });
});
