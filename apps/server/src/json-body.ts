import secureJson from 'secure-json-parse';
import { BadRequestError } from './bad-request-error.js';

/**
 * Parses a JSON request body (thaw-serve's `application/json` content parser), refusing with a
 * {@link BadRequestError} on `body` that names the actual problem:
 * - an empty body: `body is empty; send a JSON object …`;
 * - a syntax error: `body is not valid JSON: <the parser's message, with the position>`;
 * - valid JSON holding a `__proto__` or `constructor.prototype` key (prototype poisoning, refused
 *   as fastify's own parser does): `body holds a "__proto__" or "constructor.prototype" key …`.
 *
 * A leading byte-order mark is ignored. Only a body whose text holds `__proto__`, `constructor`
 * or a `\u` escape (the only ways to spell those keys) is scanned for them (secure-json-parse);
 * any other body costs one `JSON.parse`.
 *
 * @example `parseJsonBody('{"topK": 3}')` → `{ topK: 3 }`; `parseJsonBody('{"topK": ')` throws
 *   `body is not valid JSON: Unexpected end of JSON input`.
 */
export function parseJsonBody(body: string): unknown {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') throw new BadRequestError('body', 'is empty; send a JSON object (Content-Type: application/json)');
    throw new BadRequestError('body', `is not valid JSON: ${(error as Error).message}`);
  }
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) {
    try {
      secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      throw new BadRequestError(
        'body',
        'holds a "__proto__" or "constructor.prototype" key, which thaw-serve refuses (prototype poisoning); remove it',
      );
    }
  }
  return value;
}

/** The `code` of the 415 {@link checkJsonCharset} throws. */
export const UNSUPPORTED_CHARSET = 'THAW_UNSUPPORTED_CHARSET';

/**
 * Checks the `charset` parameter of a JSON request's `Content-Type`: absent, `utf-8` or `utf8`
 * (any case, quoted or not) passes; anything else is refused with a 415 error (`statusCode` 415,
 * `code` {@link UNSUPPORTED_CHARSET}) rather than decoded as UTF-8 (JSON is UTF-8, RFC 8259 §8.1).
 *
 * @example `checkJsonCharset('application/json; charset=utf-16')` throws `… charset utf-16 …`.
 */
export function checkJsonCharset(contentType: string | undefined): void {
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType ?? '');
  if (match === null) return;
  const charset = match[2] ?? '';
  if (/^utf-?8$/i.test(charset)) return;
  throw Object.assign(
    new Error(`Content-Type charset ${charset.slice(0, 32)} is not supported; send UTF-8 JSON (charset=utf-8, or no charset)`),
    { statusCode: 415, code: UNSUPPORTED_CHARSET },
  );
}
