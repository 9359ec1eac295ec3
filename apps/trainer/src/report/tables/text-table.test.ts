import { describe, expect, it } from 'vitest';
import { renderTableHtml } from './html-table.js';
import { renderTableMarkdown } from './markdown-table.js';
import { cell, columnGroups, type ReportTable } from './report-table.js';
import { renderTableText } from './text-table.js';

const table: ReportTable = {
  id: 't',
  title: 'Lift',
  columns: [
    { label: 'variant', align: 'left' },
    { label: 'a', group: 'fresh', align: 'right' },
    { label: 'b', group: 'fresh', align: 'right' },
  ],
  rows: [
    [cell('mixup'), cell('+2.03', { strong: true, marker: '*', details: ['[+1.23, +2.83]'] }), cell('-0.27')],
    [cell('x|y'), cell('+10.50'), cell('0.00', { title: 'p = 0.9' })],
  ],
  notes: ['* significant'],
};

describe('table renderers', () => {
  it('groups consecutive columns', () => {
    expect(columnGroups(table.columns)).toEqual([
      { group: '', span: 1 },
      { group: 'fresh', span: 2 },
    ]);
  });

  it('renders fixed-width text with markers and detail lines', () => {
    // widths: variant 7; a = max('a', '+2.03*', '+10.50 ', '[+1.23, +2.83]') = 14; b = 5
    expect(renderTableText(table)).toBe(
      [
        'Lift',
        '         fresh',
        'variant               a      b',
        '-------  --------------  -----',
        'mixup            +2.03*  -0.27',
        '         [+1.23, +2.83]',
        'x|y             +10.50    0.00',
        '* significant',
      ].join('\n'),
    );
  });

  it('renders GitHub markdown with bold, escaped markers and pipes', () => {
    expect(renderTableMarkdown(table)).toBe(
      [
        '### Lift',
        '',
        '| variant | fresh a | fresh b |',
        '| :--- | ---: | ---: |',
        '| mixup | **+2.03**\\* [+1.23, +2.83] | -0.27 |',
        '| x\\|y | +10.50 | 0.00 |',
        '',
        '\\* significant',
      ].join('\n'),
    );
  });

  it('renders HTML with a spanning group header, bold + marker and escaped text', () => {
    const html = renderTableHtml(table);
    expect(html).toContain('<tr class="groups"><th colspan="1"></th><th colspan="2">fresh</th></tr>');
    expect(html).toContain(
      '<td class="num" data-marker="*"><strong>+2.03</strong><sup class="marker">*</sup><span class="detail">[+1.23, +2.83]</span></td>',
    );
    expect(html).toContain('<th scope="row">x|y</th>');
    expect(html).toContain('title="p = 0.9"');
  });
});
