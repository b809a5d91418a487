import { formatFen, type Fen } from '../../core/money';
import type { SaleState } from '../../core/protocol/index';
import { formatLocalDateTime } from '../../core/time';
import { base } from '../app/services';
import { openSale } from '../app/refund-actions';
import { useLiveQuery } from '../app/use-live-query';
import type { SaleRecord } from '../data/sale-records';
import { useT } from '../i18n/use-t';
import { useSessionStore } from '../state/session-store';

/** Sales shown on the history screen: the newest, read on the createdAt index. */
const SHOWN = 50;

/**
 * Where the sale stands as this till last heard: the refund desk's view of it (newest), else the
 * push's answer — which said 'open' for a WeChat sale before it was paid; the payment says since.
 */
function shownState(s: SaleRecord): SaleState | null {
  const paid = s.payment?.state === 'paid';
  const known = s.serverSale?.state ?? s.outcome?.state ?? null;
  return known === 'open' && paid ? 'paid' : known;
}

/** The terminal's latest sales with where each stands: queued here, or the server's answer. */
export function SalesHistory() {
  const t = useT();
  const timeZone = useSessionStore((s) => s.terminal?.store.timeZone ?? 'Asia/Shanghai');
  const sales = useLiveQuery(
    () => base.db.sales.orderBy('createdAt').reverse().limit(SHOWN).toArray(),
    [],
    [] as SaleRecord[],
  );
  return (
    <div className="sales-history" data-testid="sales-history">
      <h2>{t('salesHistory')}</h2>
      {sales.length === 0 ? (
        <p className="empty">{t('noSales')}</p>
      ) : (
        <table className="queue-table">
          <thead>
            <tr>
              <th>{t('saleTime')}</th>
              <th className="num">{t('saleTotal')}</th>
              <th>{t('saleTenders')}</th>
              <th>{t('saleStatus')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sales.map((s) => {
              const state = shownState(s);
              const refundedFen = s.serverSale?.refundedFen ?? 0;
              return (
                <tr
                  key={s.id}
                  data-testid="sale-row"
                  data-sale-id={s.id}
                  data-state={s.state}
                  data-server-state={state ?? ''}
                  data-refunded-fen={refundedFen}
                >
                  <td>{formatLocalDateTime(s.createdAt, timeZone)}</td>
                  <td className="num">
                    {formatFen(s.outcome?.totals.dueFen ?? s.request.totals.dueFen)}
                  </td>
                  <td>
                    {s.request.tenders
                      .map(
                        (tender) =>
                          `${t(tender.kind === 'cash' ? 'tenderCash' : 'tenderWechat')} ${formatFen(tender.amountFen)}`,
                      )
                      .join(' + ')}
                  </td>
                  <td>
                    {s.state === 'pending'
                      ? t('saleState_pending')
                      : state === null
                        ? t('saleState_recorded')
                        : t(`saleState_${state}`)}
                    {refundedFen > 0 && (
                      <small className="refunded" data-testid="sale-refunded">
                        {' · '}
                        {t('saleRefundedAmount', { amount: formatFen(refundedFen as Fen) })}
                      </small>
                    )}
                    {s.outcome && s.outcome.flags.length > 0 && (
                      <small className="flags" data-testid="sale-flags">
                        {' · '}
                        {t('saleFlags', { flags: s.outcome.flags.map((f) => f.code).join(', ') })}
                      </small>
                    )}
                  </td>
                  <td>
                    {s.state !== 'pending' && (
                      <button
                        type="button"
                        className="link"
                        onClick={() => void openSale(s.id)}
                        data-testid="sale-refund"
                      >
                        {t('refundButton')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
