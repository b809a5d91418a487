import type { Kysely } from 'kysely';
import type { AuditEntry, AuditPage, AuditQuery } from '../../core/protocol';
import { toInstant } from '../../core/time';
import type { UserActor } from '../auth/actors';
import type { Database } from '../db/schema';
import { reviewScope } from './scope';

/** One page of the audit log the user may see, in chain order; `next` continues after it. */
export async function auditPage(
  db: Kysely<Database>,
  user: UserActor,
  q: AuditQuery,
): Promise<AuditPage> {
  const storeId = reviewScope(user, q.storeId);
  let query = db.selectFrom('audit_log').selectAll().where('seq', '>', q.after);
  if (storeId !== null) query = query.where('store_id', '=', storeId);
  if (q.actor !== undefined) query = query.where('actor', '=', q.actor);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  // Stored instants are toISOString() text, so they compare as text once the bound is in that form.
  if (q.from !== undefined) query = query.where('at', '>=', toInstant(Date.parse(q.from)));
  if (q.to !== undefined) query = query.where('at', '<', toInstant(Date.parse(q.to)));
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
  return { entries, next: rows.length > q.limit && last ? last.seq : null };
}
