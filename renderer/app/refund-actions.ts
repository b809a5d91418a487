import { splitAim } from '../../core/devices/scan';
import { ClientId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { ManagerApproval, RefundView, SaleView } from '../../core/protocol/index';
import { unitsRefund } from '../../core/sales';
import type { ApiResult } from '../data/api-client';
import { isFinal, useRefundStore, type RefundedLine } from '../state/refund-store';
import { useSessionStore } from '../state/session-store';
import { base, terminalServices } from './services';

/** How often the till asks how a refund stands while WeChat pays it back (the server asks WeChat). */
const POLL_MS = 1_500;
/** How long the till keeps sending a refund the server did not answer before it says so. */
const RETRY_FOR_MS = 30_000;

const store = () => useRefundStore.getState();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One refund at a time: a new sale picked ends the older loop. */
let generation = 0;
/**
 * The approval form's answer, handed straight to the waiting refund: the manager's credentials
 * go into the one request and are never kept in a store (null: the cashier gave up).
 */
let answerApproval: ((approval: ManagerApproval | null) => void) | null = null;

/** A receipt's QR code or a typed id: the sale's UUID, whatever the scanner put around it. */
export function saleIdOf(text: string): ClientId | null {
  const parsed = ClientId.safeParse(splitAim(text.trim()).value.toLowerCase());
  return parsed.success ? parsed.data : null;
}

/** Looks a sale of this store up on the server and opens it at the refund desk (F3). */
export async function openSale(text: string): Promise<void> {
  const saleId = saleIdOf(text);
  useSessionStore.getState().setScreen('queue');
  generation += 1;
  if (saleId === null) {
    store().set({ problem: { kind: 'not_a_sale_id', text: text.trim() } });
    return;
  }
  store().set({ phase: { kind: 'finding', saleId }, problem: null, sale: null, picks: {} });
  const answer = await fetchSale(saleId);
  if (!answer.ok) {
    store().set({ phase: { kind: 'idle' }, problem: problemOf(answer, saleId) });
    return;
  }
  store().set({ phase: { kind: 'picking' }, sale: answer.value, refunded: [] });
  await noteServerSale(answer.value);
}

/** Back to the history list. */
export function closeSale(): void {
  generation += 1;
  answerApproval?.(null);
  answerApproval = null;
  store().set({ phase: { kind: 'idle' }, sale: null, picks: {}, problem: null, refunded: [] });
}

/** Units of a line to give back, kept within what the line has left. */
export function pick(lineId: string, quantity: number): void {
  const line = store().sale?.lines.find((l) => l.lineId === lineId);
  if (line === undefined) return;
  const left = line.quantity - line.refundedQuantity;
  const q = Math.max(0, Math.min(left, Math.floor(quantity)));
  store().set({ picks: { ...store().picks, [lineId]: q }, problem: null });
}

/** Every unit of every line still refundable. */
export function pickAll(): void {
  const sale = store().sale;
  if (sale === null) return;
  store().set({
    picks: Object.fromEntries(sale.lines.map((l) => [l.lineId, l.quantity - l.refundedQuantity])),
    problem: null,
  });
}

/**
 * The lines picked with what each gives back, counted as the server counts them (core/sales):
 * the line's amount after its share of the vouchers, the units taken cumulatively.
 */
export function pickedLines(
  sale: SaleView,
  picks: Readonly<Record<string, number>>,
): RefundedLine[] {
  return sale.lines.flatMap((l) => {
    const quantity = picks[l.lineId] ?? 0;
    if (quantity <= 0) return [];
    const amountFen = unitsRefund(l.netFen, l.quantity, l.refundedQuantity, quantity);
    return [{ lineId: l.lineId, name: l.name, quantity, amountFen }];
  });
}

/** The manager's approval typed into the form, or null when the cashier cancels it. */
export function approveRefund(approval: ManagerApproval | null): void {
  const answer = answerApproval;
  answerApproval = null;
  answer?.(approval);
}

function askApproval(refused: boolean): Promise<ManagerApproval | null> {
  store().set({ phase: { kind: 'approval', refused } });
  return new Promise((resolve) => {
    answerApproval = resolve;
  });
}

/**
 * Refunds the lines picked: a store manager approves first (every refund needs it), then the
 * request goes with a refundId made once, so sending it again after a lost answer continues the
 * same refund (one out_refund_no at WeChat). The server counts the amount from the lines; the
 * till then asks how it stands until WeChat's answer is final.
 */
export async function refundPicked(reason: string): Promise<void> {
  const { sale, picks } = store();
  const services = terminalServices();
  if (sale === null || services === null) return;
  const lines = pickedLines(sale, picks);
  if (lines.length === 0) return;
  const mine = ++generation;
  const live = () => mine === generation;
  const refundId = base.deps.newId();
  store().set({ refunded: lines, reason, problem: null });
  let approval = await askApproval(false);
  const body = {
    refundId,
    saleId: sale.saleId,
    reason,
    lines: lines.map((l) => ({ lineId: l.lineId as never, quantity: l.quantity })),
  };
  const giveUpAt = base.deps.now() + RETRY_FOR_MS;
  for (;;) {
    if (!live()) return;
    if (approval === null) {
      store().set({ phase: { kind: 'picking' } });
      return;
    }
    store().set({ phase: { kind: 'sending' } });
    const answer = await services.api.call('createRefund', { body: { ...body, approval } }, 15_000);
    if (!live()) return;
    if (answer.ok) return track(answer.value, live);
    if (answer.code === 'APPROVAL_REFUSED' || answer.code === 'APPROVAL_REQUIRED') {
      approval = await askApproval(true);
      continue;
    }
    if (answer.offline && base.deps.now() < giveUpAt) {
      // Unknown outcome: the refund may be stored; the same refundId continues it, never a second.
      store().set({ phase: { kind: 'retrying' } });
      await sleep(2_000);
      continue;
    }
    store().set({
      phase: { kind: 'picking' },
      problem: answer.offline ? { kind: 'offline' } : { kind: 'server', failure: answer },
    });
    await refreshSale(sale.saleId, live);
    return;
  }
}

/** Asks how the refund stands until it is final, then shows the sale as it is now. */
async function track(first: RefundView, live: () => boolean): Promise<void> {
  const services = terminalServices();
  let view = first;
  while (!isFinal(view.state)) {
    store().set({ phase: { kind: 'tracking', view } });
    await sleep(POLL_MS);
    if (!live() || services === null) return;
    const answer = await services.api.call('refund', { params: { id: view.refundId } });
    if (!live()) return;
    if (answer.ok) view = answer.value;
  }
  store().set({ phase: { kind: 'final', view }, picks: {} });
  await refreshSale(view.saleId, live);
}

/** The sale as the server has it now; the units picked are kept within what each line has left. */
async function refreshSale(saleId: string, live: () => boolean): Promise<void> {
  const answer = await fetchSale(saleId);
  if (!answer.ok) return;
  await noteServerSale(answer.value);
  if (!live()) return;
  const picks = Object.fromEntries(
    answer.value.lines.map((l) => [
      l.lineId,
      Math.min(store().picks[l.lineId] ?? 0, l.quantity - l.refundedQuantity),
    ]),
  );
  store().set({ sale: answer.value, picks });
}

/**
 * Keeps what the server said of the sale on this till's record of it, so the history list shows
 * a refund at once (and after a reload). A sale of another till has no record here: nothing to do.
 */
async function noteServerSale(view: SaleView): Promise<void> {
  await base.db.sales
    .update(view.saleId, { serverSale: { state: view.state, refundedFen: view.refundedFen } })
    .catch((e: unknown) => base.storage.report(e));
}

function fetchSale(saleId: string): Promise<ApiResult<SaleView>> {
  const services = terminalServices();
  if (services === null)
    return Promise.resolve({
      ok: false,
      code: 'NETWORK',
      message: 'not paired',
      status: null,
      offline: true,
    });
  return services.api.call('sale', { params: { id: saleId as ClientId } });
}

function problemOf(answer: Exclude<ApiResult<unknown>, { ok: true }>, saleId: string) {
  if (answer.offline) return { kind: 'offline' as const };
  if (answer.code === 'NOT_FOUND') return { kind: 'not_found' as const, saleId };
  return { kind: 'server' as const, failure: answer };
}

/** The sum of the lines picked, for the screen and the approval. */
export const pickedTotal = (lines: readonly RefundedLine[]): Fen =>
  lines.reduce((s, l) => s + l.amountFen, 0) as Fen;
