import type { RedeemResult } from './redeem';
import type { RedemptionRecord } from './records';

/** A redemption whose fate is not known yet: its request is in flight (or was, when a tab died). */
export interface Checking {
  readonly kind: 'checking';
}

/** Settled after the cashier said "no": the server did redeem it (settle.ts). */
export interface UsedWhileRefused {
  readonly kind: 'used_while_refused';
  readonly record: RedemptionRecord;
}

export type RecordResult = RedeemResult | Checking | UsedWhileRefused;

/**
 * What the cashier is told about a stored redemption, read from its record as it stands now: the
 * quick-redeem screen shows a result from this, so an offline acceptance that later became a
 * conflict turns red, and the last result comes back after a reload. It says what the screen said
 * when it said it (redeem.ts), updated by what the server decided since.
 */
export function resultOfRecord(record: RedemptionRecord): RecordResult {
  const o = record.outcome;
  if (record.settled === 'used_while_refused') return { kind: 'used_while_refused', record };
  switch (record.state) {
    case 'sending':
      return { kind: 'checking' };
    case 'pending':
      return { kind: 'accepted', record, discountFen: record.discountFen, pendingSync: true };
    case 'synced':
      return { kind: 'accepted', record, discountFen: record.discountFen, pendingSync: false };
    case 'conflict':
      return o?.status === 'conflict'
        ? { kind: 'conflict', record, outcome: o }
        : { kind: 'checking' };
    case 'rejected':
    case 'unconfirmed':
      return o?.status === 'rejected'
        ? {
            kind: 'refused',
            record,
            reason: o.reason,
            decidedBy: record.decidedBy === 'server' ? 'server' : 'terminal',
          }
        : { kind: 'checking' };
  }
}
