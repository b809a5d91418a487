import { useMemo } from 'react';
import { formatFen, type Fen } from '../../core/money';
import { addFen } from '../../core/money';
import { payOrder, previewCheckout, settledTotals, startNewSale } from '../app/checkout-actions';
import { base } from '../app/services';
import { CodeText } from '../components/CodeText';
import { MemberPanel } from '../components/MemberPanel';
import { ReasonText } from '../components/ReasonText';
import { ResultPanel } from '../components/ResultPanel';
import { SaleReceipt } from '../components/SaleReceipt';
import { TenderPanel } from '../components/TenderPanel';
import { ScanEntry } from '../components/ScanEntry';
import { useT } from '../i18n/use-t';
import { useCartStore } from '../state/cart-store';
import { useRedemptionStore } from '../state/redemption-store';

/** Ring up an order: products, vouchers, totals, cash. */
export function CheckoutScreen({ onScan }: { readonly onScan: (text: string) => void }) {
  const t = useT();
  const lines = useCartStore((s) => s.lines);
  const vouchers = useCartStore((s) => s.vouchers);
  const stage = useCartStore((s) => s.stage);
  const outcomes = useCartStore((s) => s.outcomes);
  const receiptId = useCartStore((s) => s.receiptId);
  const setQuantity = useCartStore((s) => s.setQuantity);
  const removeLine = useCartStore((s) => s.removeLine);
  const removeVoucher = useCartStore((s) => s.removeVoucher);
  const clear = useCartStore((s) => s.clear);
  const member = useCartStore((s) => s.member);
  const notice = useRedemptionStore((s) => s.current);

  const preview = useMemo(
    () => previewCheckout(lines, vouchers, base.deps.now(), member),
    [lines, vouchers, member],
  );
  const { evaluation } = preview;
  const lineNames = new Map(lines.map((l) => [l.lineId as string, l.name]));
  const subtotal = addFen(...lines.map((l) => (l.unitPriceFen * l.quantity) as Fen));
  const settled =
    stage === 'building' || stage === 'paying' ? null : settledTotals(subtotal, outcomes);
  const discount = settled?.discountFen ?? evaluation.discountFen;
  const total = settled?.totalFen ?? evaluation.totalFen;

  return (
    <section className="checkout" data-testid="checkout-screen">
      <div className="checkout-left">
        <ScanEntry onSubmit={onScan} />
        <MemberPanel />
        {notice?.result.kind === 'notice' && (
          <ResultPanel code="" result={notice.result} size="small" />
        )}
        {stage === 'done' && receiptId !== null && <SaleReceipt saleId={receiptId} />}
        {lines.length === 0 ? (
          <p className="empty">{t('cartEmpty')}</p>
        ) : (
          <table className="cart" data-testid="cart">
            <thead>
              <tr>
                <th>{t('item')}</th>
                <th className="num">{t('price')}</th>
                <th className="num">{t('qty')}</th>
                <th className="num">{t('amount')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.lineId} data-testid="cart-line" data-sku={line.sku}>
                  <td>{line.name}</td>
                  <td className="num">{formatFen(line.unitPriceFen)}</td>
                  <td className="num qty">
                    <button
                      type="button"
                      className="step"
                      disabled={stage !== 'building'}
                      aria-label="-"
                      onClick={() => setQuantity(line.lineId, line.quantity - 1)}
                    >
                      −
                    </button>
                    <span data-testid="line-qty">{line.quantity}</span>
                    <button
                      type="button"
                      className="step"
                      disabled={stage !== 'building'}
                      aria-label="+"
                      onClick={() => setQuantity(line.lineId, line.quantity + 1)}
                    >
                      +
                    </button>
                  </td>
                  <td className="num">{formatFen((line.unitPriceFen * line.quantity) as Fen)}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      disabled={stage !== 'building'}
                      onClick={() => removeLine(line.lineId)}
                    >
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(vouchers.length > 0 || outcomes.length > 0) && (
          <div className="vouchers" data-testid="vouchers">
            <h2>{t('vouchers')}</h2>
            <ul>
              {evaluation.applied.map((a) => {
                const outcome = outcomes.find((o) => o.code === a.code);
                return (
                  <li
                    key={a.code}
                    className="voucher ok"
                    data-testid="voucher"
                    data-code={a.code}
                    data-state={outcome ? outcome.result.kind : 'applied'}
                  >
                    <CodeText code={a.code} className="voucher-code" />
                    {outcome ? (
                      <ResultPanel
                        code={a.code}
                        result={outcome.result}
                        size="small"
                        withCode={false}
                      />
                    ) : (
                      <span>
                        {t('applied')} −{formatFen(a.discountFen)} · {t('onLines')}{' '}
                        {a.allocations
                          .map((al) => lineNames.get(al.lineId) ?? al.lineId)
                          .join('、')}
                      </span>
                    )}
                    {stage === 'building' && (
                      <button type="button" className="link" onClick={() => removeVoucher(a.code)}>
                        {t('remove')}
                      </button>
                    )}
                  </li>
                );
              })}
              {[...evaluation.refused, ...preview.unresolved].map((r) => (
                <li
                  key={r.code}
                  className="voucher bad"
                  data-testid="voucher"
                  data-code={r.code}
                  data-state="refused"
                  data-reason={r.reason.code}
                >
                  <CodeText code={r.code} className="voucher-code" />
                  <span>
                    {t('refused')}: <ReasonText reason={r.reason} />
                  </span>
                  {stage === 'building' && (
                    <button type="button" className="link" onClick={() => removeVoucher(r.code)}>
                      {t('remove')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <aside className="checkout-right">
        <dl className="totals">
          <dt>{t('subtotal')}</dt>
          <dd data-testid="subtotal">{formatFen(subtotal)}</dd>
          <dt>{t('discount')}</dt>
          <dd data-testid="discount">−{formatFen(discount)}</dd>
          <dt className="grand">{t('total')}</dt>
          <dd className="grand" data-testid="total">
            {formatFen(total)}
          </dd>
        </dl>
        {stage === 'building' && (
          <div className="actions">
            <button
              type="button"
              className="primary big"
              disabled={lines.length === 0}
              onClick={() => void payOrder()}
              data-testid="pay"
            >
              {t('pay')}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={lines.length === 0 && vouchers.length === 0}
              onClick={clear}
              data-testid="clear-cart"
            >
              {t('clearCart')}
            </button>
          </div>
        )}
        {stage === 'paying' && <p className="help">{t('paying')}</p>}
        {stage === 'tender' && <TenderPanel dueFen={total} />}
        {stage === 'done' && (
          <div className="done" data-testid="sale-done">
            <div className="result result-small ok">
              <div className="result-title">{t('saleDone')}</div>
            </div>
            {outcomes.some((o) => o.result.kind === 'accepted' && o.result.pendingSync) && (
              <p className="pending-note">{t('pendingSyncNote')}</p>
            )}
            <button
              type="button"
              className="primary big"
              onClick={startNewSale}
              data-testid="new-sale"
              autoFocus
            >
              {t('newSale')}
            </button>
          </div>
        )}
      </aside>
    </section>
  );
}
