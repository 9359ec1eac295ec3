import { createRng, referenceOps as r, ShapeError } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { scoreRegLoss } from './score-reg-loss.js';
import { warmerObjective } from './warmer-objective.js';

const value = (t: { data: ArrayLike<number> }) => t.data[0] as number;

/** Mean of `values` over the rows selected by `keep`, or undefined when none is. */
function mean(values: number[], keep: boolean[]): number | undefined {
  const kept = values.filter((_, i) => keep[i]);
  return kept.length === 0 ? undefined : kept.reduce((a, b) => a + b, 0) / kept.length;
}

/** Label-conditional ScoreReg by explicit loops: Σ_t Σ_y (warm mean − cold mean)² over classes holding both groups. */
function directConditional(p: number[], y: number[], cold: number[], n: number, tasks: number): number {
  let total = 0;
  for (let t = 0; t < tasks; t++) {
    const scores = Array.from({ length: n }, (_, i) => p[i * tasks + t] as number);
    for (const label of [0, 1]) {
      const inClass = Array.from({ length: n }, (_, i) => y[i * tasks + t] === label);
      const warm = mean(
        scores,
        inClass.map((c, i) => c && cold[i] === 0),
      );
      const coldMean = mean(
        scores,
        inClass.map((c, i) => c && cold[i] === 1),
      );
      if (warm !== undefined && coldMean !== undefined) total += (warm - coldMean) ** 2;
    }
  }
  return total;
}

function randomBatch(seed: number, n: number, tasks: number) {
  const rng = createRng(seed);
  const p = Array.from({ length: n * tasks }, () => rng.uniform());
  const y = Array.from({ length: n * tasks }, () => (rng.uniform() < 0.4 ? 1 : 0));
  const cold = Array.from({ length: n }, (_, i): number => (i < 2 ? i : rng.uniform() < 0.4 ? 1 : 0));
  return { p, y, cold };
}

