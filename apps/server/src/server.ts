import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type onRequestAsyncHookHandler,
} from 'fastify';
import { type Logger, pino } from 'pino';
import { adminAccess } from './admin-access.js';
import { ArtifactsError } from './artifacts.js';
import { BadRequestError } from './bad-request-error.js';
import { parseJsonBody } from './json-body.js';
import { ServerMetrics } from './metrics.js';
import { NonFiniteScoreError } from './non-finite-score-error.js';
import { parseRankRequest } from './rank-request.js';
import { rankResponseSchema } from './rank-response-schema.js';
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
  /**
   * When set, `POST /admin/reload` requires `Authorization: Bearer <adminToken>` (401 otherwise),
   * from any address. When not set, only loopback clients may reload (403 otherwise).
   */
  readonly adminToken?: string;
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
   * (ArtifactsError) and the old model keeps serving. Refused once shutdown has begun.
   */
  reload(dir?: string): Promise<ModelIdentity>;
  /**
   * Refuses reloads from now on, stops accepting requests, drains the ones in flight, waits for a
   * reload still loading (and releases what it loaded), then releases the model.
   */
  shutdown(): Promise<void>;
}

const errorBody = (error: string, field: string, message: string) => ({ error, field, message });

/** A client request id thaw-serve adopts: 1–128 visible ASCII characters (else it generates a UUID). */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

const SHUTTING_DOWN = 'thaw-serve is shutting down; reload refused';

/**
 * Builds thaw-serve: `POST /v1/rank`, `GET /healthz`, `GET /readyz`, `GET /metrics`,
 * `POST /admin/reload`, on fastify with pino request logs (request ids from `x-request-id` when it
 * is 1–128 visible ASCII characters, else generated; echoed in the response header). Loads and
 * warms up the model before returning.
 *
 * @throws ArtifactsError when the model directory cannot be served; TypeError for a bad `adminToken`.
 */
