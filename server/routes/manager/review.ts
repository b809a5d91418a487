import type { FastifyInstance } from 'fastify';
import {
  AuditQuery,
  ConflictsQuery,
  ResolveConflictRequest,
  type AuditEntry,
  type AuditPage,
  type AuditVerdict,
  type ConflictsPage,
} from '../../../core/protocol';
import { ClientId } from '../../../core/ids';
import { authenticateUser, requireManager, type UserActor } from '../../auth/actors';
import { verifyChain } from '../../audit/chain';
import type { AppContext } from '../../context';
import { HttpError, parseOr400 } from '../../http/errors';
import { conflictView, resolveConflict } from '../../ledger/conflicts';

/** The store a call may see: a store manager is pinned to theirs, a chain manager picks any or all. */
function scopeOf(user: UserActor, asked: string | undefined): string | null {
  requireManager(user, user.role === 'chain_manager' ? null : (asked ?? user.storeId));
  return user.role === 'chain_manager' ? (asked ?? null) : user.storeId;
}

/** Conflicts and the audit log. */
export function registerManagerReview(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.storage.db;

  app.get('/v1/manager/conflicts', async (request) => {
    const user = await authenticateUser(db, request, ctx.now());
    const q = parseOr400(ConflictsQuery, request.query, 'conflicts query');
    const storeId = scopeOf(user, q.storeId);
    let query = db.selectFrom('conflicts').selectAll();
    if (storeId !== null) query = query.where('store_id', '=', storeId);
    if (q.state === 'open') query = query.where('resolution', 'is', null);
    if (q.state === 'resolved') query = query.where('resolution', 'is not', null);
    if (q.after !== undefined) {
      const [createdAt, id] = q.after.split('|');
      if (!createdAt || !id)
        throw new HttpError(
          400,
          'BAD_REQUEST',
          'after must be the `next` value of the previous page.',
        );
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('redemption_id', '>', id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at')
      .orderBy('redemption_id')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      conflicts: page.map(conflictView),
      next: rows.length > q.limit && last ? `${last.created_at}|${last.redemption_id}` : null,
    } satisfies ConflictsPage;
  });

  app.post('/v1/manager/conflicts/:id/resolve', async (request) => {
    const user = await authenticateUser(db, request, ctx.now());
    requireManager(user, user.role === 'chain_manager' ? null : user.storeId);
    const id = parseOr400(ClientId, (request.params as { id?: unknown }).id, 'redemption id');
    const body = parseOr400(ResolveConflictRequest, request.body, 'resolution');
    const visibleTo = user.role === 'chain_manager' ? null : user.storeId;
    return ctx.storage.write((w) =>
      resolveConflict(w, user.userId, id, body.resolution, visibleTo, ctx.now()),
    );
  });

  app.get('/v1/manager/audit', async (request) => {
    const user = await authenticateUser(db, request, ctx.now());
    const q = parseOr400(AuditQuery, request.query, 'audit query');
    const storeId = scopeOf(user, q.storeId);
    let query = db.selectFrom('audit_log').selectAll().where('seq', '>', q.after);
    if (storeId !== null) query = query.where('store_id', '=', storeId);
    const rows = await query
      .orderBy('seq')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const parse = (t: string | null): unknown => (t === null ? null : (JSON.parse(t) as unknown));
    const entries: AuditEntry[] = page.map((r) => ({
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      terminalId: r.terminal_id,
      storeId: r.store_id,
      action: r.action,
      subject: r.subject,
      before: parse(r.before),
      after: parse(r.after),
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
    const last = entries.at(-1);
    return { entries, next: rows.length > q.limit && last ? last.seq : null } satisfies AuditPage;
  });

  app.get('/v1/audit/verify', async (request) => {
    const user = await authenticateUser(db, request, ctx.now());
    requireManager(user, null);
    const verdict = await verifyChain(db);
    return verdict satisfies AuditVerdict;
  });
}
