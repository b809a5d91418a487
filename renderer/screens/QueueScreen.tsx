import { useState } from 'react';
import { formatFen } from '../../core/money';
import { assertNever } from '../../core/result';
import { formatLocalDateTime } from '../../core/time';
import { base, terminalServices } from '../app/services';
import { useLiveQuery } from '../app/use-live-query';
import { CodeText } from '../components/CodeText';
import { ReasonText } from '../components/ReasonText';
import { ReprintReceipt } from '../components/ReprintReceipt';
import { SalesHistory } from '../components/SalesHistory';
import { useMessageOptions, winnerTill } from '../components/use-message-options';
import { redemptionsToCsv } from '../data/queue-csv';
import { readQueuePage, type QueuePage } from '../data/queue-page';
import type { RedemptionRecord, RedemptionState } from '../data/records';
import { useT } from '../i18n/use-t';
import { hasReceipt } from '../receipts/receipt-model';
import type { StringKey } from '../i18n/strings';
import { useNamesStore } from '../state/names-store';
import { useSessionStore } from '../state/session-store';

/** Records per page of the queue view: one page is read at a time, on an index. */
const PAGE_SIZE = 100;

const stateKey = (state: RedemptionState): StringKey => {
  switch (state) {
    case 'sending':
      return 'stateSending';
    case 'pending':
      return 'statePending';
    case 'synced':
      return 'stateSynced';
    case 'rejected':
      return 'stateRejected';
    case 'conflict':
      return 'stateConflict';
    case 'unconfirmed':
      return 'stateUnconfirmed';
    default:
      return assertNever(state, 'state');
  }
};

