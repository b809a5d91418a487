import { hash } from 'node:crypto';
import type { CategoryId, ClientId, Sku, StoreId, TerminalId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type {
  SaleFlag,
  SaleOutcome,
  SaleRequest,
  SaleResponse,
  SaleState,
  Tender,
} from '../../core/protocol';
import { saleTotals, tenderProblems, totalsDiffer } from '../../core/sales';
import type { CartLine } from '../../core/vouchers';
import { canonicalJson } from '../audit/canonical';
import { appendAudit } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import type { Queryable } from '../db/prepared';
import { kyselyOf } from '../db/prepared';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { memberFlags } from '../members/members';
import { localDate } from '../ledger/time';
import { countForReports } from '../reports/count';
import { saleRecord } from '../reports/records';
import { replaceSale, replacingSale, type TakeBack } from './replace';
import { checkVoid, giveBackVoided } from './void';

/** A sale request compared by everything but `offline` (a lost online send is pushed later). */
export function saleRequestHash(req: SaleRequest): string {
  return hash('sha256', canonicalJson({ ...req, offline: undefined }), 'base64url');
}

/** This terminal's stored answer for a sale id; the same id with another sale is refused. */
export async function storedSale(
  db: Queryable,
  terminalId: string,
  id: string,
  hashOf: string,
): Promise<string | undefined> {
  const row = await kyselyOf(db)
    .selectFrom('sales')
    .select(['response', 'request_hash'])
    .where('terminal_id', '=', terminalId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== hashOf)
    throw new HttpError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      `Sale ${id} was already sent by this terminal with different contents; a new sale needs a new id.`,
    );
  return row.response;
}

/** What recordSale tells its caller while it writes (the write may run again: reset per attempt). */
export interface RecordNotes {
  /** A new sale's outcome (recorded / flagged; never a replay), for the metrics. */
  decided(outcome: 'recorded' | 'flagged'): void;
  /** A payment of a sale this one voided: to close or reverse at WeChat once committed. */
  takeBack(payment: TakeBack): void;
}

const IGNORED: RecordNotes = { decided: () => undefined, takeBack: () => undefined };

/**
 * Records one sale inside the caller's transaction and returns the serialized SaleResponse,
 * stored under the terminal's sale id. Nothing the till sent is taken as a figure: lines are
 * priced from the catalog, each voucher's discount is that of this till's accepted redemption
 * record (which then names the sale), and the totals are recomputed by the core. A sale is never
 * refused for its figures — the customer has left with the goods — it is recorded with the
 * server's figures and flagged for a manager where the till's differ.
 */
