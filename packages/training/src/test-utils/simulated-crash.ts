import type { rename as Rename } from 'node:fs/promises';
import type { Mock } from 'vitest';

type RenameFn = typeof Rename;

/**
 * Makes the mocked `rename` of `node:fs/promises` "crash the process" at the first rename whose
 * target satisfies `when`: that call never settles, so nothing after it in the writer runs (no
 * catch, no cleanup) — the files stay as a killed process leaves them. Other renames go through.
 * Resolves once the crash point is reached. Call `restore()` afterwards.
 */
export function crashOnRename(mock: Mock<RenameFn>, real: RenameFn, when: (target: string) => boolean) {
  let reached: () => void = () => undefined;
  const crashed = new Promise<void>((resolve) => {
    reached = resolve;
  });
  let done = false;
  mock.mockImplementation(async (from, to) => {
    if (!done && when(String(to))) {
      done = true;
      reached();
      return new Promise<void>(() => undefined);
    }
    return real(from, to);
  });
  return { crashed, restore: () => mock.mockImplementation(real) };
}
