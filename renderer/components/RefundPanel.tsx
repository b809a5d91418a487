import { useMemo, useState } from 'react';
import { formatFen, type Fen } from '../../core/money';
import type { RefundView, SaleView } from '../../core/protocol/index';
import { formatLocalDateTime } from '../../core/time';
import {
  approveRefund,
  closeSale,
  pick,
  pickAll,
  pickedLines,
  pickedTotal,
  refundPicked,
} from '../app/refund-actions';
import { base, deviceServices } from '../app/services';
import type { StringKey } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { refundReceipt } from '../receipts/refund-receipt';
import { isFinal, useRefundStore, type RefundPhase } from '../state/refund-store';
import { useSessionStore } from '../state/session-store';
import { CodeText } from './CodeText';
import { ManagerApprovalForm } from './ManagerApprovalForm';
import { ReceiptPanel } from './ReceiptPanel';
import { RefundProblemNote } from './RefundProblemNote';

/** The printout's preview fits the side column: 80 mm paper (640 dots) in 384 px. */
const PREVIEW_DOT = 0.6;

const saleStateKey = (state: SaleView['state']): StringKey => `saleState_${state}`;
const refundStateKey = (state: RefundView['state']): StringKey => `refund_${state}`;

/**
 * A sale at the refund desk: its lines with what each was paid and has left, the units to give
 * back, the reason, and the amount — counted as the server counts it. On the right the manager's
 * approval, then the refund's state until final, then its receipt.
 */
