import { rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { demoSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThawServer } from './server.js';
import { makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

// Defect 3 of issue 14: with 64 keep-alive clients, every socket got ECONNRESET at shutdown
// (responses during the drain carried no `Connection: close`, then the close destroyed the sockets).

const context = { user_history: new Array(16).fill(0.25), query_content: new Array(16).fill(-0.5) };
const payload = JSON.stringify({
  context,
  candidates: Array.from({ length: 64 }, (_, i) => ({ itemId: `item-${i % 50}` })),
  topK: 3,
});

let artifacts: TestArtifacts;
beforeAll(async () => {
  artifacts = await makeArtifacts(demoSpec, { seed: 4, count: 50, version: 'v1' });
}, 60_000);
afterAll(async () => {
  await rm(join(artifacts.dir, '..'), { recursive: true, force: true });
});

type Outcome = { status: number; connection: string | undefined } | { error: string };

/** POST /v1/rank through `agent` (keep-alive, one socket per client). */
const post = (base: string, agent: Agent) =>
  new Promise<Outcome>((resolve) => {
    const req = request(`${base}/v1/rank`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(payload);
  });

describe('shutdown with keep-alive clients', () => {
  it('64 keep-alive clients: every request sent is answered (none reset), the last with Connection: close', async () => {
    const server = await createThawServer({
      modelDir: artifacts.dir,
      threads: 1,
      drainDelayMs: 300,
      // The clients share this process's event loop with the server: when every package's tests run
      // at once on 2 busy cores (CI), a client can be starved for longer than the default 250 ms
      // between an answer and its next request, and its socket was closed as idle (ECONNRESET).
      idleGraceMs: 2_000,
      logger: pino({ level: 'silent' }),
    });
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    let shuttingDown = false;
    const outcomes: { outcome: Outcome; duringShutdown: boolean; client: number }[] = [];
    const connected = new Set<number>();
    const client = async (k: number) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      // Each client sends back to back until the server is gone (a refused connection: nothing sent).
      for (;;) {
        const duringShutdown = shuttingDown;
        const outcome = await post(base, agent);
        outcomes.push({ outcome, duringShutdown, client: k });
        if ('error' in outcome) break;
        connected.add(k);
      }
      agent.destroy();
    };
    const clients = Array.from({ length: 64 }, (_, k) => client(k));
    // Shut down once every client holds a keep-alive socket it has used (the case of the defect).
    while (connected.size < 64 || outcomes.length < 300) await new Promise((r) => setTimeout(r, 10));
    shuttingDown = true;
    await server.shutdown();
    await Promise.all(clients);

    const errors = outcomes.flatMap(({ outcome }) => ('error' in outcome ? [outcome.error] : []));
    // A client may find the listener gone (ECONNREFUSED: its request was never sent); no request
    // that reached a socket may be reset or hang up.
    expect(errors.filter((e) => e !== 'ECONNREFUSED')).toEqual([]);
    const answered = outcomes.filter(({ outcome, duringShutdown }) => duringShutdown && 'status' in outcome);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every(({ outcome }) => 'status' in outcome && outcome.status === 200)).toBe(true);
    // Each client's last answer told it to close its socket (the listener was gone by then).
    const last = new Map<number, Outcome>();
    for (const { outcome, client } of outcomes) if ('status' in outcome) last.set(client, outcome);
    expect(last.size).toBe(64);
    for (const outcome of last.values()) expect(outcome).toEqual({ status: 200, connection: 'close' });
  }, 60_000);
});
