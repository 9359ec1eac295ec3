import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type TfjsBackendName, useTfjsBackend } from '@thaw/tfjs';
import type { TrainingEngineChoice } from '@thaw/training';
import { createLogger, type Logger, type LogMode } from '../logger.js';
import { UsageError } from '../usage-error.js';
import { parseVariant } from '../variants.js';

/** Options every command takes. */
export interface CommonOptions {
  readonly quiet?: boolean;
  readonly json?: boolean;
  readonly backend?: string;
  readonly engine?: string;
}

/** The logger the flags ask for: `--json` lines, `--quiet`, else TTY-aware. */
export function loggerFor(options: CommonOptions): Logger {
  const mode: LogMode | undefined = options.json ? 'json' : options.quiet ? 'quiet' : undefined;
  return createLogger(mode ? { mode } : {});
}

const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow'] as const;

/** Checks `--backend` (before any work) and returns it. */
export function backendOption(value: string | undefined): TfjsBackendName | 'auto' {
  const backend = value ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend ${backend}: use one of ${BACKENDS.join(', ')}`);
  }
  return backend as TfjsBackendName | 'auto';
}

const ENGINES = ['auto', 'onnxruntime', 'tfjs'] as const;

/** Checks `--engine` (before any work) and returns it. */
export function engineOption(value: string | undefined): TrainingEngineChoice {
  const engine = value ?? 'auto';
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new UsageError(`--engine ${engine}: use one of ${ENGINES.join(', ')}`);
  }
  return engine as TrainingEngineChoice;
}

/** Activates the tfjs backend: wasm by default (tfjs-node when installed), cpu as fallback. */
export function activateBackend(backend: TfjsBackendName | 'auto'): Promise<TfjsBackendName> {
  return useTfjsBackend({ prefer: backend });
}

/** Throws a UsageError for a variant name that is not valid (the CLI exits 2). */
export function checkVariant(name: string, option: string): void {
  try {
    parseVariant(name);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`);
  }
}

/** Makes sure `dir` can be created and written, before any work starts. */
export async function ensureWritableDir(dir: string, option = '--out'): Promise<void> {
  try {
    await makeDirectory(resolve(dir));
    const probe = join(dir, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw new UsageError(
      `${option} ${dir}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns for some paths (e.g.
 * under /proc), so the missing levels are created from the nearest existing ancestor down.
 */
async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const level of missing) await mkdir(level);
}

/** Makes sure `dir` exists and holds `file`. */
export async function ensureArtifactsDir(dir: string, file: string): Promise<void> {
  try {
    await access(join(dir, file));
  } catch {
    throw new UsageError(
      `--model ${dir}: no ${file} there; pass the directory thaw-train train or experiment wrote (e.g. runs/demo/model)`,
    );
  }
}

/** Parses a positive integer option. */
export function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} must be an integer ≥ 1 (got ${value})`);
  return n;
}
