/** JSON with object keys sorted at every level, so equal specs serialise identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const MASK = (1n << 64n) - 1n;

/**
 * A stable 64-bit fingerprint (FNV-1a, 16 hex digits) of a spec's canonical JSON: equal specs,
 * whatever their key order, hash alike. Stored in the ONNX metadata and reported by `thaw-serve`.
 *
 * @example `specHash(spec)` → `'9f2c4e1b7a0d3c55'`
 */
export function specHash(spec: unknown): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(canonicalJson(spec))) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}
