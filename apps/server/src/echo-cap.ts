/** Longest piece of client input thaw-serve echoes in a response `field`/`message` or a log line. */
export const ECHO_LIMIT = 64;

/**
 * Client text as thaw-serve echoes it: unchanged up to {@link ECHO_LIMIT} characters, else its
 * first 64 followed by `…(<length> chars)`, so a 1 MB key costs a response ~100 bytes, not 2 MB.
 *
 * @example `capEcho('a'.repeat(100))` → `'aaaa…a…(100 chars)'` (64 `a`s)
 */
export function capEcho(text: string, limit = ECHO_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}…(${text.length} chars)`;
}
