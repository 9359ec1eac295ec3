import type { FeatureBatch } from '@thaw/spec';
import { createRng, createTensor, type Tensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import type { AblationFeature } from './ablate-tensor.js';
import { featureAblation } from './feature-ablation.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const dense = (values: number[]) => createTensor('float32', values, [values.length, 1]);
const read = (batch: FeatureBatch, name: string) => (batch.features[name] as Tensor).data as ArrayLike<number>;

describe('featureAblation on a hand-computed example', () => {
  // score = h + c; the categorical `cat` is ignored by the model.
  //   labels  1  1  1  0    0  0
  //   h       2  2  0  0    0  0   (historical)
  //   c       0  0  1  0.5  0  0   (non-historical)
  // Intact order is perfect: AP = 1.
  // Without h: c ranks 1 (+) first, 0.5 (−), then a 4-way tie holding 2 positives: AP = (1 + 2 · 3/6) / 3 = 2/3.
  // Without c: h ranks two positives first (tie), then a 4-way tie with 1 positive: AP = (2 + 3/6) / 3 = 5/6.
  const frame: FeatureBatch = {
    size: 6,
    features: {
      h: dense([2, 2, 0, 0, 0, 0]),
      c: dense([0, 0, 1, 0.5, 0, 0]),
      cat: createTensor('int32', [0, 1, 2, 3, 4, 0], [6]),
    },
    labels: createTensor('float32', [1, 1, 1, 0, 0, 0], [6, 1]),
  };
  const features: AblationFeature[] = [
    { name: 'h', group: 'historical' },
    { name: 'c', group: 'nonHistorical' },
    { name: 'cat', group: 'nonHistorical', vocabSize: 5 },
  ];
  const seen: FeatureBatch[] = [];
  const predict = (batch: FeatureBatch) => {
    seen.push(batch);
    const h = read(batch, 'h');
    const c = read(batch, 'c');
    return createTensor(
      'float64',
      Array.from(h, (v, i) => sigmoid(v + (c[i] as number))),
      [batch.size, 1],
    );
  };

  it('gives ΔPR-AUC per feature, per group, and the Fig 2a ratio', async () => {
    seen.length = 0;
    const result = await featureAblation(predict, frame, { features });
    expect(result.intact).toEqual([1]);
    expect(result.features.map((f) => f.name)).toEqual(['h', 'c', 'cat']);
    expect(result.features[0]?.delta[0]).toBeCloseTo(2 / 3 - 1, 15);
    expect(result.features[1]?.delta[0]).toBeCloseTo(5 / 6 - 1, 15);
    expect(result.features[2]?.delta).toEqual([0]);
    expect(result.groups.historical).toMatchObject({ removed: ['h'] });
    expect(result.groups.nonHistorical).toMatchObject({ removed: ['c', 'cat'] });
    expect(result.groups.historical.delta[0]).toBeCloseTo(-1 / 3, 15);
    expect(result.groups.nonHistorical.delta[0]).toBeCloseTo(-1 / 6, 15);
    expect(result.ratio[0]).toBeCloseTo(0.5, 14);
    // One intact call, reused: + 3 features + 2 groups.
    expect(result.predictCalls).toBe(6);
    expect(seen[0]).toBe(frame);
    // 'zero' puts a categorical feature on its out-of-vocabulary row and leaves other features as they are.
    const catBatch = seen[3] as FeatureBatch;
    expect(Array.from(read(catBatch, 'cat'))).toEqual([5, 5, 5, 5, 5, 5]);
    expect(catBatch.features.h).toBe(frame.features.h);
  });

  it("'mean' replaces a feature by its column mean (a constant: same ranking as zero here)", async () => {
    seen.length = 0;
    const result = await featureAblation(predict, frame, { labels: [1, 1, 1, 0, 0, 0], features, mode: 'mean' });
    expect(Array.from(read(seen[1] as FeatureBatch, 'h'))).toEqual(new Array(6).fill(Math.fround(4 / 6)));
    expect(Array.from(read(seen[3] as FeatureBatch, 'cat'))).toEqual([0, 0, 0, 0, 0, 0]); // most frequent value
    expect(result.ratio[0]).toBeCloseTo(0.5, 14);
  });

  it('rejects unknown features, bad options and missing labels', async () => {
    const bad = (options: object, labels?: number[]) =>
      featureAblation(predict, { ...frame, labels: undefined }, { features, labels, ...options } as never);
    await expect(bad({ features: [{ name: 'x', group: 'historical' }] }, [1, 0, 0, 0, 0, 0])).rejects.toThrow(
      /'x' is not in the frame/,
    );
    await expect(bad({ repeats: 2 }, [1, 0, 0, 0, 0, 0])).rejects.toThrow(/repeats applies to mode 'permute' only/);
    await expect(bad({ mode: 'drop' }, [1, 0, 0, 0, 0, 0])).rejects.toThrow(/mode must be 'zero', 'mean' or 'permute'/);
    await expect(bad({})).rejects.toThrow(/labels are required/);
    await expect(featureAblation(() => [[0.1], [0.2]], frame, { features })).rejects.toThrow(
      /predictFn output column 0 has 1 rows but 6 are expected/,
    );
  });
});

describe('featureAblation on a linear scorer with known weights', () => {
  // Two tasks; true logits use weights per feature and task. `d` is unused (weight 0).
  const weights: Record<string, [number, number]> = { a: [3, 0.5], b: [1, 1], c: [0.3, 2], d: [0, 0] };
  const features: AblationFeature[] = [
    { name: 'a', group: 'historical' },
    { name: 'b', group: 'historical' },
    { name: 'c', group: 'nonHistorical' },
    { name: 'd', group: 'nonHistorical' },
  ];
  const n = 3000;
  const rng = createRng(21);
  const columns = Object.fromEntries(features.map((f) => [f.name, Array.from({ length: n }, () => rng.normal())]));
  const logits = (x: (name: string, i: number) => number, i: number, task: 0 | 1) =>
    Object.entries(weights).reduce((z, [name, w]) => z + w[task] * x(name, i), -1);
  const labels = [0, 1].map((task) =>
    Array.from({ length: n }, (_, i) =>
      rng.uniform() < sigmoid(logits((name, j) => columns[name]?.[j] as number, i, task as 0 | 1)) ? 1 : 0,
    ),
  );
  const frame: FeatureBatch = {
    size: n,
    features: Object.fromEntries(features.map((f) => [f.name, dense(columns[f.name] as number[])])),
  };
  const predict = (batch: FeatureBatch) =>
    [0, 1].map((task) =>
      Array.from({ length: n }, (_, i) => sigmoid(logits((name, j) => read(batch, name)[j] as number, i, task as 0 | 1))),
    );

  for (const mode of ['zero', 'permute'] as const) {
    it(`'${mode}' ranks features by their true weight, per task`, async () => {
      const result = await featureAblation(predict, frame, { labels, features, mode, seed: 3 });
      const order = (task: number) =>
        [...result.features].sort((x, y) => (x.delta[task] as number) - (y.delta[task] as number)).map((f) => f.name);
      expect(order(0)).toEqual(['a', 'b', 'c', 'd']); // |w|: 3 > 1 > 0.3 > 0
      expect(order(1)).toEqual(['c', 'b', 'a', 'd']); // |w|: 2 > 1 > 0.5 > 0
      expect(result.features[3]?.delta).toEqual([0, 0]); // an unused feature changes nothing
      expect(result.ratio[0]).toBeLessThan(1); // task 0 leans on historical features
      expect(result.ratio[1]).toBeGreaterThan(1); // task 1 on non-historical ones
    });
  }

  it('permutes with a seed per feature name: reproducible, independent of list order, a true permutation', async () => {
    const captured: FeatureBatch[] = [];
    const spy = (batch: FeatureBatch) => {
      captured.push(batch);
      return predict(batch);
    };
    const first = await featureAblation(spy, frame, { labels, features, mode: 'permute', seed: 5 });
    const permutedA = Array.from(read(captured[1] as FeatureBatch, 'a'));
    captured.length = 0;
    const reversed = await featureAblation(spy, frame, { labels, features: [...features].reverse(), mode: 'permute', seed: 5 });
    expect(Array.from(read(captured[4] as FeatureBatch, 'a'))).toEqual(permutedA);
    expect(reversed.features.find((f) => f.name === 'a')?.delta).toEqual(first.features[0]?.delta);
    expect([...permutedA].sort()).toEqual(Array.from(read(frame, 'a')).sort());
    expect(permutedA).not.toEqual(Array.from(read(frame, 'a')));
    const other = await featureAblation(predict, frame, { labels, features, mode: 'permute', seed: 6 });
    expect(other.features[0]?.delta).not.toEqual(first.features[0]?.delta);
  });

  it('averages repeated permutations', async () => {
    const result = await featureAblation(predict, frame, { labels, features: features.slice(0, 2), mode: 'permute', repeats: 3 });
    expect(result.predictCalls).toBe(1 + (2 + 1) * 3); // 2 features + 1 non-empty group, 3 repeats each
    expect(result.groups.nonHistorical.delta).toEqual([Number.NaN, Number.NaN]);
    expect(result.ratio[0]).toBeNaN();
  });
});

describe("what 'zero' and 'mean' write: the value the model reads as absent", () => {
  // x: dense, normalised by the model with mean 10, std 2. item: a hashed id (8 buckets). c: categorical, vocabSize 3.
  const n = 8;
  const frame: FeatureBatch = {
    size: n,
    features: {
      x: dense([8, 9, 10, 11, 12, 13, 14, 15]),
      item: createTensor('int32', [0, 1, 2, 3, 4, 5, 6, 7], [n]),
      c: createTensor('int32', [0, 1, 2, 0, 1, 2, 0, 1], [n]),
    },
    labels: createTensor('float32', [0, 0, 1, 0, 1, 1, 0, 1], [n, 1]),
  };
  const features: AblationFeature[] = [
    { name: 'x', group: 'nonHistorical', kind: 'dense', stats: { mean: [10] } },
    { name: 'item', group: 'historical', kind: 'id' },
    { name: 'c', group: 'nonHistorical', kind: 'categorical', vocabSize: 3 },
  ];
  const capture = () => {
    const seen: FeatureBatch[] = [];
    const predict = (batch: FeatureBatch) => {
      seen.push(batch);
      const x = read(batch, 'x');
      const item = read(batch, 'item');
      return [Array.from({ length: n }, (_, i) => sigmoid(((x[i] as number) - 10) / 2 + 0.1 * (item[i] as number)))];
    };
    return { seen, predict };
  };

  it("'zero': a dense feature with stats gets stats.mean, so the model's (x − mean) / std is exactly 0", async () => {
    const { seen, predict } = capture();
    await featureAblation(predict, frame, { features, mode: 'zero' });
    const x = Array.from(read(seen[1] as FeatureBatch, 'x'));
    expect(x).toEqual(new Array(n).fill(10));
    expect(x.map((v) => (v - 10) / 2)).toEqual(new Array(n).fill(0));
    expect(Array.from(read(seen[3] as FeatureBatch, 'c'))).toEqual(new Array(n).fill(3)); // the OOV row
    const raw = await featureAblation(predict, frame, { features: [{ name: 'x', group: 'nonHistorical' }] });
    expect(raw.features[0]?.name).toBe('x');
    expect(Array.from(read(seen[seen.length - 2] as FeatureBatch, 'x'))).toEqual(new Array(n).fill(0)); // no stats: raw 0
  });

  it.each(['zero', 'mean'] as const)(
    "'%s': an id feature is permuted (no bucket means absent), like mode 'permute'",
    async (mode) => {
      const { seen, predict } = capture();
      await featureAblation(predict, frame, { features, mode, seed: 4 });
      const item = Array.from(read(seen[2] as FeatureBatch, 'item'));
      expect([...item].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(item).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const permuted = capture();
      await featureAblation(permuted.predict, frame, { features, mode: 'permute', seed: 4 });
      expect(Array.from(read(permuted.seen[2] as FeatureBatch, 'item'))).toEqual(item);
      // The historical group (item alone) is permuted too; the non-historical group keeps its constant rule.
      const group = seen[4] as FeatureBatch;
      expect([...Array.from(read(group, 'item'))].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(new Set(Array.from(read(seen[5] as FeatureBatch, 'x'))).size).toBe(1);
    },
  );

  it('refuses, before predicting, an int32 column whose replacement is unknown and a mis-sized stats.mean', async () => {
    const { seen, predict } = capture();
    const bare = [{ name: 'item', group: 'historical' }] as const;
    for (const mode of ['zero', 'mean'] as const) {
      await expect(featureAblation(predict, frame, { features: bare, mode })).rejects.toThrow(
        "featureAblation: options.features[0] 'item' is an int32 column with neither vocabSize (categorical) nor kind 'id' (permuted in every mode); pass spec.features, or use mode 'permute'",
      );
    }
    await expect(featureAblation(predict, frame, { features: bare, mode: 'permute' })).resolves.toBeDefined();
    seen.length = 0;
    const noVocab = [{ name: 'c', group: 'nonHistorical', kind: 'categorical' }] as const;
    await expect(featureAblation(predict, frame, { features: noVocab })).rejects.toThrow(
      "'c' is categorical without vocabSize, so 'zero' has no out-of-vocabulary row",
    );
    const wide = [{ name: 'x', group: 'nonHistorical', stats: { mean: [1, 2] } }] as const;
    await expect(featureAblation(predict, frame, { features: wide })).rejects.toThrow(
      "'x': stats.mean has 2 values but the column is 1 wide",
    );
    expect(seen).toEqual([]);
  });
});
