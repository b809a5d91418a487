import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditRow } from '../db/group-appends';
import type { PendingAudit } from '../db/pg-group-appends';
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

/**
 * The canonical JSON of an entry, the text its hash covers. The members are
 * written in sorted key order, so canonicalJson serialises them in one
 * JSON.stringify instead of sorting (same bytes; see canonical.test.ts).
 */
export function entryJson(entry: ChainedFields): string {
  return canonicalJson({
    action: entry.action,
    actor: entry.actor,
    after: entry.after,
    at: entry.at,
    before: entry.before,
    seq: entry.seq,
    storeId: entry.store_id,
    subject: entry.subject,
    terminalId: entry.terminal_id,
  });
}

/**
 * hash = sha256(prev_hash + canonical JSON of the entry), in one call. One
 * string gives the same bytes as two updates: the JSON starts with `{`, so no
 * surrogate pair can form across the join.
 */
export function entryHash(prevHash: string, entry: ChainedFields): string {
  return hash('sha256', prevHash + entryJson(entry), 'hex');
}

const asText = (v: unknown): string | null =>
  v === undefined || v === null ? null : canonicalJson(v);

/**
 * Appends one entry to the chain inside the caller's transaction. Entries are
 * only ever inserted: there is no update or delete path in the code, and the
 * database refuses both (migration triggers).
 */
export async function appendAudit(w: WriteTx, input: AuditInput, at: string): Promise<void> {
  await appendAuditMany(w, [input], at);
}

/**
 * Appends entries to the chain in order, each hashed exactly as appendAudit
 * would hash it. On SQLite they are chained onto the commit group's last entry
 * now; on PostgreSQL they are buffered and chained when the group flushes,
 * under the append lock (db/pg-group-appends.ts). Either way they are written
 * just before the group's COMMIT.
 */
export async function appendAuditMany(
  w: WriteTx,
  inputs: readonly AuditInput[],
  at: string,
): Promise<void> {
  if (inputs.length === 0) return;
  const appends = w.appends;
  if (appends.dialect === 'postgres') {
    appends.addAudit(inputs.map((input) => pending(input, at)));
    return;
  }
  for (const input of inputs) {
    const row = pending(input, at);
    const head = await appends.lastAudit();
    const prevHash = head?.hash ?? GENESIS_HASH;
    const entry: AuditRow = { ...row, seq: (head?.seq ?? 0) + 1, prev_hash: prevHash, hash: '' };
    entry.hash = entryHash(prevHash, entry);
    appends.addAudit(entry);
  }
}

/** The row of `input` before it is numbered and chained. */
function pending(input: AuditInput, at: string): PendingAudit {
  return {
    at,
    actor: input.actor,
    terminal_id: input.terminalId,
    store_id: input.storeId,
    action: input.action,
    subject: input.subject,
    before: asText(input.before),
    after: asText(input.after),
  };
}

export interface ChainVerdict {
  readonly ok: boolean;
  readonly checked: number;
  /** The checkpoint the chain was verified from: entries at or below it were pruned. */
  readonly since?: number;
  readonly firstBroken?: { readonly seq: number; readonly problem: string };
}

/** The action of the entry a prune appends (ops/prune.ts), naming the checkpoint it made. */
export const PRUNE_ACTION = 'retention.prune';

/** Whether an entry is the prune's own, naming `checkpoint` in its after. */
function announces(
  row: { action: string; after: string | null },
  checkpoint: { seq: number; hash: string },
): boolean {
  if (row.action !== PRUNE_ACTION || row.after === null) return false;
  const named = (JSON.parse(row.after) as { checkpoint?: { seq?: unknown; hash?: unknown } | null })
    .checkpoint;
  return Number(named?.seq) === Number(checkpoint.seq) && named?.hash === checkpoint.hash;
}

/**
 * Recomputes the chain in order and names the first entry that does not fit. After a prune
 * (ops/prune.ts) it starts from the highest checkpoint: the entry after it must carry the
 * checkpoint's hash as its prev_hash, so the remaining entries are checked as strictly as a
 * whole chain, and a checkpoint that was tampered with breaks at that entry. The prune's own
 * entry, written in the checkpoint's transaction, must name it: a checkpoint slipped in by
 * hand (to delete entries below it) is not one a prune made.
 */
export async function verifyChain(db: Kysely<Database>): Promise<ChainVerdict> {
  const checkpoint = await lastCheckpoint(db);
  let prevHash = checkpoint?.hash ?? GENESIS_HASH;
  let expectedSeq = checkpoint ? Number(checkpoint.seq) + 1 : 1;
  const since = checkpoint ? { since: Number(checkpoint.seq) } : {};
  let checked = 0;
  let announced = checkpoint === undefined;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(2_000)
      .execute();
    if (page.length === 0 && !announced && checkpoint)
      return {
        ok: false,
        checked,
        ...since,
        firstBroken: {
          seq: Number(checkpoint.seq),
          problem: `no ${PRUNE_ACTION} entry names checkpoint ${checkpoint.seq}: a prune did not make it`,
        },
      };
    if (page.length === 0) return { ok: true, checked, ...since };
    for (const row of page) {
      const seq = Number(row.seq);
      const broken = (problem: string): ChainVerdict => ({
        ok: false,
        checked,
        ...since,
        firstBroken: { seq, problem },
      });
      if (seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing`);
      if (row.prev_hash !== prevHash)
        return broken(
          checked === 0 && checkpoint
            ? `its prev_hash does not match the hash of checkpoint ${checkpoint.seq}`
            : 'its prev_hash does not match the hash of the entry before it',
        );
      if (entryHash(prevHash, { ...row, seq }) !== row.hash)
        return broken('its content does not match its hash: the entry was altered');
      if (!announced && checkpoint) announced = announces(row, checkpoint);
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
}

/**
 * The highest audit checkpoint, or undefined. A store from before migration 0014 (a backup
 * being verified before its restore) has no checkpoint table: its chain starts at genesis.
 */
async function lastCheckpoint(
  db: Kysely<Database>,
): Promise<{ seq: number; hash: string } | undefined> {
  try {
    return await db
      .selectFrom('audit_checkpoints')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  } catch (e) {
    if (/no such table|does not exist/.test(String((e as Error).message))) return undefined;
    throw e;
  }
}
