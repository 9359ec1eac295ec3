/**
 * `@thaw/importance` — the feature-importance analyses of the Warmer-for-Less paper: ΔPR-AUC
 * feature ablation with the historical / non-historical ratio (Fig 2a, 6a) and the gradient
 * l2-norm ratio over training (Fig 2b, 6b). No tfjs: the model is a prediction function and the
 * gradients come from the caller.
 *
 * @packageDocumentation
 */
export type { AblationFeature, AblationMode } from './ablate-tensor.js';
export {
  type AblationEffect,
  type AblationMetric,
  type FeatureAblationOptions,
  type FeatureAblationResult,
  featureAblation,
  type PredictFn,
} from './feature-ablation.js';
export {
  type GradientNormPoint,
  type GradientNormSeries,
  type GradientNormTracker,
  type GradientNormTrackerOptions,
  gradientNormTracker,
  type StepGradients,
  type TrackedFeatures,
} from './gradient-norm-tracker.js';
