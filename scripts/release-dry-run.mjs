// What CI checks of a release without touching a registry: the changesets cover the changed
// packages (`changeset status`, against `main`, or `origin/main` in a clone whose checked-out branch
// is another one), and every published package would publish (npm publish --dry-run: files,
// version, access).
import { execFileSync } from 'node:child_process';
import { published, root } from './workspaces.mjs';

const hasRef = (ref) => {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', ref], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const base = ['main', 'origin/main'].find(hasRef);
if (base === undefined) {
  process.stderr.write(
    'release dry run: neither main nor origin/main exists; fetch main so changeset status can compare against it\n',
  );
  process.exit(1);
}
try {
  execFileSync('npx', ['changeset', 'status', `--since=${base}`], { cwd: root, stdio: 'inherit' });
} catch {
  process.stderr.write(`release dry run: changeset status --since=${base} failed (above)\n`);
  process.exit(1);
}

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
