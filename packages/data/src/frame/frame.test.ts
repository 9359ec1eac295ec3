import { describe, expect, it } from 'vitest';
import { handFrame, handSpec } from '../test-utils/hand-frame.js';
import { concatFrames } from './concat-frames.js';
import { FrameBuilder } from './frame-builder.js';
import { coldMask, itemAgeDays } from './item-age.js';
import { selectRows } from './select-rows.js';
import { validateFrame } from './validate-frame.js';

describe('item age and cold mask', () => {
  it('computes ages in days and the cold flag at coldDays', () => {
    const frame = handFrame();
    // Rows 2 and 5 show item 12: created day 31 and day 34, shown day 31 and day 32 … see handFrame.
    expect(Array.from(itemAgeDays(frame))).toEqual([30, 30, 31 - 31, 31, 31, 32 - 34]);
    expect(Array.from(coldMask(frame, 28))).toEqual([0, 0, 1, 0, 0, 1]);
    expect(Array.from(coldMask(frame, 30.5))).toEqual([1, 1, 1, 0, 0, 1]);
    expect(() => coldMask(frame, 0)).toThrow('coldMask: coldDays must be a number > 0 (got 0)');
  });

  it('computes them for given rows only, in the order given', () => {
    const frame = handFrame();
    expect(Array.from(itemAgeDays(frame, [5, 2, 0]))).toEqual([32 - 34, 31 - 31, 30]);
    expect(Array.from(coldMask(frame, 28, Int32Array.from([3, 5])))).toEqual([0, 1]);
    expect(itemAgeDays(frame, [])).toHaveLength(0);
    expect(() => itemAgeDays(frame, [6])).toThrow('itemAgeDays: rows[0] must be a row in [0, 6) (got 6)');
    expect(() => coldMask(frame, 28, [0, -1])).toThrow('coldMask: rows[1] must be a row in [0, 6) (got -1)');
  });
});

describe('selectRows and concatFrames', () => {
  it('gathers rows of every column, dense rows whole', () => {
    const part = selectRows(handFrame(), [4, 1]);
    expect(part.size).toBe(2);
    expect(Array.from(part.features.vec as Float32Array)).toEqual([4, -4, 1, -1]);
    expect(Array.from(part.features.cat as Int32Array)).toEqual([0, 1]);
    expect(Array.from(part.labels.save as Float32Array)).toEqual([1, 0]);
    expect(Array.from(part.timestamp)).toEqual([31 * 86400, 30 * 86400]);
    expect(() => selectRows(handFrame(), [6])).toThrow('selectRows: rows[0] must be a row index in [0, 6) (got 6)');
  });

  it('concatenation undoes a split into parts', () => {
    const frame = handFrame();
    const joined = concatFrames([selectRows(frame, [0, 1, 2]), selectRows(frame, [3, 4, 5])]);
    expect(joined.size).toBe(6);
    expect(Array.from(joined.features.vec as Float32Array)).toEqual(Array.from(frame.features.vec as Float32Array));
    expect(Array.from(joined.requestId)).toEqual([0, 0, 1, 1, 1, 2]);
    expect(() => concatFrames([])).toThrow('concatFrames: needs at least one frame (got an empty list)');
  });
});

describe('FrameBuilder', () => {
  it('grows past its capacity and builds exactly the rows written', () => {
    const builder = new FrameBuilder(handSpec, { capacity: 16 });
    for (let i = 0; i < 40; i++) {
      const r = builder.addRow();
      builder.setDense('vec', r, [i, 2 * i]);
      builder.setIndex('cat', r, i % 3);
      builder.setLabel('click', r, i % 2);
      builder.setMeta(r, { requestId: i >> 2, itemId: i, userId: 0, timestamp: i, itemCreatedAt: 0 });
    }
    const frame = builder.build();
    expect(frame.size).toBe(40);
    expect((frame.features.vec as Float32Array).length).toBe(80);
    expect(frame.features.vec?.[2 * 39 + 1]).toBe(78);
    expect(frame.labels.click?.[39]).toBe(1);
    expect(frame.requestId[39]).toBe(9);
    validateFrame(frame, handSpec);
    expect(() => builder.setDense('nope', 0, [1])).toThrow(
      `FrameBuilder: feature must be one of the spec's features (got "nope")`,
    );
  });
});

describe('validateFrame', () => {
  it('accepts a frame that fits and names the first problem otherwise', () => {
    expect(() => validateFrame(handFrame(), handSpec)).not.toThrow();
    const bad = { ...handFrame(), features: { ...handFrame().features, cat: Int32Array.from([0, 1, 2, 4, 0, 1]) } };
    expect(() => validateFrame(bad, handSpec)).toThrow('validateFrame: frame.features.cat[3] must be a row in [0, 3] (got 4)');
    const missing = { ...handFrame(), labels: { click: handFrame().labels.click as Float32Array } };
    expect(() => validateFrame(missing, handSpec)).toThrow('frame.labels.save is missing');
  });
});
