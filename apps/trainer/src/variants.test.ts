import { demoSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { aldiIncreasePct, PAPER_ALDI_INCREASE_PCT } from './aldi-student.js';
import { PAPER_VARIANTS, parseVariant, variantSpec } from './variants.js';

const flags = (name: string) => {
  const s = variantSpec(demoSpec, name);
  return [
    s.architecture.residual.enabled,
    s.coldStart.scoreReg.enabled,
    s.coldStart.mixup.enabled,
    s.coldStart.dropout.enabled,
    s.coldStart.aldi.enabled,
  ];
};

describe('variants', () => {
  it('switch exactly their techniques on (residual, scorereg, mixup, dropout, aldi)', () => {
    expect(flags('baseline')).toEqual([false, false, false, false, false]);
    expect(flags('dropout')).toEqual([false, false, false, true, false]);
    expect(flags('aldi')).toEqual([false, false, false, false, true]);
    expect(flags('residual+mixup')).toEqual([true, false, true, false, false]);
    expect(flags('all')).toEqual([true, true, true, false, false]);
    expect(PAPER_VARIANTS).toHaveLength(10);
  });

  it('keep the spec weights and do not mutate the spec', () => {
    const s = variantSpec(demoSpec, 'scorereg');
    expect(s.coldStart.scoreReg.weight).toBe(demoSpec.coldStart.scoreReg.weight);
    expect(demoSpec.architecture.residual.enabled).toBe(true);
  });

  it("scorereg is the paper's eq 6 and scorereg-label the label-conditional form", () => {
    const paper = variantSpec(
      { ...demoSpec, coldStart: { ...demoSpec.coldStart, scoreReg: { ...demoSpec.coldStart.scoreReg, condition: 'label' } } },
      'scorereg',
    );
    expect(paper.coldStart.scoreReg).toMatchObject({ enabled: true, condition: 'none' });
    expect(variantSpec(demoSpec, 'residual+scorereg-label').coldStart.scoreReg).toMatchObject({
      enabled: true,
      condition: 'label',
    });
    expect(flags('scorereg-label')).toEqual([false, true, false, false, false]);
    expect(() => parseVariant('scorereg+scorereg-label')).toThrow(/two forms of one regulariser/);
  });

  it('aldi-paper trains a student sized to the paper: +28.89% parameters, two equal layers', () => {
    const paper = variantSpec(demoSpec, 'aldi-paper');
    const [w, w2] = paper.coldStart.aldi.studentUnits as [number, number];
    expect(paper.coldStart.aldi.enabled).toBe(true);
    expect(w2).toBe(w);
    expect(aldiIncreasePct(demoSpec, [w, w])).toBeGreaterThanOrEqual(PAPER_ALDI_INCREASE_PCT);
    expect(aldiIncreasePct(demoSpec, [w - 1, w - 1])).toBeLessThan(PAPER_ALDI_INCREASE_PCT);
    expect(aldiIncreasePct(demoSpec, demoSpec.coldStart.aldi.studentUnits)).toBeLessThan(10);
    expect(variantSpec(demoSpec, 'aldi').coldStart.aldi.studentUnits).toEqual(demoSpec.coldStart.aldi.studentUnits);
    expect(() => parseVariant('aldi+aldi-paper')).toThrow(/two sizes of one student/);
  });

  it('name the unknown technique', () => {
    expect(() => parseVariant('residual+warmup')).toThrow(
      'variant "residual+warmup": unknown technique "warmup"; use baseline, all, or a +-joined list of residual, scorereg, scorereg-label, mixup, dropout, aldi, aldi-paper',
    );
    expect(() => parseVariant('mixup+mixup')).toThrow('variant "mixup+mixup": a technique is repeated');
  });
});
