import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { MAX_PUSH_BATCH, type ApiError, type ApiErrorCode } from '../../core/protocol';

/** An answer that is an ApiError; thrown by handlers, turned into JSON by the error handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: ApiError['issues'],
  ) {
    super(message);
  }
  body(): ApiError {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

/** Parses untrusted input with a core schema or throws a 400 that lists what to fix. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 50).map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  const first = issues[0];
  // Only a body can be absent (a matched route has its params, a query is at least {}).
  const message =
    input === undefined
      ? `The ${what} is missing; send it as a JSON object with Content-Type: application/json.`
      : `The ${what} is not valid${first ? ` (${first.path}: ${first.message})` : ''}; fix the listed fields and send it again.`;
  throw new HttpError(400, 'VALIDATION_FAILED', message, issues);
}

/**
 * Errors the router raises before any route or error handler runs (a path
 * parameter longer than any id, a malformed URL): answered as ApiErrors too.
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply.code(tooLong ? 414 : 400).send({
    code: 'BAD_REQUEST',
    message: tooLong
      ? 'A value in the address is longer than any id or code can be; check what was sent in the path.'
      : `The address could not be read (${error.message}); check the path and its encoding.`,
  } satisfies ApiError);
}

const KB = 1024;
const MB = 1024 * KB;
const sizeOf = (bytes: number): string =>
  bytes % MB === 0 ? `${bytes / MB} MB` : bytes % KB === 0 ? `${bytes / KB} KB` : `${bytes} bytes`;

/** Names the limit of the route that refused, which is not the same on every route. */
function tooLargeMessage(request: FastifyRequest): string {
  const limit = sizeOf(request.routeOptions.bodyLimit);
  const hint = request.routeOptions.url?.startsWith('/v1/redemptions')
    ? `push queued redemptions in batches of up to ${MAX_PUSH_BATCH}`
    : 'split it into several requests';
  return `The request body is too large; this endpoint takes at most ${limit} (${hint}).`;
}

/** Maps framework errors (bad JSON, huge bodies, wrong media type) and bugs to ApiErrors. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).send(error.body());
    const status = error.statusCode ?? 500;
    const send = (code: ApiErrorCode, message: string, statusOut = status) =>
      reply.code(statusOut).send({ code, message } satisfies ApiError);
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send('PAYLOAD_TOO_LARGE', tooLargeMessage(request), 413);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(
          'BAD_REQUEST',
          'Send the body as JSON with Content-Type: application/json.',
          415,
        );
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(
          'BAD_REQUEST',
          'The JSON body is empty; send a JSON object (use {} when there is nothing to say).',
          400,
        );
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(
          'BAD_REQUEST',
          `The body is not valid JSON (${error.message}); send one JSON object.`,
          400,
        );
      default:
        break;
    }
    if (error.statusCode === 429) {
      return send('RATE_LIMITED', error.message, 429);
    }
    if (status >= 400 && status < 500) {
      return send(
        'BAD_REQUEST',
        `The request could not be read: ${error.message}. Fix it and send it again.`,
      );
    }
    request.log.error({ err: error }, 'request failed');
    return send(
      'INTERNAL',
      'The server failed to handle this request; it changed nothing. Try again, and tell support if it keeps happening.',
      500,
    );
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      code: 'NOT_FOUND',
      message: `There is no ${request.method} ${request.url.split('?')[0] ?? ''} on this server; check the server URL and the API version (/v1).`,
    } satisfies ApiError),
  );
}
