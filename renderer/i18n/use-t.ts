import { useMemo } from 'react';
import { useSessionStore } from '../state/session-store';
import { translator, type T } from './strings';

/** The current language's sentences, for components. */
export function useT(): T {
  const locale = useSessionStore((s) => s.locale);
  return useMemo(() => translator(locale), [locale]);
}