export async function createThawServer(options: ThawServerOptions): Promise<ThawServer> {
  const threads = options.threads ?? 2;
  const maxCandidates = options.maxCandidates ?? 2000;
  const checkAdmin = adminAccess(options.adminToken);
  const logger = options.logger ?? pino({ level: options.logLevel ?? 'info' });
  const metrics = new ServerMetrics();
  let model = await ServingModel.load(options.modelDir, { threads });
  let closing = false;
  metrics.setModel(model.identity);
  metrics.ready.set({}, 1);
  logger.info(
    {
      model: model.identity,
      dir: model.artifacts.dir,
      threads,
      adminReload: options.adminToken === undefined ? 'loopback clients only' : 'bearer token',
    },
    'model loaded',
  );

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024,
    requestIdHeader: false,
    genReqId: (request) => {
      const id = request.headers['x-request-id'];
      return typeof id === 'string' && CLIENT_REQUEST_ID.test(id) ? id : randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
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
    if (NonFiniteScoreError.isInstance(error)) {
      request.log.warn({ field: error.field, problem: error.message }, 'non-finite score refused');
      return reply.code(422).send(errorBody('non_finite_score', error.field, error.message));
    }
    const status = error.statusCode ?? 500;
    if (status === 413)
      return reply
        .code(413)
        .send(errorBody('payload_too_large', 'body', `body is larger than the limit of ${app.initialConfig.bodyLimit} bytes`));
    if (status === 415)
      return reply.code(415).send(errorBody('unsupported_media_type', 'content-type', 'send the body as application/json'));
    if (status >= 400 && status < 500) {
      // Anything else fastify refuses before our handlers (e.g. a body shorter than its Content-Length): its own words.
      const field = error.code?.startsWith('FST_ERR_CTP_') ? 'body' : 'request';
      request.log.info({ code: error.code, problem: error.message }, 'bad request');
      return reply.code(status).send(errorBody('bad_request', field, `${error.message} (${error.code ?? status})`));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('internal', '', 'internal error; see the server log for this request id'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('not_found', 'url', `no route ${request.method} ${request.url}; see POST /v1/rank`)),
  );

  app.post('/v1/rank', { schema: { response: { 200: rankResponseSchema } } }, async (request) => {
    const serving = model;
    const parsed = parseRankRequest(serving.requestSchema, request.body, { maxCandidates });
    const items = await serving.rank(parsed);
    metrics.recordCandidates(parsed.candidates.length);
    request.log.debug({ candidates: parsed.candidates.length, model: serving.identity.version }, 'ranked');
    return { model: serving.identity, items };
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (closing) return reply.code(503).send({ status: 'shutting_down' });
    return { status: 'ready', model: model.identity };
  });
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(metrics.render()));

  // Retirements of replaced models: a failed session release is logged, never an unhandled rejection.
  const retiring = new Set<Promise<void>>();
  const retire = (old: ServingModel) => {
    const done = old
      .retire()
      .catch((error: unknown) => logger.error({ err: error, model: old.identity }, 'releasing a retired model failed'));
    retiring.add(done);
    void done.finally(() => retiring.delete(done));
    return done;
  };

  const swapTo = async (target: string): Promise<ModelIdentity> => {
    if (closing) throw new Error(SHUTTING_DOWN);
    let next: ServingModel;
    try {
      next = await ServingModel.load(target, { threads });
    } catch (error) {
      metrics.reloads.inc({ result: 'failure' });
      logger.warn({ dir: target, err: error }, 'reload refused; the previous model keeps serving');
      throw error;
    }
    if (closing) {
      // Shutdown began while it loaded: never serve it, release it now.
      await retire(next);
      throw new Error(SHUTTING_DOWN);
    }
    const previous = model;
    model = next;
    metrics.setModel(next.identity);
    metrics.reloads.inc({ result: 'success' });
    logger.info({ model: next.identity, previous: previous.identity, inFlightOnPrevious: previous.pending }, 'model reloaded');
    void retire(previous);
    return next.identity;
  };
  // Reloads run one at a time, in the order they were asked for.
  let reloads: Promise<unknown> = Promise.resolve();
  const reload = (dir?: string): Promise<ModelIdentity> => {
    if (closing) return Promise.reject(new Error(SHUTTING_DOWN));
    const next = reloads.catch(() => undefined).then(() => swapTo(dir ?? model.artifacts.dir));
    reloads = next;
    return next;
  };

  // Admin routes: the token, or loopback only (checked before the body is read).
  const guardAdmin: onRequestAsyncHookHandler = async (request, reply) => {
    const { remoteAddress } = request.socket;
    const decision = checkAdmin({ remoteAddress, authorization: request.headers.authorization });
    if (decision.allowed) return;
    request.log.warn({ remoteAddress, status: decision.status }, 'admin request refused');
    const unauthorized = decision.status === 401;
    if (unauthorized) reply.header('www-authenticate', 'Bearer realm="thaw-serve admin"');
    const body = unauthorized
      ? errorBody('unauthorized', 'authorization', decision.message)
      : errorBody('forbidden', 'remoteAddress', decision.message);
    return reply.code(decision.status).send(body);
  };

  app.post('/admin/reload', { onRequest: guardAdmin }, async (request, reply) => {
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
      if (ArtifactsError.isInstance(error))
        return reply.code(422).send({ ...errorBody('reload_refused', 'dir', error.message), model: model.identity });
      if (closing) return reply.code(503).send(errorBody('shutting_down', '', SHUTTING_DOWN));
      throw error;
    }
  });

  const shutdown = async () => {
    if (closing) return;
    closing = true;
    metrics.ready.set({}, 0);
    logger.info({ inFlight: model.pending }, 'shutting down: draining requests in flight');
    await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs ?? 200));
    await app.close();
    await reloads.catch(() => undefined);
    await retire(model);
    await Promise.all(retiring);
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
