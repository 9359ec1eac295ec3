import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { examinationProbability } from './engagement.js';
import { plackettLuceFirst, topKPropensity } from './logging-policy.js';
import { simulate } from './simulate.js';

const TASKS = ['grid_click', 'save', 'click'] as const;
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** Row ranges of consecutive request ids. */
function requestRanges(ids: Int32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < ids.length; ) {
    let end = start + 1;
    while (end < ids.length && ids[end] === ids[start]) end++;
    out.push([start, end]);
    start = end;
  }
  return out;
}

describe('simulate: the oracle', () => {
  const sim = simulate({ preset: 'tiny', oracleRequestsPerDay: 40 }, 3);
  const { oracle, options, world } = sim;
  const { candidates } = oracle;

  it('probe requests leave the logged frame, its split and the item snapshots bit-identical', () => {
    const plain = simulate('tiny', 3);
    const a = plain.frame;
    const b = sim.frame;
    expect(b.size).toBe(a.size);
    const bytes = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    for (const name of Object.keys(a.features)) {
      expect(bytes(b.features[name] as Float32Array).equals(bytes(a.features[name] as Float32Array)), name).toBe(true);
    }
    for (const task of TASKS) {
      expect(bytes(b.labels[task] as Float32Array).equals(bytes(a.labels[task] as Float32Array))).toBe(true);
      expect(bytes(b.truth?.[task] as Float32Array).equals(bytes(a.truth?.[task] as Float32Array))).toBe(true);
    }
    for (const key of ['requestId', 'itemId', 'userId', 'timestamp', 'itemCreatedAt'] as const) {
      expect(bytes(b[key]).equals(bytes(a[key])), key).toBe(true);
    }
    for (const part of ['train', 'calibration', 'eval'] as const) {
      expect(Array.from(sim.split.rows[part])).toEqual(Array.from(plain.split.rows[part]));
    }
    const T = sim.split.windows?.eval.end as number;
    expect(bytes(sim.itemSnapshot(T).features.item_stats as Float32Array)).toEqual(
      bytes(plain.itemSnapshot(T).features.item_stats as Float32Array),
    );
    // The plain run has the same real requests in its oracle, and no probe.
    expect(plain.oracle.probe.every((p) => p === 0)).toBe(true);
    expect(plain.oracle.requests.eval.real).toBe(oracle.requests.eval.real);
  });

  it('keeps every retrieved candidate of real requests, with the features of the logged rows', () => {
    const realEval = oracle.requests.eval.real;
    expect(realEval).toBeGreaterThan(20);
    const logged = oracle.logged.reduce((s, v) => s + v, 0);
    // Every logged impression of the emitted days is a candidate row (all windows are kept by default).
    expect(logged).toBe(sim.frame.size);
    for (const [start, end] of requestRanges(candidates.requestId)) {
      if (oracle.probe[start] === 1) continue;
      expect(end - start).toBe(Math.min(options.candidatesRetrieved, end - start));
      const shown = Array.from({ length: end - start }, (_, i) => start + i).filter((r) => oracle.logged[r] === 1);
      expect(shown.length).toBe(Math.min(options.impressionsPerRequest, end - start));
      expect(shown.map((r) => oracle.position[r]).sort((x, y) => (x as number) - (y as number))).toEqual(
        Array.from({ length: shown.length }, (_, i) => i + 1),
      );
    }
    for (let r = 0; r < candidates.size; r += 3) {
      const f = oracle.frameRow[r] as number;
      if (f < 0) continue;
      expect(sim.frame.requestId[f]).toBe(candidates.requestId[r]);
      expect(sim.frame.itemId[f]).toBe(candidates.itemId[r]);
      for (const [name, width] of [
        ['item_stats', 7],
        ['item_content', 16],
        ['user_history', 16],
        ['query_content', 16],
        ['item_age', 1],
        ['item_id', 1],
        ['item_category', 1],
      ] as const) {
        expect(Array.from(candidates.features[name]?.slice(r * width, (r + 1) * width) ?? []), name).toEqual(
          Array.from(sim.frame.features[name]?.slice(f * width, (f + 1) * width) ?? []),
        );
      }
      expect(candidates.itemHistory?.events[r]).toBe(sim.frame.itemHistory?.events[f]);
      // The logged probability is examination × p*.
      const e = examinationProbability(oracle.position[r] as number, options.positionDecay);
      for (const task of TASKS) {
        const logged = sim.frame.truth?.[task]?.[f] as number;
        expect(logged).toBeCloseTo(e * (candidates.truth?.[task]?.[r] as number), 6);
        expect(candidates.labels[task]?.[r]).toBe(sim.frame.labels[task]?.[f]);
      }
    }
  });

  it('p* is the closed form of the engagement model with examination 1 (computed by hand from the world)', () => {
    const d = world.d;
    const { bias } = options;
    for (let r = 0; r < candidates.size; r += 11) {
      const u = candidates.userId[r] as number;
      const q = oracle.queryItem[r] as number;
      const i = candidates.itemId[r] as number;
      let userDot = 0;
      let queryDot = 0;
      for (let k = 0; k < d; k++) {
        userDot += (world.userTaste[u * d + k] as number) * (world.itemLatent[i * d + k] as number);
        queryDot += (world.itemLatent[q * d + k] as number) * (world.itemLatent[i * d + k] as number);
      }
      const rho = (2.5 * userDot + 1.5 * queryDot) / 16 + (world.itemQuality[i] as number);
      const g = logistic(bias.gridClick + rho);
      expect(candidates.truth?.grid_click?.[r]).toBeCloseTo(g, 6);
      expect(candidates.truth?.save?.[r]).toBeCloseTo(g * logistic(bias.save + rho + (world.itemSave[i] as number)), 6);
      expect(candidates.truth?.click?.[r]).toBeCloseTo(g * logistic(bias.click + rho / 2 + (world.itemClick[i] as number)), 6);
      // query_content is the query item's content.
      expect(candidates.features.query_content?.[r * d]).toBe(world.itemContent[q * d]);
    }
  });

  it('probe requests: drawn in calibration and eval only, fresh ids after the real ones, never logged', () => {
    const probes = oracle.requests.calibration.probe + oracle.requests.eval.probe;
    expect(oracle.requests.train.probe).toBe(0);
    expect(probes).toBeGreaterThan(3 * 40 * 0.7);
    const lastReal = new Set(sim.frame.requestId).size;
    const start = sim.split.windows?.calibration.start as number;
    const probeIds = new Set<number>();
    for (let r = 0; r < candidates.size; r++) {
      if (oracle.probe[r] === 0) continue;
      probeIds.add(candidates.requestId[r] as number);
      expect(candidates.requestId[r]).toBeGreaterThanOrEqual(lastReal);
      expect(candidates.timestamp[r]).toBeGreaterThanOrEqual(start);
      expect(oracle.logged[r]).toBe(0);
      expect(oracle.frameRow[r]).toBe(-1);
      expect(oracle.position[r]).toBeLessThanOrEqual(options.impressionsPerRequest);
    }
    expect(probeIds.size).toBe(probes);
    // A calibration rate of its own.
    const fewer = simulate({ preset: 'tiny', oracleRequestsPerDay: 40, oracleCalibrationRequestsPerDay: 0 }, 3).oracle.requests;
    expect(fewer.calibration.probe).toBe(0);
    expect(fewer.eval.probe).toBeGreaterThan(40);
    expect(() => simulate({ preset: 'tiny', oracleCalibrationRequestsPerDay: -1 })).toThrow(
      'simulate: options.oracleCalibrationRequestsPerDay must be a finite number ≥ 0',
    );
    expect(oracle.split.rows.eval.length + oracle.split.rows.calibration.length).toBeGreaterThan(probes * 10);
  });

  it('propensities sum to K per request and predict how often the logging policy shows a candidate', () => {
    const propensity = oracle.propensity();
    expect(oracle.propensity()).toBe(propensity); // cached
    const K = options.impressionsPerRequest;
    for (const [start, end] of requestRanges(candidates.requestId)) {
      let sum = 0;
      for (let r = start; r < end; r++) sum += propensity[r] as number;
      expect(sum).toBeCloseTo(Math.min(K, end - start), 4);
    }
    // Calibration against the policy's own draws (shown = position > 0), by propensity bin.
    const bins = [0, 0.25, 0.5, 0.75, 1.01];
    for (let b = 0; b < bins.length - 1; b++) {
      let n = 0;
      let expected = 0;
      let shown = 0;
      for (let r = 0; r < candidates.size; r++) {
        const p = propensity[r] as number;
        if (p < (bins[b] as number) || p >= (bins[b + 1] as number)) continue;
        n++;
        expected += p;
        shown += (oracle.position[r] as number) > 0 ? 1 : 0;
      }
      if (n < 200) continue;
      expect(Math.abs(shown - expected) / n, `bin ${b}`).toBeLessThan(4 * Math.sqrt(0.25 / n) + 0.02);
    }
  });

  it('topKPropensity: the first position matches the Plackett–Luce closed form; K of n sum to K; σ = 0 is the top K', () => {
    const base = Float64Array.of(1.2, 0.3, -0.4, 0.9, 0, -1.5);
    const samples = 20_000;
    const first = topKPropensity(base, 0.5, 1, samples, createRng(5));
    const exact = plackettLuceFirst(base, 0.5);
    exact.forEach((p, i) => {
      expect(Math.abs((first[i] as number) - p), `candidate ${i}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / samples) + 1e-9);
    });
    // Hand-computed PL: w = exp(2·base).
    const w = Array.from(base, (a) => Math.exp(2 * a));
    expect(exact[0]).toBeCloseTo((w[0] as number) / w.reduce((s, v) => s + v, 0), 12);
    const top3 = topKPropensity(base, 0.5, 3, 500, createRng(6));
    expect(top3.reduce((s, v) => s + v, 0)).toBeCloseTo(3, 12);
    expect(Array.from(topKPropensity(base, 0, 2, 10, createRng(1)))).toEqual([1, 0, 0, 1, 0, 0]);
    expect(Array.from(topKPropensity(base.subarray(0, 2), 0.5, 3, 10, createRng(1)))).toEqual([1, 1]);
    expect(() => topKPropensity(base, 0.5, 0, 10, createRng(1))).toThrow('topKPropensity: k must be an integer ≥ 1 (got 0)');
  });

  it('qualityVisibility: a share ν of the quality variance is a linear function of content; nothing else changes', () => {
    const shown = simulate({ preset: 'tiny', qualityVisibility: 0.6 }, 3).world;
    expect(Array.from(shown.itemContent)).toEqual(Array.from(world.itemContent));
    expect(Array.from(shown.userTaste)).toEqual(Array.from(world.userTaste));
    expect(Array.from(shown.itemSave)).toEqual(Array.from(world.itemSave));
    const r2 = (quality: Float32Array) => {
      // Least squares of q on [1, x] by the normal equations (Gaussian elimination).
      const d = world.d;
      const p = d + 1;
      const w = p + 1;
      const A = new Float64Array(p * w); // [XᵀX | Xᵀq], row-major
      const at = (a: number, b: number) => A[a * w + b] as number;
      const N = quality.length;
      for (let i = 0; i < N; i++) {
        const x = [1, ...Array.from(world.itemContent.subarray(i * d, (i + 1) * d))];
        for (let a = 0; a < p; a++) {
          for (let b = 0; b < p; b++) A[a * w + b] = at(a, b) + (x[a] as number) * (x[b] as number);
          A[a * w + p] = at(a, p) + (x[a] as number) * (quality[i] as number);
        }
      }
      for (let c = 0; c < p; c++) {
        for (let r = c + 1; r < p; r++) {
          const f = at(r, c) / at(c, c);
          for (let k = c; k <= p; k++) A[r * w + k] = at(r, k) - f * at(c, k);
        }
      }
      const beta = new Float64Array(p);
      for (let c = p - 1; c >= 0; c--) {
        let v = at(c, p);
        for (let k = c + 1; k < p; k++) v -= at(c, k) * (beta[k] as number);
        beta[c] = v / at(c, c);
      }
      let mean = 0;
      for (const q of quality) mean += q / N;
      let total = 0;
      let residual = 0;
      for (let i = 0; i < N; i++) {
        let fit = beta[0] as number;
        for (let k = 0; k < d; k++) fit += (beta[k + 1] as number) * (world.itemContent[i * d + k] as number);
        total += ((quality[i] as number) - mean) ** 2;
        residual += ((quality[i] as number) - fit) ** 2;
      }
      return { r2: 1 - residual / total, sd: Math.sqrt(total / N) };
    };
    const hidden = r2(world.itemQuality);
    const visible = r2(shown.itemQuality);
    // With ~600 items and 17 regressors, chance R² is about 17/600.
    expect(hidden.r2).toBeLessThan(0.08);
    expect(visible.r2).toBeGreaterThan(0.55);
    expect(visible.r2).toBeLessThan(0.68);
    expect(visible.sd / hidden.sd).toBeGreaterThan(0.9);
    expect(visible.sd / hidden.sd).toBeLessThan(1.1);
  });
});
