import type { Fen } from '../../../core/money';
import type { AllowanceLease } from '../../../core/protocol/index';
import type { ApiFailure } from '../api-client';
import { allowanceRoom } from '../offline-decision';
import type { TerminalContext } from '../terminal-context';
import { coalesce } from './coalesce';

export interface LeaseKeeperOptions extends TerminalContext {
  readonly stopped: () => boolean;
  readonly onFailure: (failure: ApiFailure) => void;
}

/**
 * Keeps this terminal's offline allowance fresh. A new lease is asked for when there is none, it
 * has expired, or it has been drawn on (or is half way to expiry, or the store's allowance changed
 * since it was issued) and nothing is queued that still has to be charged to it.
 *
 * Each renewal has its own request id, stored before the request leaves and sent again on every
 * retry until a lease comes back: if an answer is lost (the server issued the lease, the till never
 * saw it), the retry gets that same lease instead of a second one replacing it, so the till never
 * keeps a lease the server has replaced for good. Until then the till redeems under the lease it
 * has, which the server still honours within that lease's own limits (server/ledger/lease.ts).
 *
 * Renewals are serialised here and across this terminal's tabs by a Web Lock, and a lease is only
 * ever stored over an older one.
 */
export function createLeaseKeeper(options: LeaseKeeperOptions): () => Promise<void> {
  const { db, api, deps, terminal, connectivity, storage } = options;

  async function due(now: number): Promise<boolean> {
    const meta = await db.meta.get('lease');
    if (meta?.key !== 'lease') return true;
    const issued = Date.parse(meta.lease.issuedAt);
    const expires = Date.parse(meta.lease.expiresAt);
    if (expires <= now) return true;
    const room = await allowanceRoom(db, now);
    const used = room.ok && room.usedCount > 0;
    // The store's allowance changed after this lease was issued: renew to get the new limits.
    const changed = await db.meta.get('allowanceChanged');
    const stale = changed?.key === 'allowanceChanged' && Date.parse(changed.changedAt) > issued;
    if (!used && !stale && now - issued < (expires - issued) / 2) return false;
    const stillQueued = await db.redemptions
      .where('[queued+createdAt]')
      .between([1, -Infinity], [1, Infinity])
      .count();
    return stillQueued === 0;
  }

  /** The renewal to send: the one left unanswered, or a new one if a lease is due. */
  async function requestToSend(): Promise<string | null> {
    const pending = await db.meta.get('leaseRequest');
    if (pending?.key === 'leaseRequest') return pending.requestId;
    if (!(await due(deps.now()))) return null;
    const requestId = deps.newId();
    await db.meta.put({ key: 'leaseRequest', requestId, startedAt: deps.now() });
    return requestId;
  }

  async function store(requestId: string, fresh: AllowanceLease): Promise<void> {
    await db.transaction('rw', db.meta, async () => {
      const pending = await db.meta.get('leaseRequest');
      if (pending?.key === 'leaseRequest' && pending.requestId === requestId)
        await db.meta.delete('leaseRequest');
      const current = await db.meta.get('lease');
      if (current?.key === 'lease') {
        if (current.lease.leaseId === fresh.leaseId) return;
        if (Date.parse(current.lease.issuedAt) > Date.parse(fresh.issuedAt)) return;
      }
      await db.meta.put({ key: 'lease', lease: fresh });
      await db.meta.put({
        key: 'leaseUsage',
        leaseId: fresh.leaseId,
        count: 0,
        valueFen: 0 as Fen,
      });
    });
  }

  async function renewIfDue(): Promise<void> {
    if (options.stopped()) return;
    const requestId = await requestToSend();
    if (requestId === null) return;
    const answer = await api.allowance(requestId);
    if (answer.ok) {
      connectivity.markOnline();
      await store(requestId, answer.value);
      return;
    }
    // A definite refusal (4xx) issued nothing: the next renewal starts afresh. Anything else
    // (no answer, 5xx, an answer this app cannot read) may have issued one: same id next time.
    if (answer.status !== null && answer.status >= 400 && answer.status < 500)
      await db.meta.delete('leaseRequest');
    options.onFailure(answer);
  }

  return coalesce(
    async () => {
      if (typeof navigator !== 'undefined' && navigator.locks)
        await navigator.locks.request(`tillpoint-lease:${terminal.terminalId}`, () => renewIfDue());
      else await renewIfDue();
    },
    { stopped: options.stopped, onError: (error) => storage.report(error) },
  );
}
