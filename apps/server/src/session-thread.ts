import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DataType, Tensor } from '@thaw/tensor';

/** A tensor as it crosses between threads: dtype, shape and a typed array. */
export interface WireTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: ArrayBufferView;
}

/** What a `SessionThread`'s worker starts from (`workerData`). */
export interface SessionThreadData {
  /** The model.onnx bytes (a copy moved to the thread). */
  readonly modelBytes: Uint8Array;
  /** onnxruntime intra-op threads. */
  readonly threads: number;
  /** Let the intra-op threads spin while waiting for work (see `onnxSessionOptions`). */
  readonly spinWait: boolean;
}

/** Messages to the worker thread. */
export type ThreadRequest =
  | { readonly type: 'run'; readonly id: number; readonly feeds: Readonly<Record<string, WireTensor>> }
  | { readonly type: 'release' };

/** Messages from the worker thread. */
export type ThreadReply =
  | { readonly type: 'ready'; readonly inputNames: readonly string[]; readonly outputNames: readonly string[] }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly outputs: Readonly<Record<string, WireTensor>> }
  | { readonly type: 'run-failed'; readonly id: number; readonly message: string }
  | { readonly type: 'released' }
  | { readonly type: 'release-failed'; readonly message: string };

const marker = Symbol.for('@thaw/server.ScoringThreadCrashError');

/**
 * The worker thread running a model's onnxruntime session stopped before answering (an uncaught
 * error in the thread, or the thread was terminated): the request was not scored. thaw-serve
 * answers 503 `scoring_unavailable` (retry); the `SessionThread` has already started a new thread.
 */
export class ScoringThreadCrashError extends Error {
  readonly [marker] = true;
  readonly statusCode = 503;

  constructor(message: string) {
    super(message);
    this.name = 'ScoringThreadCrashError';
  }

  /** True for any `ScoringThreadCrashError`, whichever copy of the module threw it. */
  static isInstance(error: unknown): error is ScoringThreadCrashError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** Options of {@link SessionThread.start}. */
export interface SessionThreadOptions {
  /** onnxruntime intra-op threads (the worker thread is one of them). */
  readonly threads: number;
  /** Let the intra-op threads spin while waiting for work (see `onnxSessionOptions`). Default false. */
  readonly spinWait?: boolean;
  /**
   * Called once per crash of the worker thread, with the error every run in flight was rejected
   * with; a new thread is already starting. Default: nothing (the runs' rejections still report it).
   */
  readonly onCrash?: (error: ScoringThreadCrashError) => void;
}

interface Pending {
  readonly resolve: (outputs: Record<string, Tensor>) => void;
  readonly reject: (error: Error) => void;
}

/** One worker thread and what it was asked and has not answered yet. */
interface Incarnation {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Resolves with the session's input and output names once the session is created. */
  readonly ready: Promise<{ inputNames: readonly string[]; outputNames: readonly string[] }>;
  /** Settles when the thread has ended (release or crash). */
  readonly exited: Promise<void>;
  /** Set by {@link SessionThread.release}; an exit after it is not a crash. */
  releasing?: { resolve: () => void; reject: (error: Error) => void };
  /** The first error the thread reported (uncaught exception), for the crash message. */
  error?: Error;
}

/** The compiled worker script: beside this module in dist, or dist's copy when running from src (tests). */
function workerScript(): URL {
  const beside = new URL('./session-thread-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../dist/session-thread-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(
    `SessionThread: the worker script ${fileURLToPath(beside)} is missing; build @thaw/server first (npm run build -w @thaw/server)`,
  );
}

/** `data`'s own buffer when it spans all of it (moved, no copy), else a copy's (never a larger shared buffer). */
function owned(data: ArrayBufferView): ArrayBufferView {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  return whole ? data : (data as unknown as { slice(): ArrayBufferView }).slice();
}

/**
 * An onnxruntime session in a worker thread: `run` posts the feeds to the thread and resolves with
 * the outputs, so the main thread keeps parsing and answering HTTP requests while a run computes
 * (onnxruntime-node's own `run` is synchronous on the calling thread). Runs execute one at a time
 * in the order posted. If the thread crashes, the runs in flight reject with a
 * {@link ScoringThreadCrashError}, `onCrash` is called and a new thread starts from the same bytes.
 *
 * @example
 * ```ts
 * const thread = await SessionThread.start(modelBytes, { threads: 2 });
 * const outputs = await thread.run(feeds); // thaw tensors in, thaw tensors out; feeds' buffers move to the thread
 * await thread.release();
 * ```
 */
export class SessionThread {
  private current: Incarnation;
  private nextId = 0;
  private released = false;

