import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import { pairTerminal } from '../auth/pairing';
import type { AppContext } from '../context';
import { limiterKey, rateLimitError } from '../http/rate-limit';
import { registerRoute } from '../http/route';

/** POST /v1/terminals/pair: trades a one-time pairing code for the terminal's own token. */
export function registerPairing(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.pair, ({ body, now }) => pairTerminal(ctx, body, now), {
    config: {
      rateLimit: {
        max: ctx.limits.pairPerMinute,
        timeWindow: 60_000,
        keyGenerator: limiterKey,
        errorResponseBuilder: rateLimitError('pairing attempts'),
      },
    },
  });
}
