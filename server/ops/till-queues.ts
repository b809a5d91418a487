import type { FastifyRequest } from 'fastify';
import { TILL_QUEUE_HEADER, TillQueueHeader, type TillQueueReport } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';

/** A till's last report, with the store it belongs to (the metric's label). */
interface Reported extends TillQueueReport {
  readonly storeId: string;
}

/**
 * What each till last said its queue holds (the X-Till-Queue header), keyed
 * by the authenticated terminal: the ids come from the server's own terminal
 * record, never from the header, so the metric's labels are bounded by the
 * terminals that exist. Process state like the other metrics: each instance
 * of a chain knows what the tills it answered told it.
 */
const reported = new Map<string, Reported>();

/**
 * Keeps the figures of an authenticated terminal request that carries the
 * header. A malformed header is ignored (logged at debug): a figure for the
 * dashboard must never cost a till its push.
 */
export function recordTillQueue(request: FastifyRequest, actor: TerminalActor, at: string): void {
  const header = request.headers[TILL_QUEUE_HEADER];
  if (header === undefined) return;
  const parsed = TillQueueHeader.safeParse(header);
  if (!parsed.success) {
    request.log.debug(
      { header },
      `${TILL_QUEUE_HEADER} ignored: ${parsed.error.issues[0]?.message ?? ''}`,
    );
    return;
  }
  reported.set(actor.terminalId, {
    ...parsed.data,
    reportedAt: at as TillQueueReport['reportedAt'],
    storeId: actor.storeId,
  });
}

/** The till's last report to this instance, or undefined. */
export function tillQueueOf(terminalId: string): TillQueueReport | undefined {
  const r = reported.get(terminalId);
  return r && { redemptions: r.redemptions, sales: r.sales, reportedAt: r.reportedAt };
}

/** An unpaired till reports no more: its series goes. */
export function forgetTillQueue(terminalId: string): void {
  reported.delete(terminalId);
}

/** Every till's last report, for a scrape. */
export function reportedTillQueues(): ReadonlyMap<string, Reported> {
  return reported;
}
