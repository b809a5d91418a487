import { create } from 'zustand';
import type { Locale } from '../../../core/messages/format';
import type { Session } from '../../../core/protocol/index';

const SESSION_KEY = 'tillpoint.console.session';
const LOCALE_KEY = 'tillpoint.console.locale';

/**
 * The signed-in manager and the console's language. The session lives in sessionStorage (it
 * ends with the tab, and the server ends it after 8 hours anyway); the language persists.
 */
interface ConsoleSession {
  readonly session: Session | null;
  readonly locale: Locale;
  signIn(session: Session): void;
  signOut(): void;
  setLocale(locale: Locale): void;
}

function stored(): Session | null {
  try {
    const text = sessionStorage.getItem(SESSION_KEY);
    if (text === null) return null;
    const session = JSON.parse(text) as Session;
    return Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export const useConsoleSession = create<ConsoleSession>((set) => ({
  session: stored(),
  locale: localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN',
  signIn: (session) => {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    set({ session });
  },
  signOut: () => {
    sessionStorage.removeItem(SESSION_KEY);
    set({ session: null });
  },
  setLocale: (locale) => {
    localStorage.setItem(LOCALE_KEY, locale);
    document.documentElement.lang = locale;
    set({ locale });
  },
}));

/** True for a chain manager: the one who may change chain-wide settings. */
export const useIsChainManager = (): boolean =>
  useConsoleSession((s) => s.session?.user.role === 'chain_manager');
