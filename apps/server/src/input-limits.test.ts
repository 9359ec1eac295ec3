import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { demoSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThawServer, type ThawServer } from './server.js';
import { makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

// Defects 4 and 6a of issue 14: an unknown key was echoed whole in `field`, `message` and the log
// (a 1 MB key → a 2 MB response and a 2 MB log line); `charset=utf-16` was accepted and decoded as UTF-8.

const context = { user_history: new Array(16).fill(0.25), query_content: new Array(16).fill(-0.5) };
const logLines: string[] = [];
let artifacts: TestArtifacts;
let server: ThawServer;
beforeAll(async () => {
  artifacts = await makeArtifacts(demoSpec, { seed: 4, count: 50, version: 'v1' });
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  server = await createThawServer({ modelDir: artifacts.dir, threads: 1, bodyLimit: 4 * 1024 * 1024, logger });
}, 60_000);
afterAll(async () => {
  await server.shutdown();
  await rm(join(artifacts.dir, '..'), { recursive: true, force: true });
});

const post = (payload: string, contentType = 'application/json', url = '/v1/rank') =>
  server.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

describe('echoed client text is capped (~64 characters)', () => {
  const key = 'k'.repeat(1024 * 1024);
  const cases: [string, string, RegExp][] = [
    ['a top-level field', JSON.stringify({ context, candidates: [{ itemId: 'a' }], [key]: 1 }), /^k{64}…\(1048576 chars\)$/],
    [
      'a context feature',
      JSON.stringify({ context: { ...context, [key]: 1 }, candidates: [{ itemId: 'a' }] }),
      /^context\.k{64}…/,
    ],
    [
      'an inline feature',
      JSON.stringify({ context, candidates: [{ itemId: 'a', features: { [key]: 1 } }] }),
      /^candidates\[0\]\.features\.k{64}…/,
    ],
    ['a utility task', JSON.stringify({ context, candidates: [{ itemId: 'a' }], utility: { [key]: 1 } }), /^utility\.k{64}…/],
  ];
  it.each(cases)('a 1 MB key in %s: a small 400 and a small log line', async (_, payload, field) => {
    logLines.length = 0;
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toMatch(field);
    expect(res.body.length).toBeLessThan(1024);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line.length).toBeLessThan(2048);
  });

  it('a long URL in a 404 and a long content type in a 415 are capped too', async () => {
    const long = `/${'u'.repeat(8000)}`;
    const notFound = await server.app.inject({ method: 'GET', url: long });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.body.length).toBeLessThan(1024);
    const media = await post('{}', `text/${'x'.repeat(8000)}`);
    expect(media.statusCode).toBe(415);
    expect(media.body.length).toBeLessThan(1024);
  });
});

describe('Content-Type charset', () => {
  const body = JSON.stringify({ context, candidates: [{ itemId: 'item-1' }] });
  it.each(['utf-16', 'UTF-16LE', 'latin1', 'iso-8859-1', 'utf-32'])('charset=%s gets 415 naming the charset', async (charset) => {
    const res = await post(body, `application/json; charset=${charset}`);
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'unsupported_media_type', field: 'content-type' });
    expect(res.json().message).toMatch(new RegExp(`charset ${charset}.*send UTF-8`, 'i'));
  });
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset="UTF-8"',
    'application/json;charset=utf8',
  ])('%s is accepted', async (contentType) => {
    expect((await post(body, contentType)).statusCode).toBe(200);
  });
});
