/**
 * `@thaw/losses` — the losses of "Warmer for Less" written once against `Ops<T>`: BCE from logits,
 * MSE, ScoreReg (eq 6, and the RBF-kernel MMD of eq 5), the combined objective (eq 10/11) and the
 * ALDI baseline's distillation loss (Table 1). Imports no runtime: run it on tfjs (`@thaw/tfjs`),
 * the float64 reference, or the ONNX builder.
 *
 * @packageDocumentation
 */
export { type AldiDistillationInputs, type AldiDistillationTerms, aldiDistillationLoss } from './aldi-distillation-loss.js';
export {
  binaryCrossEntropyElements,
  binaryCrossEntropyWithLogits,
  type LossWeightOptions,
} from './binary-cross-entropy.js';
export { meanSquaredError } from './mean-squared-error.js';
export { type MultiTaskLossOptions, multiTaskLoss, type TaskLossKind } from './multi-task-loss.js';
export { type ScoreRegOptions, scoreRegLoss } from './score-reg-loss.js';
export { softplus } from './softplus.js';
export { type WarmerObjectiveInputs, type WarmerObjectiveTerms, warmerObjective } from './warmer-objective.js';
