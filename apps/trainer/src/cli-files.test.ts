import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameParquetMapping, selectRows, simulate, writeFrameParquet } from '@thaw/data';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-utils/run-cli.js';

describe('thaw-train on Parquet files given by a glob', () => {
  it('trains from three day files with a column mapping and reports the split', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thaw-files-'));
    const { frame, spec } = simulate('tiny', 0);
    // three files split by time, the way a daily export would be
    const times = Array.from(frame.timestamp).sort((a, b) => a - b);
    const first = times[Math.floor(times.length / 3)] as number;
    const second = times[Math.floor((2 * times.length) / 3)] as number;
    mkdirSync(join(dir, 'logs'));
    const parts = [(t: number) => t < first, (t: number) => t >= first && t < second, (t: number) => t >= second] as const;
    for (const [i, keep] of parts.entries()) {
      const rows = Array.from(frame.timestamp.keys()).filter((r) => keep(frame.timestamp[r] as number));
      await writeFrameParquet(selectRows(frame, rows), spec, join(dir, 'logs', `day-${i}.parquet`));
    }
    writeFileSync(join(dir, 'mapping.json'), JSON.stringify(frameParquetMapping(spec, { truth: false, itemHistory: true })));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'out');
    const run = runCli([
      'train',
      '--data',
      `parquet:${join(dir, 'logs', 'day-*.parquet')}`,
      '--mapping',
      join(dir, 'mapping.json'),
      '--spec',
      join(dir, 'spec.json'),
      '--variant',
      'baseline',
      '--out',
      out,
      '--json',
    ]);
    expect(run.status).toBe(0);
    const evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
    expect(evaluation.data).toBe('parquet:day-*.parquet');
    expect(evaluation.rows).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(join(out, 'artifacts.json'), 'utf8'));
    expect(manifest.variant).toBe('baseline');
  });

  it('names the pattern when nothing matches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thaw-files-'));
    writeFileSync(join(dir, 'm.json'), '{}');
    const run = runCli([
      'train',
      '--data',
      `csv:${join(dir, 'nothing-*.csv')}`,
      '--mapping',
      join(dir, 'm.json'),
      '--spec',
      'demo',
      '--out',
      join(dir, 'out'),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no file matches ${join(dir, 'nothing-*.csv')}`);
  });
});
