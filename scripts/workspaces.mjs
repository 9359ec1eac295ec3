// Lists the workspace packages of the monorepo: { dir, name, version, private, json }.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

export function workspaces() {
  const out = [];
  for (const parent of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, parent)).sort()) {
      const file = join(root, parent, entry, 'package.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8'));
      out.push({ dir: join(root, parent, entry), name: json.name, version: json.version, private: json.private === true, json });
    }
  }
  return out;
}

/** Published packages: not private. */
export const published = () => workspaces().filter((w) => !w.private);
