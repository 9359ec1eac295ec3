import { modelDimensions, validateSpec } from '@thaw/spec';
import { referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { aldiStudent, historicalBlocks, itemHistorical, replaceItemHistorical } from './aldi.js';
import { initParameters } from './init-parameters.js';
import { paramsOnBackend } from './params.js';
import { oddSpec, tinySpec } from './test-utils/specs.js';

// oddSpec's x_h = [h (4, item) | u (1, user) | id (2, item)]: 7 columns, the item side is columns 0–3 and 5–6.
const n = 3;
const xh = ops.constant(
  Array.from({ length: n * 7 }, (_, i) => 100 + i),
  [n, 7],
);
const embedded = { historical: xh, nonHistorical: ops.constant([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [n, 5]) };

describe('historicalBlocks / itemHistorical', () => {
  it('says what to do when the spec has no item-side historical feature', () => {
    const userOnly = validateSpec({
      ...tinySpec,
      features: tinySpec.features.map((f) => (f.group === 'historical' ? { ...f, source: 'user' } : f)),
    });
    expect(() => itemHistorical(ops, userOnly, ops.constant([1, 2], [1, 2]))).toThrow(
      "itemHistorical: spec 'tiny' has no historical feature with source 'item'; give one (e.g. the item id, group 'historical', source 'item') or disable coldStart.aldi",
    );
  });

  it('locates each historical feature in x_h', () => {
    expect(historicalBlocks(oddSpec)).toEqual([
      { feature: 'h', offset: 0, width: 4, itemSide: true },
      { feature: 'u', offset: 4, width: 1, itemSide: false },
      { feature: 'id', offset: 5, width: 2, itemSide: true },
    ]);
  });

  it('cuts the item-side columns, skipping the user-side one', () => {
    const cut = itemHistorical(ops, oddSpec, xh);
    expect(cut.shape).toEqual([n, 6]);
    const expected = [0, 1, 2].flatMap((r) => [0, 1, 2, 3, 5, 6].map((c) => 100 + 7 * r + c));
    expect(Array.from(cut.data)).toEqual(expected);
  });
});

describe('replaceItemHistorical', () => {
  it('swaps in the student on cold rows only, and never touches user-side columns', () => {
    const student = ops.constant(
      Array.from({ length: n * 6 }, (_, i) => -(i + 1)),
      [n, 6],
    );
    const cold = ops.constant([0, 1, 0], [n]);
    const out = replaceItemHistorical(ops, oddSpec, embedded, student, cold);
    expect(out.nonHistorical).toBe(embedded.nonHistorical);
    const expected: number[] = [];
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c < 7; c++) {
        const own = 100 + 7 * r + c;
        if (c === 4) expected.push(own);
        else {
          const generated = -(6 * r + s + 1);
          s++;
          expected.push(r === 1 ? generated : own);
        }
      }
    }
    expect(Array.from(out.historical.data)).toEqual(expected);
  });

  it('rejects a student of the wrong width', () => {
    expect(() =>
      replaceItemHistorical(ops, oddSpec, embedded, ops.constant([1, 2, 3], [n, 1]), ops.constant([0, 0, 0], [n])),
    ).toThrow(
      expect.objectContaining({
        name: 'ShapeError',
        message: expect.stringContaining('replaceItemHistorical: student must be [N, 6] (itemHistorical width; got [3, 1])'),
        tensorName: 'student',
        actual: [3, 1],
        expected: [null, 6],
      }),
    );
  });
});

describe('aldiStudent', () => {
  it('maps x_nh to the item-side history width: tanh hidden layer, linear output (explicit loops)', () => {
    const host = initParameters(oddSpec, 9);
    const out = aldiStudent(ops, oddSpec, paramsOnBackend(ops, host), embedded.nonHistorical);
    const d = modelDimensions(oddSpec);
    expect(out.shape).toEqual([n, d.itemHistorical]);
    const w0 = host['aldi.0.kernel']?.data ?? [];
    const w1 = host['aldi.1.kernel']?.data ?? [];
    for (let r = 0; r < n; r++) {
      const hidden = [0, 1, 2].map((j) => {
        let s = 0;
        for (let k = 0; k < 5; k++) s += (embedded.nonHistorical.data[r * 5 + k] as number) * (w0[k * 3 + j] as number);
        return Math.tanh(s); // zero bias at init
      });
      for (let j = 0; j < 6; j++) {
        const y = hidden.reduce((s, h, k) => s + h * (w1[k * 6 + j] as number), 0);
        expect(out.data[r * 6 + j]).toBeCloseTo(y, 12);
      }
    }
  });

  it('needs the ALDI student enabled in the spec', () => {
    expect(() => aldiStudent(ops, tinySpec, {}, embedded.nonHistorical)).toThrow('spec.coldStart.aldi.enabled is false');
  });
});
