import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { allowancesPage, setAllowance } from '../../catalog/allowance';
import { importProductsCsv } from '../../catalog/product-import';
import { disableUser, enableUser, resetPin, usersPage } from '../../catalog/staff';
import { editorOf } from '../../catalog/stores';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';

/**
 * Staff (users: list, reset a PIN, disable and enable again), the products CSV import and the stores' offline
 * allowances. A store manager manages their own store's cashiers; the rest is a chain manager's.
 */
export function registerManagerStaff(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.users, ({ actor, query }) =>
    usersPage(ctx.storage.db, actor, query),
  );
  registerRoute(app, ctx, ROUTES.resetPin, ({ actor, params, body, now }) =>
    resetPin(ctx.storage, ctx.keys.pinPepper, actor, params.id, body, now),
  );
  registerRoute(app, ctx, ROUTES.disableUser, ({ actor, params, body, now }) =>
    disableUser(ctx.storage, actor, params.id, body, now),
  );
  registerRoute(app, ctx, ROUTES.enableUser, ({ actor, params, body, now }) =>
    enableUser(ctx.storage, actor, params.id, body, now),
  );
  registerRoute(app, ctx, ROUTES.importProductsCsv, ({ actor, body, now }) =>
    importProductsCsv(ctx.storage, editorOf(actor), body.csv, now),
  );
  registerRoute(app, ctx, ROUTES.allowances, ({ actor, query }) =>
    allowancesPage(ctx.storage.db, actor, query),
  );
  registerRoute(app, ctx, ROUTES.setAllowance, ({ actor, params, body, now }) =>
    ctx.storage.write((w) => setAllowance(w, actor, params.id, body, now)),
  );
}
