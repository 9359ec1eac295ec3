// Repository-level checks, run by `npm test` after the packages' tests (node:test, no dependency).
// What a new user sees on a fresh machine: npm and turbo commands without warnings or notices, and
// an install that fits the Node versions the packages declare.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { published, root } from './workspaces.mjs';

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

/**
 * The lowest version of each alternative of an engines range — `>=X.Y.Z` or `^X.Y.Z`, joined by
 * `||` (the forms thaw declares): the versions a user on the oldest supported Node of each line has.
 */
function lowerBounds(range, where) {
  const parts = (range ?? '').split('||').map((part) => /^\s*(?:>=|\^)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(part));
  assert.ok(
    parts.every(Boolean),
    `${where}: engines.node must be ">=X.Y.Z" or "^X.Y.Z" alternatives joined by "||" (got ${JSON.stringify(range)})`,
  );
  return parts.map((m) => `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`);
}

/** Installed packages whose `engines.node` does not admit `version` (npm's own semver, via npm query). */
function packagesExcluding(version) {
  const run = spawnSync('npm', ['query', `:attr(engines, [node]):not(:semver(${version}, :attr(engines, [node]), satisfies))`], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  // The repository root (location '') declares the contributors' Node; it is checked on its own.
  return JSON.parse(run.stdout)
    .filter((p) => p.location !== '')
    .map((p) => ({
      id: `${p.name}@${p.version} (engines.node ${p.engines.node})`,
      dev: p.dev === true,
    }));
}

test('every runtime dependency runs on the lowest Node the published packages declare (no EBADENGINE on npm ci)', () => {
  const versions = new Set(published().flatMap((w) => lowerBounds(w.json.engines?.node, w.name)));
  for (const version of versions) {
    const runtime = packagesExcluding(version).filter((p) => !p.dev);
    assert.deepEqual(
      runtime.map((p) => p.id),
      [],
      `these runtime dependencies refuse Node ${version}: pin a compatible version with an "overrides" entry in package.json`,
    );
  }
});

test('the development tools run on the lowest Node of each line the repository declares', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const version of lowerBounds(pkg.engines?.node, 'package.json')) {
    assert.deepEqual(
      packagesExcluding(version).map((p) => p.id),
      [],
      `these installed packages refuse Node ${version}: raise engines.node of package.json (and say so in DEVELOPERS.md) or pin them`,
    );
  }
});

/** Source files (`.ts`, no tests, no test-utils) of every workspace package, relative to the root. */
function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'test-utils' && entry.name !== 'testing') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        out.push(path);
      }
    }
  };
  for (const parent of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      if (entry.isDirectory() && readdirSync(join(root, parent, entry.name)).includes('src'))
        walk(join(parent, entry.name, 'src'));
    }
  }
  return out;
}

test('eq 12 (s = Σ_t u_t·ŷ_t) has one implementation: utilityScores of @thaw/model', () => {
  // A utility weight (`u`, `u_t`, `utility[…]`, `weights[t]` of a utility) times a probability is
  // how every copy of eq 12 so far was written (oracle truth, fresh boost, online simulator).
  // Call utilityScores instead; tests and test-utils keep their own sums as independent checks.
  const weightTimes = /(?:\bu(?:tility)?(?:\[[^\]]*\])?|\butilityWeights?\b[^;]*)\s*\*|\*\s*\bu(?:tility)?\[/;
  const hits = [];
  for (const file of sourceFiles()) {
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.trim();
        if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return;
        if (weightTimes.test(code)) hits.push(`${file}:${i + 1}: ${code}`);
      });
  }
  assert.deepEqual(
    hits,
    [],
    'eq 12 written out again: combine task probabilities with utilityScores(ops, spec, probs) of @thaw/model',
  );
});
