import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { canonicalJson } from './canonical';

/** Who changed what: one audit entry before it is chained. */
export interface AuditInput {
  /** The user id, or `terminal:<id>` when a terminal acted without a cashier session. */
  readonly actor: string | null;
  readonly terminalId: string | null;
  readonly storeId: string | null;
  readonly action: string;
  /** What was changed, e.g. `code:ABC123` or `batch:b-1`. */
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

interface ChainedFields {
  readonly seq: number;
  readonly at: string;
  readonly actor: string | null;
  readonly terminal_id: string | null;
  readonly store_id: string | null;
  readonly action: string;
  readonly subject: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** hash = sha256(prev_hash + canonical JSON of the entry). */
export function entryHash(prevHash: string, entry: ChainedFields): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    terminalId: entry.terminal_id,
    storeId: entry.store_id,
    action: entry.action,
    subject: entry.subject,
    before: entry.before,
    after: entry.after,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

const asText = (v: unknown): string | null =>
  v === undefined || v === null ? null : canonicalJson(v);

/**
 * Appends one entry to the chain inside the caller's transaction. Entries are
 * only ever inserted: there is no update or delete path in the code, and the
 * database refuses both (migration triggers).
 */
export async function appendAudit(w: WriteTx, input: AuditInput, at: string): Promise<void> {
  const fields = {
    at,
    actor: input.actor,
    terminal_id: input.terminalId,
    store_id: input.storeId,
    action: input.action,
    subject: input.subject,
    before: asText(input.before),
    after: asText(input.after),
  };
  if (w.appends) {
    // SQLite: chained onto the commit group's last entry, written before its COMMIT.
    const head = await w.appends.lastAudit();
    const entry: ChainedFields = { ...fields, seq: (head?.seq ?? 0) + 1 };
    const prevHash = head?.hash ?? GENESIS_HASH;
    w.appends.addAudit({ ...entry, prev_hash: prevHash, hash: entryHash(prevHash, entry) });
    return;
  }
  await w.lockAppends();
  const head = await w.trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const entry: ChainedFields = { ...fields, seq: (head?.seq ?? 0) + 1 };
  const prevHash = head?.hash ?? GENESIS_HASH;
  await w.trx
    .insertInto('audit_log')
    .values({ ...entry, prev_hash: prevHash, hash: entryHash(prevHash, entry) })
    .execute();
}

export interface ChainVerdict {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBroken?: { readonly seq: number; readonly problem: string };
}

/** Recomputes the whole chain in order and names the first entry that does not fit. */
export async function verifyChain(db: Kysely<Database>): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(2_000)
      .execute();
    if (page.length === 0) return { ok: true, checked };
    for (const row of page) {
      const seq = Number(row.seq);
      const broken = (problem: string): ChainVerdict => ({
        ok: false,
        checked,
        firstBroken: { seq, problem },
      });
      if (seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing`);
      if (row.prev_hash !== prevHash)
        return broken('its prev_hash does not match the hash of the entry before it');
      if (entryHash(prevHash, { ...row, seq }) !== row.hash)
        return broken('its content does not match its hash: the entry was altered');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
}
