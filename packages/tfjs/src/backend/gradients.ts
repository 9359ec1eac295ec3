/**
 * Side-effect import: `@tensorflow/tfjs-layers` registers tfjs's gradient functions (tfjs-core's
 * main entry alone does not), so every thaw module that differentiates loads it through here.
 */
import '@tensorflow/tfjs-layers';
