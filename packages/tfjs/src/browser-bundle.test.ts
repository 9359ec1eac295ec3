import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The package's promise: its root bundles for a browser. esbuild resolves the built entry and
// everything it imports (tfjs included, through their `browser` fields) for `platform: 'browser'`,
// where a `node:*` import or a Node built-in without a browser replacement is a build error.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

async function bundleForBrowser(options: { entryPoints: string[] } | { stdin: { contents: string; resolveDir: string } }) {
  return build({
    ...options,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

describe('@thaw/tfjs in a browser bundle', () => {
  it('bundles dist/index.js for platform browser with no Node built-in reachable from its root', async () => {
    const result = await bundleForBrowser({ entryPoints: [entry] });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => path.startsWith('node:'))).toEqual([]);
    // The bundle holds the package's code and tfjs itself, not an empty shell.
    expect(inputs.some((path) => path.endsWith('dist/model/build-model.js'))).toBe(true);
    expect(inputs.some((path) => path.includes('@tensorflow/tfjs-core'))).toBe(true);
    const code = new TextDecoder().decode(result.outputFiles[0]?.contents);
    expect(code).toMatch(/buildModel/);
  });

  it('would fail for a module that imports node:fs (the check can fail)', async () => {
    const attempt = bundleForBrowser({
      stdin: { contents: "import { readFile } from 'node:fs/promises'; export { readFile };", resolveDir: process.cwd() },
    });
    await expect(attempt).rejects.toThrow(/node:fs\/promises/);
  });
});
