import { NavLink, Outlet } from 'react-router';
import { api, useT } from './api';
import { useConsoleSession } from './session';
import { LoginScreen } from '../screens/LoginScreen';

/** The console's frame: who is signed in, the screens, the language; the login when nobody is. */
export function Layout() {
  const t = useT();
  const session = useConsoleSession((s) => s.session);
  const locale = useConsoleSession((s) => s.locale);
  const setLocale = useConsoleSession((s) => s.setLocale);
  const signOut = useConsoleSession((s) => s.signOut);
  const toggle = (
    <button
      type="button"
      className="link"
      onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      {t('language')}
    </button>
  );
  if (!session)
    return (
      <div className="login-page">
        <div className="login-lang">{toggle}</div>
        <LoginScreen />
      </div>
    );
  const chain = session.user.role === 'chain_manager';
  const role = `${chain ? t('chainManager') : t('storeManager')}${session.user.storeId ? ` · ${session.user.storeId}` : ''}`;
  return (
    <div className="frame">
      <header className="top">
        <strong className="brand">{t('appName')}</strong>
        <nav>
          <NavLink to="/" end>
            {t('navDashboard')}
          </NavLink>
          <NavLink to="/batches">{t('navBatches')}</NavLink>
          <NavLink to="/codes">{t('navCodes')}</NavLink>
          <NavLink to="/stores">{t('navStores')}</NavLink>
          <NavLink to="/products">{t('navProducts')}</NavLink>
          <NavLink to="/members">{t('navMembers')}</NavLink>
          <NavLink to="/staff">{t('navStaff')}</NavLink>
          <NavLink to="/allowance">{t('navAllowance')}</NavLink>
          <NavLink to="/conflicts">{t('navConflicts')}</NavLink>
          <NavLink to="/audit">{t('navAudit')}</NavLink>
          <NavLink to="/reports">{t('navReports')}</NavLink>
          <NavLink to="/alerts">{t('navAlerts')}</NavLink>
        </nav>
        <span className="who" title={`${session.user.name} · ${role}`}>
          <span className="who-name">{session.user.name}</span>
          <span className="who-role">{role}</span>
        </span>
        {toggle}
        <button
          type="button"
          className="link"
          onClick={() => {
            void api.call('logout', { body: {} });
            signOut();
          }}
        >
          {t('logout')}
        </button>
      </header>
      <main className="page">
        <Outlet />
      </main>
    </div>
  );
}
