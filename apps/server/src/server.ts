import { randomUUID } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type onRequestAsyncHookHandler } from 'fastify';
import { type Logger, pino } from 'pino';
import { adminAccess } from './admin-access.js';
import { ArtifactsError } from './artifacts.js';
import { BadRequestError } from './bad-request-error.js';
import { capEcho } from './echo-cap.js';
import { errorBody, thawErrorHandler } from './error-handler.js';
import { type ConnectionOptions, connectionOptions, createGracefulHttpServer } from './http-server.js';
import { checkJsonCharset, parseJsonBody } from './json-body.js';
import { ServerMetrics } from './metrics.js';
import { parseRankRequest } from './rank-request.js';
import { rankResponseSchema } from './rank-response-schema.js';
import { type ModelIdentity, ServingModel } from './serving-model.js';

/** Options of {@link createThawServer}. */
export interface ThawServerOptions extends Partial<ConnectionOptions> {
  /** The trainer artifacts directory (`artifacts.json`, `spec.json`, `model.onnx`, `items-table.bin`). */
  readonly modelDir: string;
  /**
   * The only directory tree models are loaded from (start and `POST /admin/reload`): every
   * directory and file must resolve (realpath, symlinks followed) inside it; a reload's relative
   * `dir` is taken relative to it. Default: the directory holding `modelDir`.
   */
  readonly modelsRoot?: string;
  /**
   * Listen on this port and host **before** loading the model (a busy port fails at once, not
   * after minutes of loading; `/healthz` answers and `/readyz` is 503 while the model loads).
   * Without it, call `app.listen` yourself after `createThawServer` resolves.
   */
  readonly listen?: { readonly port: number; readonly host: string };
  /** onnxruntime intra-op threads. Default 2. */
  readonly threads?: number;
  /**
   * Let onnxruntime's intra-op threads spin while waiting for work. Default false: spinning burns
   * the CPU the HTTP thread needs on a small or shared machine (see `onnxSessionOptions`).
   */
  readonly spinWait?: boolean;
  /** Most candidates per request. Default 2,000. */
  readonly maxCandidates?: number;
  /** Largest request body in bytes (larger → 413). Default 8 MiB. */
  readonly bodyLimit?: number;
  /** A pino logger; default: pino at `logLevel` on stdout. */
  readonly logger?: Logger;
  /** Level of the default logger. Default `'info'`. */
  readonly logLevel?: string;
  /**
   * On shutdown, how long to keep listening (readyz already 503, every response `Connection:
   * close`) before closing the listener, so a load balancer moves clients away. Default 200 ms.
   */
  readonly drainDelayMs?: number;
  /**
   * After the listener closed, how long idle keep-alive connections stay open so a request a
   * client sent just before is still read and answered; then they are closed. Default 250 ms.
   */
  readonly idleGraceMs?: number;
  /**
   * When set, `POST /admin/reload` requires `Authorization: Bearer <adminToken>` (401 otherwise),
   * from any address. When not set, only loopback clients may reload (403 otherwise).
   */
  readonly adminToken?: string;
}

/** A running thaw-serve instance (listening when `options.listen` was given, else call `app.listen`). */
export interface ThawServer {
  readonly app: FastifyInstance;
  /** The timeouts and connection cap in force (the defaults filled in). */
  readonly connections: ConnectionOptions;
  /** The models root (realpath) every load and reload must stay inside. */
  readonly modelsRoot: string;
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
   * Refuses reloads from now on and answers every response with `Connection: close`; after
   * `drainDelayMs` stops listening; after `idleGraceMs` closes the idle connections; answers every
   * request already read, waits for a reload still loading (and releases what it loaded), then
   * releases the model.
   */
  shutdown(): Promise<void>;
}

/** A client request id thaw-serve adopts: 1–128 visible ASCII characters (else it generates a UUID). */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

const SHUTTING_DOWN = 'thaw-serve is shutting down; reload refused';

/**
 * Builds thaw-serve: `POST /v1/rank`, `GET /healthz`, `GET /readyz`, `GET /metrics`,
 * `POST /admin/reload`, on fastify with pino request logs (request ids from `x-request-id` when it
 * is 1–128 visible ASCII characters, else generated; echoed in the response header), on an HTTP
 * server with deadlines and a connection cap (`ConnectionOptions`; defaults in
 * `CONNECTION_DEFAULTS`). Listens first when `options.listen` is given, then loads and checks the
 * model before returning.
 *
 * @throws ArtifactsError when the model directory cannot be served; RangeError for a bad timeout
 *   or cap; TypeError for a bad `adminToken`; the listen error (e.g. `EADDRINUSE`) before any load.
 */
