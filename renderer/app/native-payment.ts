import { liveQuery } from 'dexie';
import type { ClientId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { ManagerApproval, PaymentView, SaleRequest } from '../../core/protocol/index';
import { planTenders, type TenderPlan } from '../../core/sales/tender-plan';
import type { ApiResult } from '../data/api-client';
import type { SaleRecord } from '../data/sale-records';
import { useCartStore } from '../state/cart-store';
import { usePaymentStore, wechatBusy, type WechatPhase } from '../state/payment-store';
import { amountDue, queueSale, receiptOf, saleRequestOf } from './sale-writer';
import { base, terminalServices } from './services';

/** How often the till asks for the payment while the QR code is up (the server queries WeChat). */
const POLL_MS = 1_500;
/** How long the sale may take to reach the server before the till says it cannot place the order. */
const RECORD_WAIT_MS = 20_000;
/** A Native order call may wait on WeChat; bounded, and repeated with the same id when it times out. */
const CREATE_TIMEOUT_MS = 10_000;

/**
 * While the sale waits for the drainer, its row is watched (Dexie's live query, this tab or
 * another): the order is placed as soon as the push is written back, not on the next tick of a
 * poll, which cost up to a poll's length on every Native sale. The poll stays as a fallback.
 */
const RECORD_POLL_MS = 150;

/** One payment at a time: a newer attempt (or a new sale) ends the older one's loop. */
let generation = 0;

/**
 * The approval dialog's answer, handed straight to the waiting payment loop: the manager's
 * credentials go into the one request and are never kept in a store (null: the cashier gave up).
 */
let answerApproval: ((approval: ManagerApproval | null) => void) | null = null;

/** Who closes an unpaid Native order: the cashier (Esc), or the till once it has expired. */
type Closing = 'cashier' | 'expired' | null;

/** How the WeChat part is taken: the Native QR code, or the customer's scanned payment code. */
type Method = { readonly kind: 'native' } | { readonly kind: 'code'; readonly authCode: string };

const setPhase = (phase: WechatPhase): void => usePaymentStore.getState().setPhase(phase);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a WeChat Native payment of what is due (less `cashFen` taken in cash for a split): the
 * sale with its tenders is queued first and pushed by the drainer, the server places the order,
 * the QR code shows on both screens, and the till polls until paid — then the sale completes by
 * itself. Offline, nothing is written: the cashier is told to take cash.
 */
export async function payByWechat(cashFen: Fen): Promise<TenderPlan | null> {
  return startWechat(cashFen, { kind: 'native' });
}

/**
 * Charges the customer's payment code (付款码) for all that is due: the sale with its `wechat_code`
 * tender is queued and recorded first, then the server charges the code once (the paymentId is
 * the idempotency key) and the till polls while the customer confirms on the phone.
 */
export async function payByCode(authCode: string): Promise<TenderPlan | null> {
  return startWechat(0 as Fen, { kind: 'code', authCode });
}

/** The manager's approval typed into the dialog, or null when the cashier cancels it. */
export function approveWechat(approval: ManagerApproval | null): void {
  const answer = answerApproval;
  answerApproval = null;
  answer?.(approval);
}

async function startWechat(cashFen: Fen, method: Method): Promise<TenderPlan | null> {
  const cart = useCartStore.getState();
  const payment = usePaymentStore.getState();
  if (cart.stage !== 'tender' || wechatBusy(payment.phase)) return null;
  const services = terminalServices();
  if (!services) return null;
  const paymentId = base.deps.newId();
  const plan = planTenders(
    amountDue(),
    method.kind === 'code'
      ? { kind: 'wechat_code', paymentId }
      : cashFen > 0
        ? { kind: 'split', cashFen, paymentId }
        : { kind: 'wechat_native', paymentId },
  );
  if (!plan.ok) return plan;
  // Busy from here: a second F7 while the server is asked starts nothing.
  setPhase({ kind: 'recording' });
  // Asked before anything is written: a WeChat tender queued for later would be a sale the
  // server holds open with nobody to pay it.
  const reachable = base.connectivity.online() ? await services.api.health() : null;
  if (!reachable?.ok) {
    if (reachable) base.connectivity.markOffline(reachable.message);
    setPhase({ kind: 'failed', reason: 'offline', detail: '' });
    return null;
  }
  const replaces = payment.attemptWritten ? payment.attemptSaleId : null;
  const saleId = replaces === null ? (cart.saleId as ClientId) : base.deps.newId();
  const request = saleRequestOf(saleId, plan.tenders, replaces);
  const payState = { paymentId, state: 'creating' as const, transactionId: null };
  if (!request || !(await queueSale(request, payState, null))) {
    // Nothing was written (the storage problem is shown): nothing to wait for.
    setPhase({ kind: 'none' });
    return null;
  }
  usePaymentStore.getState().begin(saleId, paymentId);
  const mine = ++generation;
  void run(mine, request, paymentId, plan.wechatFen, method);
  return plan;
}

/** Resolves once the sale's row differs from `seen` (written back by a push), or after `ms`. */
function saleWritten(saleId: ClientId, seen: SaleRecord | undefined, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    let subscription: { unsubscribe(): void } | null = null;
    const done = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      subscription?.unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    // The first answer is the row as it is now: a push written back since `seen` ends the wait.
    subscription = liveQuery(() => base.db.sales.get(saleId)).subscribe({
      next: (row) => {
        if (row?.state !== seen?.state || row?.updatedAt !== seen?.updatedAt) done();
      },
      // A failing read ends the wait only at the timer, so a broken database is not spun on.
      error: () => undefined,
    });
    if (finished) subscription.unsubscribe();
  });
}

