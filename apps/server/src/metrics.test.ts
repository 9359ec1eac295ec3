import { describe, expect, it } from 'vitest';
import { Counter, Histogram, ServerMetrics } from './metrics.js';

describe('metrics', () => {
  it('renders a histogram with cumulative le buckets, sum and count (hand-computed)', () => {
    const h = new Histogram('h', 'help', [1, 5, 2]);
    for (const v of [0.5, 1, 1.5, 3, 7]) h.observe({ route: '/x' }, v);
    expect(h.render().split('\n')).toEqual([
      '# HELP h help',
      '# TYPE h histogram',
      'h_bucket{route="/x",le="1"} 2',
      'h_bucket{route="/x",le="2"} 3',
      'h_bucket{route="/x",le="5"} 4',
      'h_bucket{route="/x",le="+Inf"} 5',
      'h_sum{route="/x"} 13',
      'h_count{route="/x"} 5',
    ]);
  });

  it('keeps one series per label set, whatever the key order, and hands back the same series object', () => {
    const c = new Counter('c', 'help');
    c.inc({ a: '1', b: '2' });
    c.inc({ b: '2', a: '1' }, 2);
    c.inc({ a: '1', b: '"q"\n' });
    expect(c.series({ b: '2', a: '1' })).toBe(c.series({ a: '1', b: '2' }));
    expect(c.get({ a: '1', b: '2' })).toBe(3);
    expect(c.render().split('\n').slice(2)).toEqual(['c{a="1",b="2"} 3', 'c{a="1",b="\\"q\\"\\n"} 1']);
  });

  it('counts requests per route, method and status, and latency per route and status', () => {
    const m = new ServerMetrics();
    m.recordRequest('/v1/rank', 'POST', 200, 0.003);
    m.recordRequest('/v1/rank', 'POST', 200, 0.02);
    m.recordRequest('/v1/rank', 'POST', 400, 0.001);
    m.recordCandidates(512);
    const text = m.render();
    expect(text).toContain('thaw_http_requests_total{route="/v1/rank",method="POST",status="200"} 2\n');
    expect(text).toContain('thaw_http_requests_total{route="/v1/rank",method="POST",status="400"} 1\n');
    expect(text).toContain('thaw_http_request_duration_seconds_bucket{route="/v1/rank",status="200",le="0.005"} 1\n');
    expect(text).toContain('thaw_http_request_duration_seconds_bucket{route="/v1/rank",status="200",le="0.025"} 2\n');
    expect(text).toContain('thaw_http_request_duration_seconds_sum{route="/v1/rank",status="200"} 0.023\n');
    expect(text).toContain('thaw_rank_candidates_bucket{le="250"} 0\n');
    expect(text).toContain('thaw_rank_candidates_bucket{le="1000"} 1\n');
  });
});
