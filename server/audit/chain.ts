import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditRow } from '../db/group-appends';
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
  // Serialised before the head is read (and, on PostgreSQL, before the append lock is taken).
  const texts = { before: asText(input.before), after: asText(input.after) };
  if (w.appends) {
    // SQLite: chained onto the commit group's last entry, written before its COMMIT.
    w.appends.addAudit(chained(input, texts, at, await w.appends.lastAudit()));
    return;
  }
  await w.lockAppends();
  const head = await w.trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  await w.trx
    .insertInto('audit_log')
    .values(chained(input, texts, at, head))
    .execute();
}

/** Rows per INSERT: 11 columns × 1,000 stays well below PostgreSQL's 65,535 parameters. */
const AUDIT_ROWS_PER_INSERT = 1_000;

/**
 * Appends entries to the chain in order, each hashed exactly as appendAudit
 * would hash it: on PostgreSQL with one head read and multi-row inserts under
 * the append lock, on SQLite through the commit group's buffer.
 */
export async function appendAuditMany(
  w: WriteTx,
  inputs: readonly AuditInput[],
  at: string,
): Promise<void> {
  if (inputs.length === 0) return;
  // Serialised before the head is read, as in appendAudit.
  const entries = inputs.map((input) => ({
    input,
    texts: { before: asText(input.before), after: asText(input.after) },
  }));
  if (w.appends) {
    for (const { input, texts } of entries)
      w.appends.addAudit(chained(input, texts, at, await w.appends.lastAudit()));
    return;
  }
  await w.lockAppends();
  let head: { seq: number; hash: string } | undefined = await w.trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const rows = entries.map(({ input, texts }) => (head = chained(input, texts, at, head)));
  for (let i = 0; i < rows.length; i += AUDIT_ROWS_PER_INSERT)
    await w.trx
      .insertInto('audit_log')
      .values(rows.slice(i, i + AUDIT_ROWS_PER_INSERT))
      .execute();
}

/** The row of `input` chained after `head` (the last entry, or none for the first). */
function chained(
  input: AuditInput,
  texts: { readonly before: string | null; readonly after: string | null },
  at: string,
  head: { readonly seq: number; readonly hash: string } | null | undefined,
): AuditRow {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const entry: AuditRow = {
    seq: (head?.seq ?? 0) + 1,
    at,
    actor: input.actor,
    terminal_id: input.terminalId,
    store_id: input.storeId,
    action: input.action,
    subject: input.subject,
    before: texts.before,
    after: texts.after,
    prev_hash: prevHash,
    hash: '',
  };
  entry.hash = entryHash(prevHash, entry);
  return entry;
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
