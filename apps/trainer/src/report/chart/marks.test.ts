import { describe, expect, it } from 'vitest';
import { barMark } from './bars.js';
import { boxStats, quantile } from './box.js';
import { lineMark } from './line.js';
import { pointMarks } from './points.js';
import { element, px } from './svg.js';

describe('quantile and boxStats (numpy linear interpolation)', () => {
  it('matches hand-computed order statistics', () => {
    // sorted [1, 1, 2, 3, 4, 5, 6, 9]; h = 7p: q1 = x[1] + 0.75·(x[2] − x[1]) = 1.75,
    // median = x[3] + 0.5·(x[4] − x[3]) = 3.5, q3 = x[5] + 0.25·(x[6] − x[5]) = 5.25
    expect(boxStats([3, 1, 4, 1, 5, 9, 2, 6])).toEqual({ min: 1, q1: 1.75, median: 3.5, q3: 5.25, max: 9 });
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('names bad input', () => {
    expect(() => quantile([], 0.5)).toThrow(/values must not be empty/);
    expect(() => quantile([1], 1.5)).toThrow(/p must be in \[0, 1\] \(got 1.5\)/);
  });
});

describe('marks', () => {
  it('serialises elements with escaped, rounded attributes', () => {
    expect(px(12.34567)).toBe(12.35);
    expect(element('circle', { cx: 1.006, r: 2, title: 'a"b', hidden: false })).toBe(
      '<circle cx="1.01" r="2" title="a&quot;b"/>',
    );
  });

  it('draws a line as one path through the points', () => {
    const path = lineMark(
      [
        [0, 10],
        [5.123, 20],
      ],
      { series: 1, label: 'mixup' },
    );
    expect(path).toContain('d="M0 10L5.12 20"');
    expect(path).toContain('data-mark="line"');
    expect(path).toContain('class="line s1"');
    expect(lineMark([], { series: 0, label: 'x' })).toBe('');
  });

  it('hangs negative bars below zero', () => {
    const up = barMark({ x: 10, width: 8, y: 40, zero: 100, title: 't' }, { series: 0, label: 'baseline' });
    expect(up).toMatch(/<rect [^>]*x="10" y="40" width="8" height="60"/);
    const down = barMark(
      { x: 10, width: 8, y: 130, zero: 100, title: 't', valueLabel: '-2.0' },
      { series: 1, label: 'scorereg' },
    );
    expect(down).toMatch(/<rect [^>]*y="100" width="8" height="30"/);
    expect(down).toContain('<text class="bar-label" x="14" y="141"');
  });

  it('draws one circle per point with its tooltip', () => {
    const marks = pointMarks(
      [
        { x: 1, y: 2, title: 'a<b' },
        { x: 3, y: 4, title: 'c' },
      ],
      { series: 0, label: 'baseline' },
    );
    expect(marks.match(/data-mark="point"/g)).toHaveLength(2);
    expect(marks).toContain('<title>a&lt;b</title>');
  });
});
