import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACT_FILES, demoSpec } from '@thaw/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThawServer, type ThawServer } from './server.js';
import { makeArtifacts, type TestArtifacts, writeManifest } from './test-utils/artifacts.js';

// Defect 5 of issue 14: admin reload read any path, followed symlinks, and its 422 echoed the
// start of the file (a symlinked spec.json → /etc/passwd answered `"root:x:0:0"... is not valid JSON`).

let root: string;
let outside: string;
let v1: TestArtifacts;
let v2: TestArtifacts;
let elsewhere: TestArtifacts;
let server: ThawServer;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'thaw-models-root-'));
  outside = await mkdtemp(join(tmpdir(), 'thaw-outside-'));
  v1 = await makeArtifacts(demoSpec, { seed: 1, count: 20, version: 'v1', parent: root });
  v2 = await makeArtifacts(demoSpec, { seed: 2, count: 20, version: 'v2', parent: root });
  elsewhere = await makeArtifacts(demoSpec, { seed: 3, count: 20, version: 'elsewhere', parent: outside });
  server = await createThawServer({ modelDir: v1.dir, modelsRoot: root, threads: 1, logger: silent });
}, 60_000);
afterAll(async () => {
  await server.shutdown();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const reload = (dir: string) => server.app.inject({ method: 'POST', url: '/admin/reload', payload: { dir } });

/** A copy of v1 under the root with `file` replaced by a symlink to `target`. */
async function withSymlink(name: string, file: string, target: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const f of [ARTIFACT_FILES.spec, ARTIFACT_FILES.onnx, ARTIFACT_FILES.items, ARTIFACT_FILES.manifest]) {
    if (f !== file) await copyFile(join(v1.dir, f), join(dir, f));
  }
  await symlink(target, join(dir, file));
  return dir;
}

describe('--models-root: reloads stay inside it, and never echo a file', () => {
  it('refuses a spec.json symlinked to /etc/passwd without quoting it', async () => {
    const dir = await withSymlink('passwd', ARTIFACT_FILES.spec, '/etc/passwd');
    const res = await reload(dir);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden', field: 'dir' });
    expect(res.json().message).toMatch(/spec\.json: resolves outside the models root/);
    expect(res.body).not.toMatch(/root:|x:0:0/);
    expect(server.model.identity.version).toBe('v1');
  });

  it('refuses a directory outside the root, and a symlink inside the root pointing out of it', async () => {
    const direct = await reload(elsewhere.dir);
    expect(direct.statusCode).toBe(403);
    expect(direct.json().message).toMatch(/outside the models root/);
    await symlink(elsewhere.dir, join(root, 'link-out'));
    const linked = await reload(join(root, 'link-out'));
    expect(linked.statusCode).toBe(403);
    const dotdot = await reload(join(root, '..', 'somewhere'));
    expect(dotdot.statusCode).toBe(403);
    expect(server.model.identity.version).toBe('v1');
  });

  it('never echoes a file inside the root either: invalid JSON is reported by size, not content', async () => {
    const dir = join(root, 'bad-json');
    await mkdir(dir);
    for (const f of [ARTIFACT_FILES.onnx, ARTIFACT_FILES.items]) await copyFile(join(v1.dir, f), join(dir, f));
    await writeFile(join(dir, ARTIFACT_FILES.spec), 'secret-token-123 {');
    await writeManifest(dir);
    const res = await reload(dir);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/spec\.json: is not valid JSON \(18 bytes\)/);
    expect(res.body).not.toContain('secret');
  });

  it('reloads a directory inside the root, given as a path relative to it', async () => {
    const res = await reload('v2');
    expect(res.statusCode).toBe(200);
    expect(res.json().model.version).toBe('v2');
    expect((await reload(v1.dir)).statusCode).toBe(200);
  });

  it('defaults the root to the directory holding --model, and refuses a --model outside an explicit root', async () => {
    const defaulted = await createThawServer({ modelDir: v2.dir, threads: 1, logger: silent });
    try {
      const res = await defaulted.app.inject({ method: 'POST', url: '/admin/reload', payload: { dir: elsewhere.dir } });
      expect(res.statusCode).toBe(403);
      expect((await defaulted.app.inject({ method: 'POST', url: '/admin/reload', payload: { dir: v1.dir } })).statusCode).toBe(
        200,
      );
    } finally {
      await defaulted.shutdown();
    }
    await expect(createThawServer({ modelDir: elsewhere.dir, modelsRoot: root, threads: 1, logger: silent })).rejects.toThrow(
      /outside the models root/,
    );
  });
});
