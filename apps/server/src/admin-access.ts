import { createHash, timingSafeEqual } from 'node:crypto';

/** What {@link adminAccess} looks at in a request. */
export interface AdminRequest {
  /** The TCP peer's address (`request.socket.remoteAddress`; never a forwarded header). */
  readonly remoteAddress: string | undefined;
  /** The `Authorization` header. */
  readonly authorization: string | undefined;
}

/** Whether an admin request may proceed; when not, the status (401 or 403) and a message saying how to get in. */
export type AdminDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** True for a loopback peer: `127.0.0.0/8`, `::1`, or `127.x.y.z` mapped into IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || IPV4_LOOPBACK.test(v4);
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The access rule of thaw-serve's admin routes (`POST /admin/reload`), which can swap the model
 * being served for any directory on the server's disk:
 * - with `adminToken` (`--admin-token` / `THAW_ADMIN_TOKEN`): the request must carry
 *   `Authorization: Bearer <adminToken>`, from any address; else 401;
 * - without: only loopback peers may call them; others get 403 saying how to allow remote calls.
 *
 * The token is compared in constant time (SHA-256 digests, `timingSafeEqual`).
 *
 * @throws TypeError when `adminToken` is empty or holds whitespace.
 * @example
 * ```ts
 * const check = adminAccess(process.env.THAW_ADMIN_TOKEN);
 * check({ remoteAddress: '127.0.0.1', authorization: undefined }); // { allowed: true } when no token is set
 * ```
 */
export function adminAccess(adminToken: string | undefined): (request: AdminRequest) => AdminDecision {
  if (adminToken === undefined) {
    return ({ remoteAddress }) =>
      isLoopback(remoteAddress)
        ? { allowed: true }
        : {
            allowed: false,
            status: 403,
            message:
              `admin routes answer loopback clients only, and this request came from ${remoteAddress ?? 'an unknown address'}; ` +
              'to allow remote reloads, start thaw-serve with --admin-token <token> (or THAW_ADMIN_TOKEN=<token>) ' +
              'and send Authorization: Bearer <token>',
          };
  }
  if (adminToken === '' || /\s/.test(adminToken)) {
    const got = adminToken === '' ? 'an empty string' : `${adminToken.length} characters with whitespace`;
    throw new TypeError(
      `adminAccess: adminToken must be a non-empty string without whitespace (got ${got}); omit it to allow loopback clients only`,
    );
  }
  const expected = digest(adminToken);
  return ({ authorization }) => {
    const match = /^bearer +(\S+) *$/i.exec(authorization ?? '');
    if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected)) return { allowed: true };
    return {
      allowed: false,
      status: 401,
      message: 'send Authorization: Bearer <token>, with the --admin-token (THAW_ADMIN_TOKEN) thaw-serve was started with',
    };
  };
}
