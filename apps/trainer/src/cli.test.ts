import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');

describe('thaw-train spec', () => {
  it('prints the ref-m parameter counts', () => {
    const out = JSON.parse(execFileSync('node', [cli, 'spec', '--spec', 'ref-m', '--json'], { encoding: 'utf8' }));
    expect(out.parameters.dense).toBe(608_767);
    expect(out.dimensions.prediction).toBe(288);
  });

  it('exits 1 with every problem of a bad spec file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thaw-spec-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ specVersion: 1, name: 'x', features: [], tasks: [] }));
    const run = spawnSync('node', [cli, 'spec', '--spec', file], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`invalid thaw model spec in ${file}`);
    expect(run.stderr).toContain('features must list at least one feature (got [])');
  });

  it('exits 2 on bad usage', () => {
    const run = spawnSync('node', [cli, 'spec', '--nope'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--nope'");
  });
});

describe('thaw-train --version', () => {
  it('prints the version of the installed thaw-train and exits 0', () => {
    const version = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version as string;
    for (const flag of ['--version', '-V']) {
      const run = spawnSync('node', [cli, flag], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe(`thaw-train ${version}`);
    }
  });
});
