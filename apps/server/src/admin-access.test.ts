import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { demoSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAccess, isLoopback } from './admin-access.js';
import { createThawServer, type ThawServer } from './server.js';
import { makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.200.3.4', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['0.0.0.0', false],
    ['1270.0.0.1', false],
    ['fe80::1', false],
    [undefined, false],
  ])('%s → %s', (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});

describe('adminAccess', () => {
  it('without a token: loopback clients only (403 for others, saying how to allow remote reloads)', () => {
    const check = adminAccess(undefined);
    expect(check({ remoteAddress: '127.0.0.1', authorization: undefined })).toEqual({ allowed: true });
    const refused = check({ remoteAddress: '10.1.2.3', authorization: 'Bearer anything' });
    expect(refused).toMatchObject({ allowed: false, status: 403 });
    expect(refused.allowed || refused.message).toMatch(/10\.1\.2\.3.*--admin-token.*THAW_ADMIN_TOKEN.*Authorization: Bearer/);
  });

  it('with a token: exactly "Bearer <token>" from anywhere, 401 otherwise', () => {
    const check = adminAccess('s3cret-token');
    expect(check({ remoteAddress: '10.1.2.3', authorization: 'Bearer s3cret-token' })).toEqual({ allowed: true });
    expect(check({ remoteAddress: '127.0.0.1', authorization: 'bearer s3cret-token' })).toEqual({ allowed: true });
    for (const authorization of [undefined, '', 'Bearer', 'Bearer s3cret', 'Bearer s3cret-token2', 'Basic s3cret-token']) {
      const decision = check({ remoteAddress: '127.0.0.1', authorization });
      expect(decision, String(authorization)).toMatchObject({ allowed: false, status: 401 });
    }
  });

  it('refuses an empty token', () => {
    expect(() => adminAccess('')).toThrow(/adminToken must be a non-empty string/);
  });
});

describe('POST /admin/reload access', () => {
  let artifacts: TestArtifacts;
  const servers: ThawServer[] = [];
  beforeAll(async () => {
    artifacts = await makeArtifacts(demoSpec, { seed: 6, count: 10, version: 'v1' });
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) await s.shutdown();
    await rm(join(artifacts.dir, '..'), { recursive: true, force: true });
  });
  const start = async (adminToken?: string) => {
    const server = await createThawServer({
      modelDir: artifacts.dir,
      threads: 1,
      drainDelayMs: 0,
      logger: pino({ level: 'silent' }),
      ...(adminToken === undefined ? {} : { adminToken }),
    });
    servers.push(server);
    return server;
  };
  const reload = (server: ThawServer, remoteAddress: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'POST', url: '/admin/reload', remoteAddress, payload: {}, headers });

  it('without --admin-token: loopback reloads, a remote client gets 403', async () => {
    const server = await start();
    expect((await reload(server, '127.0.0.1')).statusCode).toBe(200);
    const remote = await reload(server, '10.0.0.7', { authorization: 'Bearer guess' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ error: 'forbidden', field: 'remoteAddress' });
    expect(remote.json().message).toMatch(/--admin-token/);
    expect(await server.metrics.render()).toContain('thaw_model_reloads_total{result="success"} 1\n');
    // ranking is not affected
    const rank = await server.app.inject({
      method: 'POST',
      url: '/v1/rank',
      remoteAddress: '10.0.0.7',
      payload: {
        context: { user_history: new Array(16).fill(0), query_content: new Array(16).fill(0) },
        candidates: [{ itemId: 'a' }],
      },
    });
    expect(rank.statusCode).toBe(200);
  }, 30_000);

  it('with --admin-token: the bearer token is required, from loopback too', async () => {
    const server = await start('tok-123');
    const missing = await reload(server, '127.0.0.1');
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(missing.json()).toMatchObject({ error: 'unauthorized', field: 'authorization' });
    expect((await reload(server, '127.0.0.1', { authorization: 'Bearer nope' })).statusCode).toBe(401);
    expect((await reload(server, '10.0.0.7', { authorization: 'Bearer tok-123' })).statusCode).toBe(200);
    expect(await server.metrics.render()).toContain('thaw_model_reloads_total{result="success"} 1\n');
  }, 30_000);
});
