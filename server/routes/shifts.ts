import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import type { StoredJson } from '../http/route';
import { registerRoute } from '../http/route';
import { closeShift } from '../shifts/close';
import { openShift } from '../shifts/open';
import { currentShift, shiftReport } from '../shifts/view';

/** Shifts (交班 / 日结): open with a float, close with the counted cash, read the report. */
export function registerShifts(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.openShift, async ({ actor, body, now }) =>
    openShift(ctx.storage, actor, body, now),
  );
  registerRoute(
    app,
    ctx,
    ROUTES.closeShift,
    async ({ actor, params, body, now }): Promise<StoredJson> =>
      closeShift(ctx.storage, actor, params.id, body, now),
  );
  registerRoute(app, ctx, ROUTES.currentShift, async ({ actor }) =>
    currentShift(ctx.storage.db, actor),
  );
  registerRoute(app, ctx, ROUTES.shiftReport, async ({ actor, params }) =>
    shiftReport(ctx.storage.db, actor, params.id),
  );
}
