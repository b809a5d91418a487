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

/** The oldest records still waiting for the server, in the order they were made. */
export async function nextToPush(
  db: TillpointDb,
  limit = MAX_PUSH_BATCH,
): Promise<RedemptionRecord[]> {
  return db.redemptions
    .where('[queued+createdAt]')
    .between([1, -Infinity], [1, Infinity])
    .filter((r) => r.state === 'pending')
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
  const sent = await api.pushBatch({ items: batch.map((r) => r.request) });
  if (!sent.ok) {
    await db.transaction('rw', db.redemptions, async () => {
      for (const r of batch)
        await db.redemptions.update(r.id, {
          attempts: r.attempts + 1,
          lastError: sent.message,
        });
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
    for (const [i, r] of batch.entries()) {
      const now = current[i];
      // Another writer may have settled it meanwhile; never overwrite a settled record.
      if (now?.state !== 'pending') continue;
      const outcome = byId.get(r.id) as RedemptionOutcome;
      updated.push({ ...now, ...outcomeChanges(outcome, now.attempts + 1, at) });
      if (outcome.status === 'conflict') conflicts += 1;
    }
    await db.redemptions.bulkPut(updated);
    await db.meta.put({ key: 'lastPush', at });
  });
  return { kind: 'pushed', count: batch.length, conflicts, more: batch.length === MAX_PUSH_BATCH };
}

export function outcomeChanges(
  outcome: RedemptionOutcome,
  attempts: number,
  at: number,
): Partial<RedemptionRecord> {
  const base = {
    outcome,
    decidedBy: 'server' as const,
    queued: 0 as const,
    attempts,
    lastError: null,
    updatedAt: at,
  };
  switch (outcome.status) {
    case 'accepted':
      return {
        ...base,
        state: 'synced',
        batchId: outcome.batchId,
        discountFen: outcome.discountFen,
      };
    case 'rejected':
      return { ...base, state: 'rejected' };
    case 'conflict':
      return { ...base, state: 'conflict', unseenConflict: 1 };
  }
}

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped, each scaled by a random 50–100 %. */
export function backoffMs(failures: number, random: () => number, capMs = 15_000): number {
  const base = Math.min(capMs, 1_000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + random() * 0.5));
}
