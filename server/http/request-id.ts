import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming id may look like to be kept: short, and nothing a log reader could trip on. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Fastify's genReqId: the caller's X-Request-Id when well formed (a proxy's or a till's id
 * then finds this server's lines), else a new UUID. Fastify binds it as `reqId` on
 * request.log, so every line logged for the request carries it.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
}
