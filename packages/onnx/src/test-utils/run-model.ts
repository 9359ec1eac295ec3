import type { Tensor } from '@thaw/tensor';
import { InferenceSession } from 'onnxruntime-node';
import { fromOrtTensor, toOrtTensor } from '../ort/tensor-adapter.js';

/** Runs ONNX bytes in onnxruntime-node on host tensors and returns every output as a thaw tensor. */
export async function runModel(bytes: Uint8Array, feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
  const session = await InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const ortFeeds = Object.fromEntries(
      session.inputNames.map((name) => {
        const tensor = feeds[name];
        if (tensor === undefined) throw new Error(`runModel: the model needs input '${name}'`);
        return [name, toOrtTensor(tensor)];
      }),
    );
    const results = await session.run(ortFeeds);
    return Object.fromEntries(Object.entries(results).map(([name, value]) => [name, fromOrtTensor(value)]));
  } finally {
    await session.release();
  }
}