export async function recordSale(
  w: WriteTx,
  actor: TerminalActor,
  req: SaleRequest,
  now: string,
  notes: RecordNotes = IGNORED,
): Promise<string> {
  checkVoid(req);
  const hashOf = saleRequestHash(req);
  const prior = await storedSale(w, actor.terminalId, req.id, hashOf);
  if (prior !== undefined) return prior;
  const at = req.at < now ? new Date(req.at).toISOString() : now;
  const day = localDate(at, actor.timeZone);

  // Replaced before it got here: kept for the record, voided, its vouchers left where they went.
  const replacedBy = await replacingSale(w, actor.terminalId, req.id);
  const replacement = await replaceSale(w, actor, req, now);
  for (const payment of replacement.takeBack) notes.takeBack(payment);
  const priced = await priceLines(w, req.cart.lines);
  const vouchers = await applyVouchers(w, actor, req, {
    link: replacedBy === undefined ? 'all' : 'unclaimed',
  });
  const member = await memberFlags(w, req.cart);
  const totals = saleTotals(priced.lines, vouchers.discounts, req.tenders);
  const flags: SaleFlag[] = [
    ...priced.flags,
    ...replacement.flags,
    ...vouchers.flags,
    // A void took no money on purpose: it is not underpaid.
    ...(req.voided === true ? [] : tenderProblems(totals, req.tenders)),
    ...totalsDiffer(req.totals, totals),
    ...member,
  ];
  const state: SaleState =
    replacedBy !== undefined || req.voided === true
      ? 'voided'
      : req.tenders.some((t) => t.kind !== 'cash')
        ? 'open'
        : 'paid';
  const outcome: SaleOutcome = {
    status: 'recorded',
    saleId: req.id,
    storeId: actor.storeId as StoreId,
    terminalId: actor.terminalId as TerminalId,
    state,
    totals,
    flags,
    at,
  };
  const response = JSON.stringify({ id: req.id, outcome } satisfies SaleResponse);
  await w.trx
    .insertInto('sales')
    .values({
      terminal_id: actor.terminalId,
      id: req.id,
      store_id: actor.storeId,
      cashier_id: actor.cashierId,
      shift_id: req.shiftId,
      at,
      day,
      recorded_at: now,
      state,
      subtotal_fen: totals.subtotalFen,
      discount_fen: totals.discountFen,
      due_fen: totals.dueFen,
      paid_fen: totals.paidFen,
      change_fen: totals.changeFen,
      doc: JSON.stringify({
        lines: priced.lines,
        member: {
          tier: req.cart.memberTier,
          discountApplied: req.cart.memberDiscountApplied,
          customerId: req.cart.customerId,
        },
        redemptionIds: vouchers.applied,
        tenders: req.tenders,
      }),
      flags: JSON.stringify(flags),
      offline: req.offline ? 1 : 0,
      request_hash: hashOf,
      response,
      customer_id: req.cart.customerId,
    })
    .execute();
  if (req.tenders.length > 0)
    await w.trx
      .insertInto('sale_tenders')
      .values(
        req.tenders.map((t, seq) => ({
          terminal_id: actor.terminalId,
          sale_id: req.id,
          seq,
          store_id: actor.storeId,
          day,
          kind: t.kind,
          amount_fen: t.amountFen,
          change_fen: t.kind === 'cash' ? Math.max(0, t.tenderedFen - t.amountFen) : 0,
          payment_id: t.kind === 'cash' ? null : t.paymentId,
          state: state === 'voided' && t.kind !== 'cash' ? 'failed' : tenderState(t),
        })),
      )
      .execute();
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action:
        req.voided === true
          ? 'sale.voided'
          : req.offline
            ? 'sale.recorded_offline'
            : 'sale.recorded',
      subject: `sale:${req.id}`,
      before: null,
      after: {
        flags: flags.map((f) => f.code),
        state,
        totals,
        ...(replacedBy === undefined ? {} : { replacedBy }),
        ...(req.replaces === undefined ? {} : { replaces: req.replaces }),
        ...(req.voided === true ? { voided: true, offline: req.offline } : {}),
      },
    },
    now,
  );
  // Nothing was sold: the vouchers of a voided sale, and those of the sale it replaced that it
  // does not name, are given back (sales/void.ts).
  if (state === 'voided')
    await giveBackVoided(
      w,
      actor,
      req.id,
      replacedBy === undefined ? { kind: 'void' } : { kind: 'replaced', replacedBy },
      now,
    );
  if (replacement.voided !== null)
    await giveBackVoided(
      w,
      actor,
      replacement.voided,
      { kind: 'replaced', replacedBy: req.id },
      now,
    );
  // A sale with a WeChat tender counts once paid (payments/ledger/confirm.ts, countPaidSale).
  if (state === 'paid')
    countForReports(
      w,
      [
        saleRecord({
          storeId: actor.storeId,
          at,
          subtotalFen: totals.subtotalFen,
          tenders: req.tenders,
          vouchers: vouchers.counted,
        }),
      ],
      actor.timeZone,
    );
  notes.decided(flags.length === 0 ? 'recorded' : 'flagged');
  return response;
}

function tenderState(tender: Tender): string {
  return tender.kind === 'cash' ? 'settled' : 'pending';
}

/**
 * The lines at catalog prices. A line the catalog prices differently is counted at the catalog's
 * price; one the catalog does not have keeps the till's price (there is nothing better) — both
 * are flagged.
 */
async function priceLines(
  w: WriteTx,
  lines: readonly CartLine[],
): Promise<{ lines: CartLine[]; flags: SaleFlag[] }> {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const rows =
    skus.length === 0
      ? []
      : await w.trx
          .selectFrom('products')
          .select(['sku', 'doc', 'price_fen'])
          .where('sku', 'in', skus)
          .execute();
  const catalog = new Map(
    rows.map((r) => [
      r.sku,
      {
        priceFen: Number(r.price_fen) as Fen,
        category: (JSON.parse(r.doc) as { category: CategoryId }).category,
      },
    ]),
  );
  const flags: SaleFlag[] = [];
  const priced = lines.map((line) => {
    const item = catalog.get(line.sku);
    if (item === undefined || item.priceFen !== line.unitPriceFen)
      flags.push({
        code: 'LINE_PRICE',
        reason: {
          code: 'PRICE_MISMATCH',
          sku: line.sku as Sku,
          tillFen: line.unitPriceFen,
          catalogFen: item?.priceFen ?? null,
        },
      });
    return item === undefined
      ? line
      : { ...line, unitPriceFen: item.priceFen, category: item.category };
  });
  return { lines: priced, flags };
}

