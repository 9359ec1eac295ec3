import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './test-utils/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'thaw-train-'));
// 12 epochs of sim:tiny (~50 steps) so a run can be killed in the middle.
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify({ ...demoSpec, training: { ...demoSpec.training, epochs: 12, batchSize: 256 } }));
const args = (out: string) => [
  'train',
  '--data',
  'sim:tiny',
  '--spec',
  specFile,
  '--out',
  out,
  '--checkpoint-every',
  '2',
  '--quiet',
  '--json',
];
const evaluation = (out: string) => JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));

describe('thaw-train train / evaluate / export', () => {
  const whole = join(dir, 'whole');
  const first = runCli(args(whole));

  it('trains, calibrates and writes the artifacts', () => {
    expect(first.status).toBe(0);
    // --json: the log is JSON lines on stderr
    for (const line of first.stderr.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    const weightsData = JSON.parse(readFileSync(join(whole, 'weights.json'), 'utf8')).dataFile as string;
    for (const file of [
      'spec.json',
      'weights.json',
      weightsData,
      'calibration.json',
      'model.onnx',
      'items-table.bin',
      'evaluation.json',
      'run.json',
    ]) {
      expect(existsSync(join(whole, file)), file).toBe(true);
    }
    const spec = JSON.parse(readFileSync(join(whole, 'spec.json'), 'utf8'));
    expect(spec.features.find((f: { name: string }) => f.name === 'item_stats').stats.mean).toHaveLength(7);
    expect(spec.features.find((f: { name: string }) => f.name === 'item_stats').fill).toHaveLength(7);
  });

  it('--resume after a kill mid-training gives the same final metrics as an uninterrupted run', async () => {
    const killed = join(dir, 'killed');
    const child = startCli(args(killed));
    const checkpoint = join(killed, 'checkpoint', 'checkpoint.json');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(checkpoint)) {
          const step = JSON.parse(readFileSync(checkpoint, 'utf8')).metadata?.position?.step ?? 0;
          if (step >= 6) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run finished before it could be killed; make it longer'));
      });
    });
    expect(existsSync(join(killed, 'evaluation.json'))).toBe(false);
    const resumed = runCli([...args(killed), '--resume']);
    expect(resumed.status).toBe(0);
    // it really continued from the checkpoint (a silent retrain would give the same numbers)
    const resumedFrom = resumed.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { message?: string })
      .map((e) => /resumed from step (\d+)/.exec(e.message ?? '')?.[1])
      .find((step) => step !== undefined);
    expect(Number(resumedFrom)).toBeGreaterThanOrEqual(6);
    expect(JSON.parse(readFileSync(join(killed, 'run.json'), 'utf8')).resumedFrom).toBe(Number(resumedFrom));
    expect(evaluation(killed).metrics).toEqual(evaluation(whole).metrics);
    const dataFile = (dir: string) => JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')).dataFile as string;
    expect(dataFile(killed)).toBe(dataFile(whole)); // content-addressed: same name ⇔ same bytes
    expect(readFileSync(join(killed, dataFile(killed))).equals(readFileSync(join(whole, dataFile(whole))))).toBe(true);
  }, 120_000);

  it('evaluate on the same data reproduces the metrics train reported', () => {
    const run = runCli(['evaluate', '--model', whole, '--data', 'sim:tiny', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).metrics).toEqual(evaluation(whole).metrics);
  });

  it('export rewrites exactly the model.onnx train wrote (same graph, weights, calibration, version)', () => {
    const output = join(dir, 'again.onnx');
    const run = runCli(['export', '--model', whole, '--output', output, '--json']);
    expect(run.status).toBe(0);
    expect(readFileSync(output).equals(readFileSync(join(whole, 'model.onnx')))).toBe(true);
  });

  it('evaluate and export refuse an artifacts set that was changed or cut', () => {
    const broken = join(dir, 'broken');
    cpSync(whole, broken, { recursive: true });
    writeFileSync(join(broken, 'calibration.json'), '{"grid_click":{"a":2,"b":0}}');
    const run = runCli(['evaluate', '--model', broken, '--data', 'sim:tiny']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${broken}: calibration.json does not match artifacts.json`);
    rmSync(join(broken, 'artifacts.json'));
    expect(runCli(['export', '--model', broken]).stderr).toContain(`${broken}: no readable artifacts.json`);
  });

  it('--resume refuses a finished run of another variant', () => {
    const other = runCli([
      'train',
      '--data',
      'sim:tiny',
      '--spec',
      specFile,
      '--out',
      whole,
      '--variant',
      'baseline',
      '--resume',
    ]);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain(`--resume: ${whole} holds a finished run of something else (specHash was`);
  });
});