export function RefundPanel({ sale }: { readonly sale: SaleView }) {
  const t = useT();
  const phase = useRefundStore((s) => s.phase);
  const picks = useRefundStore((s) => s.picks);
  const problem = useRefundStore((s) => s.problem);
  const timeZone = useSessionStore((s) => s.terminal?.store.timeZone ?? 'Asia/Shanghai');
  const reasons = t('refundReasons').split('|');
  const [reason, setReason] = useState(0);
  const lines = pickedLines(sale, picks);
  const total = pickedTotal(lines);
  const busy = phase.kind !== 'picking' && phase.kind !== 'final';
  const voucherOnly = paidByVouchersOnly(sale);
  // A sale the vouchers paid has no money to refund, yet its goods can come back until all have.
  const nothingLeft = sale.state === 'refunded' || (sale.refundableFen === 0 && !voucherOnly);

  return (
    <section className="refund" data-testid="refund-panel" data-sale-id={sale.saleId}>
      <div className="refund-main">
        <div className="refund-card">
          <div className="refund-head">
            <h1>
              {t('refundTitle')}{' '}
              <span className={`pill pill-sale-${sale.state}`} data-testid="refund-sale-state">
                {t(saleStateKey(sale.state))}
              </span>
            </h1>
            <button
              type="button"
              className="secondary small"
              onClick={closeSale}
              disabled={busy}
              data-testid="refund-back"
            >
              {t('refundBack')}
            </button>
          </div>
          <p className="muted mono" data-testid="refund-sale-id">
            {t('refundSale', { id: sale.saleId })}
          </p>
          <p className="muted">
            {t('refundSaleAt', {
              at: formatLocalDateTime(Date.parse(sale.at), timeZone),
              amount: formatFen(sale.totals.dueFen),
            })}
            {' · '}
            {t('refundTenders')}:{' '}
            {voucherOnly
              ? t('refundTendersVouchers')
              : sale.tenders
                  .map(
                    (tender) =>
                      `${t(tender.kind === 'cash' ? 'tenderCash' : 'tenderWechat')} ${formatFen(tender.amountFen)}`,
                  )
                  .join(' + ')}
            {' · '}
            <span data-testid="refund-left">
              {t('refundAlready', {
                amount: formatFen(sale.refundedFen),
                left: formatFen(sale.refundableFen),
              })}
            </span>
          </p>
          <table className="queue-table refund-lines">
            <thead>
              <tr>
                <th>{t('refundLine')}</th>
                <th className="num">{t('refundSold')}</th>
                <th className="num">{t('refundPaid')}</th>
                <th className="num">{t('refundLeft')}</th>
                <th className="num">{t('refundQty')}</th>
              </tr>
            </thead>
            <tbody>
              {sale.lines.map((l) => {
                const left = l.quantity - l.refundedQuantity;
                const q = picks[l.lineId] ?? 0;
                return (
                  <tr key={l.lineId} data-testid="refund-line" data-line-id={l.lineId}>
                    <td>{l.name}</td>
                    <td className="num">{l.quantity}</td>
                    <td className="num">{formatFen(l.netFen)}</td>
                    <td className="num" data-testid="refund-line-left">
                      {left}
                    </td>
                    <td className="num">
                      <span className="stepper">
                        <button
                          type="button"
                          className="secondary small"
                          disabled={busy || q <= 0}
                          onClick={() => pick(l.lineId, q - 1)}
                          aria-label="−"
                          data-testid="refund-line-minus"
                        >
                          −
                        </button>
                        <output data-testid="refund-line-qty">{q}</output>
                        <button
                          type="button"
                          className="secondary small"
                          disabled={busy || q >= left}
                          onClick={() => pick(l.lineId, q + 1)}
                          aria-label="+"
                          data-testid="refund-line-plus"
                        >
                          +
                        </button>
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {nothingLeft ? (
            <p className="empty" data-testid="refund-none-left">
              {t('refundNoneLeft')}
            </p>
          ) : (
            <>
              {voucherOnly && (
                <p className="muted" data-testid="refund-voucher-only">
                  {t('refundVoucherOnly')}
                </p>
              )}
              <div className="refund-reasons" role="radiogroup" aria-label={t('refundReason')}>
                <span className="muted">{t('refundReason')}:</span>
                {reasons.map((r, i) => (
                  <button
                    key={r}
                    type="button"
                    role="radio"
                    aria-checked={reason === i}
                    className={reason === i ? 'chip active' : 'chip'}
                    disabled={busy}
                    onClick={() => setReason(i)}
                  >
                    {r}
                  </button>
                ))}
              </div>
              <div className="refund-total">
                <div>
                  <span className="muted">{t('refundAmount')}</span>{' '}
                  <strong data-testid="refund-amount">{formatFen(total)}</strong>
                  <small className="muted"> · {t('refundAmountNote')}</small>
                </div>
                <div className="actions-row">
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    onClick={pickAll}
                    data-testid="refund-all"
                  >
                    {t('refundAll')}
                  </button>
                  <button
                    type="button"
                    className="primary big"
                    disabled={busy || lines.length === 0}
                    title={lines.length === 0 ? t('refundNothing') : undefined}
                    onClick={() => void refundPicked(reasons[reason] ?? reasons[0] ?? '')}
                    data-testid="refund-submit"
                  >
                    {t('refundSubmit')}
                  </button>
                </div>
              </div>
            </>
          )}
          {problem !== null && <RefundProblemNote problem={problem} />}
        </div>
      </div>
      <aside className="refund-side">
        <RefundSide phase={phase} total={total} voucherOnly={voucherOnly} />
      </aside>
    </section>
  );
}

/** Paid with no money at all: the vouchers covered the whole sale (no tender was needed). */
const paidByVouchersOnly = (sale: SaleView): boolean =>
  sale.totals.dueFen === 0 && sale.tenders.length === 0;

function RefundSide({
  phase,
  total,
  voucherOnly,
}: {
  readonly phase: RefundPhase;
  readonly total: Fen;
  readonly voucherOnly: boolean;
}) {
  const t = useT();
  switch (phase.kind) {
    case 'approval':
      return <RefundApproval refused={phase.refused} amount={total} noMoney={voucherOnly} />;
    case 'sending':
    case 'retrying':
      return (
        <div className="refund-card" data-testid="refund-status" data-state="sending">
          <h2>{t('refundStateTitle')}</h2>
          <p className="checking">
            {phase.kind === 'sending' ? t('refundSending') : t('refundRetrying')}
          </p>
        </div>
      );
    case 'tracking':
    case 'final':
      return <RefundStatus view={phase.view} />;
    default:
      return (
        <div className="refund-card refund-help" data-testid="refund-help">
          <h2>{t('refundHowTitle')}</h2>
          <p>{t('refundHowWechat')}</p>
          <p>{t('refundHowCash')}</p>
          <p>{t('refundHowApproval')}</p>
        </div>
      );
  }
}

/**
 * The refund as the server has it: each part (WeChat back to the payment, cash) and its state,
 * and the vouchers it gave back, for the cashier to tell the customer they can use them again.
 */
function RefundStatus({ view }: { readonly view: RefundView }) {
  const t = useT();
  const final = isFinal(view.state);
  return (
    <>
      <div
        className={`refund-card refund-status state-${view.state}`}
        data-testid="refund-status"
        data-state={view.state}
        data-refund-id={view.refundId}
      >
        <h2>{t('refundStateTitle')}</h2>
        <p className="refund-state-line">
          <strong data-testid="refund-state">{t(refundStateKey(view.state))}</strong>{' '}
          <span className="refund-state-amount">{formatFen(view.amountFen)}</span>
        </p>
        {view.parts.length === 0 && (
          <p className="muted" data-testid="refund-no-money">
            {t('refundNoMoney')}
          </p>
        )}
        <ul className="refund-parts">
          {view.parts.map((p, i) => (
            <li key={i} data-testid="refund-part" data-kind={p.kind} data-state={p.state}>
              <span>{t(p.kind === 'wechat' ? 'refundPartWechat' : 'refundPartCash')}</span>
              <span>
                {formatFen(p.amountFen)} · {t(refundStateKey(p.state))}
              </span>
            </li>
          ))}
        </ul>
        {view.returnedVouchers.length > 0 && (
          <div className="refund-returned" data-testid="refund-returned">
            <strong>{t('refundVoucherReturned')}</strong>
            <ul>
              {view.returnedVouchers.map((code) => (
                <li key={code} data-testid="refund-returned-code">
                  <CodeText code={code} className="mono" />
                </li>
              ))}
            </ul>
          </div>
        )}
        {final && (
          <button
            type="button"
            className="secondary"
            onClick={() => useRefundStore.getState().set({ phase: { kind: 'picking' } })}
            data-testid="refund-another"
          >
            {t('refundAnother')}
          </button>
        )}
      </div>
      {final && <RefundReceiptPanel view={view} />}
    </>
  );
}

function RefundReceiptPanel({ view }: { readonly view: RefundView }) {
  const terminal = useSessionStore((s) => s.terminal);
  const locale = useSessionStore((s) => s.locale);
  const cashier = useSessionStore((s) => s.session?.user.name ?? '');
  const lines = useRefundStore((s) => s.refunded);
  const reason = useRefundStore((s) => s.reason);
  const receipt = useMemo(
    () =>
      terminal === null
        ? null
        : refundReceipt(view, lines, {
            store: terminal.store,
            terminalName: terminal.name,
            cashier: cashier || terminal.name,
            reason: reason || '-',
            locale,
            printedAt: new Date(base.deps.now()).toISOString(),
          }),
    [view, lines, terminal, cashier, reason, locale],
  );
  if (receipt === null) return null;
  return (
    <ReceiptPanel
      receipt={receipt}
      receiptKey={`refund:${view.refundId}`}
      openDrawer={view.parts.some((p) => p.kind === 'cash')}
      devices={deviceServices()}
      locale={locale}
      dot={PREVIEW_DOT}
    />
  );
}

function RefundApproval({
  refused,
  amount,
  noMoney,
}: {
  readonly refused: boolean;
  readonly amount: Fen;
  /** A return from a sale the vouchers paid in full: no money goes back. */
  readonly noMoney: boolean;
}) {
  const t = useT();
  return (
    <ManagerApprovalForm
      className="refund-card approval"
      intro={
        <>
          <h2>{t('refundApprovalTitle')}</h2>
          <p>
            {noMoney
              ? t('refundApprovalHelpNoMoney')
              : t('refundApprovalHelp', { amount: formatFen(amount) })}
          </p>
        </>
      }
      submitLabel="refundApprove"
      refused={refused}
      cancelOnEscape
      decide={approveRefund}
    />
  );
}
