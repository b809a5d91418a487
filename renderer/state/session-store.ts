import { create } from 'zustand';
import type { Locale } from '../../core/messages/format';
import type { Session } from '../../core/protocol/index';
import type { TerminalRecord } from '../data/records';

export type Screen = 'checkout' | 'quick' | 'queue' | 'devices' | 'shift';

interface SessionSlice {
  readonly phase: 'loading' | 'pair' | 'login' | 'ready';
  readonly terminal: TerminalRecord | null;
  readonly session: Session | null;
  readonly locale: Locale;
  readonly screen: Screen;
  readonly setPhase: (phase: SessionSlice['phase']) => void;
  readonly setTerminal: (terminal: TerminalRecord | null) => void;
  readonly setSession: (session: Session | null) => void;
  readonly setLocale: (locale: Locale) => void;
  readonly setScreen: (screen: Screen) => void;
}

const LOCALE_KEY = 'tillpoint.locale';

function initialLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Who is at the till: the paired terminal, the cashier, the language and the screen. */
export const useSessionStore = create<SessionSlice>()((set) => ({
  phase: 'loading',
  terminal: null,
  session: null,
  locale: initialLocale(),
  screen: 'quick',
  setPhase: (phase) => set({ phase }),
  setTerminal: (terminal) => set({ terminal }),
  setSession: (session) => set({ session }),
  setLocale: (locale) => {
    try {
      localStorage.setItem(LOCALE_KEY, locale);
    } catch {
      // A private window may refuse storage; the choice still holds for this page.
    }
    document.documentElement.lang = locale;
    set({ locale });
  },
  setScreen: (screen) => set({ screen }),
}));
