#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { createThawServer } from './server.js';

function positiveInteger(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer ≥ 1 (got ${value})`);
    return n;
  };
}

const program = new Command()
  .name('thaw-serve')
  .description('Serve a thaw ranking model (spec.json + model.onnx + items-table.bin) on onnxruntime-node.')
  .requiredOption('--model <dir>', 'trainer artifacts directory (spec.json, model.onnx, items-table.bin)')
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
  .option('--log-level <level>', 'pino log level (fatal, error, warn, info, debug, trace, silent)', 'info')
  .option(
    '--admin-token <token>',
    'require Authorization: Bearer <token> on POST /admin/reload, from any address (default: $THAW_ADMIN_TOKEN; ' +
      'without a token only loopback clients may reload)',
  );

program.parse();
const options = program.opts<{
  model: string;
  port: number;
  host: string;
  threads: number;
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
    threads: options.threads,
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
  await server.app.listen({ port: options.port, host: options.host });
} catch (error) {
  process.stderr.write(`thaw-serve: ${(error as Error).message}\n`);
  process.exit(1);
}