describe("scoreRegLoss, condition: 'label'", () => {
  it('equals the hand-computed value: warm and cold matched within each label class', () => {
    // One task; warm rows 0–2, cold rows 3–5. Positives: warm 0.9 | cold 0.6, 0.8 → (0.9 − 0.7)² = 0.04.
    // Negatives: warm 0.3, 0.1 | cold 0.05 → (0.2 − 0.05)² = 0.0225. Total 0.0625.
    const probs = r.constant([0.9, 0.3, 0.1, 0.6, 0.8, 0.05], [6, 1]);
    const labels = r.constant([1, 0, 0, 1, 1, 0], [6, 1]);
    const isCold = r.constant([0, 0, 0, 1, 1, 1], [6]);
    expect(value(scoreRegLoss(r, probs, isCold, { condition: 'label', labels }))).toBeCloseTo(0.0625, 14);
    // The paper's unconditional form on the same batch: (0.4333 − 0.4833)² = 0.0025.
    expect(value(scoreRegLoss(r, probs, isCold))).toBeCloseTo((1.3 / 3 - 1.45 / 3) ** 2, 14);
  });

  it('is 0 when fresh items only convert less: within-class means agree but base rates differ', () => {
    // Warm: 2 positives at 0.8, 2 negatives at 0.2. Cold: 1 positive at 0.8, 3 negatives at 0.2.
    const probs = r.constant([0.8, 0.8, 0.2, 0.2, 0.8, 0.2, 0.2, 0.2], [8, 1]);
    const labels = r.constant([1, 1, 0, 0, 1, 0, 0, 0], [8, 1]);
    const isCold = r.constant([0, 0, 0, 0, 1, 1, 1, 1], [8]);
    expect(value(scoreRegLoss(r, probs, isCold, { condition: 'label', labels }))).toBeLessThan(1e-30);
    // The unconditional form pushes the cold scores up regardless: (0.5 − 0.35)² = 0.0225.
    expect(value(scoreRegLoss(r, probs, isCold))).toBeCloseTo(0.0225, 14);
  });

  it('matches a direct per-class computation on random batches (classes without both groups count 0)', () => {
    for (const [seed, n, tasks] of [
      [1, 9, 3],
      [2, 20, 2],
      [3, 4, 1],
    ] as const) {
      const { p, y, cold } = randomBatch(seed, n, tasks);
      const loss = scoreRegLoss(r, r.constant(p, [n, tasks]), r.constant(cold, [n]), {
        condition: 'label',
        labels: r.constant(y, [n, tasks]),
      });
      expect(value(loss)).toBeCloseTo(directConditional(p, y, cold, n, tasks), 13);
    }
  });

  it('has gradient 2·gap_{t,y}·(w_i/n_w,y − c_i/n_c,y) for the class y of sample i (central differences)', () => {
    const n = 10;
    const tasks = 2;
    const { p, y, cold } = randomBatch(7, n, tasks);
    const labels = r.constant(y, [n, tasks]);
    const loss = (q: number[]) =>
      value(scoreRegLoss(r, r.constant(q, [n, tasks]), r.constant(cold, [n]), { condition: 'label', labels }));
    const h = 1e-6;
    for (let i = 0; i < p.length; i++) {
      const row = Math.floor(i / tasks);
      const t = i % tasks;
      const label = y[i] as number;
      const members = (flag: number) =>
        Array.from({ length: n }, (_, k) => k).filter((k) => cold[k] === flag && y[k * tasks + t] === label);
      const warm = members(0);
      const coldRows = members(1);
      const meanOf = (rows: number[]) => rows.reduce((s, k) => s + (p[k * tasks + t] as number), 0) / rows.length;
      const analytic =
        warm.length === 0 || coldRows.length === 0
          ? 0
          : 2 * (meanOf(warm) - meanOf(coldRows)) * (cold[row] ? -1 / coldRows.length : 1 / warm.length);
      const up = [...p];
      const down = [...p];
      up[i] = (up[i] as number) + h;
      down[i] = (down[i] as number) - h;
      expect((loss(up) - loss(down)) / (2 * h)).toBeCloseTo(analytic, 7);
    }
  });

  it('works with the RBF kernel per class (a class of one warm and one cold score: 2 − 2·exp(−d²/2σ²))', () => {
    // Positives: warm 0.9, cold 0.5. Negatives: warm 0.2 only → no cold negative, the class counts 0.
    const probs = r.constant([0.9, 0.2, 0.5], [3, 1]);
    const labels = r.constant([1, 0, 1], [3, 1]);
    const loss = scoreRegLoss(r, probs, r.constant([0, 0, 1], [3]), {
      condition: 'label',
      labels,
      kernel: 'rbf',
      bandwidth: 0.2,
    });
    expect(value(loss)).toBeCloseTo(2 - 2 * Math.exp(-(0.4 ** 2) / (2 * 0.04)), 14);
  });

  it('is what warmerObjective adds, with the objective labels', () => {
    const { p, y, cold } = randomBatch(11, 12, 2);
    const logits = p.map((q) => Math.log(q / (1 - q)));
    const terms = warmerObjective(r, {
      labels: r.constant(y, [12, 2]),
      logits: r.constant(logits, [12, 2]),
      isCold: r.constant(cold, [12]),
      scoreRegOptions: { condition: 'label' },
    });
    expect(value(terms.scoreReg)).toBeCloseTo(directConditional(p, y, cold, 12, 2), 12);
  });

  it('names what is missing or wrong', () => {
    const probs = r.constant([0.1, 0.2], [2, 1]);
    const isCold = r.constant([0, 1], [2]);
    expect(() => scoreRegLoss(r, probs, isCold, { condition: 'label' })).toThrow(/condition 'label' needs options.labels/);
    expect(() => scoreRegLoss(r, probs, isCold, { condition: 'class' as never })).toThrow(/options.condition must be 'none'/);
    expect(() => scoreRegLoss(r, probs, isCold, { condition: 'label', labels: r.constant([1, 0], [2]) })).toThrow(ShapeError);
  });
});