/**
 * The vouchers of the sale: this till's accepted redemptions it names, each counted at the
 * discount the server recorded for it, and linked to the sale. A voucher the server refused, does
 * not know or already counted on another sale that can still be paid gives nothing and is flagged.
 * A sale recorded voided because another sale replaced it (`link` 'unclaimed') is valued the
 * same but takes no voucher from a sale: it links only those no sale holds (given back with it).
 */
async function applyVouchers(
  w: WriteTx,
  actor: TerminalActor,
  req: SaleRequest,
  how: { readonly link: 'all' | 'unclaimed' },
): Promise<{
  discounts: Fen[];
  applied: ClientId[];
  flags: SaleFlag[];
  counted: { batchId: string; discountFen: number }[];
}> {
  const ids = [...new Set(req.redemptionIds)];
  if (ids.length === 0) return { discounts: [], applied: [], flags: [], counted: [] };
  const rows = await w.trx
    .selectFrom('redemptions')
    .select(['id', 'status', 'discount_fen', 'sale_id', 'batch_id'])
    .where('terminal_id', '=', actor.terminalId)
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const abandoned = await abandonedSales(
    w,
    actor.terminalId,
    rows.flatMap((r) => (r.sale_id !== null && r.sale_id !== req.id ? [r.sale_id] : [])),
  );
  const discounts: Fen[] = [];
  const applied: ClientId[] = [];
  const flags: SaleFlag[] = [];
  const counted: { batchId: string; discountFen: number }[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    const problem =
      row === undefined
        ? 'missing'
        : row.status !== 'accepted'
          ? 'refused'
          : how.link === 'all' &&
              row.sale_id !== null &&
              row.sale_id !== req.id &&
              !abandoned.has(row.sale_id)
            ? 'other_sale'
            : null;
    if (problem !== null) {
      flags.push({ code: 'VOUCHER_NOT_ACCEPTED', redemptionId: id, problem });
      continue;
    }
    discounts.push(Number(row?.discount_fen ?? 0) as Fen);
    applied.push(id);
    if (row?.batch_id != null)
      counted.push({ batchId: row.batch_id, discountFen: Number(row.discount_fen) });
  }
  if (applied.length > 0) {
    let link = w.trx
      .updateTable('redemptions')
      .set({ sale_id: req.id })
      .where('terminal_id', '=', actor.terminalId)
      .where('id', 'in', applied);
    if (how.link === 'unclaimed') link = link.where('sale_id', 'is', null);
    await link.execute();
  }
  return { discounts, applied, flags, counted };
}

/**
 * Which of these sales of the terminal can never be paid: voided (replaced, sales/replace.ts), or
 * still open with every tender failed (its WeChat order closed, expired or declined). The till
 * takes the same cart again under a new sale id (a re-tender), and the vouchers go with that sale;
 * a failed tender never becomes paid (money that lands late is refunded), so the voucher cannot
 * end up counted twice.
 */
async function abandonedSales(
  w: WriteTx,
  terminalId: string,
  saleIds: readonly string[],
): Promise<Set<string>> {
  const ids = [...new Set(saleIds)];
  if (ids.length === 0) return new Set();
  const unpaid = await w.trx
    .selectFrom('sales')
    .select(['id', 'state'])
    .where('terminal_id', '=', terminalId)
    .where('id', 'in', ids)
    .where('state', 'in', ['open', 'voided'])
    .execute();
  const live = await w.trx
    .selectFrom('sale_tenders')
    .select('sale_id')
    .where('terminal_id', '=', terminalId)
    .where('sale_id', 'in', ids)
    .where('state', '!=', 'failed')
    .execute();
  const paying = new Set(live.map((t) => t.sale_id));
  return new Set(unpaid.filter((s) => s.state === 'voided' || !paying.has(s.id)).map((s) => s.id));
}
