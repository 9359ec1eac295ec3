import { describe, expect, it } from 'vitest';
import { countParameters } from './count-parameters.js';
import { modelDimensions } from './dimensions.js';
import { demoSpec, demoSpecInput } from './examples/index.js';
import { specHash } from './spec-hash.js';
import { safeValidateSpec, validateSpec } from './validate.js';

const withExclude = (exclude: unknown) => {
  const input = structuredClone(demoSpecInput) as unknown as { architecture: { residual: Record<string, unknown> } };
  input.architecture.residual = { ...input.architecture.residual, enabled: true, exclude };
  return input;
};

describe('architecture.residual.exclude', () => {
  it('keeps a non-historical feature off the residual input: widths and parameters follow', () => {
    const spec = validateSpec(withExclude(['item_age']));
    const all = validateSpec(withExclude([]));
    expect(modelDimensions(all).residualInput).toBe(modelDimensions(all).nonHistorical);
    expect(modelDimensions(spec).residualInput).toBe(modelDimensions(all).nonHistorical - 1);
    const units = spec.architecture.residual.projectionUnits[0] as number;
    expect(countParameters(all).total - countParameters(spec).total).toBe(units);
  });

  it('is optional: a spec without it keeps its hash', () => {
    expect(demoSpec.architecture.residual.exclude).toBeUndefined();
    expect(specHash(validateSpec(demoSpecInput))).toBe(specHash(demoSpec));
  });

  it('names what is wrong: unknown or historical features, repeats, nothing left', () => {
    const messages = (exclude: unknown) => {
      const result = safeValidateSpec(withExclude(exclude));
      return result.success ? [] : result.issues.map((i) => i.message);
    };
    expect(messages(['nope'])).toEqual(['architecture.residual.exclude[0] must name a feature of the spec (got "nope")']);
    expect(messages(['item_stats'])).toEqual([
      'architecture.residual.exclude[0] must name a "nonHistorical" feature: only x_nh enters the residual path ("item_stats" is historical)',
    ]);
    expect(messages(['item_age', 'item_age'])).toEqual([
      'architecture.residual.exclude[1] must not repeat a feature (got "item_age" twice)',
    ]);
    const nonHistorical = demoSpec.features.filter((f) => f.group === 'nonHistorical').map((f) => f.name);
    expect(messages(nonHistorical)).toEqual([
      'architecture.residual.exclude must leave at least one non-historical feature on the residual path when residual is enabled',
    ]);
    expect(messages('item_age')).toEqual(['architecture.residual.exclude must be a list of feature names (got "item_age")']);
  });
});
