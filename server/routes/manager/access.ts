import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { managerCreatesPairingCode, managerCreatesUser } from '../../catalog/access';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';

/** Pairing codes and users. A store manager may do both for their own store. */
export function registerManagerAccess(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.createPairingCode, ({ actor, body, now }) =>
    managerCreatesPairingCode(ctx.storage, actor, body, now),
  );
  registerRoute(app, ctx, ROUTES.createUser, ({ actor, body, now }) =>
    managerCreatesUser(ctx.storage, ctx.keys.pinPepper, actor, body, now),
  );
}
