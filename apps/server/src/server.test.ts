import { rm } from 'node:fs/promises';
import { demoSpecInput, hashToBucket, type ModelSpec, validateSpec } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThawServer, type ThawServer } from './server.js';
import { expectedScores, makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

/** The demo spec as training leaves it: stats and a cold-item fill for item_stats. */
const spec: ModelSpec = validateSpec({
  ...demoSpecInput,
  features: demoSpecInput.features.map((f) =>
    f.name === 'item_stats'
      ? {
          ...f,
          fill: [0.5, -0.25, 0, 0.125, 1, -1, 0.75],
          stats: { mean: [0, 0, 0, 0, 0.5, 0.5, 0.5], std: [1, 1, 2, 2, 1, 1, 1] },
        }
      : f,
  ),
});

const userHistory = Array.from({ length: 16 }, (_, j) => Math.fround(Math.sin(j)));
const queryContent = Array.from({ length: 16 }, (_, j) => Math.fround(Math.cos(j) / 2));
const context = { user_history: userHistory, query_content: queryContent };
const inlineContent = Array.from({ length: 16 }, (_, j) => Math.fround(0.1 * j - 0.8));

let artifacts: TestArtifacts;
let server: ThawServer;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  artifacts = await makeArtifacts(spec, { seed: 5, count: 40, version: 'v1', calibration: { save: { a: 0.8, b: -0.5 } } });
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
  server = await createThawServer({ modelDir: artifacts.dir, threads: 1, maxCandidates: 50, bodyLimit: 64 * 1024, logger });
}, 60_000);
afterAll(async () => {
  await server.shutdown();
  await rm(artifacts.dir, { recursive: true, force: true });
});

