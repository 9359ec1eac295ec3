/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with
 * labels — what `GET /metrics` serves. No dependency.
 */

type Labels = Readonly<Record<string, string>>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatLabels(labels: Labels, extra?: [string, string]): string {
  const entries = Object.entries(labels);
  if (extra) entries.push(extra);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

interface Metric {
  render(): string;
}

const key = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

/** A monotonically increasing count per label set. */
export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    const entry = this.values.get(k) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(k, entry);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels))?.value ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${formatLabels(labels)} ${formatValue(value)}`);
    return lines.join('\n');
  }
}

/** A value per label set that can go up and down (or be replaced wholesale). */
export class Gauge implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(labels: Labels, value: number): void {
    this.values.set(key(labels), { labels, value });
  }
  /** Drops every label set (e.g. the old model's info after a reload). */
  reset(): void {
    this.values.clear();
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${formatLabels(labels)} ${formatValue(value)}`);
    return lines.join('\n');
  }
}

/** Observations counted into cumulative buckets (`le`), with their sum and count, per label set. */
export class Histogram implements Metric {
  private readonly values = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  readonly bounds: readonly number[];
  constructor(
    readonly name: string,
    readonly help: string,
    bounds: readonly number[],
  ) {
    this.bounds = [...bounds].sort((a, b) => a - b);
  }
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    const entry = this.values.get(k) ?? { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.bounds.forEach((le, i) => {
      if (value <= le) entry.buckets[i] = (entry.buckets[i] as number) + 1;
    });
    entry.sum += value;
    entry.count += 1;
    this.values.set(k, entry);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, buckets, sum, count } of this.values.values()) {
      this.bounds.forEach((le, i) => {
        lines.push(`${this.name}_bucket${formatLabels(labels, ['le', formatValue(le)])} ${buckets[i]}`);
      });
      lines.push(`${this.name}_bucket${formatLabels(labels, ['le', '+Inf'])} ${count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${formatValue(sum)}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

/** The metrics thaw-serve exports. */
export class ServerMetrics {
  readonly requests = new Counter('thaw_http_requests_total', 'HTTP requests by route, method and status code.');
  readonly latency = new Histogram(
    'thaw_http_request_duration_seconds',
    'HTTP request latency in seconds by route and status code.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  readonly candidates = new Histogram(
    'thaw_rank_candidates',
    'Candidates per /v1/rank request.',
    [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
  );
  readonly modelInfo = new Gauge('thaw_model_info', 'The model being served (value 1): name, version and spec hash.');
  readonly ready = new Gauge('thaw_ready', '1 when a model is loaded and warmed up and the server is not shutting down.');
  readonly reloads = new Counter('thaw_model_reloads_total', 'Model reloads by result (success | failure).');

  /** Records one finished HTTP request. */
  recordRequest(route: string, method: string, status: number, seconds: number): void {
    const code = String(status);
    this.requests.inc({ route, method, status: code });
    this.latency.observe({ route, status: code }, seconds);
  }

  /** Replaces the model info series (one model at a time). */
  setModel(model: { name: string; version: string; specHash: string }): void {
    this.modelInfo.reset();
    this.modelInfo.set({ name: model.name, version: model.version, spec_hash: model.specHash }, 1);
  }

  /** The exposition text. */
  render(): string {
    return `${[this.requests, this.latency, this.candidates, this.modelInfo, this.ready, this.reloads].map((m) => m.render()).join('\n')}\n`;
  }
}
