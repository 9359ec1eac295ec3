// Repository-level checks, run by `npm test` after the packages' tests (node:test, no dependency).
// What a new user sees on a fresh machine: npm and turbo commands without warnings or notices.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './workspaces.mjs';

/** Runs a command in the repository root as on a fresh machine: an empty HOME, no user config. */
function fresh(command, args) {
  const home = mkdtempSync(join(tmpdir(), 'thaw-fresh-home-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') };
  for (const key of Object.keys(env)) {
    if (/^(npm_|TURBO_|DO_NOT_TRACK$)/i.test(key)) delete env[key];
  }
  const run = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', timeout: 300_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('npm commands print no "Unknown project config" warning', () => {
  const { status, output } = fresh('npm', ['pkg', 'get', 'name']);
  assert.equal(status, 0, output);
  assert.doesNotMatch(output, /Unknown project config/);
  assert.doesNotMatch(output, /npm warn/i);
});

test('onnxruntime-node’s install script (the CUDA download) stays skipped', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // npm ≥ 11.16 reads allowScripts: false skips the package's install script.
  assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
  const [major, minor] = (pkg.packageManager ?? '').replace(/^npm@/, '').split('.').map(Number);
  assert.ok(
    major > 11 || (major === 11 && minor >= 16),
    `packageManager ${pkg.packageManager} must be npm ≥ 11.16 (allowScripts)`,
  );
  const npmrc = readFileSync(join(root, '.npmrc'), 'utf8');
  assert.doesNotMatch(npmrc, /onnxruntime-node-install/);
});

test('the first turbo run on a fresh machine prints no telemetry notice (npm run build, as npm start does)', () => {
  const { status, output } = fresh('npm', ['run', 'build', '--', '--filter=@thaw/tensor', '--output-logs=errors-only']);
  assert.equal(status, 0, output);
  assert.doesNotMatch(output, /Attention:|collects completely anonymous telemetry/);
  assert.doesNotMatch(output, /npm notice/);
});
