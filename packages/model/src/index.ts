/**
 * `@thaw/model` — the DCNv2 + MMoE ranking model with the Residual path (paper §3–4), written once
 * against `Ops<T>` of `@thaw/tensor`: parameter shapes and seeded init from a spec, embeddings,
 * cross layers, MLPs, MMoE, `interact` / `predict`, the one inference `forward` (ALDI swap, Platt
 * calibration, eq 12 scores), the training objective (eq 8, 11 and the Dropout/ALDI baselines).
 * No runtime dependency: tfjs (`@thaw/tfjs`), the reference backend and the ONNX builder
 * (`@thaw/onnx`) all run this same math.
 *
 * @packageDocumentation
 */
export {
  aldiStudent,
  type HistoricalBlock,
  historicalBlocks,
  itemHistorical,
  replaceItemHistorical,
} from './aldi.js';
export { type Calibration, calibratedProbabilities, type PlattCalibration, plattVectors } from './calibration.js';
export { assertParameters, checkParameters } from './check-parameters.js';
export { type CrossWeights, crossLayer, crossNetwork, crossWeights } from './cross.js';
export { type Activation, activate, denseLayer, type MlpOptions, mlp } from './dense.js';
export { dropToColdValues, historicalDropMask } from './dropout.js';
export { type Embedded, embed, featuresOnBackend } from './embed.js';
export { type ForwardOptions, type ForwardResult, forward } from './forward.js';
export { EMBEDDING_INIT_STD, initParameter, initParameters, parameterRng } from './init-parameters.js';
export { interact, interactionInput, residualInput, residualProjection } from './interact.js';
export {
  type AldiStage,
  distills,
  drawObjectiveRandomness,
  LOSS_TERMS,
  type LossTerm,
  type LossTerms,
  type ObjectiveConfig,
  type ObjectiveDraws,
  objectiveConfigFromSpec,
} from './objective-config.js';
export { type ParameterComponent, type ParameterInfo, type ParameterInit, parameterInfos } from './parameter-infos.js';
export { type Params, param, paramsOnBackend } from './params.js';
export { mmoeExperts, mmoeGate, predict } from './predict.js';
export { type ObjectiveInputs, type TrainingObjectiveOptions, trainingObjective } from './training-objective.js';
export { utilityScores, utilityWeights } from './utility-scores.js';