  private constructor(
    private readonly modelBytes: Uint8Array,
    private readonly options: SessionThreadOptions,
    first: Incarnation,
    /** The session's input names. */
    readonly inputNames: readonly string[],
    /** The session's output names. */
    readonly outputNames: readonly string[],
  ) {
    this.current = first;
  }

  /**
   * Starts the thread and creates the session in it.
   *
   * @throws Error with onnxruntime's message when it cannot create the session (the thread has ended).
   */
  static async start(modelBytes: Uint8Array, options: SessionThreadOptions): Promise<SessionThread> {
    let thread: SessionThread | undefined;
    const first = spawn(modelBytes, options, (incarnation) => thread?.crashed(incarnation));
    try {
      const { inputNames, outputNames } = await first.ready;
      thread = new SessionThread(modelBytes, options, first, inputNames, outputNames);
      return thread;
    } catch (error) {
      await first.exited;
      throw error;
    }
  }

  /** The worker thread running the session now (for monitoring: `threadId`, `resourceLimits`…). */
  get worker(): Worker {
    return this.current.worker;
  }

  /** Runs not answered yet. */
  get pending(): number {
    return this.current.pending.size;
  }

  /**
   * One `run` of the session in the thread. The feeds' buffers are moved to the thread when a
   * feed spans its whole buffer (do not use them afterwards), copied otherwise.
   *
   * @throws ScoringThreadCrashError when the thread crashes before answering; Error with
   *   onnxruntime's message when the run fails; Error after {@link release}.
   */
  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    let incarnation = this.current;
    for (;;) {
      if (this.released) throw new Error('SessionThread.run: the session was released');
      try {
        await incarnation.ready;
      } catch (error) {
        // Only a replacement thread can fail to start here (start() reports the first): try again next time.
        if (incarnation === this.current) this.respawn();
        throw new ScoringThreadCrashError(
          `the onnxruntime worker thread could not be restarted (${(error as Error).message}); the request was not scored: retry`,
        );
      }
      // The thread crashed (and was replaced) while this run waited for it: post to its replacement.
      if (incarnation === this.current) break;
      incarnation = this.current;
    }
    const wire: Record<string, WireTensor> = {};
    const transfer = new Set<ArrayBuffer>();
    for (const [name, t] of Object.entries(feeds)) {
      const data = owned(t.data);
      wire[name] = { dtype: t.dtype, shape: [...t.shape], data };
      transfer.add(data.buffer as ArrayBuffer);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (incarnation.pending.size === 0) incarnation.worker.ref();
      incarnation.pending.set(id, { resolve, reject });
      incarnation.worker.postMessage({ type: 'run', id, feeds: wire } satisfies ThreadRequest, [...transfer]);
    });
  }

  /**
   * Releases the session (after the runs already posted) and ends the thread. Rejects when
   * onnxruntime fails to release it. Calling it again returns once the thread has ended.
   */
  async release(): Promise<void> {
    const incarnation = this.current;
    if (this.released) return incarnation.exited;
    this.released = true;
    const done = new Promise<void>((resolve, reject) => {
      incarnation.releasing = { resolve, reject };
    });
    try {
      await incarnation.ready;
    } catch {
      // A replacement thread that never started has nothing to release.
      return;
    }
    incarnation.worker.ref();
    incarnation.worker.postMessage({ type: 'release' } satisfies ThreadRequest);
    await done;
  }

  /** The thread ended without being released: reject its runs, report it, start a new one. */
  private crashed(incarnation: Incarnation): void {
    if (incarnation !== this.current) return;
    const error = new ScoringThreadCrashError(
      `the onnxruntime worker thread stopped before answering (${incarnation.error?.message}); the request was not scored: retry (a new thread is starting)`,
    );
    for (const { reject } of incarnation.pending.values()) reject(error);
    incarnation.pending.clear();
    if (this.released) return;
    this.respawn();
    this.options.onCrash?.(error);
  }

  /** Starts a replacement thread from the same bytes (runs wait for it). */
  private respawn(): void {
    this.current = spawn(this.modelBytes, this.options, (next) => this.crashed(next));
    // A replacement that fails to start makes the runs waiting for it reject (and the next run try again).
    this.current.ready.catch(() => undefined);
  }
}

