/**
 * `@thaw/mixup` — manifold mixup (eq 7 of "Warmer for Less"): derangement pairing, `λ ~ Beta(α, α)`
 * from a seeded Marsaglia–Tsang sampler, the same λ for representation and labels; written once
 * against `Ops<T>` (gather-based, differentiable on tfjs). Imports no runtime.
 *
 * @packageDocumentation
 */
export { sampleBeta } from './beta.js';
export { randomDerangement } from './derangement.js';
export { sampleGamma, sampleLogGamma } from './gamma.js';
export { type InputMixupResult, inputMixup } from './input-mixup.js';
export { type ManifoldMixupResult, manifoldMixup } from './manifold-mixup.js';
export { mixRows } from './mix-rows.js';
export { createMixupPlan, dominantRows, type MixupOptions, type MixupPlan } from './mixup-plan.js';
