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
 * A refund with no part (a return from a sale paid wholly by vouchers) cannot close: it counts.
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
  const parts = await q
    .selectFrom('refund_parts')
    .select(['terminal_id', 'refund_id', 'state'])
    .where('sale_terminal_id', '=', saleTerminalId)
    .where('sale_id', '=', saleId)
    .execute();
  const withParts = new Set(parts.map((p) => `${p.terminal_id}/${p.refund_id}`));
  const live = new Set(
    parts.filter((p) => p.state !== 'closed').map((p) => `${p.terminal_id}/${p.refund_id}`),
  );
  const counts = (key: string) => live.has(key) || !withParts.has(key);
  const refunded = refundedQuantities(
    refunds
      .filter((r) => counts(`${r.terminal_id}/${r.id}`))
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
 *
 * Lines that come to nothing after the vouchers are a return of no money only from a sale that
 * took no money (paid wholly by vouchers): the customer brings the goods back, the return is
 * recorded line by line and may give the vouchers back (refund-vouchers.ts). From a sale that
 * took money they are refused: such lines are a rounding remnant (a cheap line beside the goods
 * the vouchers paid for, or units whose share rounds to 0 fen) and come back with the goods they
 * went with, whose refund counts them; once the money is all back the sale is refunded and
 * nothing more is taken, so a return of nothing never stands alone there.
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
  if (counted.amountFen < 1 && (await tookMoney(db, saleTerminalId, req.saleId)))
    throw new HttpError(
      409,
      'REFUND_EXCEEDS_REFUNDABLE',
      `The lines named cost nothing after the sale's vouchers; there is nothing to refund. Return them with the lines they were bought with.`,
    );
  if (req.amountFen !== undefined && req.amountFen !== counted.amountFen)
    throw new HttpError(
      400,
      'VALIDATION_FAILED',
      `The lines named come to ${counted.amountFen} fen after the sale's vouchers, not ${req.amountFen}; send the lines without an amount, or the amount the server counts.`,
    );
  return counted.amountFen;
}

/** Whether any tender paid the sale money (a sale the vouchers paid in full has none). */
async function tookMoney(db: Queryable, saleTerminalId: string, saleId: string): Promise<boolean> {
  const paid = await kyselyOf(db)
    .selectFrom('sale_tenders')
    .select('seq')
    .where('terminal_id', '=', saleTerminalId)
    .where('sale_id', '=', saleId)
    .where('state', 'in', ['settled', 'paid'])
    .where('amount_fen', '>', 0)
    .executeTakeFirst();
  return paid !== undefined;
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
