import type { Tensor } from '@thaw/tensor';

/**
 * A batch of model inputs in the layout `@thaw/data` produces and `@thaw/tfjs`, `@thaw/model`
 * and `thaw-serve` consume.
 *
 * - `features[name]` for every spec feature: `dense` → float32 `[N, dim]` (raw, the model applies
 *   `stats`); `categorical` → int32 `[N]` rows from `encodeCategorical` (`vocabSize` = OOV);
 *   `id` → int32 `[N]` rows from `hashToBucket`.
 * - `labels`: float32 `[N, T]`, tasks in spec order (0/1, or soft labels).
 * - `isCold`: float32 `[N]`, 1 for a cold ("fresh") item (age < `coldDays`), else 0.
 */
export interface FeatureBatch {
  /** Number of rows `N`. */
  readonly size: number;
  readonly features: Readonly<Record<string, Tensor<'float32'> | Tensor<'int32'>>>;
  readonly labels?: Tensor<'float32'>;
  readonly isCold?: Tensor<'float32'>;
}
