import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';

/** A tfjs backend thaw can train on: tfjs-node's native `'tensorflow'`, `'wasm'` or `'cpu'`. */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Options of {@link useTfjsBackend}. */
export interface UseTfjsBackendOptions {
  /**
   * `'auto'` (default): tfjs-node's `'tensorflow'` when `@tensorflow/tfjs-node` is installed, else
   * `'wasm'` (SIMD, one thread in Node), else `'cpu'`. A name forces that backend.
   */
  readonly prefer?: TfjsBackendName | 'auto';
}

/** Imports the package that registers backend `name`; false when it is not installed. */
async function load(name: TfjsBackendName): Promise<boolean> {
  const modules: Record<TfjsBackendName, string> = {
    tensorflow: '@tensorflow/tfjs-node',
    wasm: '@tensorflow/tfjs-backend-wasm',
    cpu: '@tensorflow/tfjs-backend-cpu',
  };
  if (tf.findBackendFactory(name) !== null) return true;
  try {
    const specifier = modules[name];
    await import(specifier);
  } catch {
    return false;
  }
  return tf.findBackendFactory(name) !== null;
}

async function activate(name: TfjsBackendName): Promise<boolean> {
  if (!(await load(name))) return false;
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
  } catch {
    return false;
  }
  if (name === 'cpu') {
    // The cpu backend prints a "use tfjs-node" banner on first use; thaw chose cpu on purpose.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  return tf.getBackend() === name;
}

/**
 * Loads and activates the tfjs backend thaw trains on, and returns its name.
 *
 * Default order: tfjs-node (`'tensorflow'`, only if the user installed `@tensorflow/tfjs-node`),
 * then `'wasm'` (`@tensorflow/tfjs-backend-wasm`; SIMD, one thread in Node), then `'cpu'`
 * (`@tensorflow/tfjs-backend-cpu`). The packages are imported dynamically, so none of them is
 * required. Calling it again is cheap.
 *
 * @throws Error when the preferred backend (or, with `'auto'`, every backend) cannot be loaded,
 * naming the package to install.
 * @example
 * ```ts
 * import { useTfjsBackend } from '@thaw/tfjs';
 * const backend = await useTfjsBackend(); // 'wasm' on a plain Node install
 * ```
 */
export async function useTfjsBackend(options: UseTfjsBackendOptions = {}): Promise<TfjsBackendName> {
  const prefer = options.prefer ?? 'auto';
  const order: TfjsBackendName[] = prefer === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [prefer];
  for (const name of order) {
    if (await activate(name)) return name;
  }
  const hint =
    prefer === 'auto'
      ? 'install @tensorflow/tfjs-backend-wasm (recommended) or @tensorflow/tfjs-backend-cpu'
      : `install the package for '${prefer}' (${prefer === 'tensorflow' ? '@tensorflow/tfjs-node' : `@tensorflow/tfjs-backend-${prefer}`})`;
  throw new Error(`useTfjsBackend: no tfjs backend could be loaded for prefer '${prefer}'; ${hint}`);
}
