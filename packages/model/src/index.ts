/**
 * `@thaw/model` — the DCNv2 + MMoE ranking model with the Residual path (paper §3–4), written once
 * against `Ops<T>` of `@thaw/tensor`: parameter shapes and seeded init from a spec, embeddings,
 * cross layers, MLPs, MMoE, `interact` / `predict` / `forward`, eq 12 scores and the Dropout/ALDI
 * baselines' pieces. No runtime dependency: tfjs (`@thaw/layers`), the reference backend and the
 * ONNX builder (`@thaw/onnx`) all run this same math.
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
export { assertParameters, checkParameters } from './check-parameters.js';
export { type CrossWeights, crossLayer, crossNetwork, crossWeights } from './cross.js';
export { type Activation, activate, denseLayer, type MlpOptions, mlp } from './dense.js';
export { dropHistorical, historicalDropMask } from './dropout.js';
export { type Embedded, embed, featuresOnBackend } from './embed.js';
export { type ForwardResult, forward } from './forward.js';
export { EMBEDDING_INIT_STD, initParameter, initParameters, parameterRng } from './init-parameters.js';
export { interact, interactionInput, residualInput, residualProjection } from './interact.js';
export { type ParameterComponent, type ParameterInfo, type ParameterInit, parameterInfos } from './parameter-infos.js';
export { type Params, param, paramsOnBackend } from './params.js';
export { mmoeExperts, mmoeGate, predict } from './predict.js';
export { utilityScores, utilityWeights } from './utility-scores.js';