/** Starts one worker thread on a copy of `modelBytes`; `onCrash` runs if it ends without a release. */
function spawn(modelBytes: Uint8Array, options: SessionThreadOptions, onCrash: (incarnation: Incarnation) => void): Incarnation {
  // A copy the thread owns (a Node Buffer's slice() would be a view sharing, and then detaching, the caller's memory).
  const bytes = new Uint8Array(modelBytes);
  const workerData: SessionThreadData = { modelBytes: bytes, threads: options.threads, spinWait: options.spinWait ?? false };
  const worker = new Worker(workerScript(), { workerData, transferList: [bytes.buffer] });
  const pending = new Map<number, Pending>();
  let settleReady!: {
    resolve: (names: { inputNames: readonly string[]; outputNames: readonly string[] }) => void;
    reject: (error: Error) => void;
  };
  const ready = new Promise<{ inputNames: readonly string[]; outputNames: readonly string[] }>((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  let exitCode = 0;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const incarnation: Incarnation = { worker, pending, ready, exited };
  let started = false;
  worker.on('message', (message: ThreadReply) => {
    switch (message.type) {
      case 'ready':
        started = true;
        worker.unref();
        settleReady.resolve({ inputNames: message.inputNames, outputNames: message.outputNames });
        return;
      case 'failed':
        settleReady.reject(new Error(message.message));
        return;
      case 'result':
      case 'run-failed': {
        const run = pending.get(message.id);
        pending.delete(message.id);
        if (pending.size === 0 && !incarnation.releasing) worker.unref();
        if (message.type === 'run-failed') run?.reject(new Error(message.message));
        else run?.resolve(fromWire(message.outputs));
        return;
      }
      case 'released':
        incarnation.releasing?.resolve();
        return;
      case 'release-failed':
        incarnation.releasing?.reject(new Error(`onnxruntime could not release the session (${message.message})`));
        return;
    }
  });
  worker.on('error', (error) => {
    incarnation.error ??= error;
  });
  // A message that cannot be read would leave its run unanswered: end the thread, so it is reported.
  worker.on('messageerror', (error) => {
    incarnation.error ??= error;
    void worker.terminate();
  });
  void exited.then(() => {
    if (!started) {
      settleReady.reject(
        incarnation.error ?? new Error(`the onnxruntime worker thread exited (code ${exitCode}) before the session was created`),
      );
      incarnation.releasing?.resolve();
      return;
    }
    if (incarnation.releasing) {
      // Released: resolves (or already settled by `released`/`release-failed`).
      incarnation.releasing.resolve();
      return;
    }
    if (incarnation.error === undefined) incarnation.error = new Error(`it exited with code ${exitCode}`);
    onCrash(incarnation);
  });
  return incarnation;
}

/** Thaw tensors of the thread's outputs (the typed arrays came over as copies). */
function fromWire(outputs: Readonly<Record<string, WireTensor>>): Record<string, Tensor> {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(outputs))
    tensors[name] = { dtype: t.dtype as DataType, shape: Object.freeze([...t.shape]), data: t.data } as Tensor;
  return tensors;
}
