import type { ModelSpec } from '../types.js';
import { validateSpec } from '../validate.js';
import { demoSpecInput } from './demo.js';
import { refMSpecInput } from './ref-m.js';

/** The `ref-m` performance workload, validated (see `refMSpecInput`). */
export const refMSpec: ModelSpec = validateSpec(refMSpecInput, 'refMSpecInput');
/** The demo spec for the built-in simulator, validated (see `demoSpecInput`). */
export const demoSpec: ModelSpec = validateSpec(demoSpecInput, 'demoSpecInput');
/** Example specs by name. */
export const exampleSpecs: Readonly<Record<'ref-m' | 'demo', ModelSpec>> = { 'ref-m': refMSpec, demo: demoSpec };
export { demoSpecInput, refMSpecInput };
