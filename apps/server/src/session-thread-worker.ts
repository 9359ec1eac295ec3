// The worker thread of a `SessionThread` (session-thread.ts): owns one onnxruntime session and runs
// it for the messages it receives, one at a time, so the main thread's event loop is never blocked
// by a `run` (onnxruntime-node runs sessions synchronously on the calling thread).
//
// Protocol (the types live in session-thread.ts):
// start: workerData `{ modelBytes, threads, spinWait }` → posts `ready { inputNames, outputNames }` or `failed { message }`;
// `run { id, feeds }` → `result { id, outputs }` or `run-failed { id, message }`;
// `release` → `released` or `release-failed { message }`, then the thread ends.
// Any other message is a programming error: the thread throws, so its parent sees a crash.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { onnxSessionOptions } from './session-options.js';
import type { SessionThreadData, ThreadReply, ThreadRequest, WireTensor } from './session-thread.js';

if (parentPort === null) throw new Error('session-thread-worker.js runs only as the worker thread of a SessionThread');
const port: MessagePort = parentPort;

const { modelBytes, threads, spinWait } = workerData as SessionThreadData;
const post = (message: ThreadReply) => port.postMessage(message);
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

let session: InferenceSession | undefined;
try {
  session = await InferenceSession.create(modelBytes, onnxSessionOptions(threads, spinWait));
  post({ type: 'ready', inputNames: [...session.inputNames], outputNames: [...session.outputNames] });
} catch (error) {
  post({ type: 'failed', message: errorMessage(error) });
  port.close();
}

async function handle(message: ThreadRequest, live: InferenceSession): Promise<void> {
  if (message.type === 'run') {
    try {
      const feeds: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(message.feeds)) feeds[name] = new Tensor(t.dtype as never, t.data as never, t.shape);
      const results = await live.run(feeds);
      const outputs: Record<string, WireTensor> = {};
      for (const [name, value] of Object.entries(results))
        outputs[name] = { dtype: value.type, shape: [...value.dims], data: value.data as ArrayBufferView };
      post({ type: 'result', id: message.id, outputs });
    } catch (error) {
      post({ type: 'run-failed', id: message.id, message: errorMessage(error) });
    }
    return;
  }
  if (message.type === 'release') {
    try {
      await live.release();
      post({ type: 'released' });
    } catch (error) {
      post({ type: 'release-failed', message: errorMessage(error) });
    }
    port.close();
    return;
  }
  throw new Error(`session-thread-worker: unknown message type ${JSON.stringify((message as { type?: unknown }).type)}`);
}

if (session !== undefined) {
  const live = session;
  // One message at a time, in arrival order: a `release` never overtakes a `run` sent before it.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: ThreadRequest) => {
    queue = queue.then(() => handle(message, live));
  });
}