export async function createThawServer(options: ThawServerOptions): Promise<ThawServer> {
  const threads = options.threads ?? 2;
  const maxCandidates = options.maxCandidates ?? 2000;
  const bodyLimit = options.bodyLimit ?? 8 * 1024 * 1024;
  const checkAdmin = adminAccess(options.adminToken);
  const connections = connectionOptions(options);
  const modelDir = resolve(options.modelDir);
  const modelsRoot = await realpath(options.modelsRoot ?? dirname(await realpath(modelDir).catch(() => modelDir))).catch(() => {
    throw new ArtifactsError(
      resolve(options.modelsRoot ?? dirname(modelDir)),
      'the models root is not a directory (--models-root)',
    );
  });
  const logger = options.logger ?? pino({ level: options.logLevel ?? 'info' });
  const metrics = new ServerMetrics();
  // Set once the first model is loaded; until then /v1/rank and /readyz answer 503.
  let model: ServingModel | undefined;
  let closing = false;
  // True once the listener is closed (shutdown, after the drain delay).
  let stopped = false;
  const http = createGracefulHttpServer(() => undefined, connections);

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit,
    requestIdHeader: false,
    genReqId: (request) => {
      const id = request.headers['x-request-id'];
      return typeof id === 'string' && CLIENT_REQUEST_ID.test(id) ? id : randomUUID();
    },
    // Requests read while closing are answered (with Connection: close), never 503'd.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    serverFactory: (handler) => {
      http.server.on('request', handler);
      return http.server;
    },
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      checkJsonCharset(request.headers['content-type']);
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Once the listener is closed, every response closes its connection: a keep-alive client
    // reconnects (finding this server gone, elsewhere) instead of sending on a socket about to close.
    if (stopped) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.recordRequest(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.setErrorHandler(thawErrorHandler(bodyLimit));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('not_found', 'url', `no route ${request.method} ${capEcho(request.url)}; see POST /v1/rank`)),
  );

  // Until the first model is loaded (listening first), model routes answer 503.
  const untilLoaded: onRequestAsyncHookHandler = async (_request, reply) => {
    if (model === undefined)
      return reply.code(503).send(errorBody('loading', '', 'the model is still loading; retry when GET /readyz answers 200'));
  };
  app.post('/v1/rank', { onRequest: untilLoaded, schema: { response: { 200: rankResponseSchema } } }, async (request) => {
    const serving = model as ServingModel;
    const parsed = parseRankRequest(serving.requestSchema, request.body, { maxCandidates });
    const items = await serving.rank(parsed);
    metrics.recordCandidates(parsed.candidates.length);
    request.log.debug({ candidates: parsed.candidates.length, model: serving.identity.version }, 'ranked');
    return { model: serving.identity, items };
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (closing) return reply.code(503).send({ status: 'shutting_down' });
    if (model === undefined) return reply.code(503).send({ status: 'loading' });
    return { status: 'ready', model: model.identity };
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()));

  // Retirements of replaced models: a failed session release is logged, never an unhandled rejection.
  const retiring = new Set<Promise<void>>();
  const onThreadCrash = (error: Error) => {
    metrics.threadCrashes.inc();
    logger.error({ err: error }, 'the onnxruntime worker thread crashed; its requests in flight got 503; restarting it');
  };
  const loadOptions = { threads, spinWait: options.spinWait ?? false, root: modelsRoot, onThreadCrash };
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
      next = await ServingModel.load(target, loadOptions);
    } catch (error) {
      metrics.reloads.inc({ result: 'failure' });
      logger.warn({ dir: capEcho(target, 256), err: error }, 'reload refused; the previous model keeps serving');
      throw error;
    }
    if (closing) {
      // Shutdown began while it loaded: never serve it, release it now.
      await retire(next);
      throw new Error(SHUTTING_DOWN);
    }
    const previous = model as ServingModel;
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
    const next = reloads.catch(() => undefined).then(() => swapTo(dir ?? (model as ServingModel).artifacts.dir));
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

  app.post('/admin/reload', { onRequest: [guardAdmin, untilLoaded] }, async (request, reply) => {
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
    const previous = (model as ServingModel).identity;
    try {
      const identity = await reload(body.dir as string | undefined);
      return { status: 'reloaded', model: identity, previous };
    } catch (error) {
      if (ArtifactsError.isInstance(error) && error.outsideRoot)
        return reply.code(403).send({ ...errorBody('forbidden', 'dir', error.message), model: model?.identity });
      if (ArtifactsError.isInstance(error))
        return reply.code(422).send({ ...errorBody('reload_refused', 'dir', error.message), model: model?.identity });
      if (closing) return reply.code(503).send(errorBody('shutting_down', '', SHUTTING_DOWN));
      throw error;
    }
  });

  const shutdown = async () => {
    if (closing) return;
    closing = true;
    metrics.ready.set(0);
    logger.info({ inFlight: model?.pending ?? 0 }, 'shutting down: draining requests in flight');
    await sleep(options.drainDelayMs ?? 200);
    // Stops listening; idle keep-alive connections stay for the grace period (a request just sent
    // on one is still read), then close. Resolves once every connection has closed.
    // The listener closes now (synchronously, so no connection is accepted after a response said
    // `Connection: close`); the callback fires once every connection has ended.
    const drained = new Promise<void>((resolve) => http.server.close(() => resolve()));
    stopped = true;
    const closed = app.close();
    await sleep(options.idleGraceMs ?? 250);
    http.releaseIdle();
    await Promise.all([closed, drained]);
    await reloads.catch(() => undefined);
    if (model !== undefined) await retire(model);
    await Promise.all(retiring);
    logger.info('shut down');
  };

  if (options.listen) await app.listen(options.listen);
  try {
    model = await ServingModel.load(modelDir, loadOptions);
  } catch (error) {
    await app.close();
    throw error;
  }
  metrics.setModel(model.identity);
  metrics.ready.set(closing ? 0 : 1);
  logger.info(
    {
      model: model.identity,
      dir: model.artifacts.dir,
      modelsRoot,
      threads,
      spinWait: loadOptions.spinWait,
      connections,
      adminReload: options.adminToken === undefined ? 'loopback clients only' : 'bearer token',
    },
    'model loaded',
  );

  return {
    app,
    metrics,
    connections,
    modelsRoot,
    get model() {
      return model as ServingModel;
    },
    reload,
    shutdown,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
