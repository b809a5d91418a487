import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';
import { addMember, memberDetail, membersPage, setMemberTier } from '../../members/admin';
import { memberClaims, memberRedemptions, memberSales } from '../../members/history';
import { importMembersCsv } from '../../members/import';

/**
 * Members at the console. Members are the chain's, so any manager reads them (phones masked but
 * for a chain manager's look at one member; a store manager's histories are their store's);
 * adding, a tier change and the import are a chain manager's.
 */
export function registerManagerMembers(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.storage.db;
  registerRoute(app, ctx, ROUTES.members, ({ actor, query }) => membersPage(db, actor, query));
  registerRoute(app, ctx, ROUTES.member, ({ actor, params }) => memberDetail(db, actor, params.id));
  registerRoute(app, ctx, ROUTES.addMember, ({ actor, body, now }) =>
    addMember(ctx.storage, actor, body, now),
  );
  registerRoute(app, ctx, ROUTES.setMemberTier, ({ actor, params, body, now }) =>
    setMemberTier(ctx.storage, actor, params.id, body, now),
  );
  registerRoute(app, ctx, ROUTES.importMembersCsv, ({ actor, body, now }) =>
    importMembersCsv(ctx.storage, actor, body.csv, now),
  );
  registerRoute(app, ctx, ROUTES.memberClaims, ({ actor, params, query }) =>
    memberClaims(db, actor, params.id, query),
  );
  registerRoute(app, ctx, ROUTES.memberRedemptions, ({ actor, params, query }) =>
    memberRedemptions(db, actor, params.id, query),
  );
  registerRoute(app, ctx, ROUTES.memberSales, ({ actor, params, query }) =>
    memberSales(db, actor, params.id, query),
  );
}
