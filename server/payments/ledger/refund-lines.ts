import type { Fen } from '../../../core/money';
import type { RefundLine, RefundRequest } from '../../../core/protocol';
import {
  lineRefundAmount,
  refundedQuantities,
  type LineRefundProblem,
  type SoldLine,
} from '../../../core/sales';
import type { CartLine } from '../../../core/vouchers';
import type { Queryable } from '../../db/prepared';
import { kyselyOf } from '../../db/prepared';
import { HttpError } from '../../http/errors';

/** A stored sale line with the units refunds (not closed) gave back, for the till and the check. */
export interface LineLeft extends SoldLine {
  readonly sku: string;
  readonly name: string;
}

/**
 * The sale's stored lines (server-priced, as recorded) and, per line, the units earlier refunds
 * named. A refund every part of which WeChat closed gave nothing back: its units are free again.
 */
export async function linesLeft(
  db: Queryable,
  saleTerminalId: string,
  saleId: string,
): Promise<{ lines: LineLeft[]; discountFen: Fen }> {
  const q = kyselyOf(db);
  const sale = await q
    .selectFrom('sales')
    .select(['doc', 'discount_fen'])
    .where('terminal_id', '=', saleTerminalId)
    .where('id', '=', saleId)
    .executeTakeFirstOrThrow();
  const refunds = await q
    .selectFrom('refunds')
    .select(['terminal_id', 'id', 'lines'])
    .where('sale_terminal_id', '=', saleTerminalId)
    .where('sale_id', '=', saleId)
    .where('lines', 'is not', null)
    .execute();
  const live = await q
    .selectFrom('refund_parts')
    .select(['terminal_id', 'refund_id'])
    .where('sale_terminal_id', '=', saleTerminalId)
    .where('sale_id', '=', saleId)
    .where('state', '!=', 'closed')
    .execute();
  const counted = new Set(live.map((p) => `${p.terminal_id}/${p.refund_id}`));
  const refunded = refundedQuantities(
    refunds
      .filter((r) => counted.has(`${r.terminal_id}/${r.id}`))
      .map((r) => JSON.parse(r.lines ?? '[]') as RefundLine[]),
  );
  const sold = (JSON.parse(sale.doc) as { lines: CartLine[] }).lines;
  return {
    discountFen: Number(sale.discount_fen) as Fen,
    lines: sold.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      name: l.name,
      unitPriceFen: l.unitPriceFen,
      quantity: l.quantity,
      refundedQuantity: refunded.get(l.lineId) ?? 0,
    })),
  };
}

/**
 * What a refund gives back. Named lines: the server's own count from the stored lines and the
 * sale's voucher discount (core/sales lineRefundAmount); an amount sent alongside must agree.
 * No lines: the amount sent, as before (a manager's refund of a sum).
 */
export async function refundAmount(
  db: Queryable,
  saleTerminalId: string,
  req: RefundRequest,
): Promise<Fen> {
  if (req.lines === undefined || req.lines.length === 0) {
    if (req.amountFen === undefined)
      throw new HttpError(
        400,
        'VALIDATION_FAILED',
        'A refund names its lines (lineId and quantity) or an amountFen; this one names neither.',
      );
    return req.amountFen;
  }
  const { lines, discountFen } = await linesLeft(db, saleTerminalId, req.saleId);
  const counted = lineRefundAmount(lines, discountFen, req.lines);
  if (!counted.ok) throw lineProblem(req.saleId, counted.problem);
  if (counted.amountFen < 1)
    throw new HttpError(
      409,
      'REFUND_EXCEEDS_REFUNDABLE',
      `The lines named cost nothing after the sale's vouchers; there is nothing to refund.`,
    );
  if (req.amountFen !== undefined && req.amountFen !== counted.amountFen)
    throw new HttpError(
      400,
      'VALIDATION_FAILED',
      `The lines named come to ${counted.amountFen} fen after the sale's vouchers, not ${req.amountFen}; send the lines without an amount, or the amount the server counts.`,
    );
  return counted.amountFen;
}

function lineProblem(saleId: string, p: LineRefundProblem): HttpError {
  switch (p.code) {
    case 'NO_SUCH_LINE':
      return new HttpError(
        400,
        'VALIDATION_FAILED',
        `Sale ${saleId} has no line ${p.lineId}; name the lines of the receipt.`,
      );
    case 'QUANTITY_EXCEEDS_REFUNDABLE':
      return new HttpError(
        409,
        'REFUND_EXCEEDS_REFUNDABLE',
        `Line ${p.lineId} of sale ${saleId} has ${p.refundable} left to refund, not ${p.asked}. Nothing was refunded.`,
      );
  }
}
