import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { BatchId } from '../../../core/ids';
import type { AlertsAnswer } from '../../../core/protocol/index';
import { addDays, LocalDate } from '../../../core/reports/days';
import { api, useT } from '../app/api';
import { useConsoleSession, useIsChainManager } from '../app/session';
import { useLoad } from '../app/use-load';
import { alertHistory, alertKey } from './history';
import { ruleText } from './rule-text';
import { ThresholdsForm } from './ThresholdsForm';

/** How many days back the history looks (one alerts call per day, in parallel). */
const HISTORY_DAYS = 14;

type Loaded = { readonly current: AlertsAnswer; readonly days: readonly AlertsAnswer[] };

async function loadAlerts(date: string | null) {
  const first = await api.call('alerts', { query: date ? { date } : {} });
  if (!first.ok) return first;
  const asOf = first.value.date;
  const earlier = await Promise.all(
    Array.from({ length: HISTORY_DAYS }, (_, i) =>
      api.call('alerts', { query: { date: addDays(asOf, i - HISTORY_DAYS) } }),
    ),
  );
  const days: AlertsAnswer[] = [];
  for (const r of earlier) {
    if (!r.ok) return r;
    days.push(r.value);
  }
  days.push(first.value);
  return { ok: true as const, value: { current: first.value, days } satisfies Loaded };
}

/**
 * The alerts as of a day (today on the chain's clock, or ?date= for a look back), with the
 * last two weeks' raised and cleared events and the thresholds they are judged by.
 */
export function AlertsScreen() {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const chain = useIsChainManager();
  const [params, setParams] = useSearchParams();
  const asked = LocalDate.safeParse(params.get('date'));
  const date = asked.success ? asked.data : null;
  const [loaded, reload] = useLoad(`alerts:${date ?? ''}`, () => loadAlerts(date));
  // Said after the reload that judges the alerts by the saved thresholds.
  const [saved, setSaved] = useState(false);
  const [batches] = useLoad('alert batches', () => api.call('batches', { query: { limit: 200 } }));
  const names = new Map(
    batches.state === 'ready' ? batches.value.batches.map((b) => [b.batch.id, b.batch.name]) : [],
  );
  const batchLink = (id: string) => (
    <Link to={`/batches/${id}`}>
      {names.get(id as BatchId) ?? id} <span className="id">{id}</span>
    </Link>
  );

  return (
    <section className="alerts">
      <div className="title-row">
        <h1>{t('alertsTitle')}</h1>
        <label className="inline">
          {t('alertsAsOf')}{' '}
          <input
            type="date"
            name="date"
            value={loaded.state === 'ready' ? loaded.value.current.date : (date ?? '')}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('date', e.target.value);
              else next.delete('date');
              setSaved(false);
              setParams(next);
            }}
          />
        </label>
      </div>
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && (
        <div className="notice error" role="alert">
          {loaded.message} <button onClick={reload}>{t('retry')}</button>
        </div>
      )}
      {loaded.state === 'ready' && (
        <>
          <section className="card">
            <h2>{t('alertsOpen', { date: loaded.value.current.date })}</h2>
            {loaded.value.current.alerts.length === 0 ? (
              <p className="empty">{t('alertsNone')}</p>
            ) : (
              <table className="grid" data-testid="open-alerts">
                <thead>
                  <tr>
                    <th>{t('colAlertBatch')}</th>
                    <th>{t('colAlertRule')}</th>
                    <th>{t('colAlertDetail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {loaded.value.current.alerts.map((a) => (
                    <tr key={alertKey(a)} data-alert={a.alert.code} data-batch={a.alert.batchId}>
                      <td>{batchLink(a.alert.batchId)}</td>
                      <td>{ruleText(a, t, loaded.value.current.thresholds)}</td>
                      <td>{a.message[locale]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <AlertHistory days={loaded.value.days} batchLink={batchLink} />
          {saved && (
            <p className="notice ok" role="status">
              {t('thrSaved')}
            </p>
          )}
          <ThresholdsForm
            key={JSON.stringify(loaded.value.current.thresholds)}
            current={loaded.value.current.thresholds}
            canEdit={chain}
            onEdit={() => setSaved(false)}
            onSaved={() => {
              setSaved(true);
              reload();
            }}
          />
        </>
      )}
    </section>
  );
}

function AlertHistory(props: {
  readonly days: readonly AlertsAnswer[];
  readonly batchLink: (id: string) => React.ReactNode;
}) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const events = alertHistory(props.days);
  const thresholdsOn = new Map(props.days.map((d) => [d.date, d.thresholds]));
  return (
    <section className="card">
      <h2>{t('alertsHistory', { n: HISTORY_DAYS })}</h2>
      <p className="help">{t('alertsHistoryHelp')}</p>
      {events.length === 0 ? (
        <p className="empty">{t('alertsNoHistory')}</p>
      ) : (
        <table className="grid" data-testid="alert-history">
          <thead>
            <tr>
              <th>{t('colAlertDay')}</th>
              <th>{t('colAlertEvent')}</th>
              <th>{t('colAlertBatch')}</th>
              <th>{t('colAlertRule')}</th>
              <th>{t('colAlertDetail')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const th = thresholdsOn.get(e.day);
              return (
                <tr
                  key={`${e.day}:${e.kind}:${alertKey(e.view)}`}
                  data-event={e.kind}
                  data-alert={e.view.alert.code}
                  data-batch={e.view.alert.batchId}
                >
                  <td className="nowrap">{e.day}</td>
                  <td className="nowrap">
                    <span className={`badge ${e.kind === 'raised' ? 'revoked' : 'active'}`}>
                      {t(e.kind === 'raised' ? 'alertRaised' : 'alertCleared')}
                    </span>
                    {e.open && <span className="sub"> · {t('alertStillOpen')}</span>}
                  </td>
                  <td>{props.batchLink(e.view.alert.batchId)}</td>
                  <td>{th ? ruleText(e.view, t, th) : e.view.alert.code}</td>
                  <td>{e.view.message[locale]}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
