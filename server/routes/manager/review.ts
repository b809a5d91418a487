import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { verifyChain } from '../../audit/chain';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';
import { resolveConflict } from '../../ledger/conflicts';
import { auditPage } from '../../review/audit-page';
import { conflictsPage } from '../../review/conflicts-page';
import { reviewScope } from '../../review/scope';

/** Conflicts and the audit log. */
export function registerManagerReview(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.storage.db;
  registerRoute(app, ctx, ROUTES.conflicts, ({ actor, query }) => conflictsPage(db, actor, query));
  registerRoute(app, ctx, ROUTES.resolveConflict, ({ actor, params, body, now }) => {
    const visibleTo = reviewScope(actor, undefined);
    return ctx.storage.write((w) =>
      resolveConflict(
        w,
        actor.userId,
        params.id,
        body.resolution,
        visibleTo,
        now,
        body.note ?? null,
      ),
    );
  });
  registerRoute(app, ctx, ROUTES.audit, ({ actor, query }) => auditPage(db, actor, query));
  registerRoute(app, ctx, ROUTES.verifyAudit, () => verifyChain(db));
}
