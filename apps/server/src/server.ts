import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { ArtifactsError } from './artifacts.js';
import { ServerMetrics } from './metrics.js';
import { BadRequestError, parseRankRequest } from './rank-request.js';
import { type ModelIdentity, ServingModel } from './serving-model.js';

/** Options of {@link createThawServer}. */
export interface ThawServerOptions {
  /** The trainer artifacts directory (`spec.json`, `model.onnx`, `items-table.bin`). */
  readonly modelDir: string;
  /** onnxruntime intra-op threads. Default 2. */
  readonly threads?: number;
  /** Most candidates per request. Default 2,000. */
  readonly maxCandidates?: number;
  /** Largest request body in bytes (larger → 413). Default 8 MiB. */
  readonly bodyLimit?: number;
  /** A pino logger; default: pino at `logLevel` on stdout. */
  readonly logger?: Logger;
  /** Level of the default logger. Default `'info'`. */
  readonly logLevel?: string;
  /**
   * On shutdown, how long to keep serving normally (readyz already 503) before closing, so requests
   * already sent but not yet read (onnxruntime runs on the event loop) are answered. Default 200 ms.
   */
  readonly drainDelayMs?: number;
}

/** A running thaw-serve instance (not yet listening: call `app.listen`). */
export interface ThawServer {
  readonly app: FastifyInstance;
  readonly metrics: ServerMetrics;
  /** The model serving new requests. */
  readonly model: ServingModel;
  /**
   * Loads `dir` (default: the current model's directory), validates and warms it up, then swaps it
   * in atomically; requests in flight finish on the old model. A broken directory is refused
   * (ArtifactsError) and the old model keeps serving.
   */
  reload(dir?: string): Promise<ModelIdentity>;
  /** Stops accepting requests, drains the ones in flight, releases the model. */
  shutdown(): Promise<void>;
}

const errorBody = (error: string, field: string, message: string) => ({ error, field, message });

/**
 * Builds thaw-serve: `POST /v1/rank`, `GET /healthz`, `GET /readyz`, `GET /metrics`,
 * `POST /admin/reload`, on fastify with pino request logs (request ids from `x-request-id` or
 * generated, echoed in the response header). Loads and warms up the model before returning.
 */
export async function createThawServer(options: ThawServerOptions): Promise<ThawServer> {
  const threads = options.threads ?? 2;
  const maxCandidates = options.maxCandidates ?? 2000;
  const logger = options.logger ?? pino({ level: options.logLevel ?? 'info' });
  const metrics = new ServerMetrics();
  let model = await ServingModel.load(options.modelDir, { threads });
  let closing = false;
  metrics.setModel(model.identity);
  metrics.ready.set({}, 1);
  logger.info({ model: model.identity, dir: model.artifacts.dir, threads }, 'model loaded');

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.recordRequest(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (BadRequestError.isInstance(error)) {
      request.log.info({ field: error.field, problem: error.message }, 'bad request');
      return reply.code(400).send(errorBody('bad_request', error.field, error.message));
    }
    const status = error.statusCode ?? 500;
    if (status === 413)
      return reply
        .code(413)
        .send(errorBody('payload_too_large', 'body', `body is larger than the limit of ${app.initialConfig.bodyLimit} bytes`));
    if (status === 415)
      return reply.code(415).send(errorBody('unsupported_media_type', 'content-type', 'send the body as application/json'));
    if (status >= 400 && status < 500)
      return reply.code(status).send(errorBody('bad_request', 'body', `body is not valid JSON: ${error.message}`));
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('internal', '', 'internal error; see the server log for this request id'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('not_found', 'url', `no route ${request.method} ${request.url}; see POST /v1/rank`)),
  );

  app.post('/v1/rank', async (request) => {
    const serving = model;
    const parsed = parseRankRequest(serving.spec, request.body, { maxCandidates });
    const items = await serving.rank(parsed);
    metrics.candidates.observe({}, parsed.candidates.length);
    request.log.debug({ candidates: parsed.candidates.length, model: serving.identity.version }, 'ranked');
    return { model: serving.identity, items };
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (closing) return reply.code(503).send({ status: 'shutting_down' });
    return { status: 'ready', model: model.identity };
  });
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(metrics.render()));

  const swapTo = async (target: string): Promise<ModelIdentity> => {
    try {
      const next = await ServingModel.load(target, { threads });
      const previous = model;
      model = next;
      metrics.setModel(next.identity);
      metrics.reloads.inc({ result: 'success' });
      logger.info({ model: next.identity, previous: previous.identity, inFlightOnPrevious: previous.pending }, 'model reloaded');
      void previous.retire();
      return next.identity;
    } catch (error) {
      metrics.reloads.inc({ result: 'failure' });
      logger.warn({ dir: target, err: error }, 'reload refused; the previous model keeps serving');
      throw error;
    }
  };
  // Reloads run one at a time, in the order they were asked for.
  let reloads: Promise<unknown> = Promise.resolve();
  const reload = (dir?: string): Promise<ModelIdentity> => {
    const next = reloads.catch(() => undefined).then(() => swapTo(dir ?? model.artifacts.dir));
    reloads = next;
    return next;
  };

  app.post('/admin/reload', async (request, reply) => {
    const body = (request.body ?? {}) as { dir?: unknown };
    if (
      typeof body !== 'object' ||
      Array.isArray(body) ||
      (body.dir !== undefined && (typeof body.dir !== 'string' || body.dir === ''))
    ) {
      throw new BadRequestError(
        'dir',
        'must be the path of an artifacts directory (a non-empty string), or omitted to reload the current one',
      );
    }
    const previous = model.identity;
    try {
      const identity = await reload(body.dir as string | undefined);
      return { status: 'reloaded', model: identity, previous };
    } catch (error) {
      if (!ArtifactsError.isInstance(error)) throw error;
      return reply.code(422).send({ ...errorBody('reload_refused', 'dir', error.message), model: model.identity });
    }
  });

  const shutdown = async () => {
    if (closing) return;
    closing = true;
    metrics.ready.set({}, 0);
    logger.info({ inFlight: model.pending }, 'shutting down: draining requests in flight');
    await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs ?? 200));
    await app.close();
    await model.retire();
    logger.info('shut down');
  };

  return {
    app,
    metrics,
    get model() {
      return model;
    },
    reload,
    shutdown,
  };
}
