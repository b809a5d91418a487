import { Link } from 'react-router';
import { api, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { useLoad } from '../app/use-load';

const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

/**
 * The console's first screen: today's figures on the chain's business day, each a link to the
 * screen where it is worked on, and the alerts open now. One call (the dashboard route), so
 * the numbers shown are the server's numbers for one instant.
 */
export function DashboardScreen() {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const [loaded, reload] = useLoad('dashboard', () => api.call('dashboard', {}));
  if (loaded.state === 'loading') return <p>{t('loading')}</p>;
  if (loaded.state === 'failed')
    return (
      <div className="notice error" role="alert">
        {loaded.message} <button onClick={reload}>{t('retry')}</button>
      </div>
    );
  const d = loaded.value;
  const reportsToday = `/reports/sales?from=${d.date}&to=${d.date}`;
  const tiles = [
    {
      key: 'sales',
      label: t('dashSales'),
      value: yuan(d.salesFen),
      sub: t('dashSalesSub', { n: d.sales }),
      to: reportsToday,
    },
    {
      key: 'redemptions',
      label: t('dashRedemptions'),
      value: String(d.redemptions),
      sub: t('dashRedemptionsSub', { amount: yuan(d.discountFen) }),
      to: `/reports/stores?from=${d.date}&to=${d.date}`,
    },
    {
      key: 'conflictsWaiting',
      label: t('dashConflicts'),
      value: String(d.conflictsWaiting),
      to: '/conflicts',
      tone: d.conflictsWaiting > 0 ? 'warning' : '',
    },
    {
      key: 'tillsOffline',
      label: t('dashTillsOffline'),
      value: String(d.tillsOffline),
      sub: t('dashTillsOfflineSub'),
      help: t('dashTillsOfflineHelp'),
      to: '/stores',
      tone: d.tillsOffline > 0 ? 'warning' : '',
    },
    {
      key: 'alerts',
      label: t('dashAlerts'),
      value: String(d.alerts.length),
      to: '/alerts',
      tone: d.alerts.length > 0 ? 'warning' : '',
    },
  ];
  return (
    <section className="dashboard">
      <div className="title-row">
        <h1>
          {t('dashTitle')} <span className="sub">{t('dashDate', { date: d.date })}</span>
        </h1>
        <button onClick={reload}>{t('reload')}</button>
      </div>
      <div className="tiles">
        {tiles.map((tile) => (
          <Link
            key={tile.key}
            to={tile.to}
            className={`tile ${tile.tone ?? ''}`}
            data-dash={tile.key}
            title={'help' in tile ? tile.help : undefined}
          >
            <span className="tile-label">{tile.label}</span>
            <span className="tile-value">{tile.value}</span>
            {tile.sub && <span className="tile-sub">{tile.sub}</span>}
          </Link>
        ))}
      </div>
      <section className="card">
        <div className="title-row">
          <h2>{t('dashAlerts')}</h2>
          <Link to="/alerts">{t('dashOpen')}</Link>
        </div>
        {d.alerts.length === 0 ? (
          <p className="empty">{t('dashNoAlerts')}</p>
        ) : (
          <ul className="alert-list" data-testid="dash-alerts">
            {d.alerts.map((a) => (
              <li key={`${a.alert.code}:${a.alert.batchId}`} data-alert={a.alert.code}>
                <Link to={`/batches/${a.alert.batchId}`}>{a.alert.batchId}</Link> ·{' '}
                {a.message[locale]}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
