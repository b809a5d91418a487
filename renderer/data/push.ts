import { MAX_PUSH_BATCH, type RedemptionOutcome } from '../../core/protocol/index';
import type { ApiClient, ApiFailure } from './api-client';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import type { RedemptionRecord } from './records';

export type PushRound =
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'pushed';
      readonly count: number;
      readonly conflicts: number;
      readonly more: boolean;
    }
  | { readonly kind: 'failed'; readonly failure: ApiFailure };

/** Where a reader of the queue has got to: records at or after `createdAt`, minus `skip`. */
export interface QueuePosition {
  readonly createdAt: number;
  readonly skip: ReadonlySet<string>;
  /** Made at or before this instant only (a queued void holds back what came after it). */
  readonly until?: number;
}

/** The oldest records still waiting for the server, in the order they were made. */
export async function nextToPush(
  db: TillpointDb,
  limit = MAX_PUSH_BATCH,
  from: QueuePosition = { createdAt: -Infinity, skip: new Set() },
): Promise<RedemptionRecord[]> {
  return db.redemptions
    .where('[queued+createdAt]')
    .between([1, from.createdAt], [1, from.until ?? Infinity], true, true)
    .filter((r) => r.state === 'pending' && !from.skip.has(r.id))
    .limit(limit)
    .toArray();
}

/**
 * One push of up to 500 queued redemptions. The server answers each item by its id (a repeated id
 * returns the stored outcome), so a push cut at any byte is simply pushed again. Outcomes are
 * written back in one transaction, and only onto records still pending.
 */
export async function pushOnce(db: TillpointDb, api: ApiClient, deps: Deps): Promise<PushRound> {
  const batch = await nextToPush(db);
  if (batch.length === 0) return { kind: 'empty' };
  return pushBatch(db, api, deps, batch);
}

/**
 * Pushes everything queued, with up to `inFlight` batches on the wire at once: while the server
 * works on one batch, the next is read and sent and the previous one's outcomes are written back.
 * Batches never overlap (each reader starts after the last record taken, skipping those in
 * flight), and a repeated id would be harmless anyway: the server answers it with its stored
 * outcome. Stops at the first failure; whatever was not written back stays pending. `until` leaves
 * the records made after it for a later round (sales-push.ts, voidBarrier).
 */
export async function pushAll(
  db: TillpointDb,
  api: ApiClient,
  deps: Deps,
  inFlight = 2,
  until = Infinity,
): Promise<PushRound> {
  const taken = new Set<string>();
  let after = -Infinity;
  let count = 0;
  let conflicts = 0;
  let failed: Extract<PushRound, { kind: 'failed' }> | null = null;
  // Reading the next batch is serialised, so two lanes never take the same records.
  let reading: Promise<unknown> = Promise.resolve();
  const take = (): Promise<RedemptionRecord[]> => {
    const next = reading.then(async () => {
      if (failed) return [];
      const batch = await nextToPush(db, MAX_PUSH_BATCH, { createdAt: after, skip: taken, until });
      for (const r of batch) taken.add(r.id);
      const last = batch.at(-1);
      if (last) after = last.createdAt;
      return batch;
    });
    reading = next.catch(() => undefined);
    return next;
  };
  const lane = async (): Promise<void> => {
    for (;;) {
      const batch = await take();
      if (batch.length === 0) return;
      const round = await pushBatch(db, api, deps, batch);
      if (round.kind === 'failed') {
        failed ??= round;
        return;
      }
      if (round.kind === 'pushed') {
        count += round.count;
        conflicts += round.conflicts;
      }
      if (batch.length < MAX_PUSH_BATCH) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, inFlight) }, lane));
  if (failed) return failed;
  if (count === 0) return { kind: 'empty' };
  return { kind: 'pushed', count, conflicts, more: false };
}

