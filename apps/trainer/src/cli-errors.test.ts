import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-utils/run-cli.js';

const out = () => mkdtempSync(join(tmpdir(), 'thaw-cli-'));

describe('thaw-train refuses bad input before any work, with one line and exit 2', () => {
  it.each([
    [
      ['experiment', '--data', 'kaggle:x', '--out', 'OUT'],
      '--data kaggle:x: unknown source; use one of sim[:tiny|demo|paper], movielens:<dir>, movielens-catalogue:<dir>',
    ],
    [
      ['experiment', '--data', 'sim:huge', '--out', 'OUT'],
      "--data sim:huge: unknown simulator preset 'huge'; use one of tiny, demo, paper",
    ],
    [['experiment', '--data', 'movielens:/nope', '--out', 'OUT'], '--data movielens:/nope: /nope does not exist'],
    [
      ['experiment', '--data', 'sim:tiny', '--out', 'OUT', '--variants', 'baseline,warmup'],
      '--variants: variant "warmup": unknown technique "warmup"',
    ],
    [['experiment', '--data', 'sim:tiny', '--out', 'OUT', '--seeds', '0'], '--seeds must be an integer ≥ 1 (got 0)'],
    [
      ['experiment', '--data', 'movielens:/tmp', '--preset', 'demo', '--out', 'OUT'],
      '--preset applies to the simulator only (--data sim), not movielens:/tmp',
    ],
    [
      ['experiment', '--data', 'sim:tiny', '--out', '/etc/hostname/runs'],
      '--out /etc/hostname/runs: cannot write there (ENOTDIR)',
    ],
    [['train', '--data', 'sim:tiny', '--out', 'OUT', '--seed', 'x'], '--seed must be an integer (got x)'],
    [
      ['experiment', '--data', 'sim:tiny', '--out', 'OUT', '--variants', 'residual,all'],
      '--variants must include baseline: every lift is measured against it',
    ],
    [
      ['experiment', '--data', 'sim:tiny', '--out', 'OUT', '--variants', 'baseline,residual', '--serve-variant', 'all'],
      '--serve-variant all is not among --variants (baseline,residual)',
    ],
    [['evaluate', '--model', '/tmp', '--data', 'sim:tiny'], '--model /tmp: no spec.json there'],
    [
      ['train', '--data', 'csv:/etc/hostname', '--out', 'OUT'],
      '--data csv:/etc/hostname: csv data needs --mapping <file.json> and --spec <file.json>',
    ],
  ])('%j', (args, message) => {
    const dir = out();
    const run = runCli(args.map((a) => (a === 'OUT' ? dir : a)));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a missing required option and unknown options as usage errors', () => {
    expect(runCli(['experiment', '--out', out()]).status).toBe(2);
    const run = runCli(['train', '--data', 'sim:tiny', '--out', out(), '--frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--frobnicate'");
  });

  it('a bad spec file fails with every problem before any work (exit 1)', () => {
    const run = runCli(['experiment', '--data', 'sim:tiny', '--out', out(), '--spec', '/nonexistent.json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--spec /nonexistent.json: cannot read the file (ENOENT)');
  });
});
