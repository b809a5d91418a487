import { describe, expect, it } from 'vitest';
import type { ClientId, StoreId, TerminalId } from '../../core/ids';
import { redemptionRecord } from '../../test/helpers/app-records';
import { redemptionsToCsv } from './queue-csv';

describe('queue CSV export', () => {
  it('writes a header and one row per redemption with the conflict winner', () => {
    const record = redemptionRecord({
      state: 'conflict',
      outcome: {
        status: 'conflict',
        reason: {
          code: 'ALREADY_REDEEMED',
          at: '2026-11-22T03:00:00.000Z',
          storeId: 'store-2' as StoreId,
        },
        winner: {
          redemptionId: '0190a000-0000-7000-8000-bbbbbbbbbbbb' as ClientId,
          storeId: 'store-2' as StoreId,
          terminalId: 'term-9' as TerminalId,
          at: '2026-11-22T03:00:00.000Z',
        },
      },
    });
    const lines = redemptionsToCsv([record]).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^id,created_at,code,/);
    expect(lines[1]).toContain(
      ',conflict,ALREADY_REDEEMED,store-2,term-9,2026-11-22T03:00:00.000Z,',
    );
  });

  it('quotes commas and defuses spreadsheet formulas', () => {
    const record = redemptionRecord({ state: 'rejected', lastError: '=HYPERLINK("x"), bad' });
    const row = redemptionsToCsv([record]).trimEnd().split('\r\n')[1] ?? '';
    expect(row.endsWith(`"'=HYPERLINK(""x""), bad"`)).toBe(true);
  });
});