/** Sends one batch and writes every outcome back in one transaction. */
export async function pushBatch(
  db: TillpointDb,
  api: ApiClient,
  deps: Deps,
  batch: readonly RedemptionRecord[],
): Promise<PushRound> {
  const sent = await api.pushBatch({ items: batch.map((r) => r.request) });
  if (!sent.ok) {
    await db.transaction('rw', db.redemptions, async () => {
      const current = await db.redemptions.bulkGet(batch.map((r) => r.id));
      const touched: RedemptionRecord[] = [];
      for (const now of current)
        if (now?.state === 'pending')
          touched.push({ ...now, attempts: now.attempts + 1, lastError: sent.message });
      await db.redemptions.bulkPut(touched);
    });
    return { kind: 'failed', failure: sent };
  }
  const outcomes = sent.value.outcomes;
  const byId = new Map(outcomes.map((o) => [o.id as string, o.outcome]));
  if (outcomes.length !== batch.length || batch.some((r) => !byId.has(r.id)))
    return {
      kind: 'failed',
      failure: {
        ok: false,
        code: 'BAD_RESPONSE',
        message: `The server answered ${outcomes.length} outcomes for ${batch.length} redemptions; the queue keeps them and will push again.`,
        status: 200,
        offline: false,
      },
    };
  let conflicts = 0;
  const at = deps.now();
  await db.transaction('rw', db.redemptions, db.meta, async () => {
    const current = await db.redemptions.bulkGet(batch.map((r) => r.id));
    const updated: RedemptionRecord[] = [];
    for (const now of current) {
      // Another writer may have settled it meanwhile; never overwrite a settled record.
      if (now?.state !== 'pending') continue;
      const outcome = byId.get(now.id) as RedemptionOutcome;
      updated.push({ ...now, ...outcomeChanges(outcome, now.attempts + 1, at, now) });
      if (outcome.status === 'conflict') conflicts += 1;
    }
    await db.redemptions.bulkPut(updated);
    await db.meta.put({ key: 'lastPush', at });
  });
  return { kind: 'pushed', count: batch.length, conflicts, more: batch.length === MAX_PUSH_BATCH };
}

/** What every record the server has decided shares: its outcome, out of the queue, no error. */
export function serverDecided(outcome: RedemptionOutcome, attempts: number, at: number) {
  return {
    outcome,
    decidedBy: 'server' as const,
    queued: 0 as const,
    attempts,
    lastError: null,
    updatedAt: at,
  };
}

/**
 * The record once the server's outcome is known. `told` is the record as the cashier last saw it:
 * when the server's answer differs from an offline acceptance (a refusal — e.g. the stored
 * outcome of an online attempt that timed out but did arrive — or another amount), the record is
 * flagged like a conflict so the cashier sees it.
 */
export function outcomeChanges(
  outcome: RedemptionOutcome,
  attempts: number,
  at: number,
  told: RedemptionRecord | null = null,
): Partial<RedemptionRecord> {
  const base = serverDecided(outcome, attempts, at);
  // Told "accepted": offline under the lease, or by the server before it was restored from a
  // backup and the record was queued again (requeue.ts).
  const acceptedOffline =
    told?.state === 'pending' && (told.request.offline !== null || told.decidedBy === 'server');
  switch (outcome.status) {
    case 'accepted':
      return {
        ...base,
        state: 'synced',
        batchId: outcome.batchId,
        discountFen: outcome.discountFen,
        ...(acceptedOffline && told.discountFen !== outcome.discountFen
          ? { unseenConflict: 1 as const }
          : {}),
      };
    case 'rejected':
      return { ...base, state: 'rejected', ...(acceptedOffline ? { unseenConflict: 1 } : {}) };
    case 'conflict':
      return { ...base, state: 'conflict', unseenConflict: 1 };
  }
}

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped, each scaled by a random 50–100 %. */
export function backoffMs(failures: number, random: () => number, capMs = 15_000): number {
  const base = Math.min(capMs, 1_000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + random() * 0.5));
}
