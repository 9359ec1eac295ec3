import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CategoricalFeatureSpec, encodeCategorical, type ModelSpec } from '@thaw/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { writeArtifactsManifest } from './model-artifacts.js';
import { runCli } from './test-utils/run-cli.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');

/** The shell commands of the README block that trains on examples/own-data, exactly as written. */
function readmeOwnDataCommands(): string[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.split(/^## Train on your data\s*$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .find((b) => b.includes('examples/own-data'));
  if (block === undefined) throw new Error('README.md "## Train on your data" has no ```sh block using examples/own-data');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

// The README's commands run from the repository root and write runs/own-data there. Run them in a
// scratch directory that links the repository's apps/ and examples/, so a user's own runs/ is
// never touched.
const scratch = mkdtempSync(join(tmpdir(), 'thaw-readme-'));
symlinkSync(join(repo, 'apps'), join(scratch, 'apps'));
symlinkSync(join(repo, 'examples'), join(scratch, 'examples'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README "Train on your data" on examples/own-data', () => {
  const commands = readmeOwnDataCommands();
  const runs = commands.map((command) =>
    spawnSync('sh', ['-c', command], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, FORCE_COLOR: '0' },
    }),
  );

  it('every command of the README block runs verbatim and exits 0', () => {
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands.some((c) => c.includes(' train '))).toBe(true);
    expect(commands.some((c) => c.includes(' evaluate '))).toBe(true);
    commands.forEach((command, i) => {
      expect(runs[i]?.status, `${command}\n${runs[i]?.stderr}`).toBe(0);
    });
  });

  it('the trained spec.json keeps the vocabulary inferred from the CSV, though --spec had none', () => {
    const given = JSON.parse(readFileSync(join(repo, 'examples/own-data/spec.json'), 'utf8')) as ModelSpec;
    expect(given.features.find((f) => f.name === 'item_category')).not.toHaveProperty('vocabulary');
    const trained = JSON.parse(readFileSync(join(scratch, 'runs/own-data/spec.json'), 'utf8')) as ModelSpec;
    const category = trained.features.find((f) => f.name === 'item_category') as CategoricalFeatureSpec;
    expect(category.vocabulary).toEqual(expect.arrayContaining(['shoes', 'hats', 'bags', 'scarves', 'belts', 'socks']));
    // Each category has its own embedding row; an unknown one goes to the OOV row.
    const rows = ['shoes', 'hats', 'no-such-category'].map((value) => encodeCategorical(category, value));
    expect(new Set(rows).size).toBe(3);
    expect(rows[2]).toBe(category.vocabSize);
    // The normalisation stats were computed too (the user's spec was not used as is).
    expect(trained.features.find((f) => f.name === 'item_price')).toHaveProperty('stats');
  });

  it('train writes report.md: data and split, the model, training, calibration per task and the evaluation metrics', () => {
    const report = readFileSync(join(scratch, 'runs/own-data/report.md'), 'utf8');
    const evaluation = JSON.parse(readFileSync(join(scratch, 'runs/own-data/evaluation.json'), 'utf8'));
    const calibration = JSON.parse(readFileSync(join(scratch, 'runs/own-data/calibration.json'), 'utf8'));
    expect(report).toMatch(/^# thaw-train report: own-data \/ all \(seed 1\)/);
    expect(report).toContain('csv:impressions.csv');
    for (const heading of ['## Data', '## Model', '## Training', '## Calibration', '## Evaluation'])
      expect(report).toContain(heading);
    // The numbers are the ones in evaluation.json and calibration.json, to 4 decimals.
    expect(report).toContain(evaluation.metrics.all['hits@3'].click.toFixed(4));
    expect(report).toContain(calibration.save.a.toFixed(4));
    expect(report).toMatch(/run `thaw-train experiment`/);
  });

  it('evaluate refuses a model whose spec has no vocabulary for a string column, instead of inferring one from the file', async () => {
    const model = join(scratch, 'runs/own-data');
    const broken = join(scratch, 'novocab');
    spawnSync('cp', ['-r', `${model}/.`, broken]);
    const spec = JSON.parse(readFileSync(join(broken, 'spec.json'), 'utf8')) as ModelSpec;
    const features = spec.features.map((f) => {
      if (f.name !== 'item_category') return f;
      const { vocabulary: _, ...rest } = f as CategoricalFeatureSpec;
      return rest;
    });
    writeFileSync(join(broken, 'spec.json'), JSON.stringify({ ...spec, features }));
    const manifest = JSON.parse(readFileSync(join(broken, 'artifacts.json'), 'utf8'));
    const { files: _, createdAt: __, ...fields } = manifest;
    await writeArtifactsManifest(broken, fields);
    const run = runCli([
      'evaluate',
      '--model',
      broken,
      '--data',
      `csv:${join(repo, 'examples/own-data/impressions.csv')}`,
      '--mapping',
      join(repo, 'examples/own-data/mapping.json'),
    ]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/item_category/);
    expect(run.stderr).toMatch(/vocabulary/);
  });
});
