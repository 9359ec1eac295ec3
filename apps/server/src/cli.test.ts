import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSpec } from '@thaw/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArtifacts, type TestArtifacts } from './test-utils/artifacts.js';

// Defect 6b of issue 14: a busy port was found only after the model had loaded, and the server
// then died on EADDRINUSE with no clear message. Also: the connection flags of defect 2.

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let artifacts: TestArtifacts;
beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx turbo run build --filter=@thaw/server)`);
  artifacts = await makeArtifacts(demoSpec, { seed: 4, count: 50, version: 'v1' });
}, 60_000);
afterAll(async () => {
  await rm(join(artifacts.dir, '..'), { recursive: true, force: true });
});

/** Runs thaw-serve to its exit (or kills it after `ms`): status, stdout lines, stderr. */
function run(args: string[], ms = 20_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('thaw-serve CLI', () => {
  it('a busy port: exits 1 with one line naming it, before loading the model', async () => {
    const busy: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (busy.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = await run(['--model', artifacts.dir, '--port', String(port)]);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`thaw-serve: 127\\.0\\.0\\.1:${port} is already in use \\(EADDRINUSE\\).*--port`));
      expect(stdout).not.toContain('model loaded');
    } finally {
      busy.close();
    }
  }, 30_000);

  it.each([
    ['--request-timeout', '-5', /--request-timeout must be a number of milliseconds ≥ 1 \(got -5\)/],
    ['--headers-timeout', 'soon', /--headers-timeout must be a number of milliseconds ≥ 1 \(got soon\)/],
    ['--keep-alive-timeout', '0', /--keep-alive-timeout must be a number of milliseconds ≥ 1 \(got 0\)/],
    ['--connection-timeout', '1.5e99x', /--connection-timeout must be/],
    ['--max-connections', '0', /--max-connections must be an integer ≥ 1 \(got 0\)/],
  ])('%s %s is refused with a message naming the flag', async (flag, value, message) => {
    const { code, stderr } = await run(['--model', artifacts.dir, '--port', '0', flag, value]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });
});
