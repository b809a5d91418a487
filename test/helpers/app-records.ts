import type { ClientId, StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { RedemptionRecord } from '../../renderer/data/records';

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
