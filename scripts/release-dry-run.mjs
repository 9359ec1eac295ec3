// What CI checks of a release without touching a registry: every published package would publish
// (npm publish --dry-run: files, version, access) — `changeset status` runs before this script.
import { execFileSync } from 'node:child_process';
import { published } from './workspaces.mjs';

let failed = false;
for (const pkg of published()) {
  try {
    const out = execFileSync('npm', ['publish', '--dry-run', '--access', 'public'], {
      cwd: pkg.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const summary = `${out}`.trim().split('\n').pop();
    process.stdout.write(`release dry run: ${pkg.name}@${pkg.version} ${summary}\n`);
  } catch (error) {
    failed = true;
    process.stderr.write(`release dry run: ${pkg.name} would not publish:\n${error.stderr ?? error.message}\n`);
  }
}
process.exit(failed ? 1 : 0);
