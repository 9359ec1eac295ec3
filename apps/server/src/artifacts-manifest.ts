import { createHash } from 'node:crypto';
import { ARTIFACT_FILES } from '@thaw/spec';

/** One file's entry in `artifacts.json` (what thaw-train's `writeArtifactsManifest` records). */
export interface ManifestEntry {
  readonly bytes: number;
  readonly sha256: string;
}

/** The part of `artifacts.json` thaw-serve checks: the size and SHA-256 of every file, by name. */
export interface ArtifactsManifestFiles {
  readonly files: Readonly<Record<string, ManifestEntry>>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A JSON artifact parsed, or an error message that never quotes the file: a file outside what
 * thaw-train writes (a symlink to `/etc/passwd`…) must not leak through a reload's 422.
 */
export function parseJsonArtifact(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) };
  } catch {
    return { ok: false, problem: `is not valid JSON (${bytes.byteLength} bytes); thaw-train writes it as JSON` };
  }
}

/**
 * Validates the parsed `artifacts.json`: a `files` object mapping names to `{ bytes, sha256 }`.
 *
 * @returns the manifest, or a problem (for an `ArtifactsError` on `artifacts.json`).
 */
export function readManifest(value: unknown): { ok: true; manifest: ArtifactsManifestFiles } | { ok: false; problem: string } {
  const files = (value as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    return { ok: false, problem: 'has no "files" object; it is not a thaw-train artifacts.json' };
  }
  for (const [name, entry] of Object.entries(files)) {
    const { bytes, sha256 } = (entry ?? {}) as { bytes?: unknown; sha256?: unknown };
    if (!Number.isSafeInteger(bytes) || typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
      return { ok: false, problem: `has a malformed entry for ${JSON.stringify(name.slice(0, 64))} (want { bytes, sha256 })` };
    }
  }
  return { ok: true, manifest: { files: files as Record<string, ManifestEntry> } };
}

/**
 * Checks the bytes thaw-serve read for `name` against `artifacts.json`: the file must be listed,
 * and its size and SHA-256 must match (hashed from the very bytes that will be served, so the
 * file cannot change between the check and the load).
 *
 * @returns undefined when they match, else the problem (for an `ArtifactsError` on that file).
 * @example `verifyArtifact(manifest, 'model.onnx', bytes)` → `undefined`, or `"its SHA-256 1f2e…"`.
 */
export function verifyArtifact(manifest: ArtifactsManifestFiles, name: string, bytes: Uint8Array): string | undefined {
  const entry = manifest.files[name];
  if (entry === undefined) {
    return `is not listed in ${ARTIFACT_FILES.manifest}; thaw-serve serves only files thaw-train recorded (run thaw-train export again)`;
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual === entry.sha256 && bytes.byteLength === entry.bytes) return undefined;
  return (
    `its SHA-256 ${actual.slice(0, 12)}… differs from ${ARTIFACT_FILES.manifest}'s ${entry.sha256.slice(0, 12)}… ` +
    `(${bytes.byteLength} bytes, recorded ${entry.bytes}): the file changed after thaw-train wrote it (corruption, a partial ` +
    `copy or a hand edit); copy the directory again or rerun thaw-train export`
  );
}
