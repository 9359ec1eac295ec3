import type { InferenceSession } from 'onnxruntime-node';

/**
 * The onnxruntime session options thaw-serve runs a model with (in its worker thread; the bench's
 * raw runs use the same): `threads` intra-op threads, one inter-op thread, sequential execution,
 * every graph optimisation, and, unless `spinWait`, intra-op threads that sleep instead of
 * spinning while they wait for work (`session.intra_op.allow_spinning = 0`).
 *
 * Spinning lowers a run's latency on dedicated idle cores, but a spinning thread burns a core
 * between operators and between runs: on a small or shared machine that is the CPU the HTTP thread
 * (JSON parsing, feeds) needs. Measured with `npm run bench:serve` on 2 shared cores: raw runs cost
 * about half the CPU without spinning, and thaw-serve's throughput rose accordingly (see the README).
 *
 * @example
 * ```ts
 * const session = await InferenceSession.create(modelBytes, onnxSessionOptions(2, false));
 * ```
 */
export function onnxSessionOptions(threads: number, spinWait: boolean): InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: spinWait ? '1' : '0' } } },
  };
}
