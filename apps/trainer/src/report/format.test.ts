import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdownCell } from './escape.js';
import { count, duration, fixed, interval, percent, signed, spread } from './format.js';

describe('format', () => {
  it('formats numbers the way the tables show them', () => {
    expect(fixed(0.41236, 3)).toBe('0.412');
    expect(fixed(-0.0001, 2)).toBe('0.00');
    expect(fixed(Number.NaN, 2)).toBe('n/a');
    expect(signed(1.316, 2)).toBe('+1.32');
    expect(signed(-1.02, 2)).toBe('-1.02');
    expect(signed(-0.001, 2)).toBe('0.00');
    expect(signed(0, 2)).toBe('0.00');
    expect(percent(0.1365, 2)).toBe('13.65%');
    expect(count(1234567)).toBe('1,234,567');
    expect(count(999)).toBe('999');
    expect(interval([0.41, 2.234], 2)).toBe('[+0.41, +2.23]');
    expect(interval([-1.97, -0.07], 2)).toBe('[-1.97, -0.07]');
    expect(spread([0.38, 1.68, 1.57], 1)).toBe('+0.4..+1.7');
    expect(spread([2.5], 1)).toBe('+2.5');
    expect(spread([], 1)).toBe('');
    expect(duration(42)).toBe('42.0 s');
    expect(duration(185)).toBe('3 min 05 s');
    expect(duration(3725)).toBe('1 h 02 min');
  });
});

describe('escape', () => {
  it('neutralises markup in HTML text and attributes', () => {
    expect(escapeHtml(`<b>"a" & 'b'</b>`)).toBe('&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;');
  });

  it('keeps a markdown table cell one cell', () => {
    expect(escapeMarkdownCell('a|b*c`d\ne')).toBe('a\\|b\\*c\\`d e');
    expect(escapeMarkdownCell('<script>x</script>')).toBe('&lt;script>x&lt;/script>');
    expect(escapeMarkdownCell('fresh (< 28 d) grid_click')).toBe('fresh (< 28 d) grid_click');
    expect(escapeMarkdownCell('_a_ b_')).toBe('\\_a\\_ b\\_');
  });
});
