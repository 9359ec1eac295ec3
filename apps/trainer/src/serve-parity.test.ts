import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemSnapshotFromRows, simulate } from '@thaw/data';
import { validateSpec } from '@thaw/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { itemsTableFromSnapshot, rankRequestFor, writeArtifactsManifest } from './model-artifacts.js';
import { runCli } from './test-utils/run-cli.js';

const serverCli = join(import.meta.dirname, '..', '..', 'server', 'dist', 'cli.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`thaw-serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('thaw-serve did not become ready');
}

describe('thaw-serve ranks like thaw-train evaluate on the same rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thaw-parity-'));
  const model = join(dir, 'model');
  let server: ChildProcess | undefined;
  afterAll(() => server?.kill('SIGTERM'));

  it('same order and scores (< 1e-5) for every evaluation request of sim:tiny', async () => {
    expect(runCli(['train', '--data', 'sim:tiny', '--variant', 'all', '--out', model, '--quiet']).status).toBe(0);
    const predictionsFile = join(dir, 'predictions.json');
    expect(runCli(['evaluate', '--model', model, '--data', 'sim:tiny', '--predictions', predictionsFile, '--quiet']).status).toBe(
      0,
    );
    const evaluated = JSON.parse(readFileSync(predictionsFile, 'utf8')) as { requestId: number; itemId: string; score: number }[];

    // Serve the evaluation rows' own feature values: an items table made of those rows.
    const spec = validateSpec(JSON.parse(readFileSync(join(model, 'spec.json'), 'utf8')));
    const { frame, split } = simulate('tiny', 0);
    const requests = [...new Set(Array.from(split.rows.eval, (r) => frame.requestId[r] as number))];
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let compared = 0;
    for (const request of requests.slice(0, 8)) {
      const rows = Array.from(split.rows.eval).filter((r) => frame.requestId[r] === request);
      const served = join(dir, `served-${request}`);
      cpSync(model, served, { recursive: true });
      writeFileSync(join(served, 'items-table.bin'), itemsTableFromSnapshot(spec, itemSnapshotFromRows(frame, spec, { rows })));
      // thaw-serve checks every file against artifacts.json: record the new table as thaw-train would.
      const { files: _, createdAt: __, ...fields } = JSON.parse(readFileSync(join(served, 'artifacts.json'), 'utf8'));
      await writeArtifactsManifest(served, fields);
      if (!server) {
        server = spawn('node', [serverCli, '--model', served, '--port', String(port), '--log-level', 'silent'], {
          stdio: 'ignore',
        });
        await waitReady(url, server);
      } else {
        const reload = await fetch(`${url}/admin/reload`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ dir: served }),
        });
        expect(reload.status).toBe(200);
      }
      const body = { ...rankRequestFor(spec, frame, rows, request), topK: rows.length };
      const response = await fetch(`${url}/v1/rank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      const ranked = ((await response.json()) as { items: { itemId: string; score: number }[] }).items;
      const expected = evaluated.filter((p) => p.requestId === request).sort((a, b) => b.score - a.score);
      expect(ranked.map((i) => i.itemId)).toEqual(expected.map((p) => p.itemId));
      ranked.forEach((item, k) => {
        expect(Math.abs(item.score - (expected[k] as { score: number }).score)).toBeLessThan(1e-5);
      });
      compared += 1;
    }
    expect(compared).toBe(8);
  }, 300_000);
});
