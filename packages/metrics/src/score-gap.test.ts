import { createTensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { scoreGap } from './score-gap.js';

describe('scoreGap', () => {
  it('gives warm and cold means per label and the gap ratio (hand-computed)', () => {
    // Task 0 positives: warm 0.6, 0.8 (mean 0.7), cold 0.35; negatives: warm 0.2, cold 0.1, 0.3 (mean 0.2).
    const probs = createTensor('float32', [0.6, 0.9, 0.8, 0.9, 0.35, 0.1, 0.2, 0.1, 0.1, 0.5, 0.3, 0.5], [6, 2]);
    const labels = createTensor('float32', [1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1], [6, 2]);
    const [task0, task1] = scoreGap(probs, labels, [0, 0, 1, 0, 1, 1], { tasks: ['click', 'save'] });
    expect(task0?.task).toBe('click');
    expect(task0?.positive.warmMean).toBeCloseTo(0.7, 6);
    expect(task0?.positive.coldMean).toBeCloseTo(0.35, 6);
    expect(task0?.positive.gapRatio).toBeCloseTo(0.5, 6);
    expect(task0?.negative).toMatchObject({ warmCount: 1, coldCount: 2 });
    expect(task0?.negative.gapRatio).toBeCloseTo(0, 6);
    // Task 1 positives: warm 0.9 (row 0) and 0.1 (row 3), cold 0.5 (row 5): gap (0.5 − 0.5) / 0.5 = 0.
    expect(task1?.positive.warmMean).toBeCloseTo(0.5, 6);
    expect(task1?.positive.gapRatio).toBeCloseTo(0, 6);
  });

  it('is NaN for a group without samples and rejects bad isCold', () => {
    const [gap] = scoreGap([0.5, 0.4], [1, 1], [0, 0]);
    expect(gap?.positive.coldMean).toBeNaN();
    expect(gap?.negative.warmMean).toBeNaN();
    expect(gap?.task).toBe(0);
    expect(() => scoreGap([0.5], [1], [2])).toThrow('scoreGap: isCold[0] must be 0 or 1 (got 2)');
    expect(() => scoreGap([0.5], [1], [0, 1])).toThrow('scoreGap: isCold has 2 rows but probs has 1');
  });
});
