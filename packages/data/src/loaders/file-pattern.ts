import { readdir, stat } from 'node:fs/promises';

/** One file, a glob pattern (`logs/day-*.csv`), or a list of either: what the loaders read. */
export type FileSource = string | readonly string[];

const WILDCARD = /[*?]/;

/** The directory part of a path as written, with its trailing separator (`logs/`), and the last segment. */
function splitLast(path: string): { dir: string; name: string } {
  const cut = Math.max(path.lastIndexOf('/'), process.platform === 'win32' ? path.lastIndexOf('\\') : -1);
  return { dir: path.slice(0, cut + 1), name: path.slice(cut + 1) };
}

/** A whole-name matcher for `*` (any run of characters, possibly empty) and `?` (exactly one). */
function nameMatcher(pattern: string): (name: string) => boolean {
  const source = Array.from(pattern, (c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join(
    '',
  );
  const regex = new RegExp(`^${source}$`, 's');
  // Like a shell: a leading dot must be written, `*` does not match hidden files.
  return (name) => regex.test(name) && (!name.startsWith('.') || pattern.startsWith('.'));
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The files a pattern names, sorted by name (code-unit order, so `day-09` < `day-10`, the same
 * on every machine). `*` (any run of characters) and `?` (one character) may appear in the LAST
 * path segment only — `logs/day-*.csv`, `part-?.parquet` — and, as in a shell, do not match a
 * leading dot. Only regular files (or links to them) match. A path without wildcards is returned
 * as is when it is a file. Every path keeps the directory as written in the pattern.
 *
 * @throws Error `no file matches logs/day-*.csv (…)` when nothing matches, naming what the
 *   directory holds; `TypeError` for a wildcard in a directory segment.
 * @example `await expandFilePattern('logs/day-*.csv') // ['logs/day-01.csv', 'logs/day-02.csv', 'logs/day-03.csv']`
 */
export async function expandFilePattern(pattern: string): Promise<string[]> {
  const { dir, name } = splitLast(pattern);
  if (WILDCARD.test(dir)) {
    throw new TypeError(
      `file pattern ${JSON.stringify(pattern)}: "*" and "?" are allowed in the last path segment only (got them in ${JSON.stringify(dir)}); list the files instead`,
    );
  }
  const isFile = async (path: string) => (await stat(path).catch(() => undefined))?.isFile() === true;
  if (!WILDCARD.test(name)) {
    if (await isFile(pattern)) return [pattern];
    throw new Error(
      `no file matches ${pattern} (${(await stat(pattern).catch(() => undefined)) ? 'it is not a file' : 'it does not exist'})`,
    );
  }
  let entries: string[];
  try {
    entries = await readdir(dir === '' ? '.' : dir);
  } catch (error) {
    throw new Error(
      `no file matches ${pattern} (cannot read the directory ${dir || '.'}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const matches = nameMatcher(name);
  const files: string[] = [];
  for (const entry of entries.sort(byName)) if (matches(entry) && (await isFile(dir + entry))) files.push(dir + entry);
  if (files.length === 0) {
    const shown = entries.slice(0, 8).join(', ');
    throw new Error(
      `no file matches ${pattern} (the directory ${dir || '.'} holds ${entries.length} entries${entries.length > 0 ? `: ${shown}${entries.length > 8 ? ', …' : ''}` : ''})`,
    );
  }
  return files;
}

/**
 * The files of a {@link FileSource}, in order: each entry expanded by {@link expandFilePattern}
 * when it holds a wildcard, kept as given otherwise (a missing file then fails when read, naming
 * it). A file named twice is read once, at its first place.
 *
 * @throws TypeError for an empty list.
 */
export async function resolveFiles(source: FileSource): Promise<string[]> {
  const entries = typeof source === 'string' ? [source] : source;
  if (entries.length === 0) throw new TypeError('files: give at least one file or pattern (got an empty list)');
  const files: string[] = [];
  for (const entry of entries) files.push(...(WILDCARD.test(entry) ? await expandFilePattern(entry) : [entry]));
  return [...new Set(files)];
}
