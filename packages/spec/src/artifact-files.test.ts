import { describe, expect, it } from 'vitest';
import { ARTIFACT_FILES } from './artifact-files.js';

describe('ARTIFACT_FILES', () => {
  it('names the on-disk files of an artifacts directory, as thaw-train writes them and thaw-serve reads them', () => {
    // The on-disk contract, written out by hand: renaming a file breaks every existing artifacts directory.
    expect(ARTIFACT_FILES).toEqual({
      spec: 'spec.json',
      weights: 'weights.json',
      calibration: 'calibration.json',
      onnx: 'model.onnx',
      items: 'items-table.bin',
      exampleRequest: 'example-request.json',
      manifest: 'artifacts.json',
    });
  });

  it('holds distinct plain file names (no directory part)', () => {
    const names = Object.values(ARTIFACT_FILES);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z-]*\.[a-z]+$/);
  });
});
