import type { ClientId, StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { SaleRequest } from '../../core/protocol';
import { saleTotals } from '../../core/sales';
import type { RedemptionRecord } from '../../renderer/data/records';
import type { SaleRecord } from '../../renderer/data/sale-records';

let n = 0;

/** A redemption record as the renderer stores it, with overridable fields. */
export function redemptionRecord(overrides: Partial<RedemptionRecord> = {}): RedemptionRecord {
  n += 1;
  const id = `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}` as ClientId;
  const createdAt = overrides.createdAt ?? Date.UTC(2026, 10, 22, 4, 0, n);
  const code = (overrides.code ?? `CODE-${n}`) as VoucherCode;
  return {
    id,
    code,
    batchId: null,
    request: {
      id: overrides.id ?? id,
      code,
      storeId: 'store-1' as StoreId,
      terminalId: 'term-1' as TerminalId,
      at: new Date(createdAt).toISOString(),
      cart: null,
      offline: { leaseId: '0190a000-0000-7000-8000-aaaaaaaaaaaa', discountFen: 500 as Fen },
    },
    state: 'pending',
    decidedBy: 'terminal',
    discountFen: 500 as Fen,
    outcome: null,
    createdAt,
    updatedAt: createdAt,
    saleId: null,
    attempts: 0,
    lastError: null,
    queued: 1,
    unseenConflict: 0,
    ...overrides,
  };
}

/** A finished cash sale as the renderer stores it (recorded by the server), with overridable fields. */
export function saleRecord(overrides: Partial<SaleRecord> = {}): SaleRecord {
  n += 1;
  const id = (overrides.id ?? `0190b000-0000-7000-8000-${String(n).padStart(12, '0')}`) as ClientId;
  const createdAt = overrides.createdAt ?? Date.UTC(2026, 10, 22, 4, 0, n);
  const tenders: SaleRequest['tenders'] = [
    { kind: 'cash', amountFen: 0 as Fen, tenderedFen: 0 as Fen },
  ];
  const request: SaleRequest = {
    id,
    storeId: 'store-1' as StoreId,
    terminalId: 'term-1' as TerminalId,
    at: new Date(createdAt).toISOString() as SaleRequest['at'],
    shiftId: null,
    cart: { lines: [], memberDiscountApplied: false, memberTier: null, customerId: null },
    redemptionIds: [],
    tenders,
    totals: saleTotals([], [], tenders),
    offline: false,
  };
  return {
    id,
    createdAt,
    queued: 0,
    state: 'recorded',
    request,
    outcome: null,
    attempts: 1,
    lastError: null,
    updatedAt: createdAt,
    payment: null,
    replacedBy: null,
    ...overrides,
  };
}
