import type { Locale } from '../../core/messages/format';
import { formatFen, type Fen } from '../../core/money';
import type { ShiftReport } from '../../core/protocol/index';
import { formatLocalTime } from '../../core/receipt/layout';
import { shiftLabels } from '../../core/receipt/shift-labels';

/** A signed amount on screen: "−¥1.00" short, "+¥1.00" over. */
function signed(amount: number): string {
  if (amount === 0) return formatFen(0 as Fen);
  return `${amount < 0 ? '−' : '+'}${formatFen(Math.abs(amount) as Fen)}`;
}

/**
 * The server's shift report on screen, in the words the printed report uses
 * (core/receipt/shift-labels.ts): sales, each tender, vouchers per batch, refunds, voids, the
 * drawer and what the till still had queued.
 */
export function ShiftReportView({
  report,
  locale,
  timeZone,
}: {
  readonly report: ShiftReport;
  readonly locale: Locale;
  readonly timeZone: string;
}) {
  const l = shiftLabels(locale);
  const f = report.figures;
  const difference = f.cash.differenceFen;
  return (
    <div
      className="shift-report"
      data-testid="shift-report"
      data-state={report.state}
      data-shift-id={report.shiftId}
    >
      <dl className="shift-meta">
        <dt>{l.openedAt}</dt>
        <dd>{formatLocalTime(report.openedAt, timeZone)}</dd>
        {report.closedAt !== null && (
          <>
            <dt>{l.closedAt}</dt>
            <dd data-testid="shift-closed-at">{formatLocalTime(report.closedAt, timeZone)}</dd>
          </>
        )}
      </dl>
      <div className="shift-columns">
        <section>
          <h3>{l.sales}</h3>
          <dl className="figures">
            <dt>{l.salesCount}</dt>
            <dd data-testid="shift-sales-count">{f.sales.count}</dd>
            <dt>{l.subtotal}</dt>
            <dd>{formatFen(f.sales.subtotalFen)}</dd>
            <dt>{l.discount}</dt>
            <dd>−{formatFen(f.sales.discountFen)}</dd>
            <dt className="strong">{l.amount}</dt>
            <dd className="strong" data-testid="shift-sales-amount">
              {formatFen(f.sales.amountFen)}
            </dd>
          </dl>
          <h3>{l.tenders}</h3>
          <dl className="figures">
            {f.tenders.map((t) => (
              <div key={t.kind} className="figure" data-testid={`shift-tender-${t.kind}`}>
                <dt>
                  {l.tender[t.kind]} <small>×{t.count}</small>
                </dt>
                <dd data-amount={t.amountFen}>{formatFen(t.amountFen)}</dd>
              </div>
            ))}
          </dl>
          <h3>{l.vouchers}</h3>
          {f.vouchers.length === 0 ? (
            <p className="muted">{l.noVouchers}</p>
          ) : (
            <dl className="figures">
              {f.vouchers.map((v) => (
                <div key={v.batchId} className="figure" data-testid="shift-voucher">
                  <dt>
                    {v.name ?? v.batchId} <small>×{v.count}</small>
                  </dt>
                  <dd>−{formatFen(v.amountFen)}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
        <section>
          <h3>
            {l.refunds} <small>×{f.refunds.count}</small>
          </h3>
          <dl className="figures">
            <dt>{l.refundsCash}</dt>
            <dd data-testid="shift-refunds-cash">{formatFen(f.refunds.cashFen)}</dd>
            <dt>{l.refundsWechat}</dt>
            <dd>{formatFen(f.refunds.wechatFen)}</dd>
            <dt>
              {l.voids} <small>×{f.voids.count}</small>
            </dt>
            <dd data-testid="shift-voids" data-count={f.voids.count}>
              {formatFen(f.voids.amountFen)}
            </dd>
            {f.unpaid.count > 0 && (
              <>
                <dt className="warn">
                  {l.unpaid} <small>×{f.unpaid.count}</small>
                </dt>
                <dd className="warn">{formatFen(f.unpaid.amountFen)}</dd>
              </>
            )}
          </dl>
          <h3>{l.cash}</h3>
          <dl className="figures">
            <dt>{l.float}</dt>
            <dd>{formatFen(f.cash.floatFen)}</dd>
            <dt>{l.tendered}</dt>
            <dd>+{formatFen(f.cash.tenderedFen)}</dd>
            <dt>{l.change}</dt>
            <dd>−{formatFen(f.cash.changeFen)}</dd>
            <dt>{l.refundsCash}</dt>
            <dd>−{formatFen(f.cash.refundsFen)}</dd>
            <dt className="strong">{l.expected}</dt>
            <dd className="strong" data-testid="shift-expected" data-amount={f.cash.expectedFen}>
              {signed(f.cash.expectedFen).replace(/^\+/, '')}
            </dd>
            {f.cash.countedFen !== null && (
              <>
                <dt className="strong">{l.counted}</dt>
                <dd className="strong" data-testid="shift-counted">
                  {formatFen(f.cash.countedFen)}
                </dd>
              </>
            )}
            {difference !== null && (
              <>
                <dt className="strong">{l.difference}</dt>
                <dd
                  className={difference === 0 ? 'strong ok' : 'strong bad'}
                  data-testid="shift-difference"
                  data-amount={difference}
                >
                  {signed(difference)}
                </dd>
              </>
            )}
          </dl>
          {report.pending !== null && report.pending.sales + report.pending.redemptions > 0 && (
            <div className="shift-pending" data-testid="shift-pending" role="note">
              <strong>{l.pending}</strong>: {l.pendingSales} {report.pending.sales} ·{' '}
              {l.pendingRedemptions} {report.pending.redemptions}
              <small>{l.pendingNote}</small>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
