import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors';

/**
 * Requests are counted per bearer token when there is one (a terminal behind
 * a shop's NAT shares its IP with the other counters) and per IP otherwise.
 * The key is a hash, so tokens never sit in the limiter's memory.
 */
export function limiterKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth !== '')
    return `t:${createHash('sha256').update(auth).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

/** The 429 every limited route answers with. */
export function rateLimitError(what: string) {
  return (_request: FastifyRequest, context: { after: string; ttl: number }): HttpError =>
    new HttpError(
      429,
      'RATE_LIMITED',
      `Too many ${what}; wait ${context.after} and try again (see the Retry-After header).`,
    );
}
