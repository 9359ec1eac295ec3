import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Timeouts and the connection cap of thaw-serve's HTTP server (all milliseconds but `maxConnections`). */
export interface ConnectionOptions {
  /** Header + body deadline: a request not received in full this long after it began gets 408 and its socket closed. */
  readonly requestTimeoutMs: number;
  /** Deadline for the request headers (≤ `requestTimeoutMs`); also closes a connection that never sends any. */
  readonly headersTimeoutMs: number;
  /** How long an idle keep-alive socket stays open after a response (set it above a load balancer's idle timeout). */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic either way for this long is destroyed, whatever its state. */
  readonly connectionTimeoutMs: number;
  /** Most open connections; beyond it a new connection is closed at once. */
  readonly maxConnections: number;
}

/**
 * The soft `RLIMIT_NOFILE` of this process (`ulimit -n`), read from `/proc/self/limits`, or
 * `undefined` where that file does not exist (not Linux) or says `unlimited`.
 */
export function openFileLimit(limits = '/proc/self/limits'): number | undefined {
  try {
    const line = readFileSync(limits, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.slice('Max open files'.length).trim().split(/\s+/)[0]);
    return Number.isSafeInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The default connection cap: 1,000, lowered to leave 64 descriptors free below `ulimit -n`
 * (model files, logs, the listening socket), so clients past the cap are refused instead of
 * starving the process of file descriptors. Never below 16.
 */
export function defaultMaxConnections(fileLimit = openFileLimit()): number {
  return Math.max(16, Math.min(1000, fileLimit === undefined ? 1000 : fileLimit - 64));
}

/** thaw-serve's defaults: a ranking request is small and fast, so every deadline is short. */
export const CONNECTION_DEFAULTS: Omit<ConnectionOptions, 'maxConnections'> = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  connectionTimeoutMs: 60_000,
};

/**
 * The connection options of `partial` (other keys ignored) completed with the defaults and checked.
 *
 * @throws RangeError naming the option when a value is not a positive integer, or when
 *   `headersTimeoutMs` exceeds `requestTimeoutMs` (Node refuses that).
 */
export function connectionOptions(partial: Partial<ConnectionOptions>): ConnectionOptions {
  const resolved: ConnectionOptions = {
    requestTimeoutMs: partial.requestTimeoutMs ?? CONNECTION_DEFAULTS.requestTimeoutMs,
    headersTimeoutMs: partial.headersTimeoutMs ?? CONNECTION_DEFAULTS.headersTimeoutMs,
    keepAliveTimeoutMs: partial.keepAliveTimeoutMs ?? CONNECTION_DEFAULTS.keepAliveTimeoutMs,
    connectionTimeoutMs: partial.connectionTimeoutMs ?? CONNECTION_DEFAULTS.connectionTimeoutMs,
    maxConnections: partial.maxConnections ?? defaultMaxConnections(),
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`thaw-serve: ${name} must be an integer ≥ 1 (got ${value})`);
  }
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs) {
    throw new RangeError(
      `thaw-serve: headersTimeoutMs (${resolved.headersTimeoutMs}) must not exceed requestTimeoutMs (${resolved.requestTimeoutMs})`,
    );
  }
  return resolved;
}

/** An HTTP server whose idle keep-alive sockets survive the stop of listening until {@link releaseIdle}. */
export interface GracefulHttpServer {
  readonly server: Server;
  /** Closes the idle connections now (from shutdown on, every response closes its connection, so none turns idle after). */
  releaseIdle(): void;
}

/**
 * The node:http server behind fastify (its `serverFactory`), with `options` applied: Node's
 * `requestTimeout`/`headersTimeout` checked every `connectionsCheckingInterval` (¼ of the shorter
 * deadline, 100 ms–1 s, instead of Node's 30 s), `keepAliveTimeout`, the socket inactivity
 * timeout and `maxConnections`.
 *
 * Node's `server.close()` closes idle keep-alive connections at once, so a request a client has
 * just sent on one (bytes not yet read) is reset. Here idle connections stay until the caller
 * calls `releaseIdle()` (after a grace period), so what was sent is read and answered.
 */
export function createGracefulHttpServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  options: ConnectionOptions,
): GracefulHttpServer {
  const shorter = Math.min(options.headersTimeoutMs, options.requestTimeoutMs);
  const server = createServer(
    {
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(shorter / 4))),
    },
    handler,
  );
  server.setTimeout(options.connectionTimeoutMs);
  server.maxConnections = options.maxConnections;
  const closeIdle = server.closeIdleConnections.bind(server);
  let released = false;
  server.closeIdleConnections = () => {
    if (released) closeIdle();
  };
  return {
    server,
    releaseIdle() {
      released = true;
      closeIdle();
    },
  };
}
