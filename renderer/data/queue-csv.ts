import type { RedemptionRecord } from './records';

const COLUMNS = [
  'id',
  'created_at',
  'code',
  'batch_id',
  'state',
  /** used_while_refused | refused, for a record settled after its online request went unanswered. */
  'settled',
  'decided_by',
  'offline',
  'discount_fen',
  'outcome',
  'reason',
  'winner_store',
  'winner_terminal',
  'winner_at',
  'sale_id',
  'attempts',
  'last_error',
] as const;

/** RFC 4180 quoting; a leading = + - @ is defused so spreadsheets never run it as a formula. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The queue view's export: one row per redemption, money in fen, instants in UTC. */
export function redemptionsToCsv(records: readonly RedemptionRecord[]): string {
  const rows = records.map((r) => {
    const o = r.outcome;
    const reason = o && o.status !== 'accepted' ? o.reason.code : '';
    const winner = o?.status === 'conflict' ? o.winner : null;
    return [
      r.id,
      new Date(r.createdAt).toISOString(),
      r.code,
      r.batchId,
      r.state,
      r.settled ?? null,
      r.decidedBy,
      r.request.offline ? 'yes' : 'no',
      r.discountFen,
      o?.status ?? '',
      reason,
      winner?.storeId ?? null,
      winner?.terminalId ?? null,
      winner?.at ?? null,
      r.saleId,
      r.attempts,
      r.lastError,
    ]
      .map(cell)
      .join(',');
  });
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
