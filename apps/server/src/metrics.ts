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

/** One label set of a {@link Counter}: keep it to count without looking the labels up again. */
export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

/** A monotonically increasing count per label set. */
export class Counter implements Metric {
  private readonly values = new Map<string, CounterSeries>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  /** The series of `labels`, created at 0 on first use (the same object every time). */
  series(labels: Labels = {}): CounterSeries {
    const k = key(labels);
    let series = this.values.get(k);
    if (!series) {
      series = new CounterSeries(labels);
      this.values.set(k, series);
    }
    return series;
  }
  inc(labels: Labels = {}, by = 1): void {
    this.series(labels).inc(by);
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

/** One label set of a {@link Histogram}: per-bucket counts (not cumulative), sum and count. */
export class HistogramSeries {
  readonly buckets: number[];
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = bounds.map(() => 0);
  }
  observe(value: number): void {
    // The first bucket that holds `value`; render() accumulates them into Prometheus's `le` counts.
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] as number)) i++;
    if (i < this.buckets.length) this.buckets[i] = (this.buckets[i] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

/** Observations counted into cumulative buckets (`le`), with their sum and count, per label set. */
export class Histogram implements Metric {
  private readonly values = new Map<string, HistogramSeries>();
  readonly bounds: readonly number[];
  constructor(
    readonly name: string,
    readonly help: string,
    bounds: readonly number[],
  ) {
    this.bounds = [...bounds].sort((a, b) => a - b);
  }
  /** The series of `labels`, created empty on first use (the same object every time). */
  series(labels: Labels = {}): HistogramSeries {
    const k = key(labels);
    let series = this.values.get(k);
    if (!series) {
      series = new HistogramSeries(labels, this.bounds);
      this.values.set(k, series);
    }
    return series;
  }
  observe(labels: Labels, value: number): void {
    this.series(labels).observe(value);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, buckets, sum, count } of this.values.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += buckets[i] as number;
        lines.push(`${this.name}_bucket${formatLabels(labels, ['le', formatValue(le)])} ${cumulative}`);
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

  /** The request-count and latency series per `method status route`, so a request costs one map lookup. */
  private readonly http = new Map<string, { readonly count: CounterSeries; readonly latency: HistogramSeries }>();
  private readonly rankCandidates = this.candidates.series();

  /** Records one finished HTTP request. */
  recordRequest(route: string, method: string, status: number, seconds: number): void {
    const k = `${method} ${status} ${route}`;
    let series = this.http.get(k);
    if (!series) {
      const code = String(status);
      series = {
        count: this.requests.series({ route, method, status: code }),
        latency: this.latency.series({ route, status: code }),
      };
      this.http.set(k, series);
    }
    series.count.inc();
    series.latency.observe(seconds);
  }

  /** Records the candidate count of one `/v1/rank` request. */
  recordCandidates(count: number): void {
    this.rankCandidates.observe(count);
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
