import { mkdtemp, readdir, readFile, writeFile as realWriteFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Defect 6d of issue 14: on ENOSPC the trainer's error named no path ("ENOSPC: no space left on
// device, write"). The error below is the one Node itself gives: a real write to /dev/full.
let enospc: NodeJS.ErrnoException;
const failNext = { error: undefined as NodeJS.ErrnoException | undefined };
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    writeFile: (async (...args: Parameters<typeof actual.writeFile>) => {
      const error = failNext.error;
      failNext.error = undefined;
      if (error) throw error;
      return actual.writeFile(...args);
    }) as typeof actual.writeFile,
  };
});

const { writeFileAtomic, writingTo } = await import('./atomic-write.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thaw-atomic-'));
  enospc = await realWriteFile('/dev/full', 'x').then(
    () => {
      throw new Error('/dev/full accepted a write');
    },
    (error: NodeJS.ErrnoException) => error,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it("Node's own ENOSPC error names no path (the reason for this test)", () => {
    expect(enospc.code).toBe('ENOSPC');
    expect(enospc.message).not.toContain('/');
  });

  it('on ENOSPC names the file it was writing and the directory to free, keeps the code, leaves no temporary file', async () => {
    const path = join(dir, 'weights.bin');
    await realWriteFile(path, 'previous');
    failNext.error = enospc;
    const error = (await writeFileAtomic(path, 'new bytes').catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/no space left on the device holding .*thaw-atomic-/);
    expect(error.code).toBe('ENOSPC');
    expect(await readFile(path, 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['weights.bin']);
  });

  it('names the path on other write errors too', async () => {
    failNext.error = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', errno: -5, syscall: 'write' });
    const error = (await writeFileAtomic(join(dir, 'x.json'), '{}').catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.message).toContain(join(dir, 'x.json'));
    expect(error.code).toBe('EIO');
  });
});

describe('writingTo', () => {
  it("turns another writer's ENOSPC into an error naming the path; other errors pass unchanged", async () => {
    const path = join(dir, 'weights.json');
    const error = (await writingTo(path, async () => {
      throw enospc;
    }).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.message).toMatch(new RegExp(`^cannot write ${path}: no space left on the device holding`));
    expect(error.code).toBe('ENOSPC');
    const plain = new TypeError('not a file error');
    await expect(
      writingTo(path, async () => {
        throw plain;
      }),
    ).rejects.toBe(plain);
    expect(await writingTo(path, async () => 7)).toBe(7);
  });
});