const rank = (body: unknown, headers: Record<string, string> = {}) =>
  server.app.inject({
    method: 'POST',
    url: '/v1/rank',
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

/** Model rows of a known item: its table values plus the request context. */
const knownRow = (i: number) => ({ ...artifacts.itemValues[i], ...context }) as Record<string, number | number[]>;
/** Model rows of an unknown item, written out by hand: fill for item_stats, OOV category, hashed id, zeros. */
const unknownRow = (id: string, inline: { item_content?: number[]; item_category?: number; item_age?: number[] } = {}) => ({
  item_id: hashToBucket(id, 8192),
  item_stats: [0.5, -0.25, 0, 0.125, 1, -1, 0.75],
  item_content: inline.item_content ?? new Array(16).fill(0),
  item_category: inline.item_category ?? 24,
  item_age: inline.item_age ?? [0],
  ...context,
});

describe('POST /v1/rank', () => {
  it('ranks known and unknown items with the model, one run, sorted by score', async () => {
    const ids = ['item-3', 'item-8', 'brand-new', 'item-0', 'fresh-1', 'item-17'];
    const res = await rank({
      context,
      candidates: [
        { itemId: 'item-3' },
        { itemId: 'item-8' },
        { itemId: 'brand-new', features: { item_content: inlineContent, item_category: 7, item_age: [0.25] } },
        { itemId: 'item-0' },
        { itemId: 'fresh-1' },
        { itemId: 'item-17', features: { item_content: inlineContent } },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.model).toMatchObject({ name: 'demo', version: 'v1' });
    const rows = [
      knownRow(3),
      knownRow(8),
      unknownRow('brand-new', { item_content: inlineContent, item_category: 7, item_age: [0.25] }),
      knownRow(0),
      unknownRow('fresh-1'),
      { ...knownRow(17), item_content: inlineContent },
    ];
    const expected = expectedScores(artifacts, rows).map((e, i) => ({ ...e, itemId: ids[i] }));
    expected.sort((a, b) => b.score - a.score);
    expect(body.items.map((it: { itemId: string }) => it.itemId)).toEqual(expected.map((e) => e.itemId));
    body.items.forEach((item: { score: number; tasks: Record<string, number> }, k: number) => {
      expect(Math.abs(item.score - (expected[k]?.score as number))).toBeLessThan(1e-5);
      for (const t of ['grid_click', 'save', 'click'])
        expect(Math.abs((item.tasks[t] as number) - (expected[k]?.tasks[t] as number))).toBeLessThan(1e-5);
    });
    const cold = Object.fromEntries(body.items.map((it: { itemId: string; cold: boolean }) => [it.itemId, it.cold]));
    // item-0 is cold in the table (every 4th item), the unknown ones are cold, the others warm
    expect(cold).toEqual({
      'item-3': false,
      'item-8': true,
      'brand-new': true,
      'item-0': true,
      'fresh-1': true,
      'item-17': false,
    });
  });

  it('scores a repeated itemId as separate candidates, each with its own inline features', async () => {
    const res = await rank({
      context,
      candidates: [
        { itemId: 'item-3' },
        { itemId: 'fresh-2' },
        { itemId: 'item-3', features: { item_content: inlineContent } },
        { itemId: 'fresh-2' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const rows = [knownRow(3), unknownRow('fresh-2'), { ...knownRow(3), item_content: inlineContent }, unknownRow('fresh-2')];
    // stable sort: the two identical fresh-2 rows keep request order
    const expected = expectedScores(artifacts, rows)
      .map((e, i) => ({ ...e, i }))
      .sort((a, b) => b.score - a.score);
    const items = res.json().items as { itemId: string; score: number }[];
    expect(items.map((it) => it.itemId)).toEqual(expected.map((e) => ['item-3', 'fresh-2', 'item-3', 'fresh-2'][e.i]));
    for (const [k, item] of items.entries()) expect(Math.abs(item.score - (expected[k]?.score as number))).toBeLessThan(1e-5);
    // the inline item_content made the two item-3 entries different candidates
    const item3 = items.filter((it) => it.itemId === 'item-3').map((it) => it.score);
    expect(Math.abs((item3[0] as number) - (item3[1] as number))).toBeGreaterThan(1e-6);
  });

  it('returns the topK and honours a utility override (eq 12 with the request weights)', async () => {
    const candidates = Array.from({ length: 12 }, (_, i) => ({ itemId: `item-${i}` }));
    const utility = { grid_click: 0, save: 3, click: 1 };
    const res = await rank({ context, candidates, topK: 4, utility });
    expect(res.statusCode).toBe(200);
    const expected = expectedScores(
      artifacts,
      candidates.map((_, i) => knownRow(i)),
      utility,
    )
      .map((e, i) => ({ ...e, itemId: `item-${i}` }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 4);
    const items = res.json().items as { itemId: string; score: number }[];
    expect(items.map((i) => i.itemId)).toEqual(expected.map((e) => e.itemId));
    for (const [k, item] of items.entries()) expect(Math.abs(item.score - (expected[k]?.score as number))).toBeLessThan(1e-5);
  });

  it('logs with the request id and echoes it', async () => {
    const res = await rank({ context, candidates: [{ itemId: 'item-1' }] }, { 'x-request-id': 'req-test-42' });
    expect(res.headers['x-request-id']).toBe('req-test-42');
    const mine = logLines.filter((l) => l.reqId === 'req-test-42');
    expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    const generated = await rank({ context, candidates: [{ itemId: 'item-1' }] });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses a client request id of at most 128 visible ASCII characters, else generates one', async () => {
    const longest = 'r'.repeat(128);
    expect(
      (await rank({ context, candidates: [{ itemId: 'item-1' }] }, { 'x-request-id': longest })).headers['x-request-id'],
    ).toBe(longest);
    for (const refused of ['r'.repeat(129), 'has a space', 'ünïcode']) {
      const res = await rank({ context, candidates: [{ itemId: 'item-1' }] }, { 'x-request-id': refused });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('bad input: 400 naming the field, and the server keeps serving', () => {
  const valid = () => ({ context: structuredClone(context), candidates: [{ itemId: 'item-1' }, { itemId: 'new-9' }] });
  const cases: [string, () => string, string, RegExp][] = [
    ['invalid JSON', () => '{"context": {', 'body', /is not valid JSON: .*position 13/],
    ['an empty body', () => '', 'body', /is empty; send a JSON object/],
    [
      'a __proto__ key (valid JSON, refused)',
      () => JSON.stringify(valid()).replace('{', '{"__proto__": {"topK": 1}, '),
      'body',
      /holds a "__proto__" or "constructor\.prototype" key/,
    ],
    ['a null context', () => JSON.stringify({ ...valid(), context: null }), 'context', /must be an object \(got null\)/],
    [
      'NaN (not JSON)',
      () => JSON.stringify(valid()).replace('"candidates"', '"topK": NaN, "candidates"'),
      'body',
      /not valid JSON/,
    ],
    ['a body that is not an object', () => '[1, 2]', 'body', /must be a JSON object \(got an array\)/],
    [
      'candidates of the wrong type',
      () => JSON.stringify({ ...valid(), candidates: 'item-1' }),
      'candidates',
      /must be an array/,
    ],
    [
      'a candidate without itemId',
      () => JSON.stringify({ ...valid(), candidates: [{ features: {} }] }),
      'candidates[0].itemId',
      /must be a non-empty string or an integer \(got undefined\)/,
    ],
    [
      'a non-integer itemId',
      () => JSON.stringify({ ...valid(), candidates: [{ itemId: 1.5 }] }),
      'candidates[0].itemId',
      /got 1.5/,
    ],
    [
      'a dense value of the wrong type',
      () => JSON.stringify({ ...valid(), context: { ...context, user_history: 'abc' } }),
      'context.user_history',
      /must be an array of 16 numbers \(got "abc"\)/,
    ],
    [
      'a vector of the wrong length',
      () => JSON.stringify({ ...valid(), context: { ...context, query_content: [1, 2, 3] } }),
      'context.query_content',
      /must be an array of 16 numbers \(got 3\)/,
    ],
    [
      'a string inside a vector',
      () => JSON.stringify({ ...valid(), context: { ...context, query_content: [...queryContent.slice(0, 15), 'x'] } }),
      'context.query_content[15]',
      /finite float32 number \(got "x"\)/,
    ],
    [
      'Infinity (1e999)',
      () => JSON.stringify(valid()).replace(/"user_history":\[[^,]+/, '"user_history":[1e999'),
      'context.user_history[0]',
      /finite float32 number \(got Infinity\)/,
    ],
    [
      'a float32 overflow',
      () => JSON.stringify(valid()).replace(/"user_history":\[[^,]+/, '"user_history":[1e300'),
      'context.user_history[0]',
      /finite float32/,
    ],
    [
      'a missing context feature',
      () => JSON.stringify({ ...valid(), context: { user_history: userHistory } }),
      'context.query_content',
      /is required \(an array of 16 numbers\)/,
    ],
    ['a missing context', () => JSON.stringify({ candidates: [{ itemId: 'a' }] }), 'context.user_history', /is required/],
    [
      'an unknown context feature',
      () => JSON.stringify({ ...valid(), context: { ...context, age: 3 } }),
      'context.age',
      /is not a user\/context feature of spec 'demo'/,
    ],
    ['empty candidates', () => JSON.stringify({ ...valid(), candidates: [] }), 'candidates', /at least 1 candidate \(got 0\)/],
    [
      'too many candidates',
      () => JSON.stringify({ ...valid(), candidates: Array.from({ length: 51 }, (_, i) => ({ itemId: `i${i}` })) }),
      'candidates',
      /holds 51 candidates; the limit is 50/,
    ],
    [
      'an inline historical feature',
      () => JSON.stringify({ ...valid(), candidates: [{ itemId: 'x', features: { item_stats: [1, 2, 3, 4, 5, 6, 7] } }] }),
      'candidates[0].features.item_stats',
      /is not an inline feature/,
    ],
    [
      'a wrong-length inline vector',
      () => JSON.stringify({ ...valid(), candidates: [{ itemId: 'x', features: { item_content: [1] } }] }),
      'candidates[0].features.item_content',
      /16 numbers \(got 1\)/,
    ],
    [
      'a bad category',
      () => JSON.stringify({ ...valid(), candidates: [{ itemId: 'x', features: { item_category: { a: 1 } } }] }),
      'candidates[0].features.item_category',
      /must be a category/,
    ],
    ['topK 0', () => JSON.stringify({ ...valid(), topK: 0 }), 'topK', /integer ≥ 1 \(got 0\)/],
    [
      'an unknown task in utility',
      () => JSON.stringify({ ...valid(), utility: { likes: 1 } }),
      'utility.likes',
      /is not a task of spec 'demo'/,
    ],
    ['a non-numeric utility', () => JSON.stringify({ ...valid(), utility: { save: '2' } }), 'utility.save', /finite number/],
    ['an unknown top-level field', () => JSON.stringify({ ...valid(), limit: 3 }), 'limit', /is not a field of a rank request/],
  ];

  it.each(cases)('%s', async (_, payload, field, message) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/rank',
      payload: payload(),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('bad_request');
    expect(body.field).toBe(field);
    expect(body.message).toMatch(message);
    expect((await rank(valid())).statusCode).toBe(200);
  });

  it('a body over the size limit gets 413', async () => {
    const big = { ...valid(), candidates: Array.from({ length: 40 }, (_, i) => ({ itemId: `x${i}`.padEnd(2000, 'x') })) };
    const res = await rank(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large', field: 'body' });
    expect((await rank(valid())).statusCode).toBe(200);
  });

  it('survives a fuzz loop of random malformed bodies, then still ranks right', async () => {
    const rng = createRng(2024);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)] as T;
    const junk = (depth: number): unknown => {
      const u = rng.uniform();
      if (depth > 2 || u < 0.3) return pick([null, true, 0, -1, 1e308, 'x', '', 3.5, [], {}]);
      if (u < 0.6) return Array.from({ length: Math.floor(rng.uniform() * 4) }, () => junk(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(rng.uniform() * 4) }, () => [
          pick(['context', 'candidates', 'itemId', 'features', 'topK', 'utility', 'user_history', 'item_content', 'zz']),
          junk(depth + 1),
        ]),
      );
    };
    const statuses = new Map<number, number>();
    for (let k = 0; k < 300; k++) {
      let payload: string;
      const base = JSON.stringify(valid());
      const mode = k % 3;
      if (mode === 0) payload = JSON.stringify(junk(0));
      else if (mode === 1) {
        // structural mutation of a valid body: replace one field by junk
        const body = valid() as Record<string, unknown>;
        const target = pick(['context', 'candidates', 'topK', 'utility']);
        body[target] = junk(1);
        payload = JSON.stringify(body);
      } else {
        // byte-level mutation: cut, duplicate or replace a character
        const at = Math.floor(rng.uniform() * base.length);
        payload =
          base.slice(0, at) +
          pick(['', '"', '{', ']', ',', '9', 'e', '\\', '\u0000']) +
          base.slice(at + (rng.uniform() < 0.5 ? 1 : 0));
      }
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/rank',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      expect([200, 400]).toContain(res.statusCode);
      if (res.statusCode === 400) expect(typeof res.json().field).toBe('string');
    }
    expect(statuses.get(400)).toBeGreaterThan(200);
    const res = await rank({ context, candidates: [{ itemId: 'item-5' }, { itemId: 'item-6' }] });
    const expected = expectedScores(artifacts, [knownRow(5), knownRow(6)]);
    const scores = Object.fromEntries(res.json().items.map((i: { itemId: string; score: number }) => [i.itemId, i.score]));
    expect(Math.abs(scores['item-5'] - (expected[0]?.score as number))).toBeLessThan(1e-5);
    expect(Math.abs(scores['item-6'] - (expected[1]?.score as number))).toBeLessThan(1e-5);
  }, 60_000);
});

describe('health, readiness and metrics', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await server.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await server.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().model.version).toBe('v1');
  });

  it('exports Prometheus counts, latency histograms, model info and candidates per request', async () => {
    await rank({ context, candidates: [{ itemId: 'item-1' }, { itemId: 'item-2' }, { itemId: 'item-3' }] });
    await rank({ context, candidates: [] });
    const res = await server.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    const value = (series: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.split(' ')[1],
      );
    expect(value('thaw_http_requests_total{route="/v1/rank",method="POST",status="200"}')).toBeGreaterThan(0);
    expect(value('thaw_http_requests_total{route="/v1/rank",method="POST",status="400"}')).toBeGreaterThan(0);
    expect(text).toMatch(/thaw_http_request_duration_seconds_bucket\{le="\+Inf",route="\/v1\/rank",status="200"\} \d+/);
    expect(value('thaw_model_info{name="demo",version="v1",spec_hash="' + server.model.identity.specHash + '"}')).toBe(1);
    expect(value('thaw_rank_candidates_bucket{le="1"}')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE thaw_rank_candidates histogram');
    expect(value('thaw_ready')).toBe(1);
  });
});
