import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from './bad-request-error.js';
import { capEcho } from './echo-cap.js';
import { UNSUPPORTED_CHARSET } from './json-body.js';
import { NonFiniteScoreError } from './non-finite-score-error.js';
import { ScoringThreadCrashError } from './session-thread.js';

/** thaw-serve's error body: `{ error, field, message }`. */
export const errorBody = (error: string, field: string, message: string) => ({ error, field, message });

/**
 * thaw-serve's fastify error handler: 400 for a {@link BadRequestError} (naming the field), 422
 * for a {@link NonFiniteScoreError}, 503 for a {@link ScoringThreadCrashError} (retry), 413 over the body limit, 415 for a media type or charset it
 * does not take, fastify's other 4xx in its own words (capped), and 500 (logged with the error)
 * for anything else. Client text in messages is capped (`capEcho`).
 */
export function thawErrorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (BadRequestError.isInstance(error)) {
      request.log.info({ field: error.field, problem: error.message }, 'bad request');
      return reply.code(400).send(errorBody('bad_request', error.field, error.message));
    }
    if (NonFiniteScoreError.isInstance(error)) {
      request.log.warn({ field: error.field, problem: error.message }, 'non-finite score refused');
      return reply.code(422).send(errorBody('non_finite_score', error.field, error.message));
    }
    if (ScoringThreadCrashError.isInstance(error)) {
      request.log.error({ err: error }, 'request not scored: the onnxruntime thread crashed');
      return reply.code(503).send(errorBody('scoring_unavailable', '', error.message));
    }
    const status = error.statusCode ?? 500;
    if (status === 413)
      return reply.code(413).send(errorBody('payload_too_large', 'body', `body is larger than the limit of ${bodyLimit} bytes`));
    if (status === 415) {
      const message = error.code === UNSUPPORTED_CHARSET ? error.message : 'send the body as application/json';
      return reply.code(415).send(errorBody('unsupported_media_type', 'content-type', message));
    }
    if (status >= 400 && status < 500) {
      // Anything else fastify refuses before our handlers (e.g. a body shorter than its Content-Length): its own words.
      const field = error.code?.startsWith('FST_ERR_CTP_') ? 'body' : 'request';
      const message = `${capEcho(error.message, 200)} (${error.code ?? status})`;
      request.log.info({ code: error.code, problem: message }, 'bad request');
      return reply.code(status).send(errorBody('bad_request', field, message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('internal', '', 'internal error; see the server log for this request id'));
  };
}