/** Esc: the customer will not pay by WeChat. The order is closed; until it is, nothing else starts. */
export function cancelWechat(): void {
  const { phase } = usePaymentStore.getState();
  if (phase.kind === 'approval') return approveWechat(null);
  if (phase.kind === 'qr' || phase.kind === 'placing') setPhase({ kind: 'cancelling' });
}

/** A new sale: the previous payment's loop stops (its sale record stays as it is). */
export function forgetPayment(): void {
  generation += 1;
  approveWechat(null);
}

/** Waits for the approval dialog (shown by the phase) to be answered. */
function askApproval(refused: boolean, detail: string): Promise<ManagerApproval | null> {
  approveWechat(null);
  setPhase({ kind: 'approval', refused, detail });
  return new Promise((resolve) => {
    answerApproval = resolve;
  });
}

async function run(
  mine: number,
  request: SaleRequest,
  paymentId: ClientId,
  amountFen: Fen,
  method: Method,
) {
  const services = terminalServices();
  if (!services) return;
  const { api } = services;
  const live = (): boolean => mine === generation;

  // The drainer pushes the sale; the order can only be placed once the server has it.
  const deadline = base.deps.now() + RECORD_WAIT_MS;
  for (;;) {
    if (!live()) return;
    // null: the read failed (the storage problem is shown elsewhere); undefined: no such row.
    const record = await base.db.sales.get(request.id).catch(() => null);
    if (record?.state === 'recorded') break;
    if (base.deps.now() > deadline) {
      // Nothing was charged: no order was placed. The sale stays queued with its tender.
      setPhase({ kind: 'failed', reason: 'offline', detail: record?.lastError ?? '' });
      return;
    }
    if (record === null) await sleep(RECORD_POLL_MS);
    else await saleWritten(request.id, record, RECORD_POLL_MS);
  }

  setPhase({ kind: method.kind === 'code' ? 'charging' : 'placing' });
  let view: PaymentView | null = null;
  // Who is closing the order: the cashier (Esc), or the till because its time ran out.
  let closing: Closing = null;
  // Only for the next order request; dropped once the server has answered it.
  let approval: ManagerApproval | undefined;
  for (;;) {
    if (!live()) return;
    if (closing === null && usePaymentStore.getState().phase.kind === 'cancelling')
      closing = 'cashier';
    let answer: ApiResult<PaymentView>;
    const order = { paymentId, saleId: request.id, amountFen };
    if (view === null && method.kind === 'code')
      // Charging again with the same paymentId answers the stored payment, never a second charge.
      answer = await api.call(
        'createCodePayment',
        { body: { ...order, authCode: method.authCode, ...(approval && { approval }) } },
        CREATE_TIMEOUT_MS,
      );
    else if (view === null)
      // Placing the order again with the same paymentId returns the same order, never a second.
      answer = await api.call(
        'createNativePayment',
        { body: { ...order, ...(approval && { approval }) } },
        CREATE_TIMEOUT_MS,
      );
    else if (closing !== null && (view.state === 'pending' || view.state === 'creating'))
      answer = await api.call('closePayment', { params: { id: paymentId }, body: {} });
    else answer = await api.call('payment', { params: { id: paymentId } });
    if (!live()) return;

    if (!answer.ok) {
      if (answer.offline) {
        // The answer is unknown: the customer may have paid. Ask again until the server knows.
        base.connectivity.markOffline(answer.message);
        setPhase({ kind: 'checking', held: false });
      } else if (
        view === null &&
        (answer.code === 'APPROVAL_REQUIRED' || answer.code === 'APPROVAL_REFUSED')
      ) {
        approval =
          (await askApproval(answer.code === 'APPROVAL_REFUSED', answer.message)) ?? undefined;
        if (!live()) return;
        if (approval) {
          setPhase({ kind: method.kind === 'code' ? 'charging' : 'placing' });
          continue;
        }
        setPhase({ kind: 'failed', reason: 'closed', detail: '' });
        await notePayment(request.id, paymentId, 'failed', null);
        return;
      } else if (view === null) {
        approval = undefined;
        setPhase({ kind: 'failed', reason: 'refused', detail: answer.message });
        await notePayment(request.id, paymentId, 'failed', null);
        return;
      } else if (closing !== null) {
        // The close was refused (e.g. paid meanwhile): the payment's own state decides.
        closing = null;
        answer = await api.call('payment', { params: { id: paymentId } });
        if (answer.ok) view = answer.value;
      }
      await sleep(POLL_MS);
      continue;
    }
    base.connectivity.markOnline();
    approval = undefined;
    view = answer.value;
    if (await settle(view, request, closing)) return;
    if (
      view.state === 'pending' &&
      view.expiresAt &&
      Date.parse(view.expiresAt) <= base.deps.now()
    ) {
      // Expired by the till's clock: close it so it cannot be paid later.
      closing ??= 'expired';
    } else await sleep(POLL_MS);
  }
}

