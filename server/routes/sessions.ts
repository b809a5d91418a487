import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import { loginWithPassword, loginWithPin } from '../auth/login';
import type { AppContext } from '../context';
import { limiterKey, rateLimitError } from '../http/rate-limit';
import { registerRoute } from '../http/route';

/** Logins: a cashier's PIN on a paired terminal, a manager's password. */
export function registerSessions(app: FastifyInstance, ctx: AppContext): void {
  const config = {
    rateLimit: {
      max: ctx.limits.loginPerMinute,
      timeWindow: 60_000,
      keyGenerator: limiterKey,
      errorResponseBuilder: rateLimitError('login attempts'),
    },
  };
  registerRoute(
    app,
    ctx,
    ROUTES.loginPin,
    ({ actor, body, now }) => loginWithPin(ctx, actor, body.pin, now),
    { config },
  );
  registerRoute(
    app,
    ctx,
    ROUTES.loginPassword,
    ({ body, now }) => loginWithPassword(ctx, body, now),
    { config },
  );
}