/** Every redemption this terminal made, newest first, with its state and outcome. */
export function QueueScreen() {
  const t = useT();
  const timeZone = useSessionStore((s) => s.terminal?.store.timeZone ?? 'Asia/Shanghai');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const { records, total } = useLiveQuery(
    () => readQueuePage(base.db, { page, size: PAGE_SIZE, search }),
    [page, search],
    { records: [], total: 0 } as QueuePage,
  );
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const unseen =
    useLiveQuery(() => base.db.redemptions.where('unseenConflict').equals(1).count(), [], 0) > 0;
  const [reprint, setReprint] = useState<RedemptionRecord | null>(null);

  const exportCsv = async (): Promise<void> => {
    const all = await base.db.redemptions.orderBy('createdAt').toArray();
    const blob = new Blob(['\uFEFF', redemptionsToCsv(all)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `tillpoint-redemptions-${new Date(base.deps.now()).toISOString().slice(0, 10)}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const acknowledge = async (): Promise<void> => {
    try {
      await base.db.redemptions.where('unseenConflict').equals(1).modify({ unseenConflict: 0 });
    } catch (error) {
      base.storage.report(error);
    }
  };

  return (
    <section className="queue" data-testid="queue-screen">
      <header className="queue-head">
        <h1>
          {t('queueTitle')} <small>({total})</small>
        </h1>
        <div className="actions-row">
          <button
            type="button"
            className="primary"
            onClick={() => terminalServices()?.engine.syncNow()}
            data-testid="retry-now"
          >
            {t('retryNow')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void exportCsv()}
            data-testid="export-csv"
          >
            {t('exportCsv')}
          </button>
          {unseen && (
            <button
              type="button"
              className="secondary"
              onClick={() => void acknowledge()}
              data-testid="ack-conflicts"
            >
              {t('acknowledgeConflicts')}
            </button>
          )}
        </div>
      </header>
      <div className="queue-tools">
        <input
          type="search"
          className="queue-search"
          placeholder={t('searchCode')}
          aria-label={t('searchCode')}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(0);
          }}
          data-testid="queue-search"
        />
        <div className="pager" data-testid="queue-pager">
          <button
            type="button"
            className="secondary"
            disabled={page === 0}
            onClick={() => setPage((p) => Math.max(0, p - 1))}
            data-testid="queue-prev"
          >
            {t('pagePrev')}
          </button>
          <span data-testid="queue-page">
            {t('pageOf', { page: Math.min(page + 1, pages), pages })}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={page + 1 >= pages}
            onClick={() => setPage((p) => p + 1)}
            data-testid="queue-next"
          >
            {t('pageNext')}
          </button>
        </div>
      </div>
      {records.length === 0 ? (
        <p className="empty">{search === '' ? t('noRedemptions') : t('noMatches')}</p>
      ) : (
        <table className="queue-table">
          <thead>
            <tr>
              <th>{t('time')}</th>
              <th>{t('code')}</th>
              <th>{t('state')}</th>
              <th className="num">{t('discount')}</th>
              <th>{t('outcome')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr
                key={r.id}
                data-testid="queue-row"
                data-code={r.code}
                data-state={r.state}
                data-settled={r.settled}
                className={`row-${r.state}`}
              >
                <td className="when">{formatLocalDateTime(r.createdAt, timeZone)}</td>
                <td>
                  <CodeText code={r.code} className="mono" />
                </td>
                <td className="state">
                  {r.settled === 'used_while_refused' ? (
                    <span className="pill pill-conflict">{t('stateUsedWhileRefused')}</span>
                  ) : (
                    <span className={`pill pill-${r.state}`}>{t(stateKey(r.state))}</span>
                  )}
                  {r.decidedBy === 'terminal' &&
                    (r.state === 'rejected' || r.state === 'unconfirmed') && (
                      <small> {t('byTerminal')}</small>
                    )}
                  {r.state === 'unconfirmed' && (
                    <small className="muted" data-testid="unconfirmed-hint">
                      {' '}
                      {t('unconfirmedHint')}
                    </small>
                  )}
                </td>
                <td className="num">
                  {r.state === 'rejected' || r.state === 'unconfirmed'
                    ? '—'
                    : formatFen(r.discountFen)}
                </td>
                <td>
                  <Outcome record={r} timeZone={timeZone} />
                </td>
                <td>
                  {hasReceipt(r.state) && r.settled !== 'used_while_refused' && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => setReprint(r)}
                      data-testid="queue-receipt"
                    >
                      {t('receipt')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reprint !== null && <ReprintReceipt record={reprint} onClose={() => setReprint(null)} />}
      <SalesHistory />
    </section>
  );
}

function Outcome({
  record,
  timeZone,
}: {
  readonly record: RedemptionRecord;
  readonly timeZone: string;
}) {
  const t = useT();
  const storeNames = useNamesStore((s) => s.stores);
  const options = useMessageOptions();
  const o = record.outcome;
  if (o === null) return <span className="muted">{record.lastError ?? ''}</span>;
  // Settled after the cashier said "no" (data/settle.ts): say what happened and what to do.
  if (record.settled === 'used_while_refused')
    return (
      <span data-testid="settled-hint">
        {t('usedWhileRefusedHint', { amount: formatFen(record.discountFen) })}
      </span>
    );
  if (record.settled === 'refused' && o.status === 'rejected')
    return (
      <span>
        <ReasonText reason={o.reason} />{' '}
        <small className="muted" data-testid="settled-hint">
          {t('settledRefusedHint')}
        </small>
      </span>
    );
  switch (o.status) {
    case 'accepted':
      return <span>{t('accepted')}</span>;
    case 'rejected':
      return <ReasonText reason={o.reason} />;
    case 'conflict':
      return o.winner ? (
        <span data-testid="conflict-winner">
          {t('winner', {
            at: formatLocalDateTime(Date.parse(o.winner.at), timeZone),
            store: storeNames.get(o.winner.storeId) ?? o.winner.storeId,
            terminal: winnerTill(o.winner, options),
          })}
        </span>
      ) : (
        <ReasonText reason={o.reason} />
      );
    default:
      return assertNever(o, 'outcome');
  }
}
