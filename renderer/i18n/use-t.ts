import { useCallback } from 'react';
import { useSessionStore } from '../state/session-store';
import { translate, type StringKey } from './strings';

/** The current language's sentences, for components. */
export function useT(): (key: StringKey, values?: Record<string, string | number>) => string {
  const locale = useSessionStore((s) => s.locale);
  return useCallback((key, values) => translate(locale, key, values), [locale]);
}
