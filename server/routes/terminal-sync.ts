import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import { lookupCode } from '../catalog/lookup';
import type { AppContext } from '../context';
import { terminalChangesPage } from '../feed/terminal-page';
import { registerRoute, StoredJson } from '../http/route';
import { issueLease } from '../ledger/lease';

/** The terminal's pull side: change feed, offline allowance, code look-up. */
export function registerTerminalSync(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(
    app,
    ctx,
    ROUTES.changes,
    async ({ actor, query }) =>
      new StoredJson(await terminalChangesPage(ctx.storage.db, actor, query, ctx.feedEpoch)),
  );
  registerRoute(app, ctx, ROUTES.allowance, ({ actor, body, now }) =>
    ctx.storage.write((w) => issueLease(w, actor, body.requestId, now)),
  );
  registerRoute(app, ctx, ROUTES.lookupCode, ({ actor, params, now }) =>
    lookupCode(ctx, actor, params.code, now),
  );
}
