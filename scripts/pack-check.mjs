// "npm install a single package" must really work. For every published package: `npm pack` it,
// check that every source map in the tarball points at files the tarball holds, install all
// tarballs (and the peer dependencies they declare) into an empty project OUTSIDE the monorepo
// with plain npm, then type-check and run the first ```ts block of each README's "## Example"
// section there. Exits 1 on the first failure, naming the package and the step.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { published, root } from './workspaces.mjs';

const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'thaw-pack-check-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(join(project, 'examples'), { recursive: true });

const log = (line) => process.stdout.write(`pack-check: ${line}\n`);
const run = (cmd, args, cwd, extra = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...extra });

function exampleOf(pkg) {
  const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
  const section = readme.split(/^## Example\s*$/m)[1];
  const block = section?.match(/```ts\n([\s\S]*?)```/);
  if (!block) throw new Error(`${pkg.name}: README.md has no \`\`\`ts block under "## Example"; add a runnable example`);
  return block[1];
}

/** Every `.map` in an unpacked tarball must name sources that are in the tarball (else editors and stack traces point nowhere). */
function checkSourceMaps(pkg, tarball) {
  const dir = mkdtempSync(join(work, 'unpacked-'));
  run('tar', ['-xzf', tarball, '-C', dir]);
  const base = join(dir, 'package');
  const files = readdirSync(base, { recursive: true }).map(String);
  const present = new Set(files.map((f) => join(base, f)));
  const missing = [];
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(base, file), 'utf8'));
    for (const source of map.sources ?? []) {
      const target = join(dirname(join(base, file)), map.sourceRoot ?? '', source);
      if (!present.has(target)) missing.push(`${file} → ${relative(base, target)}`);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `${pkg.name}: ${missing.length} source map reference(s) point outside the tarball, e.g. ${missing.slice(0, 3).join(', ')}; ship the sources (files: "src") or drop the maps`,
    );
  }
}

const packages = published();
let failed = false;
try {
  const files = [];
  const peers = {};
  for (const pkg of packages) {
    const out = run('npm', ['pack', '--silent', '--pack-destination', tarballs], pkg.dir);
    const file = out.trim().split('\n').pop();
    files.push(join(tarballs, file));
    checkSourceMaps(pkg, join(tarballs, file));
    for (const [name, range] of Object.entries(pkg.json.peerDependencies ?? {})) peers[name] = range;
    log(`packed ${pkg.name}@${pkg.version} → ${file}`);
  }
  const typescript = JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')).version;
  writeFileSync(
    join(project, 'package.json'),
    // As the repository does: onnxruntime-node's install script (a CUDA download) never runs.
    `${JSON.stringify({ name: 'thaw-pack-check', private: true, type: 'module', allowScripts: { 'onnxruntime-node': false, protobufjs: false } }, null, 2)}\n`,
  );
  writeFileSync(join(project, '.npmrc'), 'update-notifier=false\n');
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        outDir: 'dist',
        skipLibCheck: true,
        types: ['node'],
        lib: ['ES2022', 'DOM'],
      },
      include: ['examples'],
    }),
  );
  const specs = [...files, ...Object.entries(peers).map(([n, r]) => `${n}@${r}`), `typescript@${typescript}`, '@types/node@20'];
  log(`installing ${files.length} tarballs and ${Object.keys(peers).length} peer dependencies into ${project}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], project);

  for (const pkg of packages) writeFileSync(join(project, 'examples', `${pkg.name.split('/')[1]}.ts`), exampleOf(pkg));
  log('type-checking the README examples against the installed packages');
  try {
    run('npx', ['tsc', '-p', 'tsconfig.json'], project);
  } catch (error) {
    throw new Error(`README examples do not type-check against the packed packages:\n${error.stdout}${error.stderr}`);
  }
  for (const pkg of packages) {
    const script = join(project, 'dist', `${pkg.name.split('/')[1]}.js`);
    try {
      const out = run('node', [script], project, { timeout: 120_000 });
      log(`${pkg.name} example ran: ${out.trim().split('\n').slice(0, 3).join(' | ')}`);
    } catch (error) {
      throw new Error(
        `${pkg.name}: the README example failed when run from the installed tarball:\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
      );
    }
  }
  log(`ok: ${packages.length} packages install from their tarballs and their README examples run`);
} catch (error) {
  failed = true;
  process.stderr.write(`pack-check: FAILED — ${error.message}\n`);
} finally {
  if (keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
