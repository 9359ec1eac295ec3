import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI (the trainer's test task builds it first). */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

/** Runs `thaw-train …` to completion. */
export function runCli(args: readonly string[], timeout = 300_000) {
  const run = spawnSync('node', [CLI, ...args], { encoding: 'utf8', timeout, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Starts `thaw-train …` in the background. */
export function startCli(args: readonly string[]) {
  return spawn('node', [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}
