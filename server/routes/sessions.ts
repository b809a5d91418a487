import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import { loginWithPassword, loginWithPin } from '../auth/login';
import { endSession } from '../auth/logout';
import type { AppContext } from '../context';
import { registerRoute } from '../http/route';

/** Logins (a cashier's PIN on a paired terminal, a manager's password) and logout. */
export function registerSessions(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.loginPin, ({ actor, body, now }) =>
    loginWithPin(ctx, actor, body.pin, now),
  );
  registerRoute(app, ctx, ROUTES.loginPassword, ({ body, address, now }) =>
    loginWithPassword(ctx, body, address, now),
  );
  registerRoute(app, ctx, ROUTES.logout, ({ actor }) => endSession(ctx, actor));
}
