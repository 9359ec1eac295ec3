import { demoSpec, validateSpec } from '@thaw/spec';
import { buildModel, useTfjsBackend } from '@thaw/tfjs';
import { WeightsFileError } from '@thaw/weights';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelWeights, saveModelWeights } from './model-weights.js';
import { freshDirEachTest } from './test-utils/fresh-dir.js';

const aldiSpec = validateSpec(
  { ...demoSpec, coldStart: { ...demoSpec.coldStart, aldi: { ...demoSpec.coldStart.aldi, enabled: true } } },
  'aldi',
);

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

describe('saveModelWeights / loadModelWeights', () => {
  const dir = freshDirEachTest('thaw-model-weights-');

  it('saves and loads a model’s weights; a file of another spec is refused', async () => {
    const a = buildModel(demoSpec, { seed: 6 });
    const b = buildModel(demoSpec, { seed: 7 });
    const path = `${dir.path}/demo.json`;
    const manifest = await saveModelWeights(a, path, { metadata: { note: 'test' } });
    expect(manifest.metadata).toMatchObject({ spec: 'demo', note: 'test' });
    await loadModelWeights(b, path);
    const wa = await a.getWeights();
    const wb = await b.getWeights();
    for (const name of Object.keys(wa)) expect(Array.from(wb[name]?.data ?? []), name).toEqual(Array.from(wa[name]?.data ?? []));
    const other = buildModel(aldiSpec, { seed: 1 });
    const error = await loadModelWeights(other, path).catch((e: unknown) => e);
    expect(WeightsFileError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/'aldi\.0\.kernel' is missing/);
    for (const m of [a, b, other]) m.dispose();
  });
});
