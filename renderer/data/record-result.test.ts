import { describe, expect, it } from 'vitest';
import type { StoreId, TerminalId } from '../../core/ids';
import type { ClientId } from '../../core/ids';
import { redemptionRecord } from '../../test/helpers/app-records';
import { resultOfRecord } from './record-result';

describe('the result a stored redemption shows', () => {
  it('is green and pending while an offline acceptance waits to sync', () => {
    const r = resultOfRecord(redemptionRecord({ state: 'pending' }));
    expect(r.kind === 'accepted' && r.pendingSync).toBe(true);
  });

  it('turns into the conflict once the server gave the code to another till', () => {
    const winner = {
      redemptionId: '0190a000-0000-7000-8000-00000000beef' as ClientId,
      storeId: 'gz-001' as StoreId,
      terminalId: 'term-9' as TerminalId,
      terminalName: '广州 2 号收银台',
      at: '2026-11-22T03:00:00.000Z',
    };
    const r = resultOfRecord(
      redemptionRecord({
        state: 'conflict',
        queued: 0,
        outcome: {
          status: 'conflict',
          reason: { code: 'ALREADY_REDEEMED', at: winner.at, storeId: winner.storeId },
          winner,
        },
      }),
    );
    expect(r.kind).toBe('conflict');
    expect(r.kind === 'conflict' && r.outcome.winner?.terminalName).toBe('广州 2 号收银台');
  });

  it('is "checking" while the request is in flight or its fate is unknown', () => {
    expect(resultOfRecord(redemptionRecord({ state: 'sending' })).kind).toBe('checking');
    expect(resultOfRecord(redemptionRecord({ state: 'unconfirmed', outcome: null })).kind).toBe(
      'checking',
    );
  });

  it('is the refusal the cashier saw for one the offline rules refused', () => {
    const r = resultOfRecord(
      redemptionRecord({
        state: 'rejected',
        queued: 0,
        outcome: { status: 'rejected', reason: { code: 'UNKNOWN_CODE' } },
      }),
    );
    expect(r.kind === 'refused' && r.reason).toEqual({ code: 'UNKNOWN_CODE' });
  });
});
