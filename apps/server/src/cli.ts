#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { CONNECTION_DEFAULTS, defaultMaxConnections } from './http-server.js';
import { createThawServer } from './server.js';

function positiveInteger(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer ≥ 1 (got ${value})`);
    return n;
  };
}

function milliseconds(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a number of milliseconds ≥ 1 (got ${value})`);
    return n;
  };
}

/** The one line thaw-serve prints for a listen error it can explain. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): string | undefined {
  if (error.code === 'EADDRINUSE')
    return `${host}:${port} is already in use (EADDRINUSE); stop the process holding it or choose another --port`;
  if (error.code === 'EACCES')
    return `${host}:${port} needs privileges to bind (EACCES); choose a --port ≥ 1024 or grant CAP_NET_BIND_SERVICE`;
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    return `cannot listen on ${host} (${error.code}): not an address of this machine; check --host`;
  return undefined;
}

const program = new Command()
  .name('thaw-serve')
  .description('Serve a thaw ranking model (spec.json + model.onnx + items-table.bin) on onnxruntime-node.')
  .requiredOption('--model <dir>', 'trainer artifacts directory (artifacts.json, spec.json, model.onnx, items-table.bin)')
  .option(
    '--models-root <dir>',
    "the only directory tree models load from (start and reload; symlinks resolved); a reload's relative dir is taken from it (default: the directory holding --model)",
  )
  .option(
    '--port <port>',
    'TCP port (0 = any free port)',
    (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new InvalidArgumentError(`--port must be an integer in [0, 65535] (got ${v})`);
      return n;
    },
    8080,
  )
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--threads <n>', 'onnxruntime intra-op threads', positiveInteger('--threads'), Math.min(2, availableParallelism()))
  .option(
    '--spin-wait',
    "let onnxruntime's intra-op threads spin while waiting for work (lower latency on dedicated idle cores; " +
      'off by default: spinning burns the CPU the HTTP thread needs on small or shared machines)',
    false,
  )
  .option('--max-candidates <n>', 'most candidates per request', positiveInteger('--max-candidates'), 2000)
  .option(
    '--body-limit <bytes>',
    'largest request body in bytes (larger → 413)',
    positiveInteger('--body-limit'),
    8 * 1024 * 1024,
  )
  .option(
    '--drain-delay <ms>',
    'on SIGTERM, keep answering this long before closing (readyz is 503 meanwhile)',
    (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0)
        throw new InvalidArgumentError(`--drain-delay must be a number of milliseconds ≥ 0 (got ${v})`);
      return n;
    },
    200,
  )
  .option(
    '--request-timeout <ms>',
    'header + body deadline: a request not fully received in this time gets 408 and its connection closed',
    milliseconds('--request-timeout'),
    CONNECTION_DEFAULTS.requestTimeoutMs,
  )
  .option(
    '--headers-timeout <ms>',
    'deadline for the request headers (≤ --request-timeout); also closes connections that send nothing',
    milliseconds('--headers-timeout'),
    CONNECTION_DEFAULTS.headersTimeoutMs,
  )
  .option(
    '--keep-alive-timeout <ms>',
    "idle keep-alive connections close after this (set it above your load balancer's idle timeout)",
    milliseconds('--keep-alive-timeout'),
    CONNECTION_DEFAULTS.keepAliveTimeoutMs,
  )
  .option(
    '--connection-timeout <ms>',
    'a connection with no traffic either way for this long is closed',
    milliseconds('--connection-timeout'),
    CONNECTION_DEFAULTS.connectionTimeoutMs,
  )
  .option(
    '--max-connections <n>',
    'most open connections; more are closed at once (default: 1000, or ulimit -n minus 64 when lower)',
    positiveInteger('--max-connections'),
    defaultMaxConnections(),
  )
  .option('--log-level <level>', 'pino log level (fatal, error, warn, info, debug, trace, silent)', 'info')
  .option(
    '--admin-token <token>',
    'require Authorization: Bearer <token> on POST /admin/reload, from any address (default: $THAW_ADMIN_TOKEN; ' +
      'without a token only loopback clients may reload)',
  );

program.parse();
const options = program.opts<{
  model: string;
  modelsRoot?: string;
  requestTimeout: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  connectionTimeout: number;
  maxConnections: number;
  port: number;
  host: string;
  threads: number;
  spinWait: boolean;
  maxCandidates: number;
  bodyLimit: number;
  drainDelay: number;
  logLevel: string;
  adminToken?: string;
}>();
const adminToken = options.adminToken ?? process.env.THAW_ADMIN_TOKEN;

try {
  const server = await createThawServer({
    modelDir: options.model,
    ...(options.modelsRoot === undefined ? {} : { modelsRoot: options.modelsRoot }),
    listen: { port: options.port, host: options.host },
    requestTimeoutMs: options.requestTimeout,
    headersTimeoutMs: options.headersTimeout,
    keepAliveTimeoutMs: options.keepAliveTimeout,
    connectionTimeoutMs: options.connectionTimeout,
    maxConnections: options.maxConnections,
    threads: options.threads,
    spinWait: options.spinWait,
    maxCandidates: options.maxCandidates,
    bodyLimit: options.bodyLimit,
    logLevel: options.logLevel,
    drainDelayMs: options.drainDelay,
    ...(adminToken === undefined || adminToken === '' ? {} : { adminToken }),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'signal received');
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  const message = listenError(error as NodeJS.ErrnoException, options.host, options.port) ?? (error as Error).message;
  process.stderr.write(`thaw-serve: ${message}\n`);
  process.exit(1);
}