/**
 * Shows what the payment's view says; true once it is final here (paid, closed, failed).
 * `closing`: who is closing the order, the cashier (Esc) or the till because it expired.
 */
async function settle(view: PaymentView, request: SaleRequest, closing: Closing) {
  switch (view.state) {
    case 'paid':
      if (view.held) break;
      await notePayment(request.id, view.paymentId, 'paid', view.transactionId);
      await finishPaid(request, view.transactionId);
      return true;
    case 'closed':
    case 'failed': {
      const expired = view.expiresAt !== null && Date.parse(view.expiresAt) <= base.deps.now();
      await notePayment(request.id, view.paymentId, view.state, null);
      setPhase({
        kind: 'failed',
        reason: closing === 'expired' || (expired && closing === null) ? 'expired' : 'closed',
        detail: '',
      });
      return true;
    }
    case 'pending':
      if (closing !== null) setPhase({ kind: 'cancelling' });
      else if (view.codeUrl && view.expiresAt)
        setPhase({
          kind: 'qr',
          codeUrl: view.codeUrl,
          expiresAt: view.expiresAt,
          amountFen: view.amountFen,
        });
      return false;
    case 'user_paying':
      setPhase({ kind: 'confirming' });
      return false;
    case 'declined':
    case 'reversing':
    case 'reversed':
    case 'refunding':
    case 'refunded_late':
      // Nothing is kept: declined, or given up on (the server takes back what was taken).
      await notePayment(request.id, view.paymentId, 'failed', null);
      setPhase({
        kind: 'failed',
        reason: 'declined',
        detail: '',
        why: view.reason ?? (view.state === 'declined' ? 'DECLINED' : 'TIMEOUT'),
      });
      return true;
    case 'creating':
    case 'unknown':
      break;
  }
  setPhase({ kind: 'checking', held: view.held });
  return false;
}

async function notePayment(
  saleId: ClientId,
  paymentId: ClientId,
  state: 'paid' | 'closed' | 'failed',
  transactionId: string | null,
): Promise<void> {
  await base.db.sales
    .update(saleId, { payment: { paymentId, state, transactionId }, updatedAt: base.deps.now() })
    .catch((e: unknown) => base.storage.report(e));
}

/** Paid: the receipt is written and shown, as a cash sale's is. */
async function finishPaid(request: SaleRequest, transactionId: string | null): Promise<void> {
  const receipt = receiptOf(request, transactionId);
  try {
    await base.db.receipts.put(receipt);
  } catch (error) {
    base.storage.report(error);
  }
  usePaymentStore.getState().paid(receipt.changeFen);
  useCartStore.getState().finish(receipt.id);
}
