import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { listTerminals, unlockPin, unpairTerminal } from '../../auth/terminals';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';

/** Tills: list them, unlock PIN sign-in, unpair them. A store manager manages their own store's. */
export function registerManagerTerminals(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.terminals, ({ actor, query }) => listTerminals(ctx, actor, query));
  registerRoute(app, ctx, ROUTES.unlockPin, ({ actor, params, now }) =>
    unlockPin(ctx, actor, params.id, now),
  );
  registerRoute(app, ctx, ROUTES.unpairTerminal, ({ actor, params, now }) =>
    unpairTerminal(ctx, actor, params.id, now),
  );
}
