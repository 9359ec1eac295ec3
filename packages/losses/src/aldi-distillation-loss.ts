import type { Ops } from '@thaw/tensor';
import { binaryCrossEntropyWithLogits } from './binary-cross-entropy.js';

/** Inputs of {@link aldiDistillationLoss}. `teacher*` must carry no gradient (stop it first). */
export interface AldiDistillationInputs<T> {
  /** `[N, T]` logits of the warm model (the teacher) with the real item-side historical inputs. */
  readonly teacherLogits: T;
  /** `[N, T]` logits of the same model when the student generated the item-side historical inputs. */
  readonly studentLogits: T;
  /** `[N, d]` the teacher's item representation: the item-side historical columns of `x_h`. */
  readonly teacherItem: T;
  /** `[N, d]` the student's generated item representation (`aldiStudent` of `@thaw/model`). */
  readonly studentItem: T;
  /** `[N]` float, 1 = warm row (the teacher is reliable there), 0 = cold (left out). */
  readonly warm: T;
  /** int32 `[N]`: the row each row is ranked against (e.g. a random derangement of the batch). */
  readonly partner: T;
  /** Weights of the three terms (`spec.coldStart.aldi.weights`). */
  readonly weights: { readonly rating: number; readonly ranking: number; readonly identification: number };
  /** Temperature τ of the identification similarities `cos/τ`; default 0.1. */
  readonly temperature?: number;
}

/** The terms of {@link aldiDistillationLoss}, each a scalar. */
export interface AldiDistillationTerms<T> {
  /** `w_r·rating + w_k·ranking + w_i·identification`. */
  readonly total: T;
  readonly rating: T;
  readonly ranking: T;
  readonly identification: T;
}

/** `Σ w ⊙ x / max(Σ w, ε)` over rows — a mean over the rows with weight 1. */
function maskedMean<T>(ops: Ops<T>, elements: T, rowWeights: T): T {
  const count = ops.maximum(ops.sum(rowWeights), ops.scalar(1e-12));
  return ops.div(ops.sum(ops.mul(elements, rowWeights)), count);
}

function unitRows<T>(ops: Ops<T>, x: T): T {
  return ops.div(x, ops.sqrt(ops.add(ops.sum(ops.square(x), 1, true), ops.scalar(1e-12))));
}

/**
 * The ALDI distillation objective (Huang et al., "Aligning Distillation for Cold-start Item
 * Recommendation", SIGIR 2023), adapted to thaw's multi-task ranking model — the paper's Table 1
 * baseline. Three terms, each computed on warm rows only:
 *
 * - **rating distribution alignment**: the student's logits match the teacher's,
 *   `mean_{warm, t} (s_it − t_it)²`;
 * - **ranking distillation**: for each row `i` and its `partner` `j` (both warm), the student
 *   orders the pair as the teacher does, BCE with soft label `σ(t_i − t_j)` on logit `s_i − s_j`,
 *   per task;
 * - **identification distillation**: the student's item representations tell items apart as the
 *   teacher's do: for every warm pair `(i, j)` of the batch, BCE with soft label
 *   `σ(cos(e^T_i, e^T_j)/τ)` on logit `cos(e^S_i, e^S_j)/τ`.
 *
 * Batches with no warm row give 0. See the package README for how this adapts ALDI.
 *
 * @example
 * ```ts
 * const terms = aldiDistillationLoss(referenceOps, { teacherLogits, studentLogits, teacherItem, studentItem, warm, partner, weights: { rating: 1, ranking: 1, identification: 1 } });
 * ```
 */
export function aldiDistillationLoss<T>(ops: Ops<T>, inputs: AldiDistillationInputs<T>): AldiDistillationTerms<T> {
  const { teacherLogits, studentLogits, teacherItem, studentItem, warm, partner, weights } = inputs;
  const temperature = inputs.temperature ?? 0.1;
  if (!(temperature > 0)) throw new RangeError(`aldiDistillationLoss: temperature must be > 0 (got ${temperature})`);
  const tasks = ops.shape(teacherLogits)[1] as number;
  const warmColumn = ops.reshape(warm, [-1, 1]);
  // N counted from a tensor, not read from a static shape: a graph backend's batch axis is symbolic.
  const rowCount = ops.sum(ops.add(ops.zerosLike(warm), ops.scalar(1)));

  const rating = ops.div(maskedMean(ops, ops.square(ops.sub(studentLogits, teacherLogits)), warmColumn), ops.scalar(tasks));

  const pairWarm = ops.mul(warmColumn, ops.reshape(ops.gather(warm, partner), [-1, 1]));
  const teacherGap = ops.sub(teacherLogits, ops.gather(teacherLogits, partner));
  const studentGap = ops.sub(studentLogits, ops.gather(studentLogits, partner));
  const pairCount = ops.maximum(ops.sum(pairWarm), ops.scalar(1e-12));
  const ranking = ops.div(
    ops.mul(binaryCrossEntropyWithLogits(ops, ops.sigmoid(teacherGap), studentGap, { weights: pairWarm }), rowCount),
    pairCount,
  );

  const inverseTemperature = ops.scalar(1 / temperature);
  const similarity = (e: T) => {
    const u = unitRows(ops, e);
    return ops.mul(ops.matMul(u, ops.transpose(u)), inverseTemperature);
  };
  const both = ops.mul(warmColumn, ops.reshape(warm, [1, -1]));
  const warmCount = ops.sum(warm);
  const bothCount = ops.maximum(ops.square(warmCount), ops.scalar(1e-12));
  const identification = ops.div(
    ops.mul(
      binaryCrossEntropyWithLogits(ops, ops.sigmoid(similarity(teacherItem)), similarity(studentItem), { weights: both }),
      ops.square(rowCount),
    ),
    bothCount,
  );

  const total = ops.add(
    ops.add(ops.mul(rating, ops.scalar(weights.rating)), ops.mul(ranking, ops.scalar(weights.ranking))),
    ops.mul(identification, ops.scalar(weights.identification)),
  );
  return { total, rating, ranking, identification };
}
