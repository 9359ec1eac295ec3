/**
 * Conformance suites for `@thaw/tensor` adapters and `Ops` backends. Framework-agnostic: each
 * returns a list of failures to assert on in the adapter's own tests.
 *
 * @packageDocumentation
 */

export { checkTensorAdapter, type TensorAdapter } from './check-adapter.js';
export { type ConformanceFailure, checkOpsConformance, type OpsHarness } from './check-ops.js';
export { type OpsConformanceCase, opsConformanceCases } from './ops-cases.js';
