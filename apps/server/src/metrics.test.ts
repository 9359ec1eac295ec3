import { describe, expect, it } from 'vitest';
import { ServerMetrics } from './metrics.js';

describe('ServerMetrics', () => {
  it('counts requests per route, method and status, and latency per route and status (cumulative le buckets)', async () => {
    const m = new ServerMetrics();
    m.recordRequest('/v1/rank', 'POST', 200, 0.003);
    m.recordRequest('/v1/rank', 'POST', 200, 0.02);
    m.recordRequest('/v1/rank', 'POST', 400, 0.001);
    m.recordCandidates(512);
    const text = await m.render();
    expect(text).toContain('thaw_http_requests_total{route="/v1/rank",method="POST",status="200"} 2\n');
    expect(text).toContain('thaw_http_requests_total{route="/v1/rank",method="POST",status="400"} 1\n');
    expect(text).toContain('thaw_http_request_duration_seconds_bucket{le="0.0025",route="/v1/rank",status="200"} 0\n');
    expect(text).toContain('thaw_http_request_duration_seconds_bucket{le="0.005",route="/v1/rank",status="200"} 1\n');
    expect(text).toContain('thaw_http_request_duration_seconds_bucket{le="0.025",route="/v1/rank",status="200"} 2\n');
    expect(text).toContain('thaw_http_request_duration_seconds_bucket{le="+Inf",route="/v1/rank",status="200"} 2\n');
    expect(text).toContain('thaw_http_request_duration_seconds_sum{route="/v1/rank",status="200"} 0.023\n');
    expect(text).toContain('thaw_http_request_duration_seconds_count{route="/v1/rank",status="200"} 2\n');
    expect(text).toContain('thaw_rank_candidates_bucket{le="250"} 0\n');
    expect(text).toContain('thaw_rank_candidates_bucket{le="1000"} 1\n');
    expect(text).toContain('thaw_ready 0\n');
  });

  it('keeps one model_info series (the latest model) and separate registries per instance', async () => {
    const a = new ServerMetrics();
    const b = new ServerMetrics();
    a.setModel({ name: 'demo', version: 'v1', specHash: 'aa' });
    a.setModel({ name: 'demo', version: 'v2', specHash: 'bb' });
    a.recordRequest('/healthz', 'GET', 200, 0.001);
    const text = await a.render();
    expect(text).toContain('thaw_model_info{name="demo",version="v2",spec_hash="bb"} 1\n');
    expect(text).not.toContain('version="v1"');
    expect(await b.render()).not.toContain('route="/healthz"');
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
