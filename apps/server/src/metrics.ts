import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The request-count and latency series of one `method status route`, kept so a request costs one map lookup. */
interface HttpSeries {
  readonly count: { inc(): void };
  readonly latency: { observe(value: number): void };
}

/**
 * The metrics `GET /metrics` serves, on a prom-client registry of their own (one per server, so
 * several servers in one process do not share series): prom-client's default process and Node
 * metrics (`process_cpu_*`, `process_resident_memory_bytes`, `process_open_fds`, `nodejs_heap_*`,
 * `nodejs_eventloop_lag_*`, `nodejs_gc_duration_seconds{kind}` …) next to thaw-serve's own:
 * `thaw_http_requests_total{route,method,status}`, `thaw_http_request_duration_seconds{route,status}`,
 * `thaw_rank_candidates`, `thaw_model_info{name,version,spec_hash}`, `thaw_ready`,
 * `thaw_model_reloads_total{result}`, `thaw_scoring_thread_crashes_total`.
 *
 * @example
 * ```ts
 * const metrics = new ServerMetrics();
 * metrics.recordRequest('/v1/rank', 'POST', 200, 0.012);
 * const text = await metrics.render(); // Prometheus text exposition 0.0.4
 * ```
 */
export class ServerMetrics {
  /** The registry every series below lives in (add your own metrics to it). */
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'thaw_http_requests_total',
    help: 'HTTP requests by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'thaw_http_request_duration_seconds',
    help: 'HTTP request latency in seconds by route and status code.',
    labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly candidates = new Histogram({
    name: 'thaw_rank_candidates',
    help: 'Candidates per /v1/rank request.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });
  readonly modelInfo = new Gauge({
    name: 'thaw_model_info',
    help: 'The model being served (value 1): name, version and spec hash.',
    labelNames: ['name', 'version', 'spec_hash'] as const,
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'thaw_ready',
    help: '1 when a model is loaded and checked and the server is not shutting down.',
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'thaw_model_reloads_total',
    help: 'Model reloads by result (success | failure).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly threadCrashes = new Counter({
    name: 'thaw_scoring_thread_crashes_total',
    help: 'Crashes of the worker thread running the onnxruntime session (each one restarted; its requests in flight got 503).',
    registers: [this.registry],
  });

  private readonly http = new Map<string, HttpSeries>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.ready.set(0);
  }

  /** Records one finished HTTP request. */
  recordRequest(route: string, method: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.http.get(key);
    if (!series) {
      const code = String(status);
      series = { count: this.requests.labels(route, method, code), latency: this.latency.labels(route, code) };
      this.http.set(key, series);
    }
    series.count.inc();
    series.latency.observe(seconds);
  }

  /** Records the candidate count of one `/v1/rank` request. */
  recordCandidates(count: number): void {
    this.candidates.observe(count);
  }

  /** Replaces the model info series (one model at a time). */
  setModel(model: { name: string; version: string; specHash: string }): void {
    this.modelInfo.reset();
    this.modelInfo.set({ name: model.name, version: model.version, spec_hash: model.specHash }, 1);
  }

  /** The `Content-Type` of {@link render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
