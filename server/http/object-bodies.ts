import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors';

const kindOf = (body: unknown): string =>
  body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;

/**
 * Every request body of the API is a JSON object (core/protocol declares
 * each as one). JSON also allows `null`, arrays and bare values, and a handler
 * that reads `request.body ?? {}` would take `null` for "nothing to say"; so
 * any body that is sent and is not an object is refused here, before any
 * handler, on every route.
 */
export function installObjectBodies(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const body: unknown = request.body;
    if (body === undefined) return;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return;
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `The body is ${kindOf(body)}; send one JSON object (use {} when there is nothing to say).`,
    );
  });
}
