import type { PaymentLog } from './wechat/http-client';
import type { CodePayInput, PaymentProvider, Transaction } from './provider';

/**
 * How long a payment-code payment may take: WeChat asks merchants to query
 * every few seconds while the customer enters a password (USERPAYING), to
 * give up after about 45 s, and then to reverse (撤销) the order, repeating the
 * reverse while it fails.
 */
export interface CodePaymentTiming {
  /** Between order queries; WeChat suggests 3–5 s. */
  readonly pollIntervalMs: number;
  /** From the first request until we stop waiting for the customer. */
  readonly deadlineMs: number;
  /** Between reverse attempts. */
  readonly reverseIntervalMs: number;
  /** Reverse attempts before handing the order to reconciliation. */
  readonly maxReverseAttempts: number;
}

export const DEFAULT_CODE_PAYMENT_TIMING: CodePaymentTiming = {
  pollIntervalMs: 4_000,
  deadlineMs: 45_000,
  reverseIntervalMs: 5_000,
  maxReverseAttempts: 10,
};

export interface CodePaymentDeps {
  /** Waits; tests pass one that moves a shared clock instead of waiting. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly clock: () => Date;
  readonly timing?: Partial<CodePaymentTiming>;
  readonly log?: PaymentLog;
}

export type CodePaymentOutcome =
  /** The customer paid (WeChat reported SUCCESS). */
  | { readonly outcome: 'paid'; readonly transaction: Transaction; readonly polls: number }
  /** WeChat refused the payment with a verified answer (e.g. NOTENOUGH): nothing was charged. */
  | { readonly outcome: 'declined'; readonly code: string; readonly message: string }
  /** The order was closed by WeChat or already reversed: nothing was charged. */
  | { readonly outcome: 'closed'; readonly polls: number }
  /** We reversed the order (timeout or PAYERROR): nothing is kept from the customer. */
  | { readonly outcome: 'reversed'; readonly polls: number; readonly reverseAttempts: number }
  /** Reversing kept failing: the outcome is for reconciliation to settle by query. */
  | { readonly outcome: 'unknown'; readonly code: string; readonly message: string };

type Provider = Pick<PaymentProvider, 'payByCode' | 'query' | 'reverse'>;

/**
 * Runs one payment-code payment to an outcome: pay, poll while USERPAYING (or
 * while the answer was unknown), reverse at the deadline. A 2xx or a network
 * error never ends as "declined"; only a verified refusal does.
 */
export async function settleCodePayment(
  provider: Provider,
  input: CodePayInput,
  deps: CodePaymentDeps,
): Promise<CodePaymentOutcome> {
  const timing = { ...DEFAULT_CODE_PAYMENT_TIMING, ...deps.timing };
  const started = deps.clock().getTime();
  const no = input.outTradeNo;

  const first = await provider.payByCode(input);
  if (first.ok && first.status === 'paid')
    return { outcome: 'paid', transaction: first.transaction, polls: 0 };
  if (!first.ok && (first.kind === 'refused' || first.kind === 'invalid'))
    return { outcome: 'declined', code: first.code, message: first.message };
  deps.log?.info(
    { outTradeNo: no, answer: first.ok ? first.status : first.code },
    'payment code pending; polling the order',
  );

  let polls = 0;
  for (;;) {
    const remaining = started + timing.deadlineMs - deps.clock().getTime();
    if (remaining <= 0) break;
    // The last query lands on the deadline, not an interval past it.
    await deps.sleep(Math.min(timing.pollIntervalMs, remaining));
    polls += 1;
    const q = await provider.query(no);
    if (!q.ok) continue; // unknown or not yet visible: keep asking until the deadline
    const state = q.transaction.state;
    if (state === 'paid' || state === 'refunded')
      return { outcome: 'paid', transaction: q.transaction, polls };
    if (state === 'closed' || state === 'reversed') return { outcome: 'closed', polls };
    if (state === 'failed') break; // PAYERROR: WeChat says 支付失败，请撤销订单
  }

  let lastError = { code: 'NOT_ATTEMPTED', message: 'no reverse was attempted' };
  for (let attempt = 1; attempt <= timing.maxReverseAttempts; attempt += 1) {
    const r = await provider.reverse(no);
    // not_found: WeChat never saw the order, so there is nothing to take back.
    if (r.ok || r.kind === 'not_found')
      return { outcome: 'reversed', polls, reverseAttempts: attempt };
    lastError = { code: r.code, message: r.message };
    deps.log?.warn({ outTradeNo: no, attempt, code: r.code }, 'reverse failed; retrying');
    if (attempt < timing.maxReverseAttempts) await deps.sleep(timing.reverseIntervalMs);
  }
  return {
    outcome: 'unknown',
    code: lastError.code,
    message: `reversing ${no} failed ${timing.maxReverseAttempts} times (${lastError.message}); reconcile by query`,
  };
}
