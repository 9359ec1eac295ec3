import type { CategoricalFeatureSpec } from './types.js';

const lookups = new WeakMap<readonly string[], Map<string, number>>();

/**
 * The embedding row of a categorical value: its index in `feature.vocabulary`, or the
 * out-of-vocabulary row `vocabSize` for an unknown value (or when no vocabulary is set and the
 * value is not an integer in `[0, vocabSize)`).
 *
 * Without a vocabulary, integer values in `[0, vocabSize)` are used as rows directly.
 *
 * @example
 * ```ts
 * const genre = { name: 'genre', group: 'nonHistorical', kind: 'categorical', vocabSize: 3, embeddingDim: 4, vocabulary: ['a', 'b', 'c'] } as const;
 * encodeCategorical(genre, 'b'); // 1
 * encodeCategorical(genre, 'z'); // 3 (OOV)
 * ```
 */
export function encodeCategorical(
  feature: Pick<CategoricalFeatureSpec, 'vocabSize' | 'vocabulary'>,
  value: string | number | null | undefined,
): number {
  const oov = feature.vocabSize;
  if (value === null || value === undefined) return oov;
  const vocabulary = feature.vocabulary;
  if (vocabulary) {
    let lookup = lookups.get(vocabulary);
    if (!lookup) {
      lookup = new Map(vocabulary.map((v, i) => [v, i]));
      lookups.set(vocabulary, lookup);
    }
    return lookup.get(String(value)) ?? oov;
  }
  const index = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(index) && index >= 0 && index < oov ? index : oov;
}
