import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
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

interface Refusal {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly message: string;
}

/** What Node's HTTP parser found wrong, said as what to fix (llhttp's codes). */
function framingRefusal(code: string): Refusal {
  const bad = (message: string): Refusal => ({ status: 400, code: 'BAD_REQUEST', message });
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'BAD_REQUEST',
        message: `The request headers are larger than the server takes (${sizeOf(maxHeaderSize)} in all); send fewer or shorter headers.`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The chunk extensions of the body are too large; send the body without them.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'BAD_REQUEST',
        message: 'The request did not arrive in full in time; send it again.',
      };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return bad(
        'The Content-Length header is not one whole number of bytes; send a single Content-Length that matches the body.',
      );
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return bad(
        'The body is framed twice (Content-Length and Transfer-Encoding) or with an unknown Transfer-Encoding; send one Content-Length, or Transfer-Encoding: chunked alone.',
      );
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_STRICT':
    case 'HPE_CR_EXPECTED':
    case 'HPE_LF_EXPECTED':
      return bad(
        'The request is not framed as HTTP/1.1 says (a chunk size that is not hexadecimal, or a line not ended by CR LF); send it again with a standard HTTP client.',
      );
    case 'HPE_INVALID_HEADER_TOKEN':
      return bad(
        'A header name or value holds a character HTTP does not allow (a control character, for example); remove it and send the request again.',
      );
    case 'HPE_INVALID_URL':
      return bad(
        'The path holds a character HTTP does not allow (a control character, for example); percent-encode it and send the request again.',
      );
    case 'HPE_INVALID_METHOD':
      return bad(
        'The request does not start with an HTTP method (is this HTTPS sent to a plain-HTTP port?); send GET, POST or OPTIONS over HTTP.',
      );
    default:
      return bad(
        `The request is not valid HTTP/1.1 (${code}); the request line must read like "POST /v1/redemptions HTTP/1.1" with standard headers after it.`,
      );
  }
}

/**
 * Node answers a request its parser cannot read (oversized headers, a bad
 * Content-Length, broken chunking, control characters) before fastify sees
 * it; this is fastify's clientErrorHandler, so those answers are ApiErrors too.
 * The connection cannot be read past the error, so it is closed.
 */
function clientErrors(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node's own rule: never write over a response that has begun (it would corrupt it).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })
    ._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const refusal = framingRefusal(error.code);
  const body = JSON.stringify({ code: refusal.code, message: refusal.message } satisfies ApiError);
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
    () => socket.destroy(),
  );
}

/** Names the limit of the route that refused, which is not the same on every route. */
function tooLargeMessage(request: FastifyRequest): string {
  const limit = sizeOf(request.routeOptions.bodyLimit);
  const hint = request.routeOptions.url?.startsWith('/v1/redemptions')
    ? `push queued redemptions in batches of up to ${MAX_PUSH_BATCH}`
    : 'split it into several requests';
  return `The request body is too large; this endpoint takes at most ${limit} (${hint}).`;
}

/**
 * Fastify options that route framing errors through clientErrors. Node would
 * answer an HTTP/1.1 request without a Host header itself, with an empty 400;
 * it is let through and refused by installErrorHandler's hook instead.
 */
export const FRAMING_OPTIONS = {
  clientErrorHandler: clientErrors,
  http: { requireHostHeader: false },
} as const;

/** Maps framework errors (bad JSON, huge bodies, wrong media type) and bugs to ApiErrors. */
export function installErrorHandler(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.raw.httpVersion !== '1.1' || request.headers.host !== undefined) return;
    // As Node would: a client this far off the protocol should not reuse the connection.
    reply.header('Connection', 'close');
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'The request has no Host header, which HTTP/1.1 requires; send one (e.g. Host: 127.0.0.1:8080).',
    );
  });
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
