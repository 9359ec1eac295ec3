import { rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { demoSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThawServer } from './server.js';
import { makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

// Defect 2 of issue 14: connections never timed out and were not capped: 3,000 slow-body
// connections were all still open after 60 s, and 1,100 locked every new client out.

const context = { user_history: new Array(16).fill(0.25), query_content: new Array(16).fill(-0.5) };
const payload = JSON.stringify({ context, candidates: [{ itemId: 'item-1' }] });

let artifacts: TestArtifacts;
beforeAll(async () => {
  artifacts = await makeArtifacts(demoSpec, { seed: 4, count: 50, version: 'v1' });
}, 60_000);
afterAll(async () => {
  await rm(join(artifacts.dir, '..'), { recursive: true, force: true });
});

/** A raw TCP client: what it received, and whether the server closed it. */
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const state = { received: '', closed: false };
  socket.on('data', (chunk: Buffer) => {
    state.received += chunk.toString();
  });
  socket.on('close', () => {
    state.closed = true;
  });
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, state, connected };
}

const waitFor = async (condition: () => boolean, ms: number) => {
  for (let t = 0; t < ms && !condition(); t += 20) await new Promise((r) => setTimeout(r, 20));
  return condition();
};

describe('connection timeouts and cap', () => {
  it('closes a slow-body connection at the header+body deadline (408), and one that never sends headers', async () => {
    const server = await createThawServer({
      modelDir: artifacts.dir,
      threads: 1,
      requestTimeoutMs: 600,
      headersTimeoutMs: 400,
      logger: pino({ level: 'silent' }),
    });
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(base).port);
    const slowBody = rawClient(port);
    await slowBody.connected;
    slowBody.socket.write(
      `POST /v1/rank HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${payload.length}\r\n\r\n${payload.slice(0, 10)}`,
    );
    const silent = rawClient(port);
    await silent.connected;
    expect(await waitFor(() => slowBody.state.closed && silent.state.closed, 8_000)).toBe(true);
    expect(slowBody.state.received).toMatch(/^HTTP\/1\.1 408/);
    // The server still serves a well-behaved client.
    const ok = await fetch(`${base}/v1/rank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    expect(ok.status).toBe(200);
    await server.shutdown();
  }, 30_000);

  it('caps open connections: beyond maxConnections a new connection is closed at once, then served when slots free up', async () => {
    const server = await createThawServer({
      modelDir: artifacts.dir,
      threads: 1,
      maxConnections: 3,
      logger: pino({ level: 'silent' }),
    });
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(base).port);
    const held = [rawClient(port), rawClient(port), rawClient(port)];
    await Promise.all(held.map((c) => c.connected));
    await new Promise((r) => setTimeout(r, 100));
    const refused = rawClient(port);
    expect(await waitFor(() => refused.state.closed, 3_000)).toBe(true);
    expect(held.every((c) => !c.state.closed)).toBe(true);
    for (const c of held) c.socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const ok = await fetch(`${base}/v1/rank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    expect(ok.status).toBe(200);
    await server.shutdown();
  }, 30_000);

  it('has finite defaults for every timeout and a connection cap', async () => {
    const server = await createThawServer({ modelDir: artifacts.dir, threads: 1, logger: pino({ level: 'silent' }) });
    const http = server.app.server;
    expect(http.requestTimeout).toBeGreaterThan(0);
    expect(http.requestTimeout).toBeLessThanOrEqual(60_000);
    expect(http.headersTimeout).toBeGreaterThan(0);
    expect(http.headersTimeout).toBeLessThanOrEqual(http.requestTimeout);
    expect(http.keepAliveTimeout).toBeGreaterThan(0);
    expect(http.keepAliveTimeout).toBeLessThanOrEqual(60_000);
    expect(http.timeout).toBeGreaterThan(0);
    expect(http.maxConnections).toBeGreaterThan(0);
    expect(Number.isFinite(http.maxConnections)).toBe(true);
    await server.shutdown();
  }, 30_000);
});
