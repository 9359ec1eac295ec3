import { describe, expect, it } from 'vitest';
import { hitsAtK } from './hits-at-k.js';
import { rankingSet } from './ranking-input.js';
import { sliceBy } from './slice-by.js';

describe('sliceBy', () => {
  // One request; s = click + save. Ranking: row 0 (1.2, warm), row 1 (0.9, cold), row 2 (0.3, cold).
  const set = rankingSet({
    requestId: [5, 5, 5],
    scores: [0.8 + 0.4, 0.5 + 0.4, 0.2 + 0.1],
    tasks: ['grid_click', 'save'],
    labels: [
      [1, 0, 1],
      [0, 1, 0],
    ],
    isCold: [0, 1, 1],
  });

  it('yields one Table 1 row: fresh and all × tasks', () => {
    const row = sliceBy((cell) => hitsAtK(set, 1, cell), { tasks: ['grid_click', 'save'] });
    expect(Object.keys(row)).toEqual(['fresh', 'all']);
    // Top 1 is the warm row 0: a click positive, not fresh.
    expect(row).toEqual({ fresh: { grid_click: 0, save: 0 }, all: { grid_click: 1, save: 0 } });
    const row2 = sliceBy((cell) => hitsAtK(set, 2, cell), { tasks: ['grid_click', 'save'], slices: ['fresh'] });
    expect(row2).toEqual({ fresh: { grid_click: 0, save: 1 } });
  });

  it('keys tasks given by index as strings and rejects an empty task list', () => {
    expect(sliceBy((cell) => `${cell.slice}:${cell.task}`, { tasks: [0, 1], slices: ['all'] })).toEqual({
      all: { 0: 'all:0', 1: 'all:1' },
    });
    expect(() => sliceBy(() => 0, { tasks: [] })).toThrow('sliceBy: options.tasks must list at least one task');
  });
});
